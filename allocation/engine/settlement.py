"""Settling a year-end result (a deficit or a surplus) over the participants.

By default pro rata to each participant's contribution of that year (the rounded amounts of an
allocation result), or by any other key; rounded with the same machinery as the engine, so the
parts add up exactly to the rounded result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext

from ._reader import Node
from .errors import DefinitionError
from .result import AllocationResult
from .rounding import CENT, ENGINE_CONTEXT, ZERO, distribute


@dataclass(frozen=True)
class ResultSettlement:
    """``parts`` (rounded) add up exactly to ``amount``; a positive amount is a deficit the
    participants pay, a negative one a surplus they receive."""

    amount: Decimal
    shares: Mapping[str, Decimal]
    exact: Mapping[str, Decimal]
    parts: Mapping[str, Decimal]


def settle(
    amount: Decimal | int,
    weights: Mapping[str, Decimal | int],
    *,
    units: Sequence[Decimal] = (CENT,),
    receiver: str | None = None,
) -> ResultSettlement:
    """Split ``amount`` pro rata to ``weights``, rounded to ``units``.

    The rounding difference goes to ``receiver`` if given, else by largest remainder.
    """
    whole = Node(amount, "bedrag").decimal()
    values = {name: Node(value, f"sleutel.{name}").decimal() for name, value in weights.items()}
    total = sum(values.values(), ZERO)
    if total == 0:
        raise DefinitionError(
            "de sleutel telt op tot 0; er valt niets naar verhouding te verdelen", "sleutel"
        )
    if receiver is not None and receiver not in values:
        raise DefinitionError(f"onbekende deelnemer '{receiver}'", "ontvanger")
    with localcontext(ENGINE_CONTEXT):
        shares = {name: value / total for name, value in values.items()}
        exact = {name: whole * share for name, share in shares.items()}
        rounded_whole, parts = distribute(exact, tuple(units), receiver)
    return ResultSettlement(rounded_whole, shares, exact, parts)


def settle_result(
    result: AllocationResult,
    amount: Decimal | int,
    *,
    key: Mapping[str, Decimal | int] | None = None,
    units: Sequence[Decimal] = (CENT,),
    receiver: str | None = None,
) -> ResultSettlement:
    """Settle a year-end result pro rata to the contributions in ``result`` (or by ``key``)."""
    return settle(
        amount, key if key is not None else result.amounts(), units=units, receiver=receiver
    )
