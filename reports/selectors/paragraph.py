"""Reads for the paragraaf verbonden partijen: the newest published version of each of the
municipality's parties for the year, and the published vision and policy text. Never the
working copy: the paragraph shows only what was adopted and published, for every reader.

Four queries whatever the number of parties (participations, versions, policy, and the
policy's editor for those who may edit it)."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from collaborations.models import Municipality, Participation, YearVersion
from collaborations.permissions import can_adopt, user_can_edit
from core.converters import FIRST_YEAR, LAST_YEAR
from finance.money import Cell
from reports import bbv as bbv_view
from reports import paragraph
from reports.models import Edition, ParagraphPolicy


def requested_edition(raw: str | None) -> str:
    """`?editie=`: begroting when absent; Http404 for anything else than the two editions."""
    if raw in (None, ""):
        return Edition.BEGROTING
    if raw not in Edition.values:
        raise Http404("Kies de editie begroting of jaarstukken.")
    return raw


def newest_versions(municipality: Municipality, year: int) -> dict[int, YearVersion]:
    """The newest published version of each participation for `year`, by participation id."""
    newer = YearVersion.objects.filter(
        participation=OuterRef("participation"), year=year, number__gt=OuterRef("number")
    )
    versions = (
        YearVersion.objects.filter(participation__municipality=municipality, year=year)
        .exclude(Exists(newer))
        .only(
            "participation_id",
            "year",
            "number",
            "snapshot",
            "contribution_budget",
            "contribution_actual",
            "contribution_budget_nvt",
            "contribution_actual_nvt",
            "adopted_at",
            "published_at",
        )
    )
    return {v.participation_id: v for v in versions}


def _party(participation: Participation, year: int, version, edition: str) -> paragraph.Party:
    partnership = participation.partnership
    category = partnership.bbv_categorie
    party = paragraph.Party(
        name=partnership.name,
        afkorting=partnership.afkorting,
        slug=partnership.slug,
        vorm=partnership.vorm.label if partnership.vorm else "",
        vestigingsplaats=partnership.vestigingsplaats,
        group=category.code if category else paragraph.OTHER,
        group_assumed=category is None,
        year=year,
    )
    if version is None:
        return party
    record = version.snapshot.get("record", {})
    kern = "feitelijk_kern" if edition == Edition.JAARSTUKKEN else "beoogd_kern"
    party.version_number = version.number
    party.adopted_at = version.adopted_at
    party.published_at = version.published_at
    party.public_interest = record.get(kern) or record.get("beoogd_kern") or ""
    party.contribution_budget = Cell(
        amount=version.contribution_budget, not_applicable=version.contribution_budget_nvt
    )
    party.contribution_actual = Cell(
        amount=version.contribution_actual, not_applicable=version.contribution_actual_nvt
    )
    party.bbv, party.risks, party.risk_profile = bbv_view.from_snapshot(version.snapshot)
    return party


def paragraph_for(municipality: Municipality, year: int, edition: str) -> paragraph.Paragraph:
    """The paragraph of `municipality` for `year` in `edition`, from published data only: the
    same for every reader."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404("Voor dit jaar is er geen paragraaf.")
    versions = newest_versions(municipality, year)
    participations = (
        Participation.objects.filter(municipality=municipality)
        .filter(
            Q(pk__in=list(versions)) | Q(ended_on__isnull=True) | Q(ended_on__gt=date(year, 1, 1))
        )
        .select_related("partnership__vorm", "partnership__bbv_categorie")
    )
    parties = [_party(p, year, versions.get(p.pk), edition) for p in participations]
    policy = ParagraphPolicy.objects.filter(municipality=municipality, year=year).first()
    return paragraph.build(
        municipality=municipality,
        year=year,
        edition=edition,
        edition_label=Edition(edition).label,
        parties=parties,
        policy_text=policy.published_text if policy and policy.published_at else "",
        policy_published_at=policy.published_at if policy else None,
    )


def policy_for_editing(municipality: Municipality, year: int) -> ParagraphPolicy:
    """The year's policy text as its editors see it; a year without one starts from the newest
    earlier year's text (unsaved), so a clerk does not retype the vision each year."""
    policy = (
        ParagraphPolicy.objects.filter(municipality=municipality, year=year)
        .select_related("updated_by", "published_by")
        .first()
    )
    if policy is not None:
        return policy
    earlier = (
        ParagraphPolicy.objects.filter(municipality=municipality, year__lt=year)
        .order_by("-year")
        .first()
    )
    text = (earlier.published_text or earlier.text) if earlier else ""
    return ParagraphPolicy(municipality=municipality, year=year, text=text, version=0)


def policy_history(policy: ParagraphPolicy) -> list:
    """Every saved state of the text, newest first, with who saved it."""
    if policy.pk is None:
        return []
    return list(policy.history.select_related("history_user").order_by("-history_id"))


def paragraph_rights(user, municipality: Municipality) -> dict:
    return {
        "can_edit_policy": user_can_edit(user, municipality),
        "can_publish_policy": can_adopt(user, municipality),
    }
