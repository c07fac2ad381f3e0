"""The comparison of a model's variants, the settlement of a year-end result, the cost price
and the explanation trail: pure view-models and computations over engine results (no database).
`allocation.selectors` reads the model and its measures and calls these."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from . import engine
from .consistency import check_variant
from .engine import costprice
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

    def param(name: str) -> Decimal | None:
        value = parameters.get(name)
        value = value.get("waarde") if isinstance(value, dict) else value
        return None if value is None else Decimal(str(value))

    tariff, budget = param("uurtarief"), param("begroting")
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
class TrailStepView:
    step: object  # verdeelmodel StepResult
    lines: list


def trail_view(result, only: str | None = None) -> list[TrailStepView]:
    """The explanation trail; with `only`, the lines about that participant (and its group)."""
    group = None
    if only:
        if only not in result.amounts():
            raise UnknownParticipant(only)
        group = result.participant(only).group
    steps = []
    for step in result.steps:
        lines = [line for line in step.lines if only is None or line.target in {only, group}]
        steps.append(TrailStepView(step, lines))
    return steps


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
