"""*Ingroeiregeling*: moving from the current key to a new one over a number of years.

Rules (``docs/allocation-format.md``, section 13):

* **The total.** The new total (the target's) applies from year 1; what is phased in is each
  participant's *share*. Year 0 is the current key applied to the new total (``start``); every
  year then adds up to the target total exactly, and year N is the target.
* **Linear.** Year k is ``start + k/N × (target − start)``.
* **Cap** (optional, € or % of the participant's previous-year amount in new-total terms): no
  participant's move in a year (``shifts``) exceeds it. A participant held back catches up in
  later years (the excess is carried forward). To keep the year adding up, the participants
  moving the other way move correspondingly less, pro rata to their own move: the gainers pay for
  the losers' cap, nobody moves faster than the linear path or past the target, and every
  participant moves monotonically. The cap limits the redistribution, not the change of the
  total that every participant bears pro rata. Year N is the target, even if that exceeds the cap
  (``final_year_forced``).
* **Rounding.** Every amount differs from its target amount by a whole number of ``unit``s (so
  with a target rounded to the unit, as an engine result is, every year is rounded to the unit);
  the rounding keeps each year adding up exactly and never breaks the cap or the monotone path.

Computed with exact fractions; amounts come back as exact Decimals.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction

from core.formatting import format_money, format_percent

from ._reader import Node
from .errors import DefinitionError
from .rounding import CENT, ENGINE_CONTEXT, ZERO

MAX_YEARS = 20
CAP_KINDS = ("euro", "procent")


@dataclass(frozen=True)
class PhaseInYear:
    """One year of the phase-in.

    ``changes`` are against the previous year's amounts (year 1: the current amounts, so they
    include the change of the total); ``shifts`` are the moves the cap applies to (year 1:
    against ``PhaseIn.start``; later years equal to ``changes``). ``limited`` lists the
    participants the cap held back this year (in year N: those for whom it was exceeded).
    """

    index: int
    amounts: Mapping[str, Decimal]
    changes: Mapping[str, Decimal]
    total: Decimal
    shifts: Mapping[str, Decimal] | None = None
    limited: tuple[str, ...] = ()


@dataclass(frozen=True)
class PhaseIn:
    """A phase-in over ``len(years)`` years; ``years[-1].amounts`` equals ``target``.

    ``capped``: the cap held someone back in some year; ``final_year_forced``: year N had to
    exceed the cap to reach the target.
    """

    years: tuple[PhaseInYear, ...]
    participants: tuple[str, ...]
    capped: bool
    final_year_forced: bool
    current: Mapping[str, Decimal] | None = None
    target: Mapping[str, Decimal] | None = None
    start: Mapping[str, Decimal] | None = None
    total: Decimal = ZERO
    cap: Decimal | None = None
    cap_kind: str = "euro"
    unit: Decimal = CENT
    rule: str = ""

    def year(self, index: int) -> PhaseInYear:
        return self.years[index - 1]


def phase_in(
    current: Mapping[str, Decimal],
    target: Mapping[str, Decimal],
    *,
    years: int,
    cap: Decimal | None = None,
    cap_kind: str = "euro",
    unit: Decimal = CENT,
) -> PhaseIn:
    """Phase in ``target`` from ``current`` over ``years`` years (module docstring for the rules).

    ``current`` and ``target`` are amounts per participant; a participant missing on one side
    counts as 0 there. DefinitionError (Dutch) for invalid parameters.
    """
    count = _years(years)
    unit = Node(unit, "eenheid").positive()
    if cap_kind not in CAP_KINDS:
        raise DefinitionError(
            f"onbekende soort grens '{cap_kind}'; toegestaan: 'euro', 'procent'", "soort_grens"
        )
    limit = None if cap is None else Node(cap, "grens").decimal()
    if limit is not None and limit < 0:
        raise DefinitionError(f"de grens kan niet negatief zijn ({limit})", "grens")
    old = _amounts(current, "huidig")
    new = _amounts(target, "doel")
    participants = tuple(dict.fromkeys([*old, *new]))
    if not participants:
        raise DefinitionError("geef minstens één deelnemer", "huidig")
    old = {name: old.get(name, ZERO) for name in participants}
    new = {name: new.get(name, ZERO) for name in participants}
    with localcontext(ENGINE_CONTEXT):
        return _Path(old, new, count, limit, cap_kind, unit).run()


def _years(years: object) -> int:
    if isinstance(years, bool) or not isinstance(years, int):
        raise DefinitionError("het aantal jaren is een geheel getal", "jaren")
    if not 1 <= years <= MAX_YEARS:
        raise DefinitionError(
            f"het aantal jaren is 1 tot en met {MAX_YEARS}, niet {years}", "jaren"
        )
    return years


def _amounts(amounts: Mapping[str, Decimal], path: str) -> dict[str, Decimal]:
    if not isinstance(amounts, Mapping):
        raise DefinitionError("verwacht bedragen per deelnemer", path)
    node = Node(amounts, path)
    return {name: item.decimal() for name, item in node.entries()}


class _Path:
    """The year-by-year computation, in whole units relative to the target.

    ``pos[p]`` is the number of units participant p is away from its target amount
    (amount = target + pos × unit); the positions add up to 0 in every year.
    """

    def __init__(
        self,
        current: dict[str, Decimal],
        target: dict[str, Decimal],
        years: int,
        cap: Decimal | None,
        cap_kind: str,
        unit: Decimal,
    ) -> None:
        self.current, self.target, self.years = current, target, years
        self.cap, self.cap_kind, self.unit = cap, cap_kind, unit
        self.names = tuple(current)
        old_total = sum(current.values(), ZERO)
        self.total = sum(target.values(), ZERO)
        if old_total == 0:
            raise DefinitionError(
                "de huidige bedragen tellen op tot 0; er is geen huidige verdeling om vanuit "
                "in te groeien",
                "huidig",
            )
        u = Fraction(unit)
        ratio = Fraction(self.total) / Fraction(old_total)
        #: exact distance of the start (current key on the new total) from the target, in units
        self.gap = {p: (Fraction(current[p]) * ratio - Fraction(target[p])) / u for p in self.names}

    def amount(self, name: str, pos: int) -> Decimal:
        return self.target[name] + pos * self.unit

    def run(self) -> PhaseIn:
        pos = _apportion(self.gap, 0)
        start = {p: self.amount(p, pos[p]) for p in self.names}
        previous, base = dict(self.current), start
        years = []
        forced = False
        for index in range(1, self.years + 1):
            limits = self._limits(base)
            if index == self.years:
                limited = tuple(
                    p for p in self.names if limits[p] is not None and abs(pos[p]) > limits[p]
                )
                forced = bool(limited)
                pos = dict.fromkeys(self.names, 0)
            else:
                pos, limited = self._step(pos, index, limits)
            amounts = {p: self.amount(p, pos[p]) for p in self.names}
            years.append(
                PhaseInYear(
                    index=index,
                    amounts=amounts,
                    changes={p: amounts[p] - previous[p] for p in self.names},
                    total=sum(amounts.values(), ZERO),
                    shifts={p: amounts[p] - base[p] for p in self.names},
                    limited=limited,
                )
            )
            previous = base = amounts
        return PhaseIn(
            years=tuple(years),
            participants=self.names,
            capped=any(year.limited for year in years),
            final_year_forced=forced,
            current=self.current,
            target=self.target,
            start=start,
            total=self.total,
            cap=self.cap,
            cap_kind=self.cap_kind,
            unit=self.unit,
            rule=self._rule(),
        )

    def _limits(self, base: Mapping[str, Decimal]) -> dict[str, int | None]:
        """The cap in whole units per participant (rounded down, so it is never exceeded)."""
        if self.cap is None:
            return dict.fromkeys(self.names, None)
        u = Fraction(self.unit)
        if self.cap_kind == "euro":
            units = math.floor(Fraction(self.cap) / u)
            return dict.fromkeys(self.names, units)
        share = Fraction(self.cap) / 100
        return {p: math.floor(share * abs(Fraction(base[p])) / u) for p in self.names}

    def _step(
        self, pos: dict[str, int], index: int, limits: Mapping[str, int | None]
    ) -> tuple[dict[str, int], tuple[str, ...]]:
        """Move towards the linear path of year ``index``, within the cap, adding up."""
        remaining = Fraction(self.years - index, self.years)
        wanted: dict[str, Fraction] = {}
        limited = []
        for p in self.names:
            want = max(Fraction(0), abs(pos[p]) - abs(self.gap[p] * remaining))
            limit = limits[p]
            if limit is not None and want > limit:
                want = Fraction(limit)
                limited.append(p)
            wanted[p] = want
        down = {p: wanted[p] for p in self.names if pos[p] > 0 and wanted[p] > 0}
        up = {p: wanted[p] for p in self.names if pos[p] < 0 and wanted[p] > 0}
        moved = min(_round_half_up(sum(down.values())), _round_half_up(sum(up.values())))
        moves = {**_bounded(down, moved), **_bounded(up, moved)}
        new_pos = {p: pos[p] - (1 if pos[p] > 0 else -1) * moves.get(p, 0) for p in self.names}
        return new_pos, tuple(limited)

    def _rule(self) -> str:
        text = f"ingroei in {self.years} jaar, lineair"
        if self.cap is not None:
            shown = (
                format_money(self.cap, 0 if self.cap == self.cap.to_integral_value() else 2)
                if self.cap_kind == "euro"
                else format_percent(self.cap) + " van het bedrag van het vorige jaar"
            )
            text += f"; grens {shown} per deelnemer per jaar"
        return text


def _round_half_up(value: Fraction) -> int:
    return math.floor(value + Fraction(1, 2))


def _apportion(exact: Mapping[str, Fraction], whole: int) -> dict[str, int]:
    """Integers adding up to ``whole``, each the floor or ceiling of its exact value, by largest
    remainder (ties to the first listed)."""
    floors = {p: math.floor(value) for p, value in exact.items()}
    missing = whole - sum(floors.values())
    order = sorted(
        enumerate(exact), key=lambda item: (-(exact[item[1]] - floors[item[1]]), item[0])
    )
    for _, p in order[:missing]:
        floors[p] += 1
    return floors


def _bounded(wanted: Mapping[str, Fraction], moved: int) -> dict[str, int]:
    """Split ``moved`` units pro rata to ``wanted``, each at most ``ceil(wanted)``.

    Largest remainder; ``moved`` never exceeds the sum of the bounds, so it always fits.
    """
    if moved <= 0:
        return {}
    total = sum(wanted.values())
    exact = {p: moved * value / total for p, value in wanted.items()}
    bounds = {p: math.ceil(value) for p, value in wanted.items()}
    parts = {p: min(math.floor(exact[p]), bounds[p]) for p in wanted}
    missing = moved - sum(parts.values())
    order = sorted(
        enumerate(wanted), key=lambda item: (-(exact[item[1]] - parts[item[1]]), item[0])
    )
    while missing > 0:
        open_ = [p for _, p in order if parts[p] < bounds[p]]
        if not open_:  # pragma: no cover - excluded by the choice of ``moved``
            raise AssertionError("phase-in: movement exceeds the bounds")
        for p in open_[:missing]:
            parts[p] += 1
        missing -= min(missing, len(open_))
    return parts
