"""The home of a municipality's own people ("Mijn gemeente"): per partnership and year the
status, what is not filled in yet, and what waits for adoption or publication."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q

from collaborations.models import Municipality, Participation, YearRecord
from finance.models import PERSPECTIVE_TABLES, FinanceTableYear

S = YearRecord.Status
# what the home lists: the newest years of each partnership (older ones are done)
YEARS_SHOWN = 3


@dataclass
class YearState:
    record: YearRecord
    missing: list[str]

    @property
    def summary(self) -> str:
        """'Kern en 2 tabellen niet ingevuld', or '' when all is there."""
        if not self.missing:
            return ""
        return f"{join_dutch(self.missing)} niet ingevuld"

    @property
    def waiting(self) -> str:
        if self.record.status == S.TER_VASTSTELLING:
            return "wacht op vaststelling"
        if self.record.status == S.VASTGESTELD:
            return "wacht op publicatie"
        return ""


@dataclass
class PartnershipState:
    participation: Participation
    years: list[YearState] = field(default_factory=list)


def join_dutch(parts: list[str]) -> str:
    """['Kern', '2 tabellen'] → 'Kern en 2 tabellen'; the first word capitalised."""
    text = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} en {parts[-1]}"
    return text[:1].upper() + text[1:]


def _missing(record: YearRecord, tables_present: set[tuple[int, str, int]]) -> list[str]:
    missing = []
    if not record.n_submotieven and not record.eigen_formulering:
        missing.append("motieven")
    if not record.beoogd_kern:
        missing.append("beoogde kern")
    if not record.feitelijk_kern:
        missing.append("feitelijke kern")
    if record.aandeel_percentage is None:
        missing.append("aandeel")
    absent = [
        table
        for table in PERSPECTIVE_TABLES
        if (record.participation_id, table, record.year) not in tables_present
    ]
    if len(absent) == 1:
        missing.append(f"tabel {absent[0].label.split(' (')[0]}")
    elif absent:
        missing.append(f"{len(absent)} tabellen")
    return missing


def municipality_home(municipality: Municipality) -> dict:
    """Every partnership of the municipality with its newest years (three queries)."""
    participations = list(
        Participation.objects.filter(municipality=municipality)
        .select_related("partnership")
        .order_by("partnership__name")
    )
    records = list(
        YearRecord.objects.filter(participation__municipality=municipality)
        .annotate(n_submotieven=Count("submotieven"))
        .order_by("participation_id", "-year")
    )
    tables_present = set(
        FinanceTableYear.objects.filter(
            participation__municipality=municipality, table__in=PERSPECTIVE_TABLES
        ).values_list("participation_id", "table", "year")
    )
    by_participation: dict[int, list[YearRecord]] = {}
    for record in records:
        by_participation.setdefault(record.participation_id, []).append(record)
    rows = []
    waiting = []
    for participation in participations:
        row = PartnershipState(participation)
        for record in by_participation.get(participation.pk, [])[:YEARS_SHOWN]:
            record.participation = participation
            state = YearState(record, _missing(record, tables_present))
            row.years.append(state)
            if state.waiting:
                waiting.append(state)
        rows.append(row)
    open_years = sum(1 for r in rows for y in r.years if y.record.status == S.CONCEPT)
    return {
        "rows": rows,
        "waiting": waiting,
        "open_years": open_years,
        "incomplete": sum(1 for r in rows for y in r.years if y.missing),
    }


def home_municipality_slug(user) -> str | None:
    """Where 'Mijn gemeente' leads: the first municipality the user has a role for."""
    if not user.is_authenticated:
        return None
    return (
        Municipality.objects.filter(Q(roles__user=user))
        .order_by("name")
        .values_list("slug", flat=True)
        .first()
    )
