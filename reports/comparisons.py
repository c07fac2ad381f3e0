"""Key figures of partnerships or municipalities side by side: pure view-models."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from collaborations.models import Participation
from finance.money import EMPTY, Cell
from finance.presentation import Chart


@dataclass
class KeyFigures:
    """A year's key figures as cells: an amount (zero included), n.v.t., or not filled in —
    the TOTAAL of the table on the year page."""

    bijdrage_begroting: Cell = EMPTY
    bijdrage_realisatie: Cell = EMPTY
    resultaten_begroting: Cell = EMPTY
    resultaten_realisatie: Cell = EMPTY
    eigen_vermogen: Cell = EMPTY
    inhabitants: Decimal | None = None

    @property
    def contribution(self) -> Decimal | None:
        """The realisatie, else the begroting (for the chart and per inhabitant)."""
        if self.bijdrage_realisatie.amount is not None:
            return self.bijdrage_realisatie.amount
        return self.bijdrage_begroting.amount

    @property
    def per_inhabitant(self) -> Decimal | None:
        amount = self.contribution
        if amount is None or not self.inhabitants:
            return None
        return amount / self.inhabitants


@dataclass
class CompareColumn:
    label: str
    participation: Participation
    figures: dict[int, KeyFigures]


@dataclass
class CompareView:
    years: list[int]
    columns: list[CompareColumn]
    charts: list[Chart]
