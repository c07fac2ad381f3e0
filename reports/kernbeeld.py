"""The kernbeeld of a year page: the few figures a council member reads first, pure (reads no
database). Built from the year context the page already has (`finance`, `bbv`,
`risk_profile`, `record`, `version`), so the web page, the year PDF and the bundle show the same
figures as the tables below them, from the working copy or from a published version alike.

Every amount is a `finance.money.Cell`, so *n.v.t.*, *niet ingevuld* and *€ 0* stay three
different things here too; a comparison (against last year's budget, against the budget) is only
given when both sides are amounts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from finance.models import Table
from finance.money import EMPTY, Cell, FillState, difference, percent_change
from finance.presentation import FinancePage, YearBlock

NOT_APPLICABLE = Cell(not_applicable=True)


@dataclass(frozen=True)
class Figure:
    """One key figure: what it is, the amount (a cell), where it comes from, and how it compares."""

    label: str
    cell: Cell
    source: str = ""  # "realisatie 2017", "begroting 2017", "BBV, einde jaar"
    change: Decimal | None = None
    change_percent: Decimal | None = None
    compared_to: str = ""  # "begroting 2016"


@dataclass(frozen=True)
class Kernbeeld:
    year: int
    figures: list[Figure]
    risk_profile: object | None  # reports.bbv.RiskProfile
    status: str  # "Gepubliceerd", "Concept (in behandeling)"
    version_number: int | None
    adopted_at: object | None  # datetime of adoption of the version shown

    @property
    def filled(self) -> bool:
        return any(f.cell.filled for f in self.figures)


def _own_block(finance: FinancePage | None, code: str, year: int) -> YearBlock | None:
    if finance is None:
        return None
    for table in finance.tables:
        if table.code == code:
            return next((b for b in table.blocks if b.year == year), None)
    return None


def _totals(block: YearBlock | None) -> tuple[Cell, Cell]:
    """The TOTAAL row's begroting and realisatie of the year, as the table shows them."""
    if block is None or block.state == FillState.EMPTY:
        return EMPTY, EMPTY
    if block.state == FillState.NOT_APPLICABLE:
        return NOT_APPLICABLE, NOT_APPLICABLE
    return block.totals[0], block.totals[1]


def _party_figure(
    label: str, block: YearBlock | None, year: int, bbv_cell: Cell, bbv_source: str
) -> Figure:
    """A figure of the party as a whole: the realisatie of the table, else its begroting, else
    the BBV figure; n.v.t. only when nothing gives an amount and something says n.v.t."""
    budget, actual = _totals(block)
    for cell, source in (
        (actual, f"realisatie {year}"),
        (budget, f"begroting {year}"),
        (bbv_cell, bbv_source),
    ):
        if cell.filled:
            return Figure(label, cell, source)
    if NOT_APPLICABLE in (actual, budget, bbv_cell):
        return Figure(label, NOT_APPLICABLE)
    return Figure(label, EMPTY)


def build(
    *,
    year: int,
    municipality_name: str,
    finance: FinancePage | None,
    bbv,
    risk_profile,
    status: str,
    version=None,
) -> Kernbeeld:
    """The kernbeeld of one year of one municipality's partnership."""
    kosten = _own_block(finance, Table.KOSTEN, year)
    budget, actual = _totals(kosten)
    filled = kosten is not None and kosten.state == FillState.FILLED
    # the change the TOTAAL row of Kosten shows ("Begroting t.o.v. <year - 1>")
    change = kosten.total_change if filled else None
    change_percent = kosten.total_change_percent if filled else None
    figures = [
        Figure(
            f"Bijdrage van {municipality_name}",
            budget,
            f"begroting {year}",
            change,
            change_percent,
            f"begroting {year - 1}",
        ),
        Figure(
            f"Realisatie van de bijdrage {year}",
            actual,
            "",
            difference(budget, actual),
            percent_change(budget, actual),
            f"begroting {year}",
        ),
        _party_figure(
            "Eigen vermogen van de samenwerking",
            _own_block(finance, Table.EIGEN_VERMOGEN, year),
            year,
            bbv.eigen_vermogen_eind if bbv is not None else EMPTY,
            "BBV, einde jaar",
        ),
        _party_figure(
            "Resultaat van de samenwerking",
            _own_block(finance, Table.RESULTATEN, year),
            year,
            bbv.resultaat if bbv is not None else EMPTY,
            "BBV, (verwacht) resultaat",
        ),
    ]
    return Kernbeeld(
        year=year,
        figures=figures,
        risk_profile=risk_profile,
        status=status,
        version_number=version.number if version is not None else None,
        adopted_at=version.adopted_at if version is not None else None,
    )
