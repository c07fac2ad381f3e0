"""The totaaloverzicht: every partnership of a municipality with its contribution, in one query
plus two for the vocabulary labels, whatever the number of partnerships.

Rows are dicts (`.values()`), not model instances: for 500 partnerships, building five model
instances per row and prefetching by a list of 500 ids cost about 30 ms (docs/performance.md).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from collaborations.models import Participation, Partnership, YearRecord, YearVersion
from collaborations.permissions import can_read_drafts
from finance.models import FinanceAmount, FinanceRow, FinanceTableYear, Kind, Table


def default_overview_year(municipality, user=None) -> int:
    """The newest year with a budgeted contribution of the municipality, else this year. For
    the public only published versions count (a concept year does not show through)."""
    if user is not None and not can_read_drafts(user, municipality):
        years = [
            year + 1 if budget_next is not None else year
            for year, budget, budget_next in YearVersion.objects.filter(
                participation__municipality=municipality
            ).values_list("year", "contribution_budget", "contribution_budget_next")
            if budget is not None or budget_next is not None
        ]
        return max(years, default=timezone.localdate().year)
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


def _kosten_amounts(year: int, kind: str, rows_year: int):
    """The amounts of a Kosten TOTAAL as the year page adds them up: those of the lines that
    are rows of the participation's Kosten table of `rows_year` — `year` itself, or the year
    before, whose table shows the begroting of `year` too (a line taken out of a table no longer
    counts there)."""
    return FinanceAmount.objects.filter(
        line__rows__table_year__participation=OuterRef("pk"),
        line__rows__table_year__table=Table.KOSTEN,
        line__rows__table_year__year=rows_year,
        year=year,
        kind=kind,
    )


def _kosten_total(year: int, kind: str, rows_year: int | None = None):
    amounts = (
        _kosten_amounts(year, kind, year if rows_year is None else rows_year)
        .filter(amount__isnull=False)
        .order_by()
        .values("line__rows__table_year__participation")
        .annotate(total=Sum("amount"))
        .values("total")[:1]
    )
    return Subquery(amounts, output_field=DecimalField(max_digits=18, decimal_places=2))


def _kosten_table(year: int) -> QuerySet:
    return FinanceTableYear.objects.filter(
        participation=OuterRef("pk"), table=Table.KOSTEN, year=year
    )


def _kosten_nvt(year: int, kind: str, rows_year: int | None = None):
    """True when that TOTAAL is n.v.t. (`finance.money.total`): the table is n.v.t., or it has
    rows and every one of their cells is n.v.t. Only asked where there is no amount (the CASE
    in `overview`), so it costs nothing for rows with a contribution."""
    rows_year = year if rows_year is None else rows_year
    rows = FinanceRow.objects.filter(
        table_year__participation=OuterRef("pk"),
        table_year__table=Table.KOSTEN,
        table_year__year=rows_year,
    )
    marked = FinanceAmount.objects.filter(
        line_id=OuterRef("line_id"), year=year, kind=kind, not_applicable=True
    )
    every_cell = Exists(rows) & ~Exists(rows.filter(~Exists(marked)))
    if rows_year != year:  # the begroting of next year is not n.v.t. because a table is
        return every_cell
    return Exists(_kosten_table(year).filter(not_applicable=True)) | every_cell


def _nvt_where_empty(amount: str, nvt) -> Case:
    return Case(
        When(Q(**{f"{amount}__isnull": True}) & nvt, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


# The partnership's fields of a row, under short keys: for the page, the grouping, the export.
PARTNERSHIP_FIELDS = {
    "slug": F("partnership__slug"),
    "name": F("partnership__name"),
    "afkorting": F("partnership__afkorting"),
    "vorm": F("partnership__vorm__label"),
    "bbv": F("partnership__bbv_categorie__label"),
}


def _versions(year: int) -> QuerySet:
    return YearVersion.objects.filter(participation=OuterRef("pk"), year=year)


def _published(year: int, field: str, output_field=None):
    """A figure of the latest published version of the participation's `year`."""
    return Subquery(
        _versions(year).order_by("-number").values(field)[:1],
        output_field=output_field or DecimalField(max_digits=18, decimal_places=2),
    )


def _budget_published(year: int, suffix: str):
    """The begroting of `year` as published (`suffix` "": the amount, "_nvt": whether it is
    n.v.t.): from the version of `year` when there is one, else as the version of the year
    before published it (its Begroting volgend jaar)."""
    output = BooleanField() if suffix else None
    return Case(
        When(
            Exists(_versions(year)),
            then=_published(year, f"contribution_budget{suffix}", output),
        ),
        default=_published(year - 1, f"contribution_budget_next{suffix}", output),
        output_field=output or DecimalField(max_digits=18, decimal_places=2),
    )


def overview(municipality, user, year: int) -> QuerySet:
    """All partnerships of a municipality with its contribution: begroting of the year,
    realisatie of the year before, the change against the year before, the data's status.

    One query, rows as dicts (see the module's docstring); still a queryset, so the filters
    and the table's ordering apply in SQL. The labels come from `overview_labels`. For the
    public, `has_published` tells whether the partnership has any published year."""
    public = not can_read_drafts(user, municipality)
    records = YearRecord.objects.filter(participation=OuterRef("pk"), year=year)
    if public:
        # only what was published: the versions' figures (Begroting Y from the version of Y,
        # else as the version of Y-1 published it)
        figures = {
            "begroting": _budget_published(year, ""),
            "begroting_vorig": _published(year - 1, "contribution_budget"),
            "realisatie_vorig": _published(year - 1, "contribution_actual"),
        }
        nvt = {
            "begroting_nvt": _budget_published(year, "_nvt"),
            "realisatie_vorig_nvt": Coalesce(
                _published(year - 1, "contribution_actual_nvt", BooleanField()), Value(False)
            ),
        }
        status = Case(
            When(
                Exists(_versions(year)),
                then=Value(YearRecord.Status.GEPUBLICEERD),
            ),
            default=Value(None),
            output_field=CharField(),
        )
    else:
        # as for the public: the year's own table, else the begroting the year before shows
        figures = {
            "begroting": Case(
                When(Exists(_kosten_table(year)), then=_kosten_total(year, Kind.BEGROTING)),
                default=_kosten_total(year, Kind.BEGROTING, rows_year=year - 1),
            ),
            "begroting_vorig": _kosten_total(year - 1, Kind.BEGROTING),
            "realisatie_vorig": _kosten_total(year - 1, Kind.REALISATIE),
        }
        nvt = {
            "begroting_nvt": _kosten_nvt(year, Kind.BEGROTING)
            | (
                ~Exists(_kosten_table(year)) & _kosten_nvt(year, Kind.BEGROTING, rows_year=year - 1)
            ),
            "realisatie_vorig_nvt": _kosten_nvt(year - 1, Kind.REALISATIE),
        }
        status = Subquery(records.values("status")[:1], output_field=CharField())
    queryset = (
        Participation.objects.filter(municipality=municipality)
        .annotate(
            **figures,
            status_jaar=status,
            # a published version was reviewed; the working copy's flag is the clerks' business
            nagekeken_jaar=Value(True) if public else Subquery(records.values("nagekeken")[:1]),
            verbonden=Case(
                When(bestuurlijk_belang=True, financieel_belang=True, then=Value("ja")),
                When(bestuurlijk_belang=False, then=Value("nee")),
                When(financieel_belang=False, then=Value("nee")),
                default=Value("onbekend"),
                output_field=CharField(),
            ),
        )
        .annotate(
            # n.v.t. only where there is no amount: an amount always wins
            **{name: _nvt_where_empty(name.removesuffix("_nvt"), q) for name, q in nvt.items()},
            verschil=F("begroting") - F("begroting_vorig"),
            verschil_pct=Case(
                When(begroting_vorig=0, then=Value(None)),
                # SQLite divides integers: fine for sorting, not for showing
                default=ExpressionWrapper(
                    (F("begroting") - F("begroting_vorig"))
                    * Value(Decimal("100.0000"))
                    / F("begroting_vorig"),
                    output_field=DecimalField(max_digits=18, decimal_places=4),
                ),
                output_field=DecimalField(max_digits=18, decimal_places=4),
            ),
        )
    )
    # Not verschil_pct: it is for ordering only (the table computes the exact change), and
    # selecting it repeats the begroting subqueries in SQL for every row (half the query's time).
    fields = [
        "pk",
        "partnership_id",
        "begroting",
        "begroting_vorig",
        "realisatie_vorig",
        "begroting_nvt",
        "realisatie_vorig_nvt",
        "verschil",
        "status_jaar",
        "nagekeken_jaar",
        "verbonden",
    ]
    if public:
        published = YearVersion.objects.filter(participation=OuterRef("pk"))
        queryset = queryset.annotate(has_published=Exists(published))
        fields.append("has_published")
    return queryset.values(*fields, **PARTNERSHIP_FIELDS).order_by("partnership__name")


@dataclass(frozen=True)
class OverviewLabels:
    """Vocabulary labels of the totaaloverzicht's rows, in the vocabulary's order."""

    onderwerpen: dict[int, list[str]]  # by partnership id
    belang_wie: dict[int, list[str]]  # by participation id
    # by participation id: "laag" / "midden" / "hoog" / None (`reports.selectors.bbv`)
    risk_profiles: dict[int, str | None] = field(default_factory=dict)


def overview_labels(municipality, risk_profiles: dict | None = None) -> OverviewLabels:
    """The onderwerpen and the "belangrijk voor" of all participations of the municipality.

    Two queries whatever the number of rows or filters: selected by municipality, not by a
    list of ids, and read as (id, label) pairs rather than Term instances."""
    order = ("term__vocabulary", "term__order", "term__label")
    onderwerpen: dict[int, list[str]] = defaultdict(list)
    partnerships = Participation.objects.filter(municipality=municipality).values("partnership")
    for partnership_id, label in (
        Partnership.onderwerpen.through.objects.filter(partnership__in=partnerships)
        .order_by(*order)
        .values_list("partnership_id", "term__label")
    ):
        onderwerpen[partnership_id].append(label)
    belang_wie: dict[int, list[str]] = defaultdict(list)
    for participation_id, label in (
        Participation.belang_wie.through.objects.filter(participation__municipality=municipality)
        .order_by(*order)
        .values_list("participation_id", "term__label")
    ):
        belang_wie[participation_id].append(label)
    return OverviewLabels(
        onderwerpen=dict(onderwerpen),
        belang_wie=dict(belang_wie),
        risk_profiles=risk_profiles or {},
    )


def overview_years(municipality, user, year: int) -> list[int]:
    """Every year with data of the municipality — for the public the years with a published
    version, for those who read its drafts also the years with a record or with figures —
    and the chosen year, ascending. Two queries at most."""
    years = set(
        YearVersion.objects.filter(participation__municipality=municipality)
        .values_list("year", flat=True)
        .distinct()
    )
    if can_read_drafts(user, municipality):
        years |= set(
            YearRecord.objects.filter(participation__municipality=municipality)
            .values_list("year", flat=True)
            .distinct()
        )
        years |= set(
            FinanceAmount.objects.filter(line__participation__municipality=municipality)
            .values_list("year", flat=True)
            .distinct()
        )
    return sorted(years | {year})
