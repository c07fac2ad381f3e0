"""Running a model definition: exact Decimal arithmetic, deterministic, with a full trail.

Every amount a step produces is kept to 20 decimal places (``EXACT``), so that sums of amounts
are exact and a zero-sum settlement adds up to exactly zero. Rounding to money units happens only
where the definition asks for it (a step's ``afronding`` and the final ``afronding``) and always
keeps the parts adding up to the rounded whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, localcontext
from fractions import Fraction

from ._reader import names
from .errors import DefinitionError
from .model import (
    GROUPS,
    PARTICIPANTS,
    Allocation,
    Amount,
    Combination,
    Const,
    Definition,
    EqualKey,
    FixedAmounts,
    FixedKey,
    Floor,
    Key,
    Level,
    MeasureKey,
    MixKey,
    Param,
    Production,
    RateStep,
    Rounding,
    ServiceBudget,
    Settlement,
    Step,
    StepAmount,
    StepKey,
    fraction_to_decimal,
    show_fraction,
)
from .result import (
    AllocationResult,
    GroupResult,
    ParticipantResult,
    RoundingTrail,
    StepResult,
    TrailLine,
)
from .rounding import ENGINE_CONTEXT, ONE, ZERO, distribute

EXACT = Decimal("1e-20")

type Shares = list[tuple[str, Decimal, str]]


def allocate(definition: Definition) -> AllocationResult:
    """Run ``definition`` and return the amounts per participant with the trail."""
    with localcontext(ENGINE_CONTEXT):
        return _Run(definition).run()


class _Collector:
    """The amounts one step gives to its targets, per component, with the trail lines."""

    def __init__(self, targets: Iterable[str]) -> None:
        self.parts: dict[str, dict[str, Decimal]] = {target: {} for target in targets}
        self.lines: list[TrailLine] = []

    def add(
        self,
        target: str,
        component: str,
        base: Decimal,
        share: Decimal,
        key: str,
        detail: str = "",
        amount: Decimal | None = None,
    ) -> None:
        if amount is None:
            amount = (base * share).quantize(EXACT)
        components = self.parts.setdefault(target, {})
        components[component] = components.get(component, ZERO) + amount
        self.lines.append(TrailLine(target, base, share, amount, key, detail))

    def split(self, component: str, base: Decimal, shares: Shares, detail: str = "") -> None:
        """Add ``base × share`` for every target, so that the parts add up to ``base`` exactly:
        the last 1e-20s that quantizing leaves go to the largest share."""
        base = base.quantize(EXACT)
        parts = [(base * share).quantize(EXACT) for _, share, _ in shares]
        residual = base - sum(parts, ZERO)
        if residual and parts:
            largest = max(range(len(shares)), key=lambda index: abs(shares[index][1]))
            parts[largest] += residual
        for (target, share, label), amount in zip(shares, parts, strict=True):
            self.add(target, component, base, share, label, detail, amount)

    def totals(self) -> dict[str, Decimal]:
        return {target: sum(parts.values(), ZERO) for target, parts in self.parts.items()}


class _Run:
    def __init__(self, definition: Definition) -> None:
        self.definition = definition
        self.inputs = definition.inputs
        self.components: dict[str, dict[str, Decimal]] = {name: {} for name in self.inputs.names}
        self.component_order: dict[str, None] = {}
        self.results: dict[str, StepResult] = {}
        self.current_group: str | None = None

    # --- the run ------------------------------------------------------------------------------

    def run(self) -> AllocationResult:
        for step in self.definition.steps:
            self.results[step.id] = self._execute(step)
        return self._finish()

    def _execute(self, step: Step) -> StepResult:
        match step:
            case Allocation():
                collector = self._allocation(step)
            case Production():
                collector = self._production(step)
            case RateStep():
                collector = self._rate(step)
            case FixedAmounts():
                collector = self._fixed(step)
            case Settlement():
                collector = self._settlement(step)
            case Floor():
                collector = self._floor(step)
            case _:  # pragma: no cover - the parser only builds the kinds above
                raise DefinitionError(f"onbekende soort stap '{step.kind}'", step.path)
        return self._close(step, collector)

    def _close(self, step: Step, collector: _Collector) -> StepResult:
        exact = collector.totals()
        amounts, trail = exact, None
        if step.rounding is not None:
            per_group = step.rounding.per_group or getattr(step, "per_group", False)
            amounts, trail = self._round(exact, step.rounding, step.level, per_group)
        if step.level == PARTICIPANTS:
            for target, parts in collector.parts.items():
                for component, value in parts.items():
                    self._add(target, component, value)
                if amounts[target] != exact[target]:
                    self._add(target, step.component_name, amounts[target] - exact[target])
        return StepResult(
            id=step.id,
            kind=step.kind,
            description=step.description,
            level=step.level,
            component=step.component,
            lines=tuple(collector.lines),
            exact=exact,
            amounts=amounts,
            rounding=trail,
        )

    def _add(self, participant: str, component: str, value: Decimal) -> None:
        self.component_order.setdefault(component)
        parts = self.components[participant]
        parts[component] = parts.get(component, ZERO) + value

    # --- step kinds ---------------------------------------------------------------------------

    def _allocation(self, step: Allocation) -> _Collector:
        collector = _Collector(step.targets)
        component = step.component_name
        for group, targets in self._contexts(step.targets, step.per_group):
            self.current_group = group
            detail = f"groep {group}" if group else ""
            remainder = self._amount(step.amount)
            for upfront in step.upfront:
                if upfront.participant in targets:
                    value = self._amount(upfront.amount)
                    collector.add(
                        upfront.participant, upfront.component, value, ONE, "vooraf", detail
                    )
                    remainder -= value
            if step.base_amount is not None:
                fixed = self._amount(step.base_amount)
                for target in targets:
                    collector.add(target, component, fixed, ONE, "basisbedrag", detail)
                remainder -= fixed * len(targets)
            collector.split(
                component, remainder, self._shares(step.key, targets, step.level), detail
            )
        self.current_group = None
        return collector

    def _production(self, step: Production) -> _Collector:
        collector = _Collector(step.targets)
        rate = self._amount(step.rate)
        for line in step.lines:
            service = self.inputs.services[line.service]
            budget = (service.hours * rate).quantize(EXACT)
            detail = f"dienst {service.code}: {service.volume} × {service.norm} uur × € {rate}"
            shares = self._shares(line.key, step.targets, PARTICIPANTS)
            collector.split(step.component_name, budget, shares, detail)
        return collector

    def _rate(self, step: RateStep) -> _Collector:
        collector = _Collector(step.targets)
        rate = self._amount(step.rate)
        base = self._amount(step.base_amount) if step.base_amount is not None else None
        component = step.component_name
        for target in step.targets:
            if base is not None:
                collector.add(target, component, base, ONE, "basisbedrag")
            units = self._measure(step.measure, target, PARTICIPANTS)
            collector.add(target, component, rate, units, f"tarief × {step.measure.measure}")
        return collector

    def _settlement(self, step: Settlement) -> _Collector:
        collector = _Collector((*step.targets, step.receiver))
        component = step.component_name
        amount = self._amount(step.amount).quantize(EXACT)
        shares = self._shares(step.key, step.targets, PARTICIPANTS)
        collector.split(component, -amount, shares, f"betaalt aan {step.receiver}")
        collector.add(step.receiver, component, amount, ONE, "ontvangt", "verrekening")
        return collector

    def _fixed(self, step: FixedAmounts) -> _Collector:
        collector = _Collector(name for name, _ in step.amounts)
        for name, amount in step.amounts:
            collector.add(name, step.component_name, self._amount(amount), ONE, "vast bedrag")
        return collector

    def _floor(self, step: Floor) -> _Collector:
        collector = _Collector(step.targets)
        component = step.component_name
        for target in step.targets:
            total = sum(self.components[target].values(), ZERO)
            if total >= step.minimum:
                continue
            shortfall = step.minimum - total
            absorber = step.absorber or self._centre(target, step.path)
            label = f"minimum {step.minimum}"
            collector.add(
                target, component, shortfall, ONE, label, f"opgehoogd; {absorber} vangt op"
            )
            collector.add(
                absorber, component, shortfall, -ONE, label, f"vangt tekort van {target} op"
            )
        return collector

    # --- amounts ------------------------------------------------------------------------------

    def _amount(self, amount: Amount) -> Decimal:
        match amount:
            case Const(value):
                return value
            case Param(name):
                return self.inputs.parameters[name]
            case StepAmount():
                return self._step_amount(amount)
            case ServiceBudget(services, rate):
                tariff = self._amount(rate)
                return sum(
                    (self.inputs.services[code].hours * tariff for code in services), ZERO
                ).quantize(EXACT)
            case Combination("som", terms):
                return sum((self._amount(term) for term in terms), ZERO)
            case Combination("verschil", (first, second)):
                return self._amount(first) - self._amount(second)
            case Combination(_, terms):
                product = ONE
                for term in terms:
                    product *= self._amount(term)
                return product.quantize(EXACT)
        raise AssertionError(amount)  # pragma: no cover

    def _step_amount(self, ref: StepAmount) -> Decimal:
        result = self.results[ref.step]
        if ref.participant is not None:
            if result.level == GROUPS:
                raise DefinitionError(
                    f"stap '{ref.step}' verdeelt over groepen; verwijs naar een groep", ref.path
                )
            return result.amounts.get(ref.participant, ZERO)
        group = ref.group or self.current_group
        if group is None:
            return result.total
        return self._group_value(result, group)

    def _group_value(self, result: StepResult, group: str) -> Decimal:
        if result.level == GROUPS:
            return result.amounts.get(group, ZERO)
        members = self.inputs.group(group).members
        return sum((result.amounts.get(name, ZERO) for name in members), ZERO)

    # --- keys ---------------------------------------------------------------------------------

    def _shares(self, key: Key, targets: tuple[str, ...], level: Level) -> Shares:
        """``(target, share, explanation)`` for every target; the shares add up to 1."""
        match key:
            case MeasureKey():
                values = {t: self._measure(key, t, level) for t in targets}
                return _proportional(values, key.measure, key.path)
            case MixKey(parts):
                mixed = {target: ZERO for target in targets}
                labels: dict[str, list[str]] = {target: [] for target in targets}
                for weight, sub_key in parts:
                    for target, share, label in self._shares(sub_key, targets, level):
                        mixed[target] += weight * share
                        labels[target].append(f"{weight} × ({label})")
                return [(t, mixed[t], " + ".join(labels[t])) for t in targets]
            case FixedKey(fixed):
                total = sum((fixed.get(t, Fraction(0)) for t in targets), Fraction(0))
                if total != 1:
                    raise DefinitionError(
                        f"de vaste aandelen van {names(targets)} tellen op tot "
                        f"{show_fraction(total)} in plaats van 1",
                        key.path,
                    )
                return [
                    (
                        t,
                        fraction_to_decimal(fixed.get(t, Fraction(0))),
                        f"vast aandeel {show_fraction(fixed.get(t, Fraction(0)))}",
                    )
                    for t in targets
                ]
            case EqualKey():
                share = ONE / len(targets)
                return [(t, share, f"gelijk deel 1/{len(targets)}") for t in targets]
            case StepKey(step_id):
                result = self.results[step_id]
                if level == GROUPS:
                    values = {t: self._group_value(result, t) for t in targets}
                elif result.level == GROUPS:
                    raise DefinitionError(
                        f"stap '{step_id}' verdeelt over groepen, niet over deelnemers", key.path
                    )
                else:
                    values = {t: result.amounts.get(t, ZERO) for t in targets}
                return _proportional(values, f"stap {step_id}", key.path)
        raise AssertionError(key)  # pragma: no cover

    def _measure(self, key: MeasureKey, target: str, level: Level) -> Decimal:
        if level == GROUPS:
            members = self.inputs.group(target).members
            return sum((self._measure(key, name, PARTICIPANTS) for name in members), ZERO)
        measure = self.inputs.measures[key.measure]
        value = measure.values.get(target)
        if value is None:
            raise DefinitionError(
                f"maat '{key.measure}' heeft geen waarde voor deelnemer '{target}' "
                f"({measure.path})",
                key.path,
            )
        if isinstance(value, Decimal):  # the parser guarantees: no periods asked
            return value
        series, periods = value, key.periods or ()
        missing = [period for period in periods if period not in series]
        if missing:
            raise DefinitionError(
                f"maat '{key.measure}' heeft geen waarde voor deelnemer '{target}' in periode "
                f"{names(missing)} ({measure.path})",
                key.path,
            )
        total = sum((series[period] for period in periods), ZERO)
        return total / len(periods) if key.average else total

    # --- groups and rounding ------------------------------------------------------------------

    def _contexts(
        self, targets: tuple[str, ...], per_group: bool
    ) -> list[tuple[str | None, tuple[str, ...]]]:
        if not per_group:
            return [(None, targets)]
        contexts = []
        for group in self.inputs.groups:
            members = tuple(name for name in targets if self.inputs.group_of(name) == group.code)
            if members:
                contexts.append((group.code, members))
        return contexts

    def _centre(self, participant: str, path: str) -> str:
        group = self.inputs.group_of(participant)
        centre = self.inputs.group(group).centre if group else None
        if centre is None:  # pragma: no cover - checked when parsing
            raise DefinitionError(f"'{participant}' heeft geen centrumgemeente", path)
        return centre

    def _round(
        self, exact: Mapping[str, Decimal], rule: Rounding, level: Level, per_group: bool
    ) -> tuple[dict[str, Decimal], RoundingTrail]:
        partitions: dict[str | None, dict[str, Decimal]] = {}
        for target, value in exact.items():
            group = self.inputs.group_of(target) if per_group and level == PARTICIPANTS else None
            partitions.setdefault(group, {})[target] = value
        rounded: dict[str, Decimal] = {}
        wholes = []
        receivers = []
        for group, parts in partitions.items():
            receiver = self._receiver(rule, group)
            if receiver is not None and receiver not in parts:
                raise DefinitionError(
                    f"'{receiver}' zou het afrondingsverschil krijgen, maar doet niet mee in deze "
                    "afronding",
                    rule.path,
                )
            whole, group_rounded = distribute(parts, rule.units, receiver)
            rounded.update(group_rounded)
            wholes.append((group, sum(parts.values(), ZERO), whole))
            if receiver is not None:
                receivers.append(receiver)
        rounded = {target: rounded[target] for target in exact}
        trail = RoundingTrail(rule.describe(), tuple(wholes), tuple(receivers), exact, rounded)
        return rounded, trail

    def _receiver(self, rule: Rounding, group: str | None) -> str | None:
        if rule.to_centre:
            return self.inputs.group(group).centre if group else None
        if isinstance(rule.receiver, Mapping):
            return rule.receiver.get(group) if group else None
        return rule.receiver

    # --- the result ---------------------------------------------------------------------------

    def _finish(self) -> AllocationResult:
        definition = self.definition
        exact = {name: sum(parts.values(), ZERO) for name, parts in self.components.items()}
        rounded, trail = self._round(
            exact, definition.rounding, PARTICIPANTS, definition.rounding.per_group
        )
        order = tuple(self.component_order)
        participants = tuple(
            ParticipantResult(
                name=p.name,
                group=p.group,
                components={
                    c: self.components[p.name][c] for c in order if c in self.components[p.name]
                },
                exact_total=exact[p.name],
                amount=rounded[p.name],
            )
            for p in self.inputs.participants
        )
        groups = tuple(
            GroupResult(
                code=group.code,
                name=group.name,
                centre=group.centre,
                members=group.members,
                components={
                    c: sum((self.components[m].get(c, ZERO) for m in group.members), ZERO)
                    for c in order
                },
                exact_total=sum((exact[m] for m in group.members), ZERO),
                amount=sum((rounded[m] for m in group.members), ZERO),
            )
            for group in self.inputs.groups
        )
        return AllocationResult(
            code=definition.code,
            name=definition.name,
            year=self.inputs.year,
            components=order,
            participants=participants,
            groups=groups,
            steps=tuple(self.results.values()),
            rounding=trail,
            unit=definition.rounding.unit,
        )


def _proportional(values: Mapping[str, Decimal], what: str, path: str) -> Shares:
    total = sum(values.values(), ZERO)
    if total == 0:
        raise DefinitionError(
            f"de sleutel '{what}' telt op tot 0 over {names(values)}; "
            "er valt niets naar verhouding te verdelen",
            path,
        )
    return [
        (target, value / total, f"{what}: {value} / {total}") for target, value in values.items()
    ]
