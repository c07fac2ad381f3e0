"""Reads for committee bundles: which participations, the data's fingerprint, a bundle."""

from __future__ import annotations

import hashlib

from django.db.models import Count, Max, Q, Sum
from django.http import Http404

from allocation.models import AllocationVariant, Measure
from collaborations.models import Participation, YearRecord, YearVersion
from collaborations.permissions import can_read_drafts
from finance.models import FinanceTableYear
from reports.models import ParagraphPolicy, ReportBundle


def data_version(municipality, year: int, participations) -> str:
    """A fingerprint of everything a bundle shows: changes when any of its data changes."""
    ids = [p.pk for p in participations]
    partnership_ids = [p.partnership_id for p in participations]
    records = YearRecord.objects.filter(participation_id__in=ids, year=year).aggregate(
        n=Count("id"), v=Sum("version"), t=Max("updated_at")
    )
    tables = FinanceTableYear.objects.filter(
        Q(participation_id__in=ids) | Q(partnership_id__in=partnership_ids),
        # a page shows years Y-2..Y; their figures are also written by the tables of Y-3
        # (Begroting Y-2) and Y+1 (Begroting Y+1)
        year__in=range(year - 3, year + 2),
    ).aggregate(n=Count("id"), v=Sum("version"))
    adopted = list(
        AllocationVariant.objects.filter(
            model__partnership_id__in=partnership_ids, model__year=year, adopted=True
        ).values_list("pk", "definition", "model__inputs", "model__cost_price")
    )
    measures = list(
        Measure.objects.filter(year=year, municipality__partnerships__in=partnership_ids)
        .order_by("pk")
        .values_list("pk", "code", "period", "value")
        .distinct()
    )
    # the paragraph that opens the bundle: every party's newest published version, the text
    paragraph = list(
        YearVersion.objects.filter(participation__municipality=municipality, year=year)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    policy = list(
        ParagraphPolicy.objects.filter(municipality=municipality, year=year).values_list(
            "version", "published_at"
        )
    )
    key = repr((sorted(ids), year, records, tables, adopted, measures, paragraph, policy))
    return hashlib.sha256(key.encode()).hexdigest()


def bundle_participations(municipality, slugs: list[str]) -> list[Participation]:
    qs = (
        Participation.objects.filter(municipality=municipality)
        .select_related("partnership", "municipality")
        .order_by("partnership__name")
    )
    if slugs:
        qs = qs.filter(partnership__slug__in=slugs)
    return list(qs)


def get_bundle(municipality, pk: int, user) -> ReportBundle:
    """A bundle of the municipality; one with concepts exists only for those who may read
    them (a 404 for everyone else, not a 403: its existence is not public)."""
    try:
        bundle = ReportBundle.objects.get(pk=pk, municipality=municipality)
    except ReportBundle.DoesNotExist as exc:
        raise Http404("Deze bundel bestaat niet.") from exc
    if bundle.include_drafts and not can_read_drafts(user, municipality):
        raise Http404("Deze bundel bestaat niet.")
    return bundle
