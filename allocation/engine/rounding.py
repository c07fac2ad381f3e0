"""Rounding that keeps the parts adding up to the rounded whole.

All rounding is half up (away from zero for halves), as Excel's ROUND does. A whole is rounded to
its unit (or through a sequence of units, e.g. first to 50 and then to 100); its parts are
rounded so that they add up exactly to that rounded whole, either by placing the difference on
one named part (the "plug", as the Veilig Thuis report does with the centre municipality) or by
the largest-remainder method.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import (
    ROUND_FLOOR,
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
)

from core.formatting import quantize_half_up

ZERO = Decimal(0)
ONE = Decimal(1)
CENT = Decimal("0.01")

#: Arithmetic context of the engine: 50 significant digits, so that intermediate shares are far
#: more precise than any rounding unit; deterministic regardless of the caller's context.
ENGINE_CONTEXT = Context(
    prec=50, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero, Overflow]
)


def round_half_up(value: Decimal, unit: Decimal = ONE) -> Decimal:
    """Round to a multiple of ``unit`` (0.01, 1, 50, 100, 1000, ...), halves away from zero."""
    return quantize_half_up(value, unit)


def round_in_steps(value: Decimal, units: Sequence[Decimal]) -> Decimal:
    """Round through a sequence of units: ``(50, 100)`` turns 2,632,646.93 into 2,632,700."""
    for unit in units:
        value = round_half_up(value, unit)
    return value


def floor_to(value: Decimal, unit: Decimal) -> Decimal:
    return (value / unit).to_integral_value(rounding=ROUND_FLOOR) * unit


def with_plug(
    parts: Mapping[str, Decimal], whole: Decimal, units: Sequence[Decimal], receiver: str
) -> dict[str, Decimal]:
    """Round every part except ``receiver``; the receiver gets the rounded whole minus the rest."""
    rounded = {name: round_in_steps(value, units) for name, value in parts.items()}
    rounded[receiver] = whole - sum(
        (value for name, value in rounded.items() if name != receiver), ZERO
    )
    return rounded


def largest_remainder(
    parts: Mapping[str, Decimal], whole: Decimal, unit: Decimal
) -> dict[str, Decimal]:
    """Round every part down to ``unit`` and give the missing units to the largest remainders.

    Ties go to the part that comes first, so the result is deterministic. (Should the whole be
    further than one unit per part from the sum, as with unusual unit sequences, every part first
    gets an equal number of units.)
    """
    if not parts:
        return {}
    floors = {name: floor_to(value, unit) for name, value in parts.items()}
    missing = int((whole - sum(floors.values(), ZERO)) / unit)
    each, extra = divmod(missing, len(parts))
    by_remainder = sorted(
        enumerate(parts), key=lambda item: (-(parts[item[1]] - floors[item[1]]), item[0])
    )
    chosen = {name for _, name in by_remainder[:extra]}
    return {name: value + unit * (each + (name in chosen)) for name, value in floors.items()}


def distribute(
    parts: Mapping[str, Decimal], units: Sequence[Decimal], receiver: str | None = None
) -> tuple[Decimal, dict[str, Decimal]]:
    """Round the sum of ``parts`` and the parts themselves so that they add up exactly.

    Returns ``(rounded whole, rounded parts)``. With a ``receiver`` the difference goes to that
    part (plug); without one it is spread by largest remainder.
    """
    whole = round_in_steps(sum(parts.values(), ZERO), units)
    if receiver is not None:
        return whole, with_plug(parts, whole, units, receiver)
    return whole, largest_remainder(parts, whole, units[-1])
