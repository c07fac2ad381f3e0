"""The typed form of a model definition (format ``verdeelmodel/1``) and of its inputs.

``definition.parse_definition`` builds these from JSON; ``engine.allocate`` runs them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import Literal

from .rounding import CENT

FORMAT = "verdeelmodel/1"
INPUTS_FORMAT = "verdeelmodel-invoer/1"

PARTICIPANTS: Literal["deelnemers"] = "deelnemers"
GROUPS: Literal["groepen"] = "groepen"
Level = Literal["deelnemers", "groepen"]


# --- inputs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Participant:
    name: str
    group: str | None = None


@dataclass(frozen=True)
class Group:
    code: str
    name: str
    centre: str | None
    members: tuple[str, ...]


@dataclass(frozen=True)
class Measure:
    """A named measure per participant: a number, or numbers per period (``"2016"``, ...)."""

    name: str
    description: str
    values: Mapping[str, Decimal | Mapping[str, Decimal]]
    periodic: bool
    path: str
    unit: str = ""  # ``eenheid``: "inwoners", "EUR", ... (EUR values are amounts of money)


@dataclass(frozen=True)
class Service:
    """A service line (product): volume × norm hours; its budget is hours × an hourly tariff."""

    code: str
    name: str
    volume: Decimal
    norm: Decimal

    @property
    def hours(self) -> Decimal:
        return self.volume * self.norm


@dataclass(frozen=True)
class Inputs:
    """Participants (with their group), groups, measures, parameters and service lines."""

    participants: tuple[Participant, ...]
    groups: tuple[Group, ...] = ()
    measures: Mapping[str, Measure] = dataclasses.field(default_factory=dict)
    parameters: Mapping[str, Decimal] = dataclasses.field(default_factory=dict)
    #: a parameter's ``omschrijving``, where it has one (for explanations)
    parameter_descriptions: Mapping[str, str] = dataclasses.field(default_factory=dict)
    services: Mapping[str, Service] = dataclasses.field(default_factory=dict)
    year: int | None = None
    name: str = ""

    @cached_property
    def names(self) -> tuple[str, ...]:
        return tuple(participant.name for participant in self.participants)

    @cached_property
    def _groups_by_code(self) -> dict[str, Group]:
        return {group.code: group for group in self.groups}

    @cached_property
    def _group_of(self) -> dict[str, str | None]:
        return {participant.name: participant.group for participant in self.participants}

    def group(self, code: str) -> Group:
        return self._groups_by_code[code]

    def group_of(self, participant: str) -> str | None:
        return self._group_of[participant]


# --- amounts, keys, rounding ------------------------------------------------------------------


@dataclass(frozen=True)
class Const:
    value: Decimal


@dataclass(frozen=True)
class Param:
    name: str
    path: str


@dataclass(frozen=True)
class StepAmount:
    """The amount of an earlier step: all of it, one group's part, or one participant's part.

    Inside a ``per_groep`` step, a reference without group means the current group's part.
    """

    step: str
    path: str
    group: str | None = None
    participant: str | None = None


@dataclass(frozen=True)
class ServiceBudget:
    """Sum over service lines of volume × norm × tariff."""

    services: tuple[str, ...]
    rate: Amount
    path: str


@dataclass(frozen=True)
class Combination:
    operator: Literal["som", "verschil", "product"]
    terms: tuple[Amount, ...]


type Amount = Const | Param | StepAmount | ServiceBudget | Combination


@dataclass(frozen=True)
class MeasureKey:
    measure: str
    path: str
    periods: tuple[str, ...] | None = None
    average: bool = False


@dataclass(frozen=True)
class MixKey:
    """Weighted mix of shares: Σ weight × share under each sub-key (weights add up to 1)."""

    parts: tuple[tuple[Decimal, Key], ...]
    path: str


@dataclass(frozen=True)
class FixedKey:
    shares: Mapping[str, Fraction]
    path: str


@dataclass(frozen=True)
class EqualKey:
    path: str


@dataclass(frozen=True)
class StepKey:
    """Pro rata to the amounts of an earlier step (e.g. a year-end result by contribution)."""

    step: str
    path: str


type Key = MeasureKey | MixKey | FixedKey | EqualKey | StepKey


@dataclass(frozen=True)
class Rounding:
    """Round to ``units`` (in sequence); the difference goes to ``receiver`` or by largest
    remainder (``receiver`` None and ``to_centre`` False). ``receiver`` may map group → name."""

    units: tuple[Decimal, ...]
    path: str
    receiver: str | Mapping[str, str] | None = None
    to_centre: bool = False
    per_group: bool = False

    @property
    def unit(self) -> Decimal:
        return self.units[-1]

    def describe(self) -> str:
        units = " en daarna ".join(f"€ {str(unit).replace('.', ',')}" for unit in self.units)
        text = f"afronden op {units} (half naar boven)"
        if self.per_group:
            text += " per groep"
        if self.to_centre:
            return f"{text}; verschil naar de centrumgemeente"
        if isinstance(self.receiver, str):
            return f"{text}; verschil naar {self.receiver}"
        if self.receiver:
            listed = ", ".join(f"{name} ({group})" for group, name in self.receiver.items())
            return f"{text}; verschil naar {listed}"
        return f"{text}; verschil volgens grootste rest"


DEFAULT_ROUNDING = Rounding(units=(CENT,), path="afronding")


# --- steps ------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Step:
    """What every step has. ``amounts`` of a step go to ``component`` (participant steps);
    ``rounding`` is the step's own rounding, if any."""

    id: str
    path: str
    description: str = ""
    component: str | None = None
    rounding: Rounding | None = None

    kind = ""
    level: Level = PARTICIPANTS

    @property
    def component_name(self) -> str:
        return self.component or self.id


@dataclass(frozen=True, kw_only=True)
class Upfront:
    participant: str
    amount: Amount
    component: str
    path: str


@dataclass(frozen=True, kw_only=True)
class Allocation(Step):
    """Split an amount by a key, over participants or over groups; optionally per group, with
    amounts paid up front by named participants and a fixed base amount per target."""

    kind = "verdeling"
    amount: Amount
    key: Key
    targets: tuple[str, ...]
    level: Level = PARTICIPANTS
    per_group: bool = False
    upfront: tuple[Upfront, ...] = ()
    base_amount: Amount | None = None


@dataclass(frozen=True, kw_only=True)
class ProductionLine:
    service: str
    key: Key
    path: str


@dataclass(frozen=True, kw_only=True)
class Production(Step):
    """Service-line budgets (volume × norm × tariff), each split by its own production key."""

    kind = "productie"
    rate: Amount
    lines: tuple[ProductionLine, ...]
    targets: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class RateStep(Step):
    """A rate per unit of a measure (plus an optional base amount); the total follows."""

    kind = "tarief"
    rate: Amount
    measure: MeasureKey
    targets: tuple[str, ...]
    base_amount: Amount | None = None


@dataclass(frozen=True, kw_only=True)
class FixedAmounts(Step):
    kind = "vast"
    amounts: tuple[tuple[str, Amount], ...]


@dataclass(frozen=True, kw_only=True)
class Settlement(Step):
    """Zero-sum: the targets pay ``amount`` by the key; ``receiver`` receives it."""

    kind = "verrekening"
    amount: Amount
    key: Key
    receiver: str
    targets: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class Floor(Step):
    """Raise totals below ``minimum``; ``absorber`` (or the group's centre) pays the excess."""

    kind = "bodem"
    minimum: Decimal
    absorber: str | None
    targets: tuple[str, ...]


@dataclass(frozen=True)
class Definition:
    code: str
    name: str
    steps: tuple[Step, ...]
    inputs: Inputs
    rounding: Rounding = DEFAULT_ROUNDING
    description: str = ""

    def step(self, step_id: str) -> Step:
        return next(step for step in self.steps if step.id == step_id)


def fraction_to_decimal(fraction: Fraction) -> Decimal:
    """An exact share as a Decimal (at the precision of the current context)."""
    return Decimal(fraction.numerator) / Decimal(fraction.denominator)


def show_fraction(fraction: Fraction) -> str:
    """A fraction as a decimal if it terminates within 10 places, else as ``a/b``."""
    scaled = fraction * 10**10
    if scaled.denominator == 1:
        return f"{Decimal(scaled.numerator).scaleb(-10).normalize():f}"
    return f"{fraction.numerator}/{fraction.denominator}"
