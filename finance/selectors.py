"""Every read of the finance app: the only place for select_related/prefetch/annotate.

`finance_page` gathers what section C shows of money for one year — four tables for three years,
the split key, the consistency signals and the chart data — in a fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, Sum
from django.http import Http404

from collaborations.models import Participation, YearRecord

from . import charts
from .models import (
    PERSPECTIVE_TABLES,
    FinanceAmount,
    FinanceLine,
    FinanceRow,
    FinanceTableYear,
    Kind,
    SplitKeyComponent,
    Table,
)
from .money import EMPTY, NVT, Cell, difference, percent_change, total

FIRST_COLUMN = {
    Table.KOSTEN: "Financiële middelen",
    Table.BATEN: "Categorie opbrengsten",
}
BLOCK_HEADINGS = ("Lopend jaar", "Voorgaand jaar", "Twee jaar terug")
PAGE_TABLES = (
    Table.KOSTEN,
    Table.BATEN,
    Table.RESULTATEN,
    Table.EIGEN_VERMOGEN,
    Table.VREEMD_VERMOGEN,
)


def columns(year: int) -> list[tuple[int, str, str]]:
    """(year, kind, header) of the three columns of a year block: B Y, R Y, B Y+1."""
    return [
        (year, Kind.BEGROTING, f"Begroting {year}"),
        (year, Kind.REALISATIE, f"Realisatie {year}"),
        (year + 1, Kind.BEGROTING, f"Begroting {year + 1}"),
    ]


@dataclass
class RowView:
    label: str
    cells: list[Cell]
    variance: Decimal | None  # realisatie − begroting of the year
    variance_percent: Decimal | None
    change: Decimal | None  # begroting of the year − begroting of the year before
    change_percent: Decimal | None


@dataclass
class YearBlock:
    heading: str
    year: int
    headers: list[str]
    state: str  # "rows", "nvt" or "leeg" (nothing filled in for this year)
    rows: list[RowView] = field(default_factory=list)
    totals: list[Cell] = field(default_factory=list)
    total_variance: Decimal | None = None
    total_variance_percent: Decimal | None = None
    total_change: Decimal | None = None
    total_change_percent: Decimal | None = None


@dataclass
class TableView:
    code: str
    title: str
    first_column: str
    shared: bool
    blocks: list[YearBlock]


@dataclass
class KeySignal:
    line: str
    year: int
    key_amount: Decimal
    table_amount: Decimal | None

    @property
    def difference(self) -> Decimal | None:
        return None if self.table_amount is None else self.table_amount - self.key_amount


@dataclass
class Chart:
    chart_id: str
    title: str
    description: str
    svg: str
    categories: list[str]
    series: list[charts.Series]


@dataclass
class FinancePage:
    year: int
    tables: list[TableView]
    split_key: list[SplitKeyComponent]
    signals: list[KeySignal]
    charts: list[Chart]

    def table(self, code: str) -> TableView:
        return next(t for t in self.tables if t.code == code)


def _owner_q(participation: Participation) -> Q:
    return Q(participation=participation, table__in=PERSPECTIVE_TABLES) | Q(
        partnership_id=participation.partnership_id, participation__isnull=True
    )


def _amount_index(lines: set[int], years: range) -> dict[tuple[int, int, str], Cell]:
    index: dict[tuple[int, int, str], Cell] = {}
    for amount in FinanceAmount.objects.filter(line_id__in=lines, year__in=list(years)):
        index[(amount.line_id, amount.year, amount.kind)] = (
            NVT if amount.not_applicable else Cell(amount=amount.amount)
        )
    return index


def _year_block(
    heading: str, year: int, table_year: FinanceTableYear | None, amounts: dict
) -> YearBlock:
    cols = columns(year)
    block = YearBlock(
        heading=f"{heading} ({year})", year=year, headers=[h for *_, h in cols], state="leeg"
    )
    if table_year is None:
        return block
    if table_year.not_applicable:
        block.state = "nvt"
        return block
    block.state = "rows"
    for row in table_year.rows.all():
        cells = [amounts.get((row.line_id, y, kind), EMPTY) for y, kind, _ in cols]
        previous = amounts.get((row.line_id, year - 1, Kind.BEGROTING), EMPTY)
        block.rows.append(
            RowView(
                label=row.line.label,
                cells=cells,
                variance=difference(cells[0], cells[1]),
                variance_percent=percent_change(cells[0], cells[1]),
                change=difference(previous, cells[0]),
                change_percent=percent_change(previous, cells[0]),
            )
        )
    block.totals = [total(r.cells[i] for r in block.rows) for i in range(3)]
    previous_total = total(
        amounts.get((r.line_id, year - 1, Kind.BEGROTING), EMPTY) for r in table_year.rows.all()
    )
    block.total_variance = difference(block.totals[0], block.totals[1])
    block.total_variance_percent = percent_change(block.totals[0], block.totals[1])
    block.total_change = difference(previous_total, block.totals[0])
    block.total_change_percent = percent_change(previous_total, block.totals[0])
    return block


def table_years(participation: Participation, table: str, years: list[int]):
    """The table-years of one table (perspective or shared) with their rows and lines."""
    owner = (
        Q(participation=participation)
        if table in PERSPECTIVE_TABLES
        else Q(partnership_id=participation.partnership_id)
    )
    return FinanceTableYear.objects.filter(owner, table=table, year__in=years).prefetch_related(
        Prefetch("rows", queryset=FinanceRow.objects.select_related("line"))
    )


def _totals_by_year(participation: Participation, table: str) -> dict[tuple[int, str], Decimal]:
    owner = (
        Q(line__participation=participation)
        if table in PERSPECTIVE_TABLES
        else Q(line__partnership_id=participation.partnership_id)
    )
    rows = (
        FinanceAmount.objects.filter(owner, line__table=table, amount__isnull=False)
        .values("year", "kind")
        .annotate(sum=Sum("amount"))
    )
    return {(r["year"], r["kind"]): r["sum"] for r in rows}


def _chart(
    chart_id: str, title: str, what: str, totals: dict, kind_chart: str, upto: int
) -> Chart | None:
    years = sorted({y for y, _ in totals if y <= upto + 1})
    if not years:
        return None
    categories = [str(y) for y in years]
    series = [
        charts.Series("Begroting", [totals.get((y, Kind.BEGROTING)) for y in years]),
        charts.Series("Realisatie", [totals.get((y, Kind.REALISATIE)) for y in years]),
    ]
    description = (
        f"{what} per jaar, begroting en realisatie, van {years[0]} tot en met {years[-1]}."
    )
    draw = charts.bar_chart if kind_chart == "bar" else charts.line_chart
    return Chart(
        chart_id,
        title,
        description,
        draw(chart_id, title, description, categories, series),
        categories,
        series,
    )


def finance_page(
    participation: Participation, record: YearRecord | None, year: int, *, show_empty: bool = False
) -> FinancePage:
    years = [year, year - 1, year - 2]
    all_table_years = list(
        FinanceTableYear.objects.filter(_owner_q(participation), year__in=years).prefetch_related(
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
            _year_block(BLOCK_HEADINGS[i], y, by_key.get((table, y)), amounts)
            for i, y in enumerate(years)
        ]
        if (
            table == Table.VREEMD_VERMOGEN
            and not show_empty
            and all(b.state == "leeg" for b in blocks)
        ):
            continue  # a BBV addition the wiki did not have: shown to readers once it is filled
        tables.append(
            TableView(
                code=table,
                title=Table(table).label,
                first_column=FIRST_COLUMN.get(table, "Categorie"),
                shared=table not in PERSPECTIVE_TABLES,
                blocks=blocks,
            )
        )
    signals = key_signals(components, amounts)
    chart_list = [
        _chart(
            "grafiek-resultaten",
            "Financiële resultaten van de samenwerking: begroting en realisatie",
            "De totale financiering van de samenwerking",
            _totals_by_year(participation, Table.RESULTATEN),
            "bar",
            year,
        ),
        _chart(
            "grafiek-bijdrage",
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


def key_signals(components: list[SplitKeyComponent], amounts: dict) -> list[KeySignal]:
    """Where the key's computed amounts and the Kosten line for the same year disagree."""
    sums: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    labels: dict[int, str] = {}
    for c in components:
        if c.kosten_line_id is None:
            continue
        sums[(c.kosten_line_id, c.applies_to_year)] += c.computed_amount
        labels[c.kosten_line_id] = c.kosten_line.label
    signals = []
    for (line_id, key_year), key_amount in sums.items():
        cell = amounts.get((line_id, key_year, Kind.BEGROTING), EMPTY)
        if cell.amount != key_amount:
            signals.append(KeySignal(labels[line_id], key_year, key_amount, cell.amount))
    return signals


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
