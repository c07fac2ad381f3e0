"""Money-table arithmetic, pure Python: cells with three states, computed totals, variances.

A `Cell` is "not filled in" (no amount, not n.v.t.), "not applicable" (n.v.t.) or an amount
(which may be zero). Totals add the amounts that are filled in; a column with no amounts at all
has no total. Nothing here rounds: amounts are exact Decimals, formatting happens at output.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

NVT_WORDS = {"nvt", "n.v.t.", "n.v.t", "nvt.", "niet van toepassing"}
EMPTY_WORDS = {"", "…", "...", "-"}


class FillState(StrEnum):
    """One vocabulary for a cell and for a table's year: filled in, n.v.t., or not filled in."""

    FILLED = "ingevuld"
    NOT_APPLICABLE = "nvt"
    EMPTY = "leeg"


@dataclass(frozen=True)
class Cell:
    amount: Decimal | None = None
    not_applicable: bool = False

    def __post_init__(self) -> None:
        if self.not_applicable and self.amount is not None:
            raise ValueError("A cell is either n.v.t. or has an amount, not both.")

    @property
    def filled(self) -> bool:
        return self.amount is not None

    @property
    def state(self) -> FillState:
        if self.amount is not None:
            return FillState.FILLED
        return FillState.NOT_APPLICABLE if self.not_applicable else FillState.EMPTY


EMPTY = Cell()
NVT = Cell(not_applicable=True)


def parse_cell(text: str | None, parse_amount) -> Cell:
    """Read a grid cell: empty or "…" → not filled in; "n.v.t." → n.v.t.; else an amount.

    `parse_amount` turns text into a Decimal or raises ValueError with a user-facing message.
    """
    cleaned = (text or "").strip()
    if cleaned.lower() in EMPTY_WORDS:
        return EMPTY
    if cleaned.lower() in NVT_WORDS:
        return NVT
    return Cell(amount=parse_amount(cleaned))


def total(cells: Iterable[Cell]) -> Cell:
    """The sum of the filled-in amounts; not filled in when none is; n.v.t. when all are."""
    cells = list(cells)
    amounts = [c.amount for c in cells if c.amount is not None]
    if amounts:
        return Cell(amount=sum(amounts, Decimal(0)))
    if cells and all(c.not_applicable for c in cells):
        return NVT
    return EMPTY


def difference(base: Cell, other: Cell) -> Decimal | None:
    """other − base, when both are amounts."""
    if base.amount is None or other.amount is None:
        return None
    return other.amount - base.amount


def percent_change(base: Cell, other: Cell) -> Decimal | None:
    """(other − base) / base × 100, when both are amounts and base is not zero."""
    diff = difference(base, other)
    if diff is None or base.amount == 0:
        return None
    return diff / base.amount * 100
