"""The key figures of the comparison pages, in four queries whatever the number of columns."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum

from allocation.models import Measure
from collaborations.models import Participation, YearVersion
from core import charts
from finance.models import FinanceAmount, Kind, Table
from finance.presentation import Chart
from reports import snapshot
from reports.comparisons import CompareColumn, CompareView, KeyFigures


def _published_figures(
    participations: list[Participation], years: list[int]
) -> dict[tuple[int, int], KeyFigures]:
    """The key figures as published: from the latest version of each participation's year."""
    latest: dict[tuple[int, int], YearVersion] = {}
    for version in YearVersion.objects.filter(
        participation__in=participations, year__in=years
    ).order_by("number"):
        latest[(version.participation_id, version.year)] = version
    return {
        key: KeyFigures(**snapshot.key_figures(version.snapshot)) for key, version in latest.items()
    }


def compare(
    participations: list[Participation], years: list[int], label, *, published: bool = False
) -> CompareView:
    """Key figures per participation and year, in four queries whatever the number of columns.

    With `published` (the public), only what was published: the versions' figures."""
    if published:
        return _view(participations, years, label, _published_figures(participations, years))
    ids = [p.pk for p in participations]
    partnership_ids = {p.partnership_id for p in participations}
    kosten = (
        FinanceAmount.objects.filter(
            line__participation_id__in=ids,
            line__table=Table.KOSTEN,
            year__in=years,
            amount__isnull=False,
        )
        .values("line__participation_id", "year", "kind")
        .annotate(total=Sum("amount"))
    )
    shared = (
        FinanceAmount.objects.filter(
            line__partnership_id__in=partnership_ids,
            line__table__in=[Table.RESULTATEN, Table.EIGEN_VERMOGEN],
            year__in=years,
            amount__isnull=False,
        )
        .values("line__partnership_id", "line__table", "year", "kind")
        .annotate(total=Sum("amount"))
    )
    figures: dict[tuple[int, int], KeyFigures] = defaultdict(KeyFigures)
    for row in kosten:
        f = figures[(row["line__participation_id"], row["year"])]
        if row["kind"] == Kind.BEGROTING:
            f.bijdrage_begroting = row["total"]
        else:
            f.bijdrage_realisatie = row["total"]
    shared_by: dict[tuple[int, int], dict] = defaultdict(dict)
    for row in shared:
        shared_by[(row["line__partnership_id"], row["year"])][(row["line__table"], row["kind"])] = (
            row["total"]
        )
    for p in participations:
        for year in years:
            f = figures[(p.pk, year)]
            s = shared_by.get((p.partnership_id, year), {})
            f.resultaten_begroting = s.get((Table.RESULTATEN, Kind.BEGROTING))
            f.resultaten_realisatie = s.get((Table.RESULTATEN, Kind.REALISATIE))
            f.eigen_vermogen = s.get((Table.EIGEN_VERMOGEN, Kind.REALISATIE))
    return _view(participations, years, label, figures)


def _view(
    participations: list[Participation],
    years: list[int],
    label,
    figures: dict[tuple[int, int], KeyFigures],
) -> CompareView:
    municipality_ids = {p.municipality_id for p in participations}
    inhabitants: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for m in Measure.objects.filter(
        municipality_id__in=municipality_ids, code="inwoners", period="", year__lte=max(years)
    ).order_by("year"):
        inhabitants[m.municipality_id].append((m.year, m.value))
    columns = []
    for p in participations:
        per_year = {}
        for year in years:
            f = figures.get((p.pk, year)) or KeyFigures()
            known = [v for y, v in inhabitants.get(p.municipality_id, []) if y <= year]
            f.inhabitants = known[-1] if known else None
            per_year[year] = f
        columns.append(CompareColumn(label(p), p, per_year))
    categories = [str(y) for y in years]
    chart_series = [
        charts.Series(
            c.label,
            [c.figures[y].bijdrage_realisatie or c.figures[y].bijdrage_begroting for y in years],
        )
        for c in columns
    ]
    description = "Bijdrage (realisatie, anders begroting) per jaar, per kolom van de vergelijking."
    chart = Chart(
        "grafiek-vergelijking",
        "Bijdrage per jaar",
        description,
        charts.line_chart(
            "grafiek-vergelijking", "Bijdrage per jaar", description, categories, chart_series
        ),
        categories,
        chart_series,
    )
    return CompareView(years, columns, [chart])
