"""The Wgr deadlines of the P&C cycle (pure: no database): the rules before and after the change
of 1 July 2022, deadlines that follow from board meetings, and process steps tied to them."""

from datetime import date

import pytest

from collaborations.deadlines import (
    BEGROTING,
    JAARREKENING,
    RULES,
    DateParseError,
    Meeting,
    ProcessStep,
    Source,
    build_calendar,
    cycle,
    format_date,
    parse_date,
    quarter_label,
    rules_for,
    tie,
    wgr_applies,
)


def by_key(year: int, *meetings: Meeting) -> dict:
    return {d.key: d for d in cycle(year, meetings).deadlines}


def test_one_rule_table_switches_after_the_cycle_of_2022():
    assert [r.first_cycle_year for r in RULES] == [1985, 2023]
    assert rules_for(2017).name == rules_for(2022).name == "Wgr tot 1 juli 2022"
    assert rules_for(2023).name == rules_for(2027).name == "Wgr sinds 1 juli 2022"


@pytest.mark.parametrize(("year", "day"), [(2021, 15), (2022, 15), (2023, 30), (2026, 30)])
def test_kaderbrief_and_voorlopige_jaarrekening_before_15_april_then_30_april(year, day):
    found = by_key(year)
    for key, subject in (("kaderbrief", year + 1), ("voorlopige-jaarrekening", year - 1)):
        deadline = found[key]
        assert (deadline.date, deadline.before, deadline.subject_year) == (
            date(year, 4, day),
            True,
            subject,
        )
        assert deadline.last_day == date(year, 4, day - 1)
        assert deadline.wording == f"vóór {day} april {year}"
        assert deadline.who == "dagelijks bestuur"
    assert found["kaderbrief"].what == f"kaderbrief {year + 1} naar de raden"


def test_ontwerpbegroting_8_weeks_before_the_meeting_under_the_old_rules():
    found = by_key(2022, Meeting(date(2022, 7, 7), BEGROTING))
    assert found["ontwerpbegroting"].date == date(2022, 5, 12)  # 56 days before
    assert found["ontwerpbegroting"].wording == "uiterlijk 12 mei 2022"
    assert found["ontwerpbegroting"].what == "ontwerpbegroting 2023 naar de raden"
    window = found["zienswijze"]
    assert (window.start, window.date, window.last_day) == (
        date(2022, 5, 12),
        date(2022, 7, 7),
        date(2022, 7, 6),
    )
    assert window.who == "raden"
    assert window.wording == "van 12 mei 2022 tot de vergadering van 7 juli 2022"


def test_ontwerpbegroting_12_weeks_before_the_meeting_since_the_change():
    found = by_key(2023, Meeting(date(2023, 7, 6), BEGROTING))
    assert found["ontwerpbegroting"].date == date(2023, 4, 13)  # 84 days before
    assert found["ontwerpbegroting"].subject_year == 2024
    assert found["zienswijze"].start == date(2023, 4, 13)


def test_the_first_meeting_about_the_begroting_counts():
    found = by_key(
        2026,
        Meeting(date(2026, 11, 12), BEGROTING, note="wijziging"),
        Meeting(date(2026, 7, 2), BEGROTING),
    )
    assert found["zienswijze"].date == date(2026, 7, 2)


@pytest.mark.parametrize(
    ("year", "meeting", "due", "before"),
    [
        (2022, date(2022, 7, 7), date(2022, 7, 21), False),  # two weeks after adoption
        (2022, date(2022, 7, 25), date(2022, 8, 1), True),  # capped: before 1 August
        (2022, None, date(2022, 8, 1), True),
        (2023, date(2023, 7, 6), date(2023, 7, 20), False),
        (2023, date(2023, 9, 5), date(2023, 9, 15), True),  # capped: before 15 September
        (2023, None, date(2023, 9, 15), True),
    ],
)
def test_begroting_to_gs_within_two_weeks_and_before_1_august_then_15_september(
    year, meeting, due, before
):
    meetings = [Meeting(meeting, BEGROTING)] if meeting else []
    deadline = by_key(year, *meetings)["begroting-gs"]
    assert (deadline.date, deadline.before) == (due, before)
    assert deadline.what == f"begroting {year + 1} naar Gedeputeerde Staten"


@pytest.mark.parametrize("year", [2021, 2024])
def test_jaarrekening_to_gs_before_15_july_under_both_rules(year):
    assert (by_key(year)["jaarrekening-gs"].date, by_key(year)["jaarrekening-gs"].before) == (
        date(year, 7, 15),
        True,
    )
    after_meeting = by_key(year, Meeting(date(year, 6, 24), JAARREKENING))["jaarrekening-gs"]
    assert (after_meeting.date, after_meeting.before) == (date(year, 7, 8), False)
    late = by_key(year, Meeting(date(year, 7, 10), JAARREKENING))["jaarrekening-gs"]
    assert (late.date, late.before) == (date(year, 7, 15), True)
    assert late.what == f"jaarrekening {year - 1} naar Gedeputeerde Staten"


def test_notes_say_what_cannot_be_computed_or_is_too_late():
    assert "niet ingevuld" in cycle(2026, []).notes[0]
    assert "ontwerpbegroting" not in by_key(2026)
    late = cycle(
        2026, [Meeting(date(2026, 9, 20), BEGROTING), Meeting(date(2026, 7, 20), JAARREKENING)]
    )
    assert len(late.notes) == 2
    assert "20 september 2026, niet vóór 15 september 2026" in late.notes[0]


def test_which_budget_year_uses_which_rules():
    """Begroting 2023 was prepared in 2022 (old rules), begroting 2024 in 2023 (new)."""
    assert by_key(2022)["begroting-gs"].subject_year == 2023
    assert by_key(2022)["begroting-gs"].rules == "Wgr tot 1 juli 2022"
    assert by_key(2023)["begroting-gs"].subject_year == 2024
    assert by_key(2023)["begroting-gs"].rules == "Wgr sinds 1 juli 2022"
    assert by_key(2023)["jaarrekening-gs"].subject_year == 2022


# --- process steps ----------------------------------------------------------------------------

DEADLINES_2026 = cycle(
    2026, [Meeting(date(2026, 7, 2), BEGROTING), Meeting(date(2026, 6, 25), JAARREKENING)]
).deadlines


@pytest.mark.parametrize(
    ("action", "quarter", "key"),
    [
        ("Indienen van zienswijze op de ontwerpbegroting 2027", 2, "zienswijze"),
        ("Bespreken kaderbrief", 2, "kaderbrief"),
        ("Voorlopige jaarrekening 2025 in de commissie", 2, "voorlopige-jaarrekening"),
        ("Jaarrekening 2025 ter kennisname", 3, "jaarrekening-gs"),
        ("Begroting 2027 ter kennisname", 3, "begroting-gs"),
        ("Ontwerpbegroting 2027 bespreken", 3, "zienswijze"),  # the window runs into July
        ("Evaluatie van de samenwerking", 2, None),  # several deadlines, no word: none
        ("Evaluatie van de samenwerking", 4, None),  # no deadline in the quarter
        ("Zienswijze op de begroting", 4, None),  # the word, but not in this quarter
    ],
)
def test_a_process_step_is_tied_to_the_deadline_in_its_quarter(action, quarter, key):
    tied = tie(ProcessStep("Raad", 2026, quarter, action), DEADLINES_2026)
    assert (tied.key if tied else None) == key


def test_a_step_in_a_quarter_with_one_deadline_is_tied_to_it():
    only = cycle(2026, []).deadlines  # without meetings: Q2 holds kaderbrief and voorlopige jr.
    step = ProcessStep("College", 2026, 2, "Informeren van de raad")
    assert tie(step, only) is None
    assert tie(step, [d for d in only if d.key == "kaderbrief"]).key == "kaderbrief"


def test_the_calendar_lists_deadlines_meetings_and_steps_by_date():
    calendar = build_calendar(
        slug="zvh",
        afkorting="ZVH",
        meetings=[
            Meeting(date(2026, 7, 2), BEGROTING, "algemeen bestuur: begroting", id=7),
            Meeting(date(2026, 6, 25), JAARREKENING, "algemeen bestuur: jaarrekening", id=8),
            Meeting(
                date(2026, 11, 12),
                "ab_overig",
                "algemeen bestuur: overige vergadering",
                "wijziging",
                id=9,
            ),
        ],
        steps=[
            ProcessStep(
                "Raad", 2026, 2, "Indienen van zienswijze op de ontwerpbegroting 2027", id=3
            ),
            ProcessStep("College", 2026, 4, "Evaluatie", id=4),
        ],
        years=[2026],
        today=date(2026, 6, 1),
    )
    dates = [item.date for item in calendar.items]
    assert dates == sorted(dates)
    keys = [item.key for item in calendar.items]
    assert keys[:3] == [
        "zvh/ontwerpbegroting/2027",  # 9 April: 12 weeks before 2 July
        "zvh/kaderbrief/2027",  # before 30 April
        "zvh/voorlopige-jaarrekening/2025",
    ]
    items = {item.key: item for item in calendar.items}
    assert items["zvh/kaderbrief/2027"].status == "voorbij"
    assert items["zvh/zienswijze/2027"].status == "loopt"
    assert items["zvh/begroting-gs/2027"].status == ""
    meeting = items["zvh/vergadering/7"]
    assert (meeting.source, meeting.what, meeting.who) == (
        Source.MEETING,
        "algemeen bestuur stelt de begroting 2027 vast",
        "algemeen bestuur",
    )
    assert items["zvh/vergadering/9"].what == "algemeen bestuur: overige vergadering (wijziging)"
    step = items["zvh/proces/3"]
    assert (step.when, step.source, step.who) == ("2e kwartaal 2026", Source.PROCESS, "Raad")
    assert step.tied_to.startswith("zienswijze van de raden op de ontwerpbegroting 2027 (van ")
    assert keys.index("zvh/proces/3") == keys.index("zvh/zienswijze/2027") + 1
    assert keys[-1] == "zvh/proces/4" and items["zvh/proces/4"].date == date(2026, 12, 31)


def test_a_deadline_keeps_its_key_when_the_meeting_moves():
    def keys(day):
        calendar = build_calendar(
            slug="zvh",
            afkorting="ZVH",
            meetings=[Meeting(day, BEGROTING, id=1)],
            years=[2026],
            today=date(2026, 1, 1),
        )
        return {item.key: item.date for item in calendar.items}

    early, late = keys(date(2026, 7, 2)), keys(date(2026, 7, 9))
    assert set(early) == set(late)
    assert early["zvh/ontwerpbegroting/2027"] != late["zvh/ontwerpbegroting/2027"]


def test_no_wgr_deadlines_for_a_stichting():
    assert wgr_applies(None) and wgr_applies("openbaar-lichaam")
    assert wgr_applies("bedrijfsvoeringsorganisatie") and wgr_applies("gemeenschappelijk-orgaan")
    assert not wgr_applies("stichting") and not wgr_applies("centrumgemeente")
    calendar = build_calendar(
        slug="vtgm",
        afkorting="VTGM",
        meetings=[Meeting(date(2026, 7, 2), BEGROTING, id=1)],
        years=[2026],
        today=date(2026, 1, 1),
        wgr=False,
    )
    assert [item.source for item in calendar.items] == [Source.MEETING]
    assert calendar.notes == []


# --- Dutch dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2-7-2026",
        "02-07-2026",
        "2/7/2026",
        "2.7.2026",
        "2 juli 2026",
        " 2  Jul 2026 ",
        "2026-07-02",
    ],
)
def test_dates_as_people_type_them(text):
    assert parse_date(text) == date(2026, 7, 2)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31-2-2026", "Deze datum bestaat niet"),
        ("2 juno 2026", "“juno” is geen maand"),
        ("volgende week", "Dit is geen datum"),
        ("2-7-26", "Dit is geen datum"),
    ],
)
def test_a_wrong_date_gets_a_dutch_message(text, message):
    with pytest.raises(DateParseError, match=message):
        parse_date(text)


def test_dutch_dates_and_quarters():
    assert format_date(date(2026, 3, 1)) == "1 maart 2026"
    assert quarter_label(2026, 2) == "2e kwartaal 2026"
    assert quarter_label(2026, None) == "2026"
