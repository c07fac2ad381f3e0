"""The council's calendar (P&C-cyclus) of a gemeenschappelijke regeling: the deadlines of the Wet
gemeenschappelijke regelingen (Wgr), computed from the partnership's board meetings, with the
municipality's own process steps (*Proces*: who does what in which quarter) tied to them.

Pure Python — no Django, no database: dataclasses in, dataclasses out. The selectors
(`collaborations.selectors.partnership_calendar`, `municipality_calendar`) read the meetings and
process entries and call `build_calendar`.

The deadlines of one cycle (Wgr art. 34, 34b and 35; the dagelijks bestuur sends):

* kaderbrief (algemene financiële en beleidsmatige kaders) for begroting C+1 and the voorlopige
  jaarrekening of C−1 to the councils: before 15 April of C (30 April since the change);
* ontwerpbegroting C+1 to the councils: 8 weeks (12 weeks since the change) before the meeting
  of the algemeen bestuur that adopts the begroting; the councils' *zienswijze* window runs
  from then until that meeting;
* begroting C+1 to Gedeputeerde Staten: within two weeks after its adoption, and in any case
  before 1 August of C (15 September since the change);
* jaarrekening C−1 to Gedeputeerde Staten: within two weeks after its adoption, and in any
  case before 15 July of C (unchanged).

Which rules apply to which year
-------------------------------
Every step of one cycle happens in one calendar year C, the *cyclusjaar*. The Wgr changed on
1 July 2022. The cycles of 2022 and earlier had begun before the change (in 2022 the kaderbrief
was due before 15 April) and follow the old rules for all their steps; their later dates
(begroting to GS before 1 August) are also within the new law, so no date shown for them was
late under either law. The cycles from 2023 follow the new rules. Per document:

=============  ==================  ================
document       old rules (≤ 2022)  new rules
=============  ==================  ================
begroting      2023 and earlier    2024 and later
jaarrekening   2021 and earlier    2022 and later
=============  ==================  ================

All of it is in one table, `RULES`; `rules_for(cycle_year)` picks its row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import partial

# --- The rule table ------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleSet:
    """The Wgr's deadlines for the cycles from `first_cycle_year` on. A (month, day) is a date
    *before* which the document must be sent ("vóór 15 april")."""

    first_cycle_year: int
    name: str
    kaders_before: tuple[int, int]
    ontwerpbegroting_weeks: int
    begroting_gs_before: tuple[int, int]
    jaarrekening_gs_before: tuple[int, int]
    gs_within_days: int = 14


RULES: tuple[RuleSet, ...] = (
    RuleSet(
        first_cycle_year=1985,
        name="Wgr tot 1 juli 2022",
        kaders_before=(4, 15),
        ontwerpbegroting_weeks=8,
        begroting_gs_before=(8, 1),
        jaarrekening_gs_before=(7, 15),
    ),
    RuleSet(
        first_cycle_year=2023,  # the first cycle wholly after the change of 1 July 2022
        name="Wgr sinds 1 juli 2022",
        kaders_before=(4, 30),
        ontwerpbegroting_weeks=12,
        begroting_gs_before=(9, 15),
        jaarrekening_gs_before=(7, 15),
    ),
)


def rules_for(cycle_year: int) -> RuleSet:
    """The rules of the cycle run in `cycle_year` (see the module's docstring)."""
    return [r for r in RULES if r.first_cycle_year <= cycle_year][-1]


# The legal forms (vocabulary `vorm`) with a budget under the Wgr. A partnership whose form is
# not filled in gets the Wgr deadlines too (most partnerships in the dashboard are GRs).
WGR_BUDGET_FORMS = frozenset(
    {"openbaar-lichaam", "bedrijfsvoeringsorganisatie", "gemeenschappelijk-orgaan"}
)


def wgr_applies(vorm_code: str | None) -> bool:
    return vorm_code is None or vorm_code in WGR_BUDGET_FORMS


# The kinds of meeting that deadlines follow from (`BoardMeeting.Kind` uses these codes).
BEGROTING = "ab_begroting"
JAARREKENING = "ab_jaarrekening"

# --- Dutch dates and quarters ---------------------------------------------------------------

MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def format_date(day: date) -> str:
    """1 maart 2026."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def quarter_range(year: int, quarter: int) -> tuple[date, date]:
    first = date(year, 3 * quarter - 2, 1)
    after = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return first, after - timedelta(days=1)


def quarter_label(year: int, quarter: int | None) -> str:
    """2e kwartaal 2026 (or just the year)."""
    return f"{quarter}e kwartaal {year}" if quarter else str(year)


class DateParseError(ValueError):
    """A date that cannot be read; the message is Dutch."""


_NUMERIC = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORDS = re.compile(r"^(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})$")
EXAMPLE = "bijvoorbeeld 2-7-2026 of 2 juli 2026"


def parse_date(text: str) -> date:
    """A date as people type it: 2-7-2026, 02/07/2026, 2.7.2026, 2 juli 2026, 2 jul 2026 or
    2026-07-02 (what a browser's date field sends)."""
    value = " ".join(text.strip().lower().split())
    if match := _NUMERIC.match(value):
        day, month, year = (int(g) for g in match.groups())
    elif match := _ISO.match(value):
        year, month, day = (int(g) for g in match.groups())
    elif match := _WORDS.match(value):
        day, name, year = int(match[1]), match[2], int(match[3])
        months = [i for i, m in enumerate(MONTHS, 1) if len(name) >= 3 and m.startswith(name)]
        if len(months) != 1:
            raise DateParseError(f"“{name}” is geen maand; schrijf de datum als {EXAMPLE}.")
        month = months[0]
    else:
        raise DateParseError(f"Dit is geen datum; schrijf de datum als {EXAMPLE}.")
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise DateParseError(f"Deze datum bestaat niet; schrijf de datum als {EXAMPLE}.") from exc


# --- One cycle --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Meeting:
    """A board meeting as the computation needs it."""

    date: date
    kind: str
    label: str = ""
    note: str = ""
    id: int | None = None


@dataclass(frozen=True)
class Deadline:
    """One deadline of the cycle. `before`: the document must be sent before `date` ("vóór 15
    april"); otherwise on `date` at the latest. A window (the zienswijze) runs from `start`."""

    key: str
    cycle_year: int
    subject_year: int
    what: str
    who: str
    date: date
    before: bool
    basis: str
    rules: str
    start: date | None = None

    @property
    def last_day(self) -> date:
        return self.date - timedelta(days=1) if self.before else self.date

    @property
    def wording(self) -> str:
        if self.start is not None:
            return f"van {format_date(self.start)} tot de vergadering van {format_date(self.date)}"
        return f"{'vóór' if self.before else 'uiterlijk'} {format_date(self.date)}"


@dataclass(frozen=True)
class Cycle:
    year: int
    rules: RuleSet
    deadlines: list[Deadline]
    notes: list[str]


def _first(meetings: list[Meeting], kind: str, year: int) -> Meeting | None:
    """The year's first meeting of this kind: the one the documents are offered to."""
    of_year = [m for m in meetings if m.kind == kind and m.date.year == year]
    return min(of_year, key=lambda m: m.date, default=None)


def _to_gs(adopted: Meeting | None, cap: date, days: int) -> tuple[date, bool]:
    """Within `days` after the adoption, and in any case before `cap`."""
    if adopted is not None and adopted.date + timedelta(days=days) < cap:
        return adopted.date + timedelta(days=days), False
    return cap, True


def cycle(year: int, meetings: Iterable[Meeting]) -> Cycle:
    """The Wgr deadlines of the cycle run in calendar year `year`: for begroting year+1 and
    jaarrekening year−1. Without a meeting about the begroting the ontwerpbegroting's deadline
    cannot be computed; a note says so."""
    meetings = list(meetings)
    rules = rules_for(year)
    budget, accounts = year + 1, year - 1
    kaders = date(year, *rules.kaders_before)
    deadline = partial(Deadline, cycle_year=year, rules=rules.name)
    found = [
        deadline(
            key="kaderbrief",
            subject_year=budget,
            what=f"kaderbrief {budget} naar de raden",
            who="dagelijks bestuur",
            date=kaders,
            before=True,
            basis="Wgr art. 34b: de algemene financiële en beleidsmatige kaders",
        ),
        deadline(
            key="voorlopige-jaarrekening",
            subject_year=accounts,
            what=f"voorlopige jaarrekening {accounts} naar de raden",
            who="dagelijks bestuur",
            date=kaders,
            before=True,
            basis="Wgr art. 34b",
        ),
    ]
    notes: list[str] = []
    adopt_budget = _first(meetings, BEGROTING, year)
    cap = date(year, *rules.begroting_gs_before)
    if adopt_budget is None:
        notes.append(
            f"De vergadering van het algemeen bestuur over de begroting {budget} is niet "
            "ingevuld: de termijn voor de ontwerpbegroting en de zienswijze volgen uit die datum."
        )
    else:
        sent = adopt_budget.date - timedelta(weeks=rules.ontwerpbegroting_weeks)
        weeks = f"{rules.ontwerpbegroting_weeks} weken"
        found += [
            deadline(
                key="ontwerpbegroting",
                subject_year=budget,
                what=f"ontwerpbegroting {budget} naar de raden",
                who="dagelijks bestuur",
                date=sent,
                before=False,
                basis=f"Wgr art. 35: {weeks} vóór de vergadering van het algemeen bestuur",
            ),
            deadline(
                key="zienswijze",
                subject_year=budget,
                what=f"zienswijze van de raden op de ontwerpbegroting {budget}",
                who="raden",
                date=adopt_budget.date,
                before=True,
                start=sent,
                basis="Wgr art. 35: tot de vergadering van het algemeen bestuur",
            ),
        ]
        if adopt_budget.date >= cap:
            notes.append(
                f"Het algemeen bestuur vergadert over de begroting {budget} op "
                f"{format_date(adopt_budget.date)}, niet vóór {format_date(cap)}: te laat om de "
                "begroting op tijd naar Gedeputeerde Staten te sturen."
            )
    due, before = _to_gs(adopt_budget, cap, rules.gs_within_days)
    found.append(
        deadline(
            key="begroting-gs",
            subject_year=budget,
            what=f"begroting {budget} naar Gedeputeerde Staten",
            who="dagelijks bestuur",
            date=due,
            before=before,
            basis=f"Wgr art. 34: binnen twee weken na vaststelling, en vóór {format_date(cap)}",
        )
    )
    adopt_accounts = _first(meetings, JAARREKENING, year)
    cap = date(year, *rules.jaarrekening_gs_before)
    due, before = _to_gs(adopt_accounts, cap, rules.gs_within_days)
    found.append(
        deadline(
            key="jaarrekening-gs",
            subject_year=accounts,
            what=f"jaarrekening {accounts} naar Gedeputeerde Staten",
            who="dagelijks bestuur",
            date=due,
            before=before,
            basis=f"Wgr art. 34: binnen twee weken na vaststelling, en vóór {format_date(cap)}",
        )
    )
    if adopt_accounts is not None and adopt_accounts.date >= cap:
        notes.append(
            f"Het algemeen bestuur vergadert over de jaarrekening {accounts} op "
            f"{format_date(adopt_accounts.date)}, niet vóór {format_date(cap)}: te laat om de "
            "jaarrekening op tijd naar Gedeputeerde Staten te sturen."
        )
    return Cycle(year=year, rules=rules, deadlines=found, notes=notes)


# --- The calendar: deadlines, meetings and process steps in one list ------------------------


class Source(StrEnum):
    RULE = "regel"
    MEETING = "vergadering"
    PROCESS = "proces"


SOURCE_LABELS = {
    Source.RULE: "Wgr",
    Source.MEETING: "vergadering",
    Source.PROCESS: "proces van de gemeente",
}


@dataclass(frozen=True)
class ProcessStep:
    """A *Proces* entry of the municipality: who does what in which quarter (or only year)."""

    actor: str
    year: int
    quarter: int | None
    action: str
    id: int | None = None


@dataclass(frozen=True)
class CalendarItem:
    """One line of the calendar. `key` is stable (the feed's UID): a deadline keeps its key when
    the meeting it follows from moves, a meeting keeps its id."""

    key: str
    date: date
    when: str
    what: str
    who: str
    source: Source
    basis: str = ""
    rules: str = ""  # for a deadline: which version of the Wgr
    start: date | None = None
    status: str = ""  # "voorbij", "loopt" or ""
    tied_to: str = ""
    partnership: str = ""  # the afkorting
    slug: str = ""
    year: int = 0

    @property
    def past(self) -> bool:
        return self.status == "voorbij"

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS[self.source]


@dataclass
class Calendar:
    items: list[CalendarItem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rules: dict[int, str] = field(default_factory=dict)  # cycle year → the rules' name


def _status(first: date, last: date, today: date) -> str:
    if last < today:
        return "voorbij"
    return "loopt" if first <= today else ""


# Words in a process step that tie it to a deadline, most specific first; each names the
# deadlines it may mean, in order of preference.
KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("zienswijze", ("zienswijze",)),
    ("voorlopige jaarrekening", ("voorlopige-jaarrekening",)),
    ("ontwerpbegroting", ("ontwerpbegroting", "zienswijze")),
    ("kaderbrief", ("kaderbrief",)),
    ("kaders", ("kaderbrief",)),
    ("jaarrekening", ("voorlopige-jaarrekening", "jaarrekening-gs")),
    ("begroting", ("ontwerpbegroting", "begroting-gs", "zienswijze")),
)


def tie(step: ProcessStep, deadlines: Iterable[Deadline]) -> Deadline | None:
    """The deadline a process step belongs to: one in the step's quarter (or year) that its
    words name ("zienswijze", "kaderbrief", "jaarrekening" …, the year it mentions); else the
    only deadline in that quarter; else none."""
    if step.quarter:
        first, last = quarter_range(step.year, step.quarter)
    else:
        first, last = date(step.year, 1, 1), date(step.year, 12, 31)
    candidates = [d for d in deadlines if (d.start or d.last_day) <= last and d.last_day >= first]
    years = {int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", step.action)}
    if years and any(d.subject_year in years for d in candidates):
        candidates = [d for d in candidates if d.subject_year in years]
    action = step.action.lower()
    for word, keys in KEYWORDS:
        if word in action:
            for key in keys:
                match = next((d for d in candidates if d.key == key), None)
                if match is not None:
                    return match
    return candidates[0] if len(candidates) == 1 else None


MEETING_WHAT = {
    BEGROTING: "algemeen bestuur stelt de begroting {next} vast",
    JAARREKENING: "algemeen bestuur stelt de jaarrekening {previous} vast",
}
MEETING_WHO = {"db": "dagelijks bestuur"}


def build_calendar(
    *,
    slug: str,
    afkorting: str,
    meetings: Iterable[Meeting],
    steps: Iterable[ProcessStep] = (),
    years: Iterable[int],
    today: date,
    wgr: bool = True,
) -> Calendar:
    """Every dated item of the years: the Wgr deadlines (when `wgr`), the meetings and the
    process steps, sorted by date; a process step sorts right after the deadline it is tied to,
    otherwise at the end of its quarter. The partnership's `slug` prefixes the keys; its
    `afkorting` goes with every item (the feed's summaries)."""
    meetings = sorted(meetings, key=lambda m: (m.date, m.kind))
    years = sorted(set(years))
    calendar = Calendar()
    ranked: list[tuple[date, int, CalendarItem]] = []
    deadlines: list[Deadline] = []
    for year in years:
        if not wgr:
            continue
        one = cycle(year, meetings)
        calendar.rules[year] = one.rules.name
        calendar.notes += [f"{year}: {note}" for note in one.notes]
        deadlines += one.deadlines
    for d in deadlines:
        item = CalendarItem(
            key=f"{slug}/{d.key}/{d.subject_year}",
            date=d.last_day,
            start=d.start,
            when=d.wording,
            what=d.what,
            who=d.who,
            source=Source.RULE,
            basis=d.basis,
            rules=d.rules,
            status=_status(d.start or d.last_day, d.last_day, today),
            partnership=afkorting,
            slug=slug,
            year=d.cycle_year,
        )
        ranked.append((d.last_day, 0, item))
    for m in meetings:
        if m.date.year not in years:
            continue
        what = MEETING_WHAT.get(m.kind, m.label or "vergadering")
        what = what.format(next=m.date.year + 1, previous=m.date.year - 1)
        item = CalendarItem(
            key=f"{slug}/vergadering/{m.id if m.id is not None else m.date.isoformat()}",
            date=m.date,
            when=format_date(m.date),
            what=f"{what} ({m.note})" if m.note else what,
            who=MEETING_WHO.get(m.kind, "algemeen bestuur"),
            source=Source.MEETING,
            basis=m.label,
            status=_status(m.date, m.date, today),
            partnership=afkorting,
            slug=slug,
            year=m.date.year,
        )
        ranked.append((m.date, 0, item))
    for step in steps:
        if step.year not in years:
            continue
        tied = tie(step, deadlines)
        if step.quarter:
            first, last = quarter_range(step.year, step.quarter)
        else:
            first, last = date(step.year, 1, 1), date(step.year, 12, 31)
        item = CalendarItem(
            key=f"{slug}/proces/{step.id}",
            date=tied.last_day if tied else last,
            start=first,
            when=quarter_label(step.year, step.quarter),
            what=step.action,
            who=step.actor,
            source=Source.PROCESS,
            status=_status(first, last, today),
            tied_to=f"{tied.what} ({tied.wording})" if tied else "",
            partnership=afkorting,
            slug=slug,
            year=step.year,
        )
        ranked.append((item.date, 1, item))
    calendar.items = [item for *_, item in sorted(ranked, key=lambda r: (r[0], r[1]))]
    return calendar
