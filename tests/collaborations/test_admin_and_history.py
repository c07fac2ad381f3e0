"""Admin edits are part of the record: they bump the version (so an open clerk's form cannot
overwrite them), a stale admin form is refused, and every change or delete is in the history
with who, before and after."""

import pytest

from django.urls import reverse

from collaborations.models import BoardSeat, YearRecord
from tests.collaborations.factories import ParticipationFactory, UserFactory, YearRecordFactory


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="beheer", is_staff=True, is_superuser=True))
    return client


def _admin_post(client, record, version, **changes):
    url = reverse("admin:collaborations_yearrecord_change", args=[record.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: ("" if value is None else value)
        for name, value in form.initial.items()
        if name in form.fields and not isinstance(value, list)
    }
    for name in ("submotieven", "belangrijkste_motieven"):
        data.pop(name, None)
    data.update(changes, seen_version=version)
    return client.post(url, data)


@pytest.mark.django_db
def test_an_admin_edit_bumps_the_version_and_is_in_the_history(admin_client):
    record = YearRecordFactory(beoogd_kern="Eerste tekst")
    response = _admin_post(admin_client, record, record.version, beoogd_kern="Tweede tekst")
    assert response.status_code == 302, response.content.decode()[:2000]
    record.refresh_from_db()
    assert record.beoogd_kern == "Tweede tekst"
    assert record.version == 2
    latest = record.history.first()
    assert latest.history_user.username == "beheer"
    delta = latest.diff_against(latest.prev_record)
    change = next(c for c in delta.changes if c.field == "beoogd_kern")
    assert (change.old, change.new) == ("Eerste tekst", "Tweede tekst")


@pytest.mark.django_db
def test_a_stale_admin_form_is_refused(admin_client):
    record = YearRecordFactory(beoogd_kern="Eerste tekst")
    YearRecord.objects.filter(pk=record.pk).update(version=5, beoogd_kern="Door de invoerder")
    response = _admin_post(admin_client, record, 1, beoogd_kern="Van de beheerder")
    assert response.status_code == 200
    assert "Iemand anders heeft dit record opgeslagen" in response.content.decode()
    record.refresh_from_db()
    assert record.beoogd_kern == "Door de invoerder"


@pytest.mark.django_db
def test_a_delete_is_in_the_history_with_what_was_there():
    seat = BoardSeat.objects.create(
        participation=ParticipationFactory(),
        orgaan="Algemeen bestuur",
        vertegenwoordiging="Wethouder",
        stemmen=3,
        stemmen_totaal=20,
    )
    pk = seat.pk
    seat.delete()
    deleted = BoardSeat.history.filter(id=pk).first()
    assert deleted.history_type == "-"
    assert deleted.orgaan == "Algemeen bestuur" and deleted.stemmen == 3


def _as_posted(response) -> dict:
    """What the browser sends back for an unchanged admin page, its inlines included."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data: dict = {}
    for form in forms:
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            if isinstance(value, (list, tuple)):
                data[bound.html_name] = [str(getattr(v, "pk", v)) for v in value]
            else:
                data[bound.html_name] = "on" if value is True else str(getattr(value, "pk", value))
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["partnership", "participation"])
def test_the_shared_record_and_the_perspective_are_versioned_in_the_admin(admin_client, model):
    from collaborations.models import Participation, Partnership

    participation = ParticipationFactory(accounthouders="Eerste")
    record = participation if model == "participation" else participation.partnership
    field, value = ("accounthouders", "Tweede") if model == "participation" else ("name", "Nieuw")
    url = reverse(f"admin:collaborations_{model}_change", args=[record.pk])
    opened = _as_posted(admin_client.get(url))
    assert opened["seen_version"] == "1"

    response = admin_client.post(url, {**opened, field: value})
    assert response.status_code == 302, response.content.decode()[:3000]
    cls = Participation if model == "participation" else Partnership
    saved = cls.objects.get(pk=record.pk)
    assert (getattr(saved, field), saved.version) == (value, 2)  # a site form opened is refused
    assert saved.history.first().history_user.username == "beheer"

    # the admin page opened before that save (or a site save) is refused, not merged
    stale = admin_client.post(url, {**opened, field: "Te laat"})
    assert stale.status_code == 200
    assert "Iemand anders heeft dit record opgeslagen" in stale.content.decode()
    assert getattr(cls.objects.get(pk=record.pk), field) == value


@pytest.mark.django_db
def test_board_meetings_are_in_the_admin_and_replace_the_sheets_version(admin_client):
    from datetime import date

    from collaborations.models import BoardMeeting
    from collaborations.models.meetings import MeetingSchedule

    partnership = ParticipationFactory().partnership
    schedule = MeetingSchedule.objects.create(partnership=partnership)
    meeting = BoardMeeting.objects.create(
        partnership=partnership, date=date(2026, 3, 1), kind=BoardMeeting.Kind.BEGROTING
    )
    url = reverse("admin:collaborations_boardmeeting_change", args=[meeting.pk])
    data = _as_posted(admin_client.get(url))
    response = admin_client.post(url, {**data, "date": "8-3-2026"})
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting.refresh_from_db()
    assert meeting.date == date(2026, 3, 8)
    schedule.refresh_from_db()
    assert schedule.version == 2  # the coördinator's open form is refused
    assert meeting.history.first().history_user.username == "beheer"
    assert (
        admin_client.get(
            reverse("admin:collaborations_boardmeeting_history", args=[meeting.pk])
        ).status_code
        == 200
    )
