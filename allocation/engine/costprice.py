"""Production norms and the cost-price build-up of a service organisation (the Veilig Thuis
report's Bijlage 4 and 5), as pure functions on exact Decimals.

Production: volume × norm hours gives hours per service line; hours / productive hours per fte
gives fte; hours × an hourly tariff gives a line's budget.

Cost price per fte: the monthly salary mix (Σ monthly salary × share of each scale) × 14
(holiday pay and 13th month) is the yearly personnel cost; social charges (26%) and travel and
training (10%) make subtotal 1; direct costs (20%) and overhead (20%), both charged on the
yearly personnel cost, make subtotal 2; a risk surcharge (5% of subtotal 2) makes the total per
fte; the total divided by the productive hours (1,350) is the price per hour. Nothing is rounded
on the way; round the figures only for display.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, localcontext

from .rounding import ENGINE_CONTEXT, ZERO

HOURS_PER_FTE = Decimal(1350)


def production_hours(volume: Decimal, norm: Decimal) -> Decimal:
    """Hours of a service line: volume (cases, sessions, weeks, ...) × norm hours per unit."""
    with localcontext(ENGINE_CONTEXT):
        return volume * norm


def fte(hours: Decimal, hours_per_fte: Decimal = HOURS_PER_FTE) -> Decimal:
    with localcontext(ENGINE_CONTEXT):
        return hours / hours_per_fte


def line_budget(hours: Decimal, tariff: Decimal) -> Decimal:
    with localcontext(ENGINE_CONTEXT):
        return hours * tariff


def allocation_rate(budget: Decimal, hours: Decimal) -> Decimal:
    """The *omslagtarief*: the whole budget divided by all production hours."""
    with localcontext(ENGINE_CONTEXT):
        return budget / hours


@dataclass(frozen=True)
class SalaryScale:
    """A salary scale in the mix: its monthly salary and its share of the staff (0.0535)."""

    name: str
    monthly: Decimal
    share: Decimal

    @property
    def amount(self) -> Decimal:
        with localcontext(ENGINE_CONTEXT):
            return self.monthly * self.share


def salary_mix(scales: Iterable[SalaryScale]) -> Decimal:
    """The weighted monthly salary: Σ monthly × share."""
    with localcontext(ENGINE_CONTEXT):
        return sum((scale.amount for scale in scales), ZERO)


@dataclass(frozen=True)
class CostPriceParameters:
    months: Decimal = Decimal(14)
    social_charges: Decimal = Decimal("0.26")
    travel_training: Decimal = Decimal("0.10")
    direct_costs: Decimal = Decimal("0.20")
    overhead: Decimal = Decimal("0.20")
    risk: Decimal = Decimal("0.05")
    productive_hours: Decimal = HOURS_PER_FTE


@dataclass(frozen=True)
class CostPrice:
    """Every line of the build-up, unrounded."""

    monthly_salary_mix: Decimal
    personnel_costs: Decimal
    social_charges: Decimal
    travel_training: Decimal
    subtotal_1: Decimal
    direct_costs: Decimal
    overhead: Decimal
    subtotal_2: Decimal
    risk: Decimal
    total_per_fte: Decimal
    price_per_hour: Decimal


def cost_price(
    monthly_salary_mix: Decimal, parameters: CostPriceParameters | None = None
) -> CostPrice:
    """The cost price per fte and per hour from the monthly salary mix."""
    p = parameters or CostPriceParameters()
    with localcontext(ENGINE_CONTEXT):
        personnel = monthly_salary_mix * p.months
        social = personnel * p.social_charges
        travel = personnel * p.travel_training
        subtotal_1 = personnel + social + travel
        direct = personnel * p.direct_costs
        overhead = personnel * p.overhead
        subtotal_2 = subtotal_1 + direct + overhead
        risk = subtotal_2 * p.risk
        total = subtotal_2 + risk
        return CostPrice(
            monthly_salary_mix=monthly_salary_mix,
            personnel_costs=personnel,
            social_charges=social,
            travel_training=travel,
            subtotal_1=subtotal_1,
            direct_costs=direct,
            overhead=overhead,
            subtotal_2=subtotal_2,
            risk=risk,
            total_per_fte=total,
            price_per_hour=total / p.productive_hours,
        )
