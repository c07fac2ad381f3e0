"""Running a model definition: exact Decimal arithmetic, deterministic, with a full trail.

Every amount a step produces is kept to 20 decimal places (``EXACT``), so that sums of amounts
are exact and a zero-sum settlement adds up to exactly zero. Rounding to money units happens only
where the definition asks for it (a step's ``afronding`` and the final ``afronding``) and always
keeps the parts adding up to the rounded whole.

Speed (docs/performance.md): a run reads each measure once per key (``_measure_table``), keeps
the shares of a key over the same targets (``_share_cache``), and records the trail as parts
(``result.Ratio``, ``result.Note``, ...) that are worded only when someone reads them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import NamedTuple

from ._measures import key_total as _key_total
from ._measures import measure_table as _measure_table
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
    EXACT,
    AllocationResult,
    Direct,
    EqualShare,
    FixedShare,
    GroupResult,
    KeyBasis,
    LineContext,
    Minimum,
    Mix,
    Note,
    ParticipantResult,
    PerUnit,
    Ratio,
    RoundingTrail,
    ServiceLine,
    ShareBasis,
    Split,
    StepResult,
    Trail,
    TrailLine,
)
from .rounding import ENGINE_CONTEXT, ONE, ZERO, distribute

type MeasureSignature = tuple[str, tuple[str, ...] | None, bool]


def allocate(definition: Definition) -> AllocationResult:
    """Run ``definition`` and return the amounts per participant with the trail."""
    with localcontext(ENGINE_CONTEXT):
        return _Run(definition).run()


class _Shares(NamedTuple):
    """The shares of a key over its targets (adding up to 1) and the one basis that explains
    them all (``basis.share(target)`` works out the same share again)."""

    targets: tuple[str, ...]
    values: list[Decimal]
    basis: KeyBasis


class _Collector:
    """The amounts one step gives to its targets, per component, with the trail."""

    def __init__(self, targets: Iterable[str]) -> None:
        self.parts: dict[str, dict[str, Decimal]] = {target: {} for target in targets}
        self.lines: list[TrailLine | Split] = []

    def add(
        self,
        target: str,
        component: str,
        base: Decimal,
        share: Decimal,
        basis: ShareBasis,
        context: LineContext | None = None,
    ) -> None:
        amount = (base * share).quantize(EXACT)
        components = self.parts.setdefault(target, {})
        components[component] = components.get(component, ZERO) + amount
        self.lines.append(TrailLine(target, base, share, amount, basis, context))

    def each(
        self,
        component: str,
        base: Decimal,
        targets: tuple[str, ...],
        shares: Sequence[Decimal],
        basis: KeyBasis,
        context: LineContext | None = None,
    ) -> None:
        """Add ``base × shares[i]`` to every target (of this step), recorded as one split."""
        parts = self.parts
        for target, share in zip(targets, shares, strict=True):
            components = parts[target]
            components[component] = components.get(component, ZERO) + (base * share).quantize(EXACT)
        self.lines.append(Split(targets, base, basis, context))

    def split(
        self, component: str, base: Decimal, shares: _Shares, context: LineContext | None = None
    ) -> None:
        """Add ``base × share`` for every target, so that the parts add up to ``base`` exactly:
        the last 1e-20s that quantizing leaves go to the largest share (the first of equals).
        Only the residual is kept; the trail works the amounts out again (``result.Split``)."""
        base = base.quantize(EXACT)
        values = shares.values
        amounts = [(base * share).quantize(EXACT) for share in values]
        residual = base - sum(amounts, ZERO)
        largest = -1
        if residual and amounts:
            sizes = [abs(share) for share in values]
            largest = sizes.index(max(sizes))
            amounts[largest] += residual
        parts = self.parts
        for target, amount in zip(shares.targets, amounts, strict=True):
            components = parts[target]
            components[component] = components.get(component, ZERO) + amount
        self.lines.append(Split(shares.targets, base, shares.basis, context, residual, largest))

    def totals(self) -> dict[str, Decimal]:
        return {target: sum(parts.values(), ZERO) for target, parts in self.parts.items()}


class _Run:
    def __init__(self, definition: Definition) -> None:
        self.definition = definition
        self.inputs = definition.inputs
        self.group_of = {p.name: p.group for p in self.inputs.participants}
        self.components: dict[str, dict[str, Decimal]] = {name: {} for name in self.inputs.names}
        self.component_order: dict[str, None] = {}
        self.results: dict[str, StepResult] = {}
        self.current_group: str | None = None
        # each measure read once per (measure, periods, average): participant → value
        self._measure_tables: dict[MeasureSignature, dict[str, Decimal]] = {}
        # the shares of a key over the same targets (a mix part reused by a settlement, ...)
        self._share_cache: dict[tuple[object, tuple[str, ...], Level], _Shares] = {}

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
            order, totals = self.component_order, self.components
            for target, parts in collector.parts.items():
                book = totals[target]
                for component, value in parts.items():
                    order.setdefault(component)
                    book[component] = book.get(component, ZERO) + value
                if amounts[target] != exact[target]:
                    self._add(target, step.component_name, amounts[target] - exact[target])
        return StepResult(
            id=step.id,
            kind=step.kind,
            description=step.description,
            level=step.level,
            component=step.component,
            lines=Trail(collector.lines),
            exact=exact,
            amounts=amounts,
            rounding=trail,
            parameter=_parameter(getattr(step, "amount", None)),
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
            context = Note("groep", group) if group else None
            remainder = self._amount(step.amount)
            for upfront in step.upfront:
                if upfront.participant in targets:
                    value = self._amount(upfront.amount)
                    basis = Direct("vooraf", _parameter(upfront.amount))
                    collector.add(
                        upfront.participant, upfront.component, value, ONE, basis, context
                    )
                    remainder -= value
            if step.base_amount is not None:
                fixed = self._amount(step.base_amount)
                basis = Direct("basisbedrag", _parameter(step.base_amount))
                for target in targets:
                    collector.add(target, component, fixed, ONE, basis, context)
                remainder -= fixed * len(targets)
            collector.split(
                component, remainder, self._shares(step.key, targets, step.level), context
            )
        self.current_group = None
        return collector

    def _production(self, step: Production) -> _Collector:
        collector = _Collector(step.targets)
        rate = self._amount(step.rate)
        for line in step.lines:
            service = self.inputs.services[line.service]
            budget = (service.hours * rate).quantize(EXACT)
            context = ServiceLine(service.code, service.volume, service.norm, rate)
            shares = self._shares(line.key, step.targets, PARTICIPANTS)
            collector.split(step.component_name, budget, shares, context)
        return collector

    def _rate(self, step: RateStep) -> _Collector:
        collector = _Collector(step.targets)
        rate = self._amount(step.rate)
        component, key = step.component_name, step.measure
        units = self._key_values(key, step.targets, PARTICIPANTS)
        values = dict(zip(step.targets, units, strict=True))
        per_unit = PerUnit(key.measure, values, key.periods, key.average)
        if step.base_amount is None:
            collector.each(component, rate, step.targets, units, per_unit)
            return collector
        base = self._amount(step.base_amount)
        base_basis = Direct("basisbedrag", _parameter(step.base_amount))
        for target, value in zip(step.targets, units, strict=True):
            collector.add(target, component, base, ONE, base_basis)
            collector.add(target, component, rate, value, per_unit)
        return collector

    def _settlement(self, step: Settlement) -> _Collector:
        collector = _Collector((*step.targets, step.receiver))
        component = step.component_name
        amount = self._amount(step.amount).quantize(EXACT)
        shares = self._shares(step.key, step.targets, PARTICIPANTS)
        collector.split(component, -amount, shares, Note("betaalt_aan", step.receiver))
        basis = Direct("ontvangt", _parameter(step.amount))
        collector.add(step.receiver, component, amount, ONE, basis, Note("verrekening"))
        return collector

    def _fixed(self, step: FixedAmounts) -> _Collector:
        collector = _Collector(name for name, _ in step.amounts)
        for name, amount in step.amounts:
            basis = Direct("vast bedrag", _parameter(amount))
            collector.add(name, step.component_name, self._amount(amount), ONE, basis)
        return collector

    def _floor(self, step: Floor) -> _Collector:
        collector = _Collector(step.targets)
        component = step.component_name
        basis = Minimum(step.minimum)
        for target in step.targets:
            total = sum(self.components[target].values(), ZERO)
            if total >= step.minimum:
                continue
            shortfall = step.minimum - total
            absorber = step.absorber or self._centre(target, step.path)
            collector.add(target, component, shortfall, ONE, basis, Note("opgehoogd", absorber))
            collector.add(absorber, component, shortfall, -ONE, basis, Note("vangt_op", target))
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

    def _shares(self, key: Key, targets: tuple[str, ...], level: Level) -> _Shares:
        """The shares of ``key`` over ``targets``. The same key over the same targets gives the
        same shares, so they are computed once per run."""
        cache_key = (_signature(key) if isinstance(key, MeasureKey) else id(key), targets, level)
        shares = self._share_cache.get(cache_key)
        if shares is None:
            shares = self._share_cache[cache_key] = self._compute_shares(key, targets, level)
        return shares

    def _compute_shares(self, key: Key, targets: tuple[str, ...], level: Level) -> _Shares:
        match key:
            case MeasureKey():
                values = self._key_values(key, targets, level)
                total = _key_total(values, targets, key.measure, key.path)
                basis = Ratio(
                    dict(zip(targets, values, strict=True)),
                    total,
                    key.measure,
                    None,
                    key.periods,
                    key.average,
                )
                return _Shares(targets, [value / total for value in values], basis)
            case MixKey(parts):
                subs = [self._shares(sub_key, targets, level) for _, sub_key in parts]
                mixed = [ZERO] * len(targets)
                for (weight, _), sub in zip(parts, subs, strict=True):
                    mixed = [m + weight * s for m, s in zip(mixed, sub.values, strict=True)]
                basis = Mix(tuple((w, sub.basis) for (w, _), sub in zip(parts, subs, strict=True)))
                return _Shares(targets, mixed, basis)
            case FixedKey(fixed):
                total = sum((fixed.get(t, Fraction(0)) for t in targets), Fraction(0))
                if total != 1:
                    raise DefinitionError(
                        f"de vaste aandelen van {names(targets)} tellen op tot "
                        f"{show_fraction(total)} in plaats van 1",
                        key.path,
                    )
                values = [fraction_to_decimal(fixed.get(t, Fraction(0))) for t in targets]
                return _Shares(targets, values, FixedShare(fixed))
            case EqualKey():
                return _Shares(
                    targets, [ONE / len(targets)] * len(targets), EqualShare(len(targets))
                )
            case StepKey(step_id):
                result = self.results[step_id]
                if level == GROUPS:
                    values = [self._group_value(result, t) for t in targets]
                elif result.level == GROUPS:
                    raise DefinitionError(
                        f"stap '{step_id}' verdeelt over groepen, niet over deelnemers", key.path
                    )
                else:
                    values = [result.amounts.get(t, ZERO) for t in targets]
                total = _key_total(values, targets, f"stap {step_id}", key.path)
                basis = Ratio(dict(zip(targets, values, strict=True)), total, step=step_id)
                return _Shares(targets, [value / total for value in values], basis)
        raise AssertionError(key)  # pragma: no cover

    def _key_values(self, key: MeasureKey, targets: tuple[str, ...], level: Level) -> list[Decimal]:
        """The measure of ``key`` for every target (for a group: the sum over its members)."""
        table = self._measure_table(key)
        try:
            if level == GROUPS:
                groups = self.inputs.group
                return [
                    sum((table[name] for name in groups(target).members), ZERO)
                    for target in targets
                ]
            return [table[target] for target in targets]
        except KeyError:
            raise self._missing(key, targets, level) from None

    def _measure_table(self, key: MeasureKey) -> dict[str, Decimal]:
        """Every participant's value of the measure under ``key`` (periods summed or averaged),
        computed once per run; a participant without a (complete) value is left out."""
        signature = _signature(key)
        table = self._measure_tables.get(signature)
        if table is None:
            measure = self.inputs.measures[key.measure]
            table = self._measure_tables[signature] = _measure_table(measure, key)
        return table

    def _missing(self, key: MeasureKey, targets: tuple[str, ...], level: Level) -> DefinitionError:
        """The error for the first participant the key needs but the measure lacks."""
        measure = self.inputs.measures[key.measure]
        needed = (
            [name for target in targets for name in self.inputs.group(target).members]
            if level == GROUPS
            else targets
        )
        for target in needed:
            value = measure.values.get(target)
            if value is None:
                return DefinitionError(
                    f"maat '{key.measure}' heeft geen waarde voor deelnemer '{target}' "
                    f"({measure.path})",
                    key.path,
                )
            if not isinstance(value, Decimal):
                missing = [period for period in key.periods or () if period not in value]
                if missing:
                    return DefinitionError(
                        f"maat '{key.measure}' heeft geen waarde voor deelnemer '{target}' in "
                        f"periode {names(missing)} ({measure.path})",
                        key.path,
                    )
        raise AssertionError(key)  # pragma: no cover - only called for a missing value

    # --- groups and rounding ------------------------------------------------------------------

    def _contexts(
        self, targets: tuple[str, ...], per_group: bool
    ) -> list[tuple[str | None, tuple[str, ...]]]:
        if not per_group:
            return [(None, targets)]
        by_group: dict[str | None, list[str]] = {}
        for name in targets:
            by_group.setdefault(self.group_of[name], []).append(name)
        return [
            (group.code, tuple(by_group[group.code]))
            for group in self.inputs.groups
            if group.code in by_group
        ]

    def _centre(self, participant: str, path: str) -> str:
        group = self.group_of[participant]
        centre = self.inputs.group(group).centre if group else None
        if centre is None:  # pragma: no cover - checked when parsing
            raise DefinitionError(f"'{participant}' heeft geen centrumgemeente", path)
        return centre

    def _round(
        self, exact: Mapping[str, Decimal], rule: Rounding, level: Level, per_group: bool
    ) -> tuple[dict[str, Decimal], RoundingTrail]:
        partitions: dict[str | None, dict[str, Decimal]] = {}
        by_group = per_group and level == PARTICIPANTS
        group_of = self.group_of
        for target, value in exact.items():
            partitions.setdefault(group_of[target] if by_group else None, {})[target] = value
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
        trail = RoundingTrail(
            rule.describe(), tuple(wholes), tuple(receivers), exact, rounded, spec=rule
        )
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
        participants = []
        for p in self.inputs.participants:
            parts = self.components[p.name]
            participants.append(
                ParticipantResult(
                    name=p.name,
                    group=p.group,
                    components={c: parts[c] for c in order if c in parts},
                    exact_total=exact[p.name],
                    amount=rounded[p.name],
                )
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
            participants=tuple(participants),
            groups=groups,
            steps=tuple(self.results.values()),
            rounding=trail,
            unit=definition.rounding.unit,
            inputs=self.inputs,
        )


def _signature(key: MeasureKey) -> MeasureSignature:
    return (key.measure, key.periods, key.average)


def _parameter(amount: Amount | None) -> str | None:
    """The parameter an amount is, if it is one (for the explanation)."""
    return amount.name if isinstance(amount, Param) else None
