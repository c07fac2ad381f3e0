"""What a run of the engine returns: amounts per participant and group, and the trail."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import NamedTuple, overload

from .model import Inputs, Rounding, fraction_to_decimal, show_fraction
from .rounding import ENGINE_CONTEXT, ONE, ZERO

#: the precision of every amount the engine produces (20 decimals; see ``engine``)
EXACT = Decimal("1e-20")


def _sum(values: Iterable[Decimal]) -> Decimal:
    """Sum in the engine's context (exact for the engine's amounts, whatever the caller's)."""
    with localcontext(ENGINE_CONTEXT):
        return sum(values, ZERO)


# --- the trail: why each line's share is what it is ---------------------------------------
#
# The trail carries its explanation as parts (which measure, which values, which weight), not as
# finished text: the engine does not format numbers for people, and a run with thousands of
# lines should not build thousands of strings nobody reads. One basis explains the shares of
# every target of a key (``text(target)`` words one of them); ``TrailLine.key`` and
# ``TrailLine.detail`` give the plain wording of the export (``inwoners: 11336 / 418251``), and
# the pages word the same parts in Dutch with names instead of codes.


class Ratio(NamedTuple):
    """``share = values[target] / total``: a measure (``measure``), or the amounts of an earlier
    step (``step``); for a group, its value is the sum over its members."""

    values: Mapping[str, Decimal]
    total: Decimal
    measure: str | None = None
    step: str | None = None
    periods: tuple[str, ...] | None = None
    average: bool = False

    def share(self, target: str) -> Decimal:
        return self.values[target] / self.total

    def text(self, target: str) -> str:
        source = self.measure if self.step is None else f"stap {self.step}"
        return f"{source}: {self.values[target]} / {self.total}"


class Mix(NamedTuple):
    """``share = Σ weight × share`` under each sub-key."""

    parts: tuple[tuple[Decimal, ShareBasis], ...]

    def share(self, target: str) -> Decimal:
        share = ZERO
        for weight, basis in self.parts:
            share += weight * basis.share(target)
        return share

    def text(self, target: str) -> str:
        return " + ".join(f"{weight} × ({basis.text(target)})" for weight, basis in self.parts)


class FixedShare(NamedTuple):
    """Shares written in the definition (``2/3``, ``48.62%``); unlisted targets get 0."""

    fractions: Mapping[str, Fraction]

    def fraction(self, target: str) -> Fraction:
        return self.fractions.get(target, Fraction(0))

    def share(self, target: str) -> Decimal:
        return fraction_to_decimal(self.fraction(target))

    def text(self, target: str) -> str:
        return f"vast aandeel {show_fraction(self.fraction(target))}"


class EqualShare(NamedTuple):
    """One of ``count`` equal shares."""

    count: int

    def share(self, target: str) -> Decimal:
        return ONE / self.count

    def text(self, target: str) -> str:
        return f"gelijk deel 1/{self.count}"


class PerUnit(NamedTuple):
    """A rate step: the base is the rate and the "share" is the target's value of ``measure``."""

    measure: str
    values: Mapping[str, Decimal]
    periods: tuple[str, ...] | None = None
    average: bool = False

    def share(self, target: str) -> Decimal:
        return self.values[target]

    def text(self, target: str) -> str:
        return f"tarief × {self.measure}"


class Minimum(NamedTuple):
    """A floor: the target is raised to ``minimum`` (share 1) or absorbs the raise (share −1)."""

    minimum: Decimal

    def text(self, target: str) -> str:
        return f"minimum {self.minimum}"


class Direct(NamedTuple):
    """An amount given as it is (share 1): ``vooraf``, ``basisbedrag``, ``ontvangt`` or
    ``vast bedrag``; ``parameter`` names the input parameter it came from, if it did."""

    reason: str
    parameter: str | None = None

    def text(self, target: str) -> str:
        return self.reason


type ShareBasis = Ratio | Mix | FixedShare | EqualShare | PerUnit | Minimum | Direct
#: the bases that work out a share for any of their targets (``share(target)``)
type KeyBasis = Ratio | Mix | FixedShare | EqualShare | PerUnit


class ServiceLine(NamedTuple):
    """The budget of a production line: ``volume × norm`` hours × ``rate``."""

    code: str
    volume: Decimal
    norm: Decimal
    rate: Decimal

    def text(self) -> str:
        return f"dienst {self.code}: {self.volume} × {self.norm} uur × € {self.rate}"


_NOTES = {
    "groep": "groep {}",
    "betaalt_aan": "betaalt aan {}",
    "verrekening": "verrekening",
    "opgehoogd": "opgehoogd; {} vangt op",
    "vangt_op": "vangt tekort van {} op",
}


class Note(NamedTuple):
    """Context of a line: ``groep`` (code), ``betaalt_aan`` (receiver), ``verrekening`` (the
    receiver's own line), ``opgehoogd`` (absorber) or ``vangt_op`` (whose shortfall)."""

    kind: str
    subject: str = ""

    def text(self) -> str:
        return _NOTES[self.kind].format(self.subject)


type LineContext = ServiceLine | Note


class TrailLine(NamedTuple):
    """One line of the explanation: ``amount = base × share``.

    ``basis`` says where the share comes from, ``context`` adds the group, the service line or
    who absorbs a floor; ``key`` and ``detail`` are their plain wording
    (``inwoners: 153818 / 418251``, ``groep CG``).
    """

    target: str
    base: Decimal
    share: Decimal
    amount: Decimal
    basis: ShareBasis = Direct("")
    context: LineContext | None = None

    @property
    def key(self) -> str:
        return self.basis.text(self.target)

    @property
    def detail(self) -> str:
        return self.context.text() if self.context is not None else ""


class Split(NamedTuple):
    """One split as the engine recorded it: for every target ``base × basis.share(target)``,
    quantized to ``EXACT``, and the ``residual`` on the target at index ``largest``.

    Shares and amounts are worked out again, by the same arithmetic in the engine's context,
    when the lines are read: a run keeps no per-line numbers alive (in Python 3.13 every
    Decimal is tracked by the garbage collector, so thousands of them kept per run cost time).
    """

    targets: tuple[str, ...]
    base: Decimal
    basis: KeyBasis
    context: LineContext | None
    residual: Decimal = ZERO
    largest: int = -1

    def lines(self) -> list[TrailLine]:
        base, basis, context, largest = self.base, self.basis, self.context, self.largest
        lines = []
        for index, target in enumerate(self.targets):
            share = basis.share(target)
            amount = (base * share).quantize(EXACT)
            if index == largest:
                amount += self.residual
            lines.append(TrailLine(target, base, share, amount, basis, context))
        return lines


class Trail(Sequence[TrailLine]):
    """The lines of a step, made the first time they are read from what the engine recorded:
    a caller that needs only the amounts (the comparison of variants) never makes them."""

    __slots__ = ("_lines", "_parts")

    def __init__(self, parts: Iterable[TrailLine | Split]) -> None:
        self._parts: tuple[TrailLine | Split, ...] | None = tuple(parts)
        self._lines: tuple[TrailLine, ...] = ()

    def _built(self) -> tuple[TrailLine, ...]:
        parts = self._parts
        if parts is not None:
            lines: list[TrailLine] = []
            with localcontext(ENGINE_CONTEXT):
                for part in parts:
                    if isinstance(part, Split):
                        lines.extend(part.lines())
                    else:
                        lines.append(part)
            self._lines, self._parts = tuple(lines), None
        return self._lines

    def __len__(self) -> int:
        return len(self._built())

    @overload
    def __getitem__(self, index: int) -> TrailLine: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[TrailLine, ...]: ...
    def __getitem__(self, index: int | slice) -> TrailLine | tuple[TrailLine, ...]:
        return self._built()[index]

    def __iter__(self) -> Iterator[TrailLine]:
        return iter(self._built())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Trail | tuple | list):
            return self._built() == tuple(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Trail({list(self._built())!r})"


@dataclass(frozen=True)
class RoundingTrail:
    """How a set of amounts was rounded: per group (or overall, group ``None``) the exact and
    the rounded whole and who received the difference."""

    rule: str
    wholes: tuple[tuple[str | None, Decimal, Decimal], ...]
    receivers: tuple[str, ...]
    exact: Mapping[str, Decimal]
    rounded: Mapping[str, Decimal]
    #: the rule as parts (units, per group, to the centre), for wording it elsewhere
    spec: Rounding | None = None


@dataclass(frozen=True)
class StepResult:
    """A step as executed. ``amounts`` are per target (participant or group code) after this
    step's own rounding (equal to ``exact`` when the step does not round)."""

    id: str
    kind: str
    description: str
    level: str
    component: str | None
    lines: Sequence[TrailLine]  # a Trail: built when first read
    exact: Mapping[str, Decimal]
    amounts: Mapping[str, Decimal]
    rounding: RoundingTrail | None = None
    #: the input parameter that is the step's amount (``begroting``), if it is one
    parameter: str | None = None

    @property
    def total(self) -> Decimal:
        return _sum(self.amounts.values())


@dataclass(frozen=True)
class ParticipantResult:
    """``components`` and ``exact_total`` are unrounded; ``amount`` is the rounded total."""

    name: str
    group: str | None
    components: Mapping[str, Decimal]
    exact_total: Decimal
    amount: Decimal


@dataclass(frozen=True)
class GroupResult:
    code: str
    name: str
    centre: str | None
    members: tuple[str, ...]
    components: Mapping[str, Decimal]
    exact_total: Decimal
    amount: Decimal


@dataclass(frozen=True)
class AllocationResult:
    code: str
    name: str
    year: int | None
    components: tuple[str, ...]
    participants: tuple[ParticipantResult, ...]
    groups: tuple[GroupResult, ...]
    steps: tuple[StepResult, ...]
    rounding: RoundingTrail
    unit: Decimal
    #: the inputs it was computed from: the names and descriptions behind the trail's codes
    inputs: Inputs | None = None

    @property
    def total(self) -> Decimal:
        return _sum(p.amount for p in self.participants)

    @property
    def exact_total(self) -> Decimal:
        return _sum(p.exact_total for p in self.participants)

    def participant(self, name: str) -> ParticipantResult:
        return next(p for p in self.participants if p.name == name)

    def group(self, code: str) -> GroupResult:
        return next(g for g in self.groups if g.code == code)

    def step(self, step_id: str) -> StepResult:
        return next(s for s in self.steps if s.id == step_id)

    def amounts(self) -> dict[str, Decimal]:
        """Rounded amount per participant."""
        return {p.name: p.amount for p in self.participants}
