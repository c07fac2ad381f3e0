"""Shared access to the Veilig Thuis 2018 data of the project (definitions and published figures).

Expectations come from ``vt2018_published.json`` (the report's figures), never from the engine.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from typing import Any

from allocation.engine import (
    DATA_DIR,
    VT2018_VARIANTS,
    AllocationResult,
    allocate,
    load_definition_file,
)

VARIANTS = VT2018_VARIANTS
DETAIL_VARIANTS = ("C1", "C2")


@cache
def published() -> dict[str, Any]:
    text = (DATA_DIR / "vt2018_published.json").read_text(encoding="utf-8")
    return json.loads(text, parse_float=Decimal)


@cache
def result(variant: str) -> AllocationResult:
    return allocate(load_definition_file(DATA_DIR / "vt2018" / f"{variant}.json"))


def expected(cell: int | str | dict[str, Any]) -> tuple[Decimal, Decimal]:
    """``(published value, allowed deviation)`` of a published cell."""
    if isinstance(cell, dict):
        return Decimal(str(cell["waarde"])), Decimal(str(cell.get("marge", 0)))
    return Decimal(str(cell)), Decimal(0)
