"""Every read of the finance app: the only place for select_related/prefetch/annotate.

`finance_page` gathers what section C shows of money for one year — five tables for three years,
the split key, the consistency signals and the chart data — in a fixed number of queries.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch, Sum
from django.http import Http404

from collaborations.models import Participation, YearRecord

from .models import (
    FinanceAmount,
    FinanceLine,
    FinanceRow,
    FinanceTableYear,
    SplitKeyComponent,
    Table,
)
from .money import NVT, Cell, FillState
from .owners import is_shared, owner_q
from .presentation import (
    BLOCK_HEADINGS,
    FIRST_COLUMN,
    PAGE_TABLES,
    FinancePage,
    TableView,
    chart,
    key_signals,
    year_block,
)


def _amount_index(lines: set[int], years: range) -> dict[tuple[int, int, str], Cell]:
    index: dict[tuple[int, int, str], Cell] = {}
    for amount in FinanceAmount.objects.filter(line_id__in=lines, year__in=list(years)):
        index[(amount.line_id, amount.year, amount.kind)] = (
            NVT if amount.not_applicable else Cell(amount=amount.amount)
        )
    return index


def table_years(participation: Participation, table: str, years: list[int]):
    """The table-years of one table (perspective or shared) with their rows and lines."""
    return FinanceTableYear.objects.filter(
        owner_q(participation, table), table=table, year__in=years
    ).prefetch_related(Prefetch("rows", queryset=FinanceRow.objects.select_related("line")))


def _totals_by_year(participation: Participation, table: str) -> dict[tuple[int, str], Decimal]:
    rows = (
        FinanceAmount.objects.filter(
            owner_q(participation, table, via="line__"), line__table=table, amount__isnull=False
        )
        .values("year", "kind")
        .annotate(sum=Sum("amount"))
    )
    return {(r["year"], r["kind"]): r["sum"] for r in rows}


def finance_page(
    participation: Participation,
    record: YearRecord | None,
    year: int,
    *,
    show_empty: bool = False,
    id_prefix: str = "",
) -> FinancePage:
    years = [year, year - 1, year - 2]
    all_table_years = list(
        FinanceTableYear.objects.filter(owner_q(participation), year__in=years).prefetch_related(
            Prefetch("rows", queryset=FinanceRow.objects.select_related("line"))
        )
    )
    by_key = {(ty.table, ty.year): ty for ty in all_table_years}
    line_ids = {row.line_id for ty in all_table_years for row in ty.rows.all()}
    components: list[SplitKeyComponent] = []
    if record is not None:
        components = list(record.split_key_components.select_related("kosten_line"))
        line_ids |= {c.kosten_line_id for c in components if c.kosten_line_id}
    key_years = {c.applies_to_year for c in components}
    amounts = _amount_index(
        line_ids, range(min([year - 3, *key_years]), max([year + 1, *key_years]) + 1)
    )
    tables = []
    for table in PAGE_TABLES:
        blocks = [
            year_block(BLOCK_HEADINGS[i], y, by_key.get((table, y)), amounts)
            for i, y in enumerate(years)
        ]
        if (
            table == Table.VREEMD_VERMOGEN
            and not show_empty
            and all(b.state == FillState.EMPTY for b in blocks)
        ):
            continue  # a BBV addition the wiki did not have: shown to readers once it is filled
        tables.append(
            TableView(
                code=table,
                title=Table(table).label,
                first_column=FIRST_COLUMN.get(table, "Categorie"),
                shared=is_shared(table),
                blocks=blocks,
            )
        )
    signals = key_signals(components, amounts)
    chart_list = [
        chart(
            f"{id_prefix}grafiek-resultaten",
            "Financiële resultaten van de samenwerking: begroting en realisatie",
            "De totale financiering van de samenwerking",
            _totals_by_year(participation, Table.RESULTATEN),
            "bar",
            year,
        ),
        chart(
            f"{id_prefix}grafiek-bijdrage",
            f"Bijdrage van {participation.municipality.name} per jaar",
            f"De kosten (inbreng financiële middelen) van {participation.municipality.name}",
            _totals_by_year(participation, Table.KOSTEN),
            "line",
            year,
        ),
    ]
    return FinancePage(
        year=year,
        tables=tables,
        split_key=components,
        signals=signals,
        charts=[c for c in chart_list if c is not None],
    )


def table_year_for_edit(participation: Participation, table: str, year: int, copy: bool = False):
    """The grid of one table-year: (table_year or None, previous year's table or None, lines,
    cells by (line, year, kind)). With `copy` and no table yet, last year's lines are offered —
    with the figures already entered for them (the begroting of this year, entered last year)."""
    table_year = table_years(participation, table, [year]).first()
    previous = None if table_year else table_years(participation, table, [year - 1]).first()
    if table_year is not None:
        lines = [r.line for r in table_year.rows.all()]
    elif copy and previous is not None:
        lines = [r.line for r in previous.rows.all()]
    else:
        lines = []
    amounts = _amount_index({line.pk for line in lines}, range(year, year + 2))
    return table_year, previous, lines, amounts


def perspective_lines(participation: Participation, table: str) -> list[FinanceLine]:
    return list(
        FinanceLine.objects.filter(participation=participation, table=table).order_by("label")
    )


def get_table(code: str) -> Table:
    try:
        return Table(code.replace("-", "_"))
    except ValueError as exc:
        raise Http404("Onbekende tabel.") from exc


def table_version(participation: Participation, table: str, year: int) -> int | None:
    """The version of one table-year as saved now (None: not there yet)."""
    return (
        FinanceTableYear.objects.filter(owner_q(participation, table), table=table, year=year)
        .values_list("version", flat=True)
        .first()
    )


def neighbour_versions(
    participation: Participation, table: str, year: int
) -> dict[int, int | None]:
    """The versions of the same table in the year before and after (None: not there yet), for
    the grid to send back: they show figures this grid also writes."""
    found = dict(
        FinanceTableYear.objects.filter(
            owner_q(participation, table), table=table, year__in=[year - 1, year + 1]
        ).values_list("year", "version")
    )
    return {y: found.get(y) for y in (year - 1, year + 1)}


def figures_lost(
    participation: Participation, table: str, year: int, kept_labels: set[str] | None
) -> list[str]:
    """The lines of the saved table that have figures and would go: all of them when the table
    becomes n.v.t. (`kept_labels` None), else those whose category is no longer in the grid."""
    table_year = table_years(participation, table, [year]).first()
    if table_year is None:
        return []
    lines = {r.line_id: r.line.label for r in table_year.rows.all()}
    if kept_labels is not None:
        kept = {label.strip().lower() for label in kept_labels}
        lines = {pk: label for pk, label in lines.items() if label.strip().lower() not in kept}
    with_figures = set(
        FinanceAmount.objects.filter(line_id__in=lines, year__in=[year, year + 1])
        .values_list("line_id", flat=True)
        .distinct()
    )
    return [label for pk, label in lines.items() if pk in with_figures]


def years_with_figures(participation: Participation) -> list[int]:
    """The years for which this municipality's money tables (or the partnership's shared ones)
    hold a table-year, as the year pages show them (one query)."""
    return sorted(
        set(FinanceTableYear.objects.filter(owner_q(participation)).values_list("year", flat=True))
    )
