"""The comparison of a model's variants, the settlement of a year-end result, the cost price
and the explanation trail: pure view-models and computations over engine results (no database).
`allocation.selectors` reads the model and its measures and calls these."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from core.formatting import format_money, format_number, format_percent

from . import engine
from .consistency import check_variant, parameter_value
from .engine import costprice
from .engine import result as trail
from .engine.model import show_fraction as engine_show_fraction
from .models import AllocationModel, AllocationVariant


@dataclass
class ComparisonRow:
    name: str
    group: str | None
    amounts: list[Decimal]
    effects: list[Decimal | None]  # against the adopted variant
    inhabitants: Decimal | None

    def per_inhabitant(self, value: Decimal | None) -> Decimal | None:
        if value is None or not self.inhabitants:
            return None
        return value / self.inhabitants

    @property
    def effects_per_inhabitant(self) -> list[Decimal | None]:
        return [self.per_inhabitant(e) for e in self.effects]


@dataclass
class ComparisonGroup:
    code: str | None
    name: str
    rows: list[ComparisonRow]
    subtotals: list[Decimal]
    effects: list[Decimal | None]


@dataclass
class Comparison:
    model: AllocationModel
    variants: list[AllocationVariant]
    results: list  # AllocationResult per variant
    adopted_index: int | None
    groups: list[ComparisonGroup]
    totals: list[Decimal]
    # variant code → `consistency.Flag`: the variants that do not allocate the budget
    flags: dict = field(default_factory=dict)

    @property
    def adopted(self) -> AllocationVariant | None:
        return None if self.adopted_index is None else self.variants[self.adopted_index]

    def pairs(self):
        return list(zip(self.variants, self.results, strict=True))


def build_comparison(
    model: AllocationModel, variants: list[AllocationVariant], results: list, inputs: dict
) -> Comparison:
    """Every variant side by side per participant, with group subtotals and the
    redistribution effect (herverdeeleffect) against the adopted variant."""
    adopted_index = next((i for i, v in enumerate(variants) if v.adopted), None)
    inhabitants = inputs["maten"].get("inwoners", {}).get("waarden", {})
    group_names = {g["code"]: g.get("naam", g["code"]) for g in inputs.get("groepen", [])}
    groups: list[ComparisonGroup] = []
    by_code: dict[str | None, ComparisonGroup] = {}
    for participant in inputs.get("deelnemers", []):
        name, code = participant["naam"], participant.get("groep")
        amounts = [r.participant(name).amount for r in results]
        base = amounts[adopted_index] if adopted_index is not None else None
        effects = [None if base is None else a - base for a in amounts]
        row = ComparisonRow(name, code, amounts, effects, _decimal_or_none(inhabitants.get(name)))
        if code not in by_code:
            by_code[code] = ComparisonGroup(code, group_names.get(code, "Deelnemers"), [], [], [])
            groups.append(by_code[code])
        by_code[code].rows.append(row)
    for group in groups:
        group.subtotals = [
            sum((r.amounts[i] for r in group.rows), Decimal(0)) for i in range(len(variants))
        ]
        group.effects = [
            None if adopted_index is None else s - group.subtotals[adopted_index]
            for s in group.subtotals
        ]
    totals = [r.total for r in results]
    flags = {}
    for variant, result in zip(variants, results, strict=True):
        flag = check_variant(variant.code, variant.definition, result.total, inputs)
        if flag is not None:
            flags[variant.code] = flag
    return Comparison(model, variants, results, adopted_index, groups, totals, flags)


def _decimal_or_none(value) -> Decimal | None:
    return None if value is None else Decimal(value)


@dataclass
class Contribution:
    model: AllocationModel
    variant: AllocationVariant
    amount: Decimal | None
    error: str = ""  # the stored variant cannot be computed: said on the page, never a 500


@dataclass
class ServiceLineView:
    code: str
    name: str
    volume: Decimal
    norm: Decimal
    hours: Decimal
    budget: Decimal | None


@dataclass
class CostPriceView:
    lines: list[ServiceLineView]
    hours_exact: Decimal
    hours_printed: Decimal  # the sum of the hours rounded per line, as a report prints them
    fte: Decimal
    budget: Decimal | None
    allocation_rate: Decimal | None  # begroting / uren
    scales: list
    build_up: object | None  # engine.costprice.CostPrice


def cost_price_view(model: AllocationModel) -> CostPriceView | None:
    """Production norms (volume × norm → hours → fte) and the cost price per hour (salary mix
    → social charges, travel, direct costs, overhead, risk), from the stored model."""
    services_ = model.inputs.get("diensten") or {}
    if not services_:
        return None
    parameters = model.inputs.get("parameters", {})
    tariff = parameter_value(parameters, "uurtarief")
    budget = parameter_value(parameters, "begroting")
    lines = []
    for code, service in services_.items():
        volume, norm = Decimal(str(service["volume"])), Decimal(str(service["norm"]))
        hours = costprice.production_hours(volume, norm)
        lines.append(
            ServiceLineView(
                code,
                service.get("naam", code),
                volume,
                norm,
                hours,
                costprice.line_budget(hours, tariff) if tariff else None,
            )
        )
    hours_exact = sum((line.hours for line in lines), Decimal(0))
    hours_printed = sum((engine.round_half_up(line.hours) for line in lines), Decimal(0))
    scales = [
        costprice.SalaryScale(
            s.get("omschrijving", code),
            Decimal(str(s["maandsalaris"])),
            Decimal(str(s["percentage"])) / 100,
        )
        for code, s in ((model.cost_price or {}).get("salarismix") or {}).items()
    ]
    build_up = costprice.cost_price(costprice.salary_mix(scales)) if scales else None
    return CostPriceView(
        lines=lines,
        hours_exact=hours_exact,
        hours_printed=hours_printed,
        fte=costprice.fte(hours_printed),
        budget=budget,
        allocation_rate=costprice.allocation_rate(budget, hours_printed) if budget else None,
        scales=scales,
        build_up=build_up,
    )


class UnknownParticipant(LookupError):
    """A name asked for in the trail that the model does not have."""


@dataclass
class TrailLineView:
    """One line of the explanation as the page shows it: names instead of codes, every figure
    Dutch (`€ 2.131.900`, `36,78%`, `153.818`)."""

    target: str  # the participant, or the group's name
    base: str
    key: str
    share: str
    amount: str
    detail: str


@dataclass
class TrailStepView:
    step: object  # verdeelmodel StepResult
    lines: list[TrailLineView]
    title: str = ""
    amount: str = ""  # what the step splits, when it is a parameter: its description and value
    rounding: str = ""  # the step's own rounding in a sentence


@dataclass
class TrailView:
    """The explanation of one variant: its steps (iterate over it) and the final rounding."""

    steps: list[TrailStepView]
    rounding: str

    def __iter__(self):
        return iter(self.steps)

    def __len__(self) -> int:
        return len(self.steps)


def trail_view(result, only: str | None = None) -> TrailView:
    """The explanation trail in Dutch words and figures, worded from the result's inputs
    (measure descriptions, service-line names, group names, parameter descriptions); with
    `only`, the lines about that participant (and its group)."""
    group = None
    if only:
        if only not in result.amounts():
            raise UnknownParticipant(only)
        group = result.participant(only).group
    words = _TrailWords(result)
    steps = []
    for step in result.steps:
        lines = [
            words.line(line, step.level)
            for line in step.lines
            if only is None or line.target in {only, group}
        ]
        rounding = words.rounding(step.rounding, step.level) if step.rounding else ""
        steps.append(TrailStepView(step, lines, words.title(step), words.amount(step), rounding))
    return TrailView(steps, words.rounding(result.rounding, "deelnemers"))


def _places(value: Decimal, cap: int) -> int:
    """The decimals a figure needs (trailing zeros dropped), at most `cap`."""
    exponent = value.normalize().as_tuple().exponent
    return min(max(0, -exponent), cap) if isinstance(exponent, int) else 0


def _figure(value: Decimal, cap: int = 2) -> str:
    return format_number(value, _places(value, cap))


def _money(value: Decimal) -> str:
    """`€ 1.281.406`, or with cents where the amount has them."""
    return format_money(value, 0 if value == value.to_integral_value() else 2)


def _tariff(value: Decimal) -> str:
    """A rate keeps its decimals: `€ 84,70338`."""
    return format_money(value, _places(value, 10))


def _percent(fraction: Decimal, cap: int = 4) -> str:
    value = fraction * 100
    return format_percent(value, _places(value, cap))


def _listing(items) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]


class _TrailWords:
    """Words the engine's trail parts in Dutch, with the names from the result's inputs."""

    def __init__(self, result) -> None:
        inputs = result.inputs
        self.measures = inputs.measures if inputs else {}
        self.services = inputs.services if inputs else {}
        self.parameters = inputs.parameters if inputs else {}
        self.descriptions = inputs.parameter_descriptions if inputs else {}
        self.groups = {g.code: g.name for g in result.groups}
        self.titles = {s.id: self.title(s) for s in result.steps}

    def title(self, step) -> str:
        return step.description or step.id

    def amount(self, step) -> str:
        if not step.parameter or step.parameter not in self.parameters:
            return ""
        value = self.parameters[step.parameter]
        return f"Bedrag: {self.parameter(step.parameter)}, {_money(value)}."

    def parameter(self, code: str) -> str:
        return self.descriptions.get(code) or code

    def line(self, line, level: str) -> TrailLineView:
        basis = line.basis
        per_unit = isinstance(basis, trail.PerUnit)  # base: the rate; share: the measure
        return TrailLineView(
            target=self.groups.get(line.target, line.target) if level == "groepen" else line.target,
            base=_tariff(line.base) if per_unit else _money(line.base),
            key=self.key(basis, line.target),
            share=self.measure_value(basis.measure, line.share)
            if per_unit
            else format_percent(line.share * 100, 2),
            amount=_money(line.amount),
            detail=self.detail(line.context),
        )

    def measure_name(self, code: str, periods=None, average: bool = False) -> str:
        measure = self.measures.get(code)
        name = (measure.description if measure else "") or code
        if periods:
            listed = _listing(list(periods))
            name += f" (gemiddelde van {listed})" if average else f" ({listed})"
        return name

    def measure_value(self, code: str, value: Decimal) -> str:
        measure = self.measures.get(code)
        if measure is not None and measure.unit.upper() in {"EUR", "EURO", "€"}:
            return _money(value)
        return _figure(value)

    def key(self, basis, target: str) -> str:
        match basis:
            case trail.Ratio(step=None):
                value = basis.values[target]
                name = self.measure_name(basis.measure, basis.periods, basis.average)
                figures = (self.measure_value(basis.measure, v) for v in (value, basis.total))
                return f"{name}: " + " / ".join(figures)
            case trail.Ratio():
                title = self.titles.get(basis.step, basis.step)
                value, total = _money(basis.values[target]), _money(basis.total)
                return f"naar rato van ‘{title}’: {value} / {total}"
            case trail.Mix(parts):
                return " + ".join(
                    f"{_percent(weight)} × ({self.key(part, target)})" for weight, part in parts
                )
            case trail.FixedShare():
                fraction = basis.fraction(target)
                if "/" in (shown := engine_show_fraction(fraction)):
                    return f"vast aandeel {shown}"
                return f"vast aandeel {_percent(Decimal(shown))}"
            case trail.EqualShare(count):
                return f"gelijk deel: 1/{count}"
            case trail.PerUnit():
                return f"tarief × {self.measure_name(basis.measure, basis.periods, basis.average)}"
            case trail.Minimum(minimum):
                return f"minimum {_money(minimum)}"
            case trail.Direct(reason, parameter):
                return f"{reason}: {self.parameter(parameter)}" if parameter else reason
        return basis.text(target)  # pragma: no cover - every basis is worded above

    def detail(self, context) -> str:
        match context:
            case None:
                return ""
            case trail.ServiceLine(code, volume, norm, rate):
                service = self.services.get(code)
                name = service.name if service else code
                return f"{name}: {_figure(volume, 4)} × {_figure(norm, 4)} uur × {_tariff(rate)}"
            case trail.Note("groep", code):
                return f"groep {self.groups.get(code, code)}"
            case trail.Note("betaalt_aan", receiver):
                return f"betaalt aan {receiver}"
            case trail.Note("opgehoogd", absorber):
                return f"opgehoogd tot het minimum; {absorber} vangt dat op"
            case trail.Note("vangt_op", participant):
                return f"vangt het tekort van {participant} op"
        return context.text()

    def rounding(self, rounding, level: str) -> str:
        spec = rounding.spec
        if spec is None:  # pragma: no cover - the engine always records the rule
            return rounding.rule
        units = " en daarna ".join(_tariff(unit) for unit in spec.units)
        text = f"Afgerond op {units} (half naar boven)"
        if spec.per_group:
            text += ", per groep"
        receivers = [self.groups.get(r, r) if level == "groepen" else r for r in rounding.receivers]
        if spec.to_centre:
            text += f"; het afrondingsverschil gaat naar de centrumgemeente ({_listing(receivers)})"
        elif receivers:
            text += f"; het afrondingsverschil gaat naar {_listing(receivers)}"
        else:
            text += "; het afrondingsverschil gaat naar de grootste resten"
        return text + "."


def settle(
    comparison_: Comparison, amount: Decimal, weights: dict[str, Decimal] | None
) -> list[tuple[str, Decimal, Decimal]]:
    """Split a year-end result over the participants of the adopted variant: pro rata to
    their contribution (no `weights`) or to the given weights. (name, weight, share) rows."""
    if comparison_.adopted_index is None:
        return []
    result = comparison_.results[comparison_.adopted_index]
    settled = engine.settle_result(result, amount, key=weights)
    used = weights or {p.name: p.amount for p in result.participants}
    return [(name, used.get(name, Decimal(0)), part) for name, part in settled.parts.items()]
