"""What a run of the engine returns: amounts per participant and group, and the trail."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, localcontext

from .rounding import ENGINE_CONTEXT, ZERO


def _sum(values: Iterable[Decimal]) -> Decimal:
    """Sum in the engine's context (exact for the engine's amounts, whatever the caller's)."""
    with localcontext(ENGINE_CONTEXT):
        return sum(values, ZERO)


@dataclass(frozen=True, slots=True)
class TrailLine:
    """One line of the explanation: ``amount = base × share``.

    ``key`` says where the share comes from (``inwoners: 153818 / 418251``, ``vooraf``, ...);
    ``detail`` adds context (the service line, the group, who absorbs a floor, ...).
    """

    target: str
    base: Decimal
    share: Decimal
    amount: Decimal
    key: str = ""
    detail: str = ""


@dataclass(frozen=True)
class RoundingTrail:
    """How a set of amounts was rounded: per group (or overall, group ``None``) the exact and
    the rounded whole and who received the difference."""

    rule: str
    wholes: tuple[tuple[str | None, Decimal, Decimal], ...]
    receivers: tuple[str, ...]
    exact: Mapping[str, Decimal]
    rounded: Mapping[str, Decimal]


@dataclass(frozen=True)
class StepResult:
    """A step as executed. ``amounts`` are per target (participant or group code) after this
    step's own rounding (equal to ``exact`` when the step does not round)."""

    id: str
    kind: str
    description: str
    level: str
    component: str | None
    lines: tuple[TrailLine, ...]
    exact: Mapping[str, Decimal]
    amounts: Mapping[str, Decimal]
    rounding: RoundingTrail | None = None

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
