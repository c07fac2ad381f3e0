"""Key figures of partnerships or municipalities side by side: pure view-models."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from collaborations.models import Participation
from finance.presentation import Chart


@dataclass
class KeyFigures:
    bijdrage_begroting: Decimal | None = None
    bijdrage_realisatie: Decimal | None = None
    resultaten_begroting: Decimal | None = None
    resultaten_realisatie: Decimal | None = None
    eigen_vermogen: Decimal | None = None
    inhabitants: Decimal | None = None

    @property
    def per_inhabitant(self) -> Decimal | None:
        amount = self.bijdrage_realisatie or self.bijdrage_begroting
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
