"""Reads for the paragraaf verbonden partijen and the totaaloverzicht: the risk profile per
participation, the reconciliation of the contributions per Iv3 taakveld and the expected risk
amounts per party for the weerstandsvermogen — from the latest *published* version of each
year (what was adopted), except `risk_profiles` for those who read the drafts.

Each function reads a fixed number of queries whatever the number of parties: the versions'
figures come out of the snapshot's JSON in SQL (`KT`), never the whole snapshot.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Prefetch
from django.db.models.fields.json import KT

from collaborations import iv3, risks
from collaborations.models import Risk, YearRecord, YearVersion
from collaborations.permissions import can_read_drafts

NOT_DETERMINED = "niet-bepaald"  # the filter's value for "Niet bepaald"


def _latest_versions(municipality, year: int, *fields, **expressions) -> list[dict]:
    """The latest version of `year` of each participation of the municipality, as dicts."""
    rows = (
        YearVersion.objects.filter(participation__municipality=municipality, year=year)
        .order_by("participation_id", "-number")
        .values("participation_id", "number", *fields, **expressions)
    )
    latest: dict[int, dict] = {}
    for row in rows:
        latest.setdefault(row["participation_id"], row)
    return list(latest.values())


def risk_profiles(municipality, user, year: int) -> dict[int, str | None]:
    """participation id → "laag" / "midden" / "hoog" / None (niet bepaald) for the year: the
    working copy for those who read the municipality's drafts, the latest published version
    for everyone else. Two queries (one for the public)."""
    if not can_read_drafts(user, municipality):
        return {
            row["participation_id"]: row["risk_profile"] or None
            for row in _latest_versions(municipality, year, "risk_profile")
        }
    records = (
        YearRecord.objects.filter(participation__municipality=municipality, year=year)
        .select_related("bbv")
        .prefetch_related(Prefetch("risks", queryset=Risk.objects.only("kans", "effect")))
    )
    profiles = {}
    for record in records:
        try:
            bbv = record.bbv
            interest = bbv.financieel_belang_eind
            interest = bbv.financieel_belang_begin if interest is None else interest
        except YearRecord.bbv.RelatedObjectDoesNotExist:
            interest = None
        pairs = [(r.kans, r.effect) for r in record.risks.all()]
        profiles[record.participation_id] = risks.risk_profile(pairs, interest)
    return profiles


@dataclass
class TaakveldTotal:
    """One row of the reconciliation: the contributions of the parties on one taakveld."""

    taakveld: str  # the code; "" for contributions without a taakveld
    label: str
    parties: list[str] = field(default_factory=list)  # afkortingen
    categories: list[str] = field(default_factory=list)  # economic categories in force
    begroting: Decimal | None = None
    realisatie: Decimal | None = None


def _add(total: Decimal | None, amount: Decimal | None) -> Decimal | None:
    return total if amount is None else (amount if total is None else total + amount)


def taakveld_totals(municipality, year: int) -> list[TaakveldTotal]:
    """The municipality's contributions (Kosten: begroting and realisatie of the year, as
    published) per Iv3 taakveld, in the list's order, with "Geen taakveld" last; an amount
    is None when no party on the taakveld has it. One query."""
    rows = _latest_versions(
        municipality,
        year,
        "contribution_budget",
        "contribution_actual",
        afkorting=F("participation__partnership__afkorting"),
        taakveld=KT("snapshot__bbv__taakveld"),
        chosen=KT("snapshot__bbv__economische_categorie"),
        default=KT("snapshot__bbv__default_category"),
    )
    by_code: dict[str, TaakveldTotal] = {}
    for row in sorted(rows, key=lambda r: r["afkorting"] or ""):
        code = row["taakveld"] or ""
        label = iv3.taakveld_label(code) if code else "Geen taakveld ingevuld"
        total = by_code.setdefault(code, TaakveldTotal(taakveld=code, label=label))
        total.parties.append(row["afkorting"])
        category = row["chosen"] or row["default"] or ""
        if category and category not in total.categories:
            total.categories.append(category)
        total.begroting = _add(total.begroting, row["contribution_budget"])
        total.realisatie = _add(total.realisatie, row["contribution_actual"])
    order = list(iv3.taakvelden())
    return sorted(
        by_code.values(),
        key=lambda t: order.index(t.taakveld) if t.taakveld in order else len(order),
    )


@dataclass
class PartyRisks:
    """One row of the weerstandsvermogen table: a party's risks as published."""

    participation_id: int
    name: str
    afkorting: str
    profile: str | None
    count: int
    unknown_effects: int  # risks without a financial effect (not in the sum)
    expected: Decimal | None  # the sum of the known expected amounts

    @property
    def profile_label(self) -> str:
        return risks.PROFILE_LABELS.get(self.profile or "", "Niet bepaald")


def weerstand_risks(municipality, year: int) -> list[PartyRisks]:
    """Per party of the municipality with a published version of `year`: its risk profile,
    the number of risks and the sum of their expected amounts (kans × effect), by name. The
    total of the table is `sum(p.expected for p in rows if p.expected is not None)`. One
    query."""
    rows = _latest_versions(
        municipality,
        year,
        "risk_profile",
        name=F("participation__partnership__name"),
        afkorting=F("participation__partnership__afkorting"),
        risks=KT("snapshot__risks"),
    )
    out = []
    for row in rows:
        risk_rows = json.loads(row["risks"]) if isinstance(row["risks"], str) else row["risks"]
        pairs = [(r[1], None if r[2] is None else Decimal(r[2])) for r in risk_rows or []]
        out.append(
            PartyRisks(
                participation_id=row["participation_id"],
                name=row["name"],
                afkorting=row["afkorting"],
                profile=row["risk_profile"] or None,
                count=len(pairs),
                unknown_effects=sum(1 for _, e in pairs if e is None),
                expected=risks.total_expected(pairs),
            )
        )
    return sorted(out, key=lambda p: p.name)
