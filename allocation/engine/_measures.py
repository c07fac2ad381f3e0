"""Measure tables and key totals of one engine run: a measure summed (or averaged) over the
periods a key asks for, and the total a key divides by (never 0)."""

from __future__ import annotations

from decimal import Decimal

from ._reader import names
from .errors import DefinitionError
from .model import Measure, MeasureKey
from .rounding import ZERO


def measure_table(measure: Measure, key: MeasureKey) -> dict[str, Decimal]:
    if not measure.periodic:  # the parser guarantees: no periods asked
        return dict(measure.values)  # type: ignore[arg-type]
    periods, average = key.periods or (), key.average
    count = len(periods)
    table: dict[str, Decimal] = {}
    for name, series in measure.values.items():
        total = ZERO
        try:
            for period in periods:
                total += series[period]  # type: ignore[index]
        except KeyError:
            continue  # incomplete: an error if a key needs it (``_missing``)
        table[name] = total / count if average else total
    return table


def key_total(values: list[Decimal], targets: tuple[str, ...], what: str, path: str) -> Decimal:
    total = sum(values, ZERO)
    if total == 0:
        raise DefinitionError(
            f"de sleutel '{what}' telt op tot 0 over {names(targets)}; "
            "er valt niets naar verhouding te verdelen",
            path,
        )
    return total
