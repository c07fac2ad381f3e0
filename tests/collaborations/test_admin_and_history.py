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
