"""The totaaloverzicht: every partnership of a municipality with its contribution, in one query
plus two prefetches whatever the number of partnerships."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Subquery,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from collaborations.models import Participation, YearRecord
from collaborations.permissions import user_can_edit
from finance.models import FinanceAmount, Kind, Table


def default_overview_year(municipality) -> int:
    """The newest year with a budgeted contribution of the municipality, else this year."""
    latest = (
        FinanceAmount.objects.filter(
            line__participation__municipality=municipality,
            line__table=Table.KOSTEN,
            kind=Kind.BEGROTING,
            amount__isnull=False,
        )
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    return latest or timezone.localdate().year


def _kosten_total(year: int, kind: str):
    amounts = (
        FinanceAmount.objects.filter(
            line__participation=OuterRef("pk"),
            line__table=Table.KOSTEN,
            year=year,
            kind=kind,
            amount__isnull=False,
        )
        .order_by()
        .values("line__participation")
        .annotate(total=Sum("amount"))
        .values("total")[:1]
    )
    return Subquery(amounts, output_field=DecimalField(max_digits=18, decimal_places=2))


def overview(municipality, user, year: int):
    """All partnerships of a municipality with its contribution: begroting of the year,
    realisatie of the year before, the change against the year before, the data's status.
    One query for the rows plus two prefetches, whatever the number of partnerships."""
    records = YearRecord.objects.filter(participation=OuterRef("pk"), year=year)
    queryset = (
        Participation.objects.filter(municipality=municipality)
        .select_related("partnership__vorm", "partnership__bbv_categorie", "municipality")
        .prefetch_related(
            Prefetch("partnership__onderwerpen", to_attr="onderwerp_list"),
            Prefetch("belang_wie", to_attr="belang_wie_list"),
        )
        .annotate(
            begroting=_kosten_total(year, Kind.BEGROTING),
            begroting_vorig=_kosten_total(year - 1, Kind.BEGROTING),
            realisatie_vorig=_kosten_total(year - 1, Kind.REALISATIE),
            status_jaar=Subquery(records.values("status")[:1], output_field=CharField()),
            nagekeken_jaar=Subquery(records.values("nagekeken")[:1]),
            verbonden=Case(
                When(bestuurlijk_belang=True, financieel_belang=True, then=Value("ja")),
                When(bestuurlijk_belang=False, then=Value("nee")),
                When(financieel_belang=False, then=Value("nee")),
                default=Value("onbekend"),
                output_field=CharField(),
            ),
        )
        .annotate(
            verschil=F("begroting") - F("begroting_vorig"),
            verschil_pct=Case(
                When(begroting_vorig=0, then=Value(None)),
                # for sorting only (SQLite divides integers); pages show the exact Decimal
                default=ExpressionWrapper(
                    (F("begroting") - F("begroting_vorig"))
                    * Value(Decimal("100.0000"))
                    / F("begroting_vorig"),
                    output_field=DecimalField(max_digits=18, decimal_places=4),
                ),
                output_field=DecimalField(max_digits=18, decimal_places=4),
            ),
        )
        .order_by("partnership__name")
    )
    if not user_can_edit(user, municipality):
        published = YearRecord.objects.filter(
            participation=OuterRef("pk"), status=YearRecord.Status.GEPUBLICEERD
        )
        queryset = queryset.annotate(has_published=Exists(published))
    return queryset
