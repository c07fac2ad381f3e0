"""Reads for the totaaloverzicht's risk column and filter: the risk profile per participation —
the working copy for those who read the drafts, the latest *published* version for everyone
else, in a fixed number of queries whatever the number of parties.

The totals per Iv3 taakveld and the risks for the weerstandsvermogen are the paragraph's
(`reports.paragraph.build`, read by `reports.selectors.paragraph`): one computation for the
page, the PDF and the bundle.
"""

from __future__ import annotations

from django.db.models import Prefetch

from collaborations import risks
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
