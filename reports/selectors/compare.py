"""The key figures of the comparison pages, in a fixed number of queries whatever the number
of columns."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Q

from allocation.models import Measure
from collaborations.models import Participation, YearVersion
from core import charts
from finance.models import FinanceAmount, FinanceTableYear, Kind, Table
from finance.money import EMPTY, NVT, Cell, FillState, total
from finance.presentation import Chart
from reports.comparisons import CompareColumn, CompareView, KeyFigures

# the key figures: (table, column of the year's block) — Kosten is the municipality's own table
FIGURES = {
    "bijdrage_begroting": (Table.KOSTEN, 0),
    "bijdrage_realisatie": (Table.KOSTEN, 1),
    "resultaten_begroting": (Table.RESULTATEN, 0),
    "resultaten_realisatie": (Table.RESULTATEN, 1),
    "eigen_vermogen": (Table.EIGEN_VERMOGEN, 1),
}
KINDS = (Kind.BEGROTING, Kind.REALISATIE)  # the kinds of a block's columns 0 and 1, its own year


def _snapshot_totals(snapshot: dict) -> dict[str, list[Cell]]:
    """Per table the TOTAAL cells of the version's own year, as the year page showed them."""
    totals: dict[str, list[Cell]] = {}
    for table in (snapshot.get("finance") or {}).get("tables", []):
        if not table["blocks"]:
            continue
        block = table["blocks"][0]
        if block["state"] == FillState.NOT_APPLICABLE:
            totals[table["code"]] = [NVT, NVT, NVT]
        elif block["totals"]:
            totals[table["code"]] = [
                NVT if nvt else Cell(amount=None if a is None else Decimal(a))
                for a, nvt in block["totals"]
            ]
    return totals


def _figures(totals: dict[str, list[Cell]]) -> KeyFigures:
    return KeyFigures(
        **{
            name: (totals.get(table) or [EMPTY, EMPTY])[column]
            for name, (table, column) in FIGURES.items()
        }
    )


def _published_figures(
    participations: list[Participation], years: list[int]
) -> dict[tuple[int, int], KeyFigures]:
    """The key figures as published: from the latest version of each participation's year."""
    latest: dict[tuple[int, int], YearVersion] = {}
    for version in YearVersion.objects.filter(
        participation__in=participations, year__in=years
    ).order_by("number"):
        latest[(version.participation_id, version.year)] = version
    return {key: _figures(_snapshot_totals(version.snapshot)) for key, version in latest.items()}


def compare(
    participations: list[Participation], years: list[int], label, *, published: bool = False
) -> CompareView:
    """Key figures per participation and year, in a fixed number of queries whatever the
    number of columns: the TOTAAL of each table's year as the year page computes it
    (`finance.money.total`), so n.v.t., not filled in and 0 stay three things.

    With `published` (the public), only what was published: the versions' figures."""
    if published:
        return _view(participations, years, label, _published_figures(participations, years))
    ids = [p.pk for p in participations]
    partnership_ids = {p.partnership_id for p in participations}
    table_years = list(
        FinanceTableYear.objects.filter(
            Q(participation_id__in=ids, table=Table.KOSTEN)
            | Q(
                partnership_id__in=partnership_ids,
                table__in=[Table.RESULTATEN, Table.EIGEN_VERMOGEN],
            ),
            year__in=years,
        ).prefetch_related("rows")
    )
    amounts = {
        (a.line_id, a.year, a.kind): NVT if a.not_applicable else Cell(amount=a.amount)
        for a in FinanceAmount.objects.filter(
            line__rows__table_year__in=table_years, year__in=years, kind__in=KINDS
        ).distinct()
    }
    by_owner: dict[tuple, FinanceTableYear] = {}
    for table_year in table_years:
        owner = table_year.participation_id or ("gedeeld", table_year.partnership_id)
        by_owner[(owner, table_year.table, table_year.year)] = table_year

    def totals(owner, table: str, year: int) -> list[Cell]:
        table_year = by_owner.get((owner, table, year))
        if table_year is None:
            return [EMPTY, EMPTY]
        if table_year.not_applicable:
            return [NVT, NVT]
        rows = table_year.rows.all()
        return [total(amounts.get((r.line_id, year, kind), EMPTY) for r in rows) for kind in KINDS]

    figures: dict[tuple[int, int], KeyFigures] = {}
    for p in participations:
        shared = ("gedeeld", p.partnership_id)
        for year in years:
            figures[(p.pk, year)] = _figures(
                {
                    Table.KOSTEN: totals(p.pk, Table.KOSTEN, year),
                    Table.RESULTATEN: totals(shared, Table.RESULTATEN, year),
                    Table.EIGEN_VERMOGEN: totals(shared, Table.EIGEN_VERMOGEN, year),
                }
            )
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
            [c.figures[y].contribution for y in years],
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
