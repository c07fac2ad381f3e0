"""The council's calendar (P&C-cyclus): the section on the partnership page, the municipality's
iCalendar feed, and the coördinator's meetings form (who may, Dutch errors, conflicts, history)."""

from datetime import date

import pytest
from icalendar import Calendar

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from collaborations.demo import load_demo
from collaborations.models import BoardMeeting, Partnership
from collaborations.models.meetings import MeetingSchedule
from collaborations.selectors import meetings_for_edit
from collaborations.services.meetings import MeetingInput, save_meetings
from tests.collaborations.factories import UserFactory, grant
from tests.reports.test_pages import page_text

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 1)
PAGE = "/venlo/samenwerkingen/zvh/"
FORM = "/venlo/samenwerkingen/zvh/vergaderingen/"
FEED = "/venlo/kalender.ics"


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """The calendar is about "now": these tests look at it on 1 March 2026."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture
def zvh(demo) -> Partnership:
    return Partnership.objects.get(slug="zvh")


@pytest.fixture
def coordinator(zvh):
    user = UserFactory(username="cor")
    grant(user, "coordinator", zvh)
    return user


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def form_data(partnership, *, new=(), change=None, delete=(), version="current") -> dict:
    """The meetings form as a browser posts it: every stored meeting (changed where `change`
    says, by row index), then the new rows."""
    meetings, stored_version = meetings_for_edit(partnership)
    rows = [
        {
            "id": str(m.pk),
            "date": f"{m.date.day}-{m.date.month}-{m.date.year}",
            "kind": m.kind,
            "note": m.note,
        }
        for m in meetings
    ]
    for index, values in (change or {}).items():
        rows[index].update(values)
    rows += [{"id": "", "date": "", "kind": "", "note": "", **row} for row in new]
    data = {
        "vergadering-TOTAL_FORMS": str(len(rows)),
        "vergadering-INITIAL_FORMS": str(len(meetings)),
        "vergadering-MIN_NUM_FORMS": "0",
        "vergadering-MAX_NUM_FORMS": "1000",
        "version": str(stored_version) if version == "current" else version,
    }
    for i, row in enumerate(rows):
        for name, value in row.items():
            data[f"vergadering-{i}-{name}"] = value
        if i in delete:
            data[f"vergadering-{i}-DELETE"] = "on"
    return data


# --- the section on the partnership page -----------------------------------------------------


def test_the_partnership_page_shows_the_cycle_of_this_year_and_next(client, demo):
    response = client.get(PAGE)
    assert response.status_code == 200
    text = page_text(response)
    assert "Planning en control (P&C-cyclus)" in text
    assert "P&C-cyclus 2026 (Wgr sinds 1 juli 2022)" in text
    assert "P&C-cyclus 2027 (Wgr sinds 1 juli 2022)" in text
    # ZVH's algemeen bestuur adopts the begroting 2027 on 2 July 2026: 12 weeks before
    assert "uiterlijk 9 april 2026 Ontwerpbegroting 2027 naar de raden Dagelijks bestuur" in text
    assert "vóór 30 april 2026 Kaderbrief 2027 naar de raden" in text
    assert "van 9 april 2026 tot de vergadering van 2 juli 2026 Zienswijze van de raden" in text
    assert "2 juli 2026 Algemeen bestuur stelt de begroting 2027 vast Algemeen bestuur" in text
    assert "uiterlijk 16 juli 2026 Begroting 2027 naar Gedeputeerde Staten" in text
    assert "uiterlijk 8 juli 2027 Jaarrekening 2026 naar Gedeputeerde Staten" in text
    content = response.content.decode()
    assert 'href="webcal://testserver/venlo/kalender.ics">Abonneer in uw agenda</a>' in content
    assert 'value="http://testserver/venlo/kalender.ics"' in content
    assert "Vergaderdata van ZVH bewerken" not in text  # the public does not enter meetings


def test_past_deadlines_are_marked_in_words(client, demo, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2026, 5, 1))
    text = page_text(client.get(PAGE))
    assert "vóór 30 april 2026 voorbij Kaderbrief 2027" in text
    assert "tot de vergadering van 2 juli 2026 loopt nu Zienswijze" in text


def test_a_process_step_is_shown_with_its_quarter_and_the_deadline_it_belongs_to(client, demo):
    text = page_text(client.get("/venlo/samenwerkingen/vrln/"))
    assert (
        "2e kwartaal 2026 Indienen van zienswijze op de ontwerpbegroting 2027 Hoort bij: "
        "zienswijze van de raden op de ontwerpbegroting 2027 (van 8 april 2026 tot de "
        "vergadering van 1 juli 2026) Raad Proces van de gemeente"
    ) in text


def test_a_stichting_has_no_wgr_deadlines(client, demo):
    text = page_text(client.get("/arnhem/samenwerkingen/vtgm/"))
    assert "VTGM is een stichting" in text
    assert "naar Gedeputeerde Staten" not in text
    assert "Algemeen bestuur stelt de begroting 2027 vast" in text


def test_without_meetings_the_section_says_what_it_cannot_compute(client, demo):
    BoardMeeting.objects.filter(partnership__slug="zvh", date__year=2027).delete()
    text = page_text(client.get(PAGE))
    assert "2027: De vergadering van het algemeen bestuur over de begroting 2028 is niet" in text
    assert "vóór 15 september 2027 Begroting 2028 naar Gedeputeerde Staten" in text


def test_the_coordinator_sees_the_link_to_the_meetings_form(coordinator_client):
    assert "Vergaderdata van ZVH bewerken" in page_text(coordinator_client.get(PAGE))


def test_the_section_costs_one_query(client, demo, django_assert_num_queries):
    from collaborations.selectors import participation_detail, partnership_calendar

    participation = participation_detail("venlo", "zvh")
    list(participation.process_entries.all())
    with django_assert_num_queries(1):
        partnership_calendar(participation, today=TODAY)


# --- the feed --------------------------------------------------------------------------------


def feed(client) -> Calendar:
    response = client.get(FEED)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def test_the_feed_holds_the_deadlines_and_meetings_of_venlos_partnerships(client, demo):
    calendar = feed(client)
    assert str(calendar["X-WR-CALNAME"]) == "P&C-kalender Venlo"
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    summaries = {str(e["SUMMARY"]) for e in events.values()}
    assert "ZVH: ontwerpbegroting 2027 naar de raden (uiterlijk)" in summaries
    assert "VRLN: begroting 2027 naar Gedeputeerde Staten (uiterlijk)" in summaries
    assert "BsGW: kaderbrief 2026 naar de raden (uiterlijk)" in summaries
    assert "MSN: algemeen bestuur stelt de jaarrekening 2026 vast" in summaries
    assert {s.split(":")[0] for s in summaries} == {"ZVH", "VRLN", "BsGW", "MSN"}  # not GO
    # last year to next year
    years = {e.start.year for e in events.values()}
    assert years == {2025, 2026, 2027}
    ontwerp = events["zvh.ontwerpbegroting.2027@samenwerkingsdashboard"]
    assert (ontwerp.start, ontwerp.end) == (date(2026, 4, 9), date(2026, 4, 10))
    assert "Wgr art. 35" in str(ontwerp["DESCRIPTION"])
    assert str(ontwerp["URL"]) == "http://testserver/venlo/samenwerkingen/zvh/"
    window = events["zvh.zienswijze.2027@samenwerkingsdashboard"]
    assert (window.start, window.end) == (date(2026, 4, 9), date(2026, 7, 2))
    kaderbrief = events["bsgw.kaderbrief.2026@samenwerkingsdashboard"]
    assert kaderbrief.start == date(2025, 4, 29)  # the last day before 30 April


def test_the_feed_keeps_its_uids_when_a_meeting_moves(client, demo):
    before = {str(e["UID"]): e.start for e in feed(client).walk("VEVENT")}
    assert before == {str(e["UID"]): e.start for e in feed(client).walk("VEVENT")}
    zvh = Partnership.objects.get(slug="zvh")
    meeting = BoardMeeting.objects.get(partnership=zvh, date=date(2026, 7, 2))
    beheerder = UserFactory(username="beheer", is_superuser=True)
    save_meetings(
        user=beheerder,
        partnership=zvh,
        meetings=[MeetingInput(date=date(2026, 7, 9), kind=meeting.kind, id=meeting.pk)],
        expected_version=MeetingSchedule.objects.get(partnership=zvh).version,
    )
    after = {str(e["UID"]): e.start for e in feed(client).walk("VEVENT")}
    assert set(after) == set(before)
    uid = "zvh.ontwerpbegroting.2027@samenwerkingsdashboard"
    assert (before[uid], after[uid]) == (date(2026, 4, 9), date(2026, 4, 16))
    meeting_uid = f"zvh.vergadering.{meeting.pk}@samenwerkingsdashboard"
    assert (before[meeting_uid], after[meeting_uid]) == (date(2026, 7, 2), date(2026, 7, 9))


def test_an_unknown_municipality_has_no_feed(client, demo):
    assert client.get("/nergens/kalender.ics").status_code == 404


# --- the meetings form -----------------------------------------------------------------------


def test_the_coordinator_adds_changes_and_removes_meetings(coordinator_client, coordinator, zvh):
    count = BoardMeeting.objects.filter(partnership=zvh).count()
    first = meetings_for_edit(zvh)[0][0]
    second = meetings_for_edit(zvh)[0][1]
    response = coordinator_client.post(
        FORM,
        form_data(
            zvh,
            change={1: {"date": "3 juli 2017", "note": "In Venray"}},
            delete={0},
            new=[{"date": "12-11-2026", "kind": "ab_overig", "note": "Begrotingswijziging"}],
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}#pc-cyclus"
    assert BoardMeeting.objects.filter(partnership=zvh).count() == count
    assert not BoardMeeting.objects.filter(pk=first.pk).exists()
    second.refresh_from_db()
    assert (second.date, second.note) == (date(2017, 7, 3), "In Venray")
    added = BoardMeeting.objects.get(partnership=zvh, date=date(2026, 11, 12))
    # history: who did what, and the removed meeting stays in it
    assert added.history.first().history_user == coordinator
    assert added.history.first().history_change_reason == "Vergadering toegevoegd"
    changed = second.history.first()
    assert (changed.history_type, changed.history_user, changed.history_change_reason) == (
        "~",
        coordinator,
        "Vergadering gewijzigd",
    )
    gone = BoardMeeting.history.filter(id=first.pk).first()
    assert (gone.history_type, gone.history_change_reason) == ("-", "Vergadering verwijderd")
    assert MeetingSchedule.objects.get(partnership=zvh).version == 2
    assert "De vergaderdata van ZVH zijn opgeslagen." in page_text(coordinator_client.get(PAGE))


def test_the_form_shows_every_meeting_with_dutch_dates(coordinator_client, zvh):
    response = coordinator_client.get(FORM)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="29-6-2017"' in content
    assert 'name="vergadering-24-date"' in content  # 22 meetings and 3 empty rows
    assert "Regel 1, datum" in content


@pytest.mark.parametrize("who", ["anonymous", "invoerder", "other coordinator", "raadslid"])
def test_only_the_coordinator_and_the_beheerder_enter_meetings(client, zvh, who, venlo):
    if who != "anonymous":
        user = UserFactory(username="iemand")
        if who == "other coordinator":
            grant(user, "coordinator", Partnership.objects.get(slug="vrln"))
        else:
            grant(user, who, venlo)
        client.force_login(user)
    count = BoardMeeting.objects.count()
    data = form_data(zvh, new=[{"date": "1-12-2026", "kind": "db"}])
    get, post = client.get(FORM), client.post(FORM, data)
    expected = 302 if who == "anonymous" else 403
    assert (get.status_code, post.status_code) == (expected, expected)
    assert BoardMeeting.objects.count() == count


def test_the_beheerder_enters_meetings(client, zvh):
    client.force_login(UserFactory(username="beheer", is_superuser=True))
    assert client.get(FORM).status_code == 200
    response = client.post(FORM, form_data(zvh, new=[{"date": "1-12-2026", "kind": "db"}]))
    assert response.status_code == 302
    assert BoardMeeting.objects.filter(partnership=zvh, kind="db").exists()


def test_the_service_refuses_who_may_not(zvh, venlo):
    invoerder = UserFactory(username="ingrid")
    grant(invoerder, "invoerder", venlo)
    with pytest.raises(PermissionDenied, match="Alleen de coördinator van ZVH"):
        save_meetings(user=invoerder, partnership=zvh, meetings=[], expected_version=1)


def test_bad_dates_get_dutch_errors_naming_row_and_column(coordinator_client, zvh):
    count = BoardMeeting.objects.filter(partnership=zvh).count()
    data = form_data(
        zvh,
        change={0: {"date": ""}},
        new=[
            {"date": "31-2-2026", "kind": "ab_begroting", "note": "Wordt bewaard"},
            {"date": "volgende week", "kind": "ab_begroting"},
            {"date": "2-7-2026", "kind": ""},
            {"date": "1-7-1980", "kind": "db"},
            {"date": "2-7-2026", "kind": "ab_begroting"},  # the same as a stored meeting
        ],
    )
    response = coordinator_client.post(FORM, data)
    assert response.status_code == 400
    text = page_text(response)
    assert "Er zijn 6 fouten gevonden" in text
    assert "Regel 1, datum: Vul de datum in, of vink ‘verwijderen’ aan." in text
    assert "Regel 23, datum: Deze datum bestaat niet; schrijf de datum als bijvoorbeeld" in text
    assert "Regel 24, datum: Dit is geen datum; schrijf de datum als" in text
    assert "Regel 25, soort vergadering: Kies de soort vergadering." in text
    assert "Regel 26, datum: Vul een datum tussen 1990 en 2100 in." in text
    assert "Regel 27, datum: Op deze datum staat al zo'n vergadering (regel 20)." in text
    content = response.content.decode()
    assert 'value="31-2-2026"' in content and 'value="Wordt bewaard"' in content  # input kept
    assert 'href="#id_vergadering-22-date"' in content
    assert 'aria-describedby="id_vergadering-22-date_error"' in content
    assert 'aria-describedby="id_vergadering-26-date_error"' in content  # the duplicate
    assert BoardMeeting.objects.filter(partnership=zvh).count() == count


def test_a_save_after_someone_elses_is_refused_and_keeps_the_input(coordinator_client, zvh):
    data = form_data(zvh, new=[{"date": "10-12-2026", "kind": "db", "note": "Mijn invoer"}])
    beheerder = UserFactory(username="beheer", is_superuser=True)
    save_meetings(  # someone else saves in between
        user=beheerder,
        partnership=zvh,
        meetings=[MeetingInput(date=date(2026, 12, 3), kind="db", note="Van een ander")],
        expected_version=MeetingSchedule.objects.get(partnership=zvh).version,
    )
    response = coordinator_client.post(FORM, data)
    assert response.status_code == 409
    text = page_text(response)
    assert "Iemand anders heeft het vergaderschema opgeslagen nadat u het opende" in text
    assert "Zo zijn de vergaderingen nu opgeslagen (door een ander)" in text
    assert "3 december 2026 dagelijks bestuur Van een ander" in text
    assert 'value="Mijn invoer"' in response.content.decode()
    assert not BoardMeeting.objects.filter(note="Mijn invoer").exists()
    # saving again, deliberately, with the version now on the page
    data["version"] = str(MeetingSchedule.objects.get(partnership=zvh).version)
    assert coordinator_client.post(FORM, data).status_code == 302
    assert BoardMeeting.objects.filter(note__in=["Mijn invoer", "Van een ander"]).count() == 2


def test_the_first_save_of_a_partnership_without_meetings(client):
    from tests.collaborations.factories import ParticipationFactory

    participation = ParticipationFactory()
    partnership, municipality = participation.partnership, participation.municipality
    user = UserFactory(username="eerste")
    grant(user, "coordinator", partnership)
    client.force_login(user)
    url = f"/{municipality.slug}/samenwerkingen/{partnership.slug}/vergaderingen/"
    assert client.get(url).status_code == 200
    data = form_data(partnership, new=[{"date": "2-7-2026", "kind": "ab_begroting"}])
    assert data["version"] == "None"
    data["version"] = ""
    assert client.post(url, data).status_code == 302
    assert MeetingSchedule.objects.get(partnership=partnership).version == 1
    # a second form opened before that first save is now out of date
    assert client.post(url, data).status_code == 409
    assert BoardMeeting.objects.filter(partnership=partnership).count() == 1


def test_load_demo_is_idempotent_for_the_meetings(zvh):
    count = BoardMeeting.objects.count()
    version = MeetingSchedule.objects.get(partnership=zvh).version
    history = BoardMeeting.history.count()
    load_demo()
    assert BoardMeeting.objects.count() == count == 22 + 33 + 22 + 33 + 22 + 20
    assert MeetingSchedule.objects.get(partnership=zvh).version == version
    assert BoardMeeting.history.count() == history
