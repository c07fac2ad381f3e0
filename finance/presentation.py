"""The money tables as section C shows them: pure view-models and computations (no database).

`finance.selectors.finance_page` reads the rows and amounts and hands them to these builders; the
same objects feed the web page, the PDF and the charts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from core import charts

from .models import FinanceTableYear, Kind, SplitKeyComponent, Table
from .money import EMPTY, Cell, FillState, difference, percent_change, total

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
    state: FillState  # leeg: nothing filled in for this year
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

    @property
    def empty(self) -> bool:
        """Nothing filled in for any of its years (not even n.v.t.)."""
        return all(b.state == FillState.EMPTY for b in self.blocks)

    @property
    def shown_blocks(self) -> list[YearBlock]:
        """The years with figures or n.v.t.; the empty ones are named in one line."""
        return [b for b in self.blocks if b.state != FillState.EMPTY]

    @property
    def empty_blocks(self) -> list[YearBlock]:
        return [b for b in self.blocks if b.state == FillState.EMPTY]


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

    @property
    def filled_tables(self) -> list[TableView]:
        return [t for t in self.tables if not t.empty]

    @property
    def empty_tables(self) -> list[TableView]:
        """Tables with nothing in any year: one line "Niet ingevuld: Baten, …" on the page."""
        return [t for t in self.tables if t.empty]


def year_block(
    heading: str, year: int, table_year: FinanceTableYear | None, amounts: dict
) -> YearBlock:
    cols = columns(year)
    block = YearBlock(
        heading=f"{heading} ({year})",
        year=year,
        headers=[h for *_, h in cols],
        state=FillState.EMPTY,
    )
    if table_year is None:
        return block
    if table_year.not_applicable:
        block.state = FillState.NOT_APPLICABLE
        return block
    block.state = FillState.FILLED
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


def chart(
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
