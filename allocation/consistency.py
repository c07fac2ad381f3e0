"""Does a variant allocate the budget? A pure check over a variant's definition and result.

A variant that splits another total than the budget (a sum of service-line budgets, an amount
typed into the variant, another parameter) makes the herverdeeleffect compare unlike totals.
The comparison page flags such a variant and says in words where its total comes from, so a
finance officer sees it before adopting anything.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from core.formatting import format_money

BUDGET = "begroting"

# the fields of a step whose value is an amount (section 4 of docs/allocation-format.md)
_AMOUNT_FIELDS = ("bedrag", "tarief", "basisbedrag", "minimum")


@dataclass(frozen=True)
class Flag:
    """One variant that does not allocate the budget, with the reason in words."""

    code: str
    total: Decimal
    reasons: tuple[str, ...] = field(default_factory=tuple)

    @property
    def message(self) -> str:
        return f"{self.code} verdeelt {format_money(self.total)}: " + "; ".join(self.reasons)


def parameter_value(parameters: Mapping, name: str) -> Decimal | None:
    """A parameter's value (a number, or `{"waarde": …}`), None when absent or unreadable."""
    value = parameters.get(name)
    value = value.get("waarde") if isinstance(value, dict) else value
    try:
        return None if value is None else Decimal(str(value))
    except ArithmeticError:
        return None


def _parameter_label(parameters: Mapping, name: str) -> str:
    value = parameters.get(name)
    label = value.get("omschrijving") if isinstance(value, dict) else None
    return f"de parameter {label or name}"


def _amount_nodes(node: object) -> Iterator[object]:
    """Every amount expression in a step, with the nested ones of som/verschil/product."""
    yield node
    if isinstance(node, dict):
        for key in ("som", "verschil", "product"):
            for child in node.get(key, []) or []:
                yield from _amount_nodes(child)
        if "tarief" in node and "diensten" in node:
            yield from _amount_nodes(node["tarief"])


def _sources(definition: Mapping) -> tuple[set[str], list[Decimal], bool]:
    """What the top-level amounts of a variant are made of: parameters, typed amounts and
    service-line budgets. Amounts that only pass on another step's amount add nothing."""
    parameters: set[str] = set()
    literals: list[Decimal] = []
    services = False
    for step in definition.get("stappen", []) or []:
        if not isinstance(step, dict):
            continue
        if step.get("soort") == "productie":
            services = True
        for name in _AMOUNT_FIELDS if step.get("soort") != "bodem" else ():
            if name not in step:
                continue
            for node in _amount_nodes(step[name]):
                if isinstance(node, dict):
                    if "parameter" in node:
                        parameters.add(str(node["parameter"]))
                    if "diensten" in node:
                        services = True
                elif name == "bedrag" and not isinstance(node, (list, bool)):
                    with contextlib.suppress(ArithmeticError):
                        literals.append(Decimal(str(node)))
    return parameters, literals, services


def _unit(definition: Mapping) -> str | None:
    rounding = definition.get("afronding") or {}
    unit = rounding.get("eenheid") or (rounding.get("eenheden") or [None])[-1]
    return None if unit is None else str(unit)


def check_variant(code: str, definition: Mapping, total: Decimal, inputs: Mapping) -> Flag | None:
    """None when the variant allocates exactly the budget (or the model has no budget);
    otherwise a flag with every reason found."""
    parameters = inputs.get("parameters", {}) or {}
    budget = parameter_value(parameters, BUDGET)
    if budget is None or total == budget:
        return None
    used, literals, services = _sources(definition)
    reasons: list[str] = []
    if services:
        hours = sum(
            (
                Decimal(str(s.get("volume", 0))) * Decimal(str(s.get("norm", 0)))
                for s in (inputs.get("diensten") or {}).values()
            ),
            Decimal(0),
        )
        tariff = parameter_value(parameters, "uurtarief")
        text = "de som van de dienstbudgetten (uren × uurtarief), niet de begroting"
        if tariff is not None and hours:
            text = (
                "de som van de dienstbudgetten (uren × uurtarief: "
                f"{format_money(hours * tariff)}), niet de begroting"
            )
            implied = (budget / hours).quantize(Decimal("0.00001"))
            if implied != tariff.quantize(Decimal("0.00001")):
                text += (
                    f"; het uurtarief is {format_money(tariff, 5)}, bij de begroting van "
                    f"{format_money(budget)} hoort {format_money(implied, 5)}"
                )
        reasons.append(text)
    for amount in literals:
        reasons.append(
            f"een vast bedrag van {format_money(amount)} in de variant, niet de begroting "
            f"van {format_money(budget)}"
        )
    for name in sorted(used - {BUDGET, "uurtarief"}):
        value = parameter_value(parameters, name)
        if value is not None and not services and BUDGET not in used:
            reasons.append(
                f"{_parameter_label(parameters, name)} ({format_money(value)}), niet de begroting"
            )
    if not reasons and BUDGET in used:
        unit = _unit(definition)
        difference = format_money(abs(total - budget))
        reasons.append(
            f"de begroting van {format_money(budget)}, maar na afronding"
            f"{f' op € {unit}' if unit else ''} blijft een verschil van {difference} over"
        )
    if not reasons:
        reasons.append(f"de begroting van {format_money(budget)} wordt niet gebruikt")
    return Flag(code, total, tuple(reasons))
