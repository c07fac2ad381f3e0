"""Production norms (Bijlage 4) and the cost-price build-up (Bijlage 5) against the report."""

from __future__ import annotations

from decimal import Decimal

import pytest

from allocation.engine import DATA_DIR, load_definition_file, round_half_up
from allocation.engine.costprice import (
    CostPriceParameters,
    SalaryScale,
    allocation_rate,
    cost_price,
    fte,
    line_budget,
    production_hours,
    salary_mix,
)

from .vt2018 import expected, published

COST = published()["kostprijs"]
INPUTS = load_definition_file(DATA_DIR / "vt2018" / "A.json").inputs
SERVICES = INPUTS.services


@pytest.mark.parametrize("code", COST["diensten"])
def test_hours_per_service_line(code: str) -> None:
    service = SERVICES[code]
    hours = production_hours(service.volume, service.norm)
    assert round_half_up(hours) == expected(COST["diensten"][code]["uren"])[0]


@pytest.mark.parametrize("code", COST["diensten"])
def test_budget_per_service_line(code: str) -> None:
    service = SERVICES[code]
    budget = line_budget(service.hours, INPUTS.parameters["uurtarief"])
    assert round_half_up(budget) == expected(COST["diensten"][code]["budget"])[0]


def test_total_hours_fte_and_allocation_rate() -> None:
    printed_hours = sum(round_half_up(service.hours) for service in SERVICES.values())
    assert printed_hours == expected(COST["totaal_uren"])[0]
    assert Decimal(COST["uren_per_fte"]) == CostPriceParameters().productive_hours
    assert round_half_up(fte(printed_hours), Decimal("0.01")) == Decimal(COST["fte"])
    rate = allocation_rate(INPUTS.parameters["begroting"], printed_hours)
    assert round_half_up(rate, Decimal("0.01")) == Decimal(COST["omslagtarief"])


def test_reports_share_of_reports_in_production() -> None:
    reports = SERVICES["MT"].hours + SERVICES["ZM"].hours
    total = expected(COST["totaal_uren"])[0]
    assert round_half_up(reports / total * 100) == Decimal(COST["meldingen_aandeel_productie_pct"])


@pytest.mark.parametrize("code", COST["salarismix"])
def test_salary_mix_amount_within_the_printed_percentage(code: str) -> None:
    """The printed percentages are rounded to 0.01%: the printed amount must lie within the
    amounts that the interval of that percentage gives."""
    row = COST["salarismix"][code]
    monthly = Decimal(row["maandsalaris"])
    scale = SalaryScale(row["omschrijving"], monthly, Decimal(row["percentage"]) / 100)
    tolerance = monthly * Decimal(row["percentage_eenheid"]) / 2 / 100
    assert abs(scale.amount - Decimal(row["bedrag"])) <= tolerance


def _build_up():
    monthly = sum(Decimal(row["bedrag"]) for row in COST["salarismix"].values())
    return cost_price(monthly)


@pytest.mark.parametrize(
    ("field", "published_key"),
    [
        ("personnel_costs", "personeelskosten_per_jaar"),
        ("social_charges", "sociale_lasten_26"),
        ("travel_training", "reis_opleiding_10"),
        ("subtotal_1", "subtotaal_1"),
        ("direct_costs", "directe_kosten_20"),
        ("overhead", "overhead_20"),
        ("subtotal_2", "subtotaal_2"),
        ("risk", "risico_5"),
        ("total_per_fte", "totaal"),
    ],
)
def test_cost_price_build_up(field: str, published_key: str) -> None:
    assert round_half_up(getattr(_build_up(), field)) == expected(COST[published_key])[0]


def test_price_per_hour() -> None:
    assert round_half_up(_build_up().price_per_hour, Decimal("0.01")) == Decimal(
        COST["prijs_per_uur"]
    )
    assert Decimal(COST["declarabele_uren"]) == CostPriceParameters().productive_hours


def test_salary_mix_sums_scales() -> None:
    scales = [SalaryScale("a", Decimal(3500), Decimal("0.5")), SalaryScale("b", Decimal(4000), 0)]
    assert salary_mix(scales) == Decimal(1750)
