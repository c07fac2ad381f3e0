"""*Uittreding*: what happens if one participant leaves — an **indication**, not a settlement.

``exit_effect`` runs the same definition without the leaver and gives

* the *herverdeeleffect* on every remaining participant (new − old, in € and per inhabitant
  when the inputs have a measure ``inwoners``);
* an indication of the exit sum (*uittreedsom*) by the two methods councils use:
  (a) *vijf jaar aandeel, aflopend*: its yearly contribution for 5 years at 100%, 80%, 60%,
  40% and 20%; (b) *directe kosten met overbruggingsperiode*: the costs that stay behind (by
  default its contribution × the share of fixed costs) for a bridging period of 5 years.

Removing the leaver (``without_participant``): it leaves the participants, its group and every
step's targets; an amount it pays up front (``vooraf``) or a fixed amount of its own (``vast``)
is dropped, so the rest of the step's amount is split over the others; a fixed key's share of
the leaver is spread over the others pro rata (within its group for a ``per_groep`` step). A
rounding difference the leaver took (named, or as centre municipality) goes to the remaining
participant with the largest share — the largest amount under the variant before the exit —
among those the rounding covers (within the leaver's group for a rounding per group); a note
says who. Where the model cannot do without it — it receives a settlement, absorbs a floor or
an amount refers to its part — a Dutch DefinitionError says so. ``docs/allocation-format.md``,
section 16.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal, localcontext
from fractions import Fraction

from core.formatting import format_money, format_percent

from ._reader import Node, names
from .engine import allocate
from .errors import DefinitionError
from .model import (
    PARTICIPANTS,
    Allocation,
    Amount,
    Combination,
    Definition,
    FixedAmounts,
    FixedKey,
    Floor,
    Inputs,
    Key,
    Level,
    MixKey,
    Production,
    RateStep,
    Rounding,
    ServiceBudget,
    Settlement,
    Step,
    StepAmount,
    show_fraction,
)
from .result import AllocationResult
from .rounding import CENT, ENGINE_CONTEXT, ONE, ZERO, round_half_up

LABEL = "Indicatie"
HUNDRED = Decimal(100)
MAX_YEARS = 20


@dataclass(frozen=True)
class ExitLine:
    """One year of an exit-sum method: ``percentage`` of the yearly basis, and the amount."""

    year: int
    percentage: Decimal
    amount: Decimal


@dataclass(frozen=True)
class ExitMethod:
    """An indication of the exit sum by one method; ``parameters`` says how, in Dutch."""

    code: str
    name: str
    parameters: str
    basis: Decimal
    lines: tuple[ExitLine, ...]
    total: Decimal
    label: str = LABEL


@dataclass(frozen=True)
class ExitParticipantEffect:
    """What a remaining participant pays before and after the exit (rounded amounts)."""

    name: str
    before: Decimal
    after: Decimal
    difference: Decimal
    per_inhabitant: Decimal | None = None


@dataclass(frozen=True)
class ExitEffect:
    """The indication for one leaver. ``notes`` list how the model was adapted."""

    leaver: str
    contribution: Decimal
    before: AllocationResult
    after: AllocationResult
    effects: tuple[ExitParticipantEffect, ...]
    method_a: ExitMethod
    method_b: ExitMethod
    notes: tuple[str, ...] = ()
    measure: str | None = None
    label: str = LABEL

    def effect(self, name: str) -> ExitParticipantEffect:
        return next(effect for effect in self.effects if effect.name == name)

    @property
    def redistributed(self) -> Decimal:
        """What the remaining participants pay more (or less) together."""
        return sum((effect.difference for effect in self.effects), ZERO)


def exit_effect(
    definition: Definition,
    leaver: str,
    *,
    years: int = 5,
    decline: Decimal | str = Decimal("0.2"),
    bridging_years: int = 5,
    direct_costs: Decimal | None = None,
    fixed_share: Decimal | str = Decimal("1"),
    measure: str = "inwoners",
) -> ExitEffect:
    """The effect of ``leaver`` leaving, with an indication of its exit sum.

    Method (a): ``years`` years of its contribution, the percentage falling by ``decline`` (a
    fraction: ``0.2``, ``"20%"``) a year. Method (b): the direct costs per year —
    ``direct_costs`` if given, else its contribution × ``fixed_share`` — for
    ``bridging_years`` years. ``measure`` (if the inputs have it) gives the effect per unit.
    """
    years = _years(years, "jaren")
    bridging_years = _years(bridging_years, "overbruggingsjaren")
    step = _fraction(decline, "afbouw")
    if 1 - (years - 1) * step < 0:
        raise DefinitionError(
            f"met een afbouw van {format_percent(_decimal(step) * HUNDRED)} per jaar komt het "
            f"percentage in jaar {years} onder 0%",
            "afbouw",
        )
    share = _fraction(fixed_share, "aandeel_vaste_kosten")
    costs = None if direct_costs is None else Node(direct_costs, "directe_kosten").decimal()
    if costs is not None and costs < 0:
        raise DefinitionError(
            f"de directe kosten kunnen niet negatief zijn ({costs})", "directe_kosten"
        )
    before = allocate(definition)
    remaining, notes = without_participant(definition, leaver, before=before)
    after = allocate(remaining)
    contribution = before.participant(leaver).amount
    values = _measure_values(definition.inputs, measure)
    effects = tuple(
        _effect(name, before.participant(name).amount, after.participant(name).amount, values)
        for name in remaining.inputs.names
    )
    with localcontext(ENGINE_CONTEXT):
        method_a = _method_a(leaver, contribution, years, step)
        method_b = _method_b(leaver, contribution, bridging_years, costs, share)
    return ExitEffect(
        leaver=leaver,
        contribution=contribution,
        before=before,
        after=after,
        effects=effects,
        method_a=method_a,
        method_b=method_b,
        notes=notes,
        measure=measure if values is not None else None,
    )


def without_participant(
    definition: Definition, leaver: str, *, before: AllocationResult | None = None
) -> tuple[Definition, tuple[str, ...]]:
    """The same definition without ``leaver``, and notes (Dutch) on what was adapted.

    ``before`` is the result of ``definition`` if already computed: its amounts decide who takes
    over a rounding difference of the leaver (computed here when needed)."""
    return _Without(definition, leaver, before).run()


# --- the methods ------------------------------------------------------------------------------


def _method_a(leaver: str, contribution: Decimal, years: int, step: Fraction) -> ExitMethod:
    percentages = [_decimal((1 - index * step) * 100) for index in range(years)]
    lines = tuple(
        ExitLine(index + 1, pct, round_half_up(contribution * pct / HUNDRED, CENT))
        for index, pct in enumerate(percentages)
    )
    shown = ", ".join(format_percent(pct) for pct in percentages)
    parameters = (
        f"{years} jaar het huidige aandeel van {leaver} ({format_money(contribution)} per jaar), "
        f"aflopend met {format_percent(_decimal(step * 100))} per jaar: {shown}"
    )
    return ExitMethod(
        code="a",
        name="Vijf jaar aandeel, aflopend" if years == 5 else f"{years} jaar aandeel, aflopend",
        parameters=parameters,
        basis=contribution,
        lines=lines,
        total=sum((line.amount for line in lines), ZERO),
    )


def _method_b(
    leaver: str, contribution: Decimal, years: int, costs: Decimal | None, share: Fraction
) -> ExitMethod:
    if costs is None:
        yearly = round_half_up(contribution * _decimal(share), CENT)
        source = (
            f"{format_percent(_decimal(share * 100))} van de bijdrage van {leaver} "
            f"({format_money(contribution)}) als aandeel vaste kosten"
        )
    else:
        yearly, source = costs, "opgegeven bedrag"
    lines = tuple(ExitLine(index, HUNDRED, yearly) for index in range(1, years + 1))
    return ExitMethod(
        code="b",
        name="Directe kosten met overbruggingsperiode",
        parameters=(
            f"directe kosten {format_money(yearly)} per jaar ({source}) gedurende een "
            f"overbruggingsperiode van {years} jaar"
        ),
        basis=yearly,
        lines=lines,
        total=yearly * years,
    )


def _effect(
    name: str, before: Decimal, after: Decimal, values: Mapping[str, Decimal] | None
) -> ExitParticipantEffect:
    difference = after - before
    per_unit = None
    if values is not None and values.get(name):
        with localcontext(ENGINE_CONTEXT):
            per_unit = round_half_up(difference / values[name], CENT)
    return ExitParticipantEffect(name, before, after, difference, per_unit)


def _measure_values(inputs: Inputs, measure: str) -> Mapping[str, Decimal] | None:
    found = inputs.measures.get(measure)
    if found is None or found.periodic:
        return None
    return {name: value for name, value in found.values.items() if isinstance(value, Decimal)}


def _years(value: object, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise DefinitionError("het aantal jaren is een geheel getal", path)
    if not 1 <= value <= MAX_YEARS:
        raise DefinitionError(f"het aantal jaren is 1 tot en met {MAX_YEARS}, niet {value}", path)
    return value


def _fraction(value: object, path: str) -> Fraction:
    node = Node(value, path)
    fraction = node.share()
    if not 0 <= fraction <= 1:
        raise node.error(
            f"verwacht een aandeel van 0 tot en met 1, maar kreeg {show_fraction(fraction)}"
        )
    return fraction


def _decimal(fraction: Fraction) -> Decimal:
    """A share or percentage as a plain Decimal: ``100``, ``20``, ``0.2`` (no ``1E+2``)."""
    with localcontext(ENGINE_CONTEXT):
        value = (Decimal(fraction.numerator) / Decimal(fraction.denominator)).normalize()
        return value.quantize(ONE) if value == value.to_integral_value() else value


# --- removing the leaver ----------------------------------------------------------------------


class _Without:
    def __init__(
        self, definition: Definition, leaver: str, before: AllocationResult | None = None
    ) -> None:
        self.definition, self.leaver, self.before = definition, leaver, before
        self.inputs = definition.inputs
        self.notes: list[str] = []
        if leaver not in self.inputs.names:
            raise DefinitionError(
                f"onbekende deelnemer '{leaver}'; deelnemers: {names(self.inputs.names)}",
                "uittreder",
            )
        if len(self.inputs.names) == 1:
            raise DefinitionError(
                f"'{leaver}' is de enige deelnemer; zonder hem valt er niets te verdelen",
                "uittreder",
            )
        self.group = self.inputs.group_of(leaver)
        self.is_centre = self.group is not None and self.inputs.group(self.group).centre == leaver

    def cannot(self, reason: str, path: str) -> DefinitionError:
        return DefinitionError(
            f"{reason}; zonder {self.leaver} kan deze variant niet worden doorgerekend", path
        )

    def run(self) -> tuple[Definition, tuple[str, ...]]:
        inputs = self._inputs()
        steps = tuple(self._step(step) for step in self.definition.steps)
        rounding = self._rounding(self.definition.rounding, self.inputs.names, "de eindafronding")
        remaining = replace(
            self.definition,
            name=f"{self.definition.name or self.definition.code} (zonder {self.leaver})",
            steps=steps,
            inputs=inputs,
            rounding=rounding,
        )
        return remaining, tuple(self.notes)

    # --- inputs ---------------------------------------------------------------------------

    def _inputs(self) -> Inputs:
        leaver = self.leaver
        groups = []
        for group in self.inputs.groups:
            members = tuple(name for name in group.members if name != leaver)
            if not members:
                raise self.cannot(
                    f"groep '{group.code}' heeft dan geen deelnemers meer", "invoer.groepen"
                )
            centre = None if group.centre == leaver else group.centre
            groups.append(replace(group, members=members, centre=centre))
        return replace(
            self.inputs,
            participants=tuple(p for p in self.inputs.participants if p.name != leaver),
            groups=tuple(groups),
            measures={
                name: replace(
                    measure, values={k: v for k, v in measure.values.items() if k != leaver}
                )
                for name, measure in self.inputs.measures.items()
            },
        )

    # --- steps ----------------------------------------------------------------------------

    def _targets(self, step: Step, targets: tuple[str, ...]) -> tuple[str, ...]:
        kept = tuple(name for name in targets if name != self.leaver)
        if not kept:
            raise self.cannot(f"in stap '{step.id}' blijft niemand over", step.path)
        return kept

    def _step(self, step: Step) -> Step:
        adapted = self._adapted(step)
        if step.rounding is None or isinstance(step, FixedAmounts | Floor):
            return adapted
        if step.level != PARTICIPANTS:
            return adapted
        what = f"de afronding van stap '{step.id}'"
        return replace(adapted, rounding=self._rounding(step.rounding, step.targets, what))

    def _adapted(self, step: Step) -> Step:
        leaver = self.leaver
        match step:
            case Allocation(level=level) if level != PARTICIPANTS:
                self._amount(step.amount)
                if step.base_amount is not None:
                    self._amount(step.base_amount)
                return step
            case Allocation():
                targets = self._targets(step, step.targets)
                self._amount(step.amount)
                if step.base_amount is not None:
                    self._amount(step.base_amount)
                upfront = tuple(item for item in step.upfront if item.participant != leaver)
                if len(upfront) != len(step.upfront):
                    self.notes.append(
                        f"stap '{step.id}': de vooraf-betaling van {leaver} vervalt; het hele "
                        "bedrag wordt over de overige deelnemers verdeeld"
                    )
                for item in upfront:
                    self._amount(item.amount)
                scope = self._scope(targets, step.per_group)
                return replace(
                    step,
                    targets=targets,
                    upfront=upfront,
                    key=self._key(step.key, step.level, scope, step.id),
                )
            case Production():
                targets = self._targets(step, step.targets)
                self._amount(step.rate)
                lines = tuple(
                    replace(line, key=self._key(line.key, PARTICIPANTS, targets, step.id))
                    for line in step.lines
                )
                return replace(step, targets=targets, lines=lines)
            case RateStep():
                targets = self._targets(step, step.targets)
                self._amount(step.rate)
                if step.base_amount is not None:
                    self._amount(step.base_amount)
                return replace(step, targets=targets)
            case FixedAmounts():
                amounts = tuple((name, amount) for name, amount in step.amounts if name != leaver)
                if len(amounts) != len(step.amounts):
                    self.notes.append(f"stap '{step.id}': het vaste bedrag van {leaver} vervalt")
                for _, amount in amounts:
                    self._amount(amount)
                return replace(step, amounts=amounts)
            case Settlement():
                if step.receiver == leaver:
                    raise self.cannot(
                        f"{leaver} ontvangt de verrekening in stap '{step.id}'",
                        f"{step.path}.ontvanger",
                    )
                targets = self._targets(step, step.targets)
                self._amount(step.amount)
                if leaver in step.targets:
                    self.notes.append(
                        f"stap '{step.id}': de overige deelnemers betalen samen het hele bedrag "
                        f"aan {step.receiver}"
                    )
                return replace(
                    step,
                    targets=targets,
                    key=self._key(step.key, PARTICIPANTS, targets, step.id),
                )
            case Floor():
                if step.absorber == leaver:
                    raise self.cannot(
                        f"{leaver} vangt de bodem in stap '{step.id}' op", f"{step.path}.opvanger"
                    )
                targets = self._targets(step, step.targets)
                if step.absorber is None and self.is_centre and self._in_group(step.targets):
                    raise self.cannot(
                        f"{leaver} is centrumgemeente van groep '{self.group}' en vangt de bodem "
                        f"in stap '{step.id}' op",
                        f"{step.path}.opvanger",
                    )
                return replace(step, targets=targets)
        raise AssertionError(step)  # pragma: no cover - the parser only builds the kinds above

    def _in_group(self, targets: tuple[str, ...], group: str | None = None) -> bool:
        """Whether a target besides the leaver is in ``group`` (default: the leaver's)."""
        group = group or self.group
        return any(self.inputs.group_of(name) == group for name in targets if name != self.leaver)

    def _scope(self, targets: tuple[str, ...], per_group: bool) -> tuple[str, ...]:
        """Among whom a fixed key's share of the leaver is spread."""
        if not per_group:
            return targets
        return tuple(name for name in targets if self.inputs.group_of(name) == self.group)

    def _key(self, key: Key, level: Level, scope: tuple[str, ...], step_id: str) -> Key:
        match key:
            case MixKey(parts):
                return replace(
                    key,
                    parts=tuple(
                        (weight, self._key(sub, level, scope, step_id)) for weight, sub in parts
                    ),
                )
            case FixedKey(shares) if level == PARTICIPANTS and self.leaver in shares:
                removed = shares[self.leaver]
                rest = {name: share for name, share in shares.items() if name != self.leaver}
                if removed == 0:
                    return replace(key, shares=rest)
                kept = sum((rest.get(name, Fraction(0)) for name in scope), Fraction(0))
                if kept == 0:
                    raise self.cannot(
                        f"de vaste sleutel in stap '{step_id}' geeft alleen {self.leaver} een "
                        "aandeel",
                        key.path,
                    )
                factor = (kept + removed) / kept
                self.notes.append(
                    f"stap '{step_id}': het vaste aandeel van {self.leaver} "
                    f"({show_fraction(removed)}) is naar verhouding over de overige deelnemers "
                    "verdeeld"
                )
                return replace(
                    key,
                    shares={
                        name: share * factor if name in scope else share
                        for name, share in rest.items()
                    },
                )
        return key

    def _amount(self, amount: Amount) -> None:
        match amount:
            case StepAmount(participant=participant) if participant == self.leaver:
                raise self.cannot(
                    f"een bedrag verwijst naar het deel van {self.leaver} in stap '{amount.step}'",
                    amount.path,
                )
            case ServiceBudget(rate=rate):
                self._amount(rate)
            case Combination(terms=terms):
                for term in terms:
                    self._amount(term)

    def _rounding(self, rounding: Rounding, targets: tuple[str, ...], what: str) -> Rounding:
        """The rounding without the leaver: a difference it took (named, per group or as
        centre municipality) goes to the remaining participant with the largest share."""
        leaver = self.leaver
        if rounding.to_centre:
            if not (self.is_centre and self._in_group(targets)):
                return rounding
            receivers = {
                group.code: group.centre
                for group in self.inputs.groups
                if group.centre is not None and self._in_group(targets, group.code)
            }
            return replace(
                rounding,
                receiver=self._replace_receiver(receivers, targets, what, centre=True),
                to_centre=False,
            )
        if isinstance(rounding.receiver, Mapping):
            if leaver not in rounding.receiver.values():
                return rounding
            receiver = self._replace_receiver(dict(rounding.receiver), targets, what)
            return replace(rounding, receiver=receiver)
        if rounding.receiver != leaver:
            return rounding
        successor = self._largest(name for name in targets if name != leaver)
        self._note_successor(what, successor)
        return replace(rounding, receiver=successor)

    def _replace_receiver(
        self, receivers: dict[str, str], targets: tuple[str, ...], what: str, centre: bool = False
    ) -> dict[str, str]:
        """Per group: the leaver's place as receiver taken by its group's largest remaining
        participant among ``targets``; a group with no one left needs no receiver."""
        for group, name in list(receivers.items()):
            if name != self.leaver:
                continue
            members = [
                other
                for other in targets
                if other != self.leaver and self.inputs.group_of(other) == group
            ]
            if not members:
                del receivers[group]
                continue
            receivers[group] = self._largest(members)
            self._note_successor(what, receivers[group], group, centre=centre)
        return receivers

    def _largest(self, candidates) -> str:
        """The candidate with the largest amount under the variant before the exit (the first
        in the model's order on a tie)."""
        if self.before is None:
            self.before = allocate(self.definition)
        amounts = self.before.amounts()
        order = {name: index for index, name in enumerate(self.inputs.names)}
        ranked = sorted(candidates, key=lambda name: (-amounts[name], order[name]))
        return ranked[0]

    def _note_successor(
        self, what: str, successor: str, group: str = "", *, centre: bool = False
    ) -> None:
        assert self.before is not None  # set by _largest
        amount = format_money(self.before.participant(successor).amount)
        role = " als centrumgemeente" if centre else ""
        where = f" van groep '{group}'" if group else ""
        among = " van die groep" if group else ""
        self.notes.append(
            f"{what}: {self.leaver} kreeg het afrondingsverschil{role}{where}; nu krijgt "
            f"{successor} het, de overblijvende deelnemer{among} met het grootste aandeel "
            f"({amount})"
        )
