"""Properties that must hold for any inputs (hypothesis)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from allocation.engine import (
    AllocationResult,
    allocate,
    distribute,
    parse_definition,
    round_in_steps,
    settle,
)

UNITS = [Decimal("0.01"), Decimal(1), Decimal(50), Decimal(100), Decimal(1000)]
GROUPS = ("G1", "G2", "G3")

fast = settings(max_examples=60, deadline=None)

amounts = st.decimals(min_value=-(10**7), max_value=10**8, places=2)
budgets = st.decimals(min_value=0, max_value=10**8, places=2)
measures = st.integers(min_value=0, max_value=10**7) | st.decimals(
    min_value=0, max_value=10**6, places=3
)


@st.composite
def populations(draw: st.DrawFn, min_size: int = 2, max_size: int = 12) -> list[tuple[Any, str]]:
    """(measure, group) per participant; in every group the measures do not all vanish."""
    size = draw(st.integers(min_size, max_size))
    values = draw(st.lists(measures, min_size=size, max_size=size))
    groups = draw(st.lists(st.sampled_from(GROUPS), min_size=size, max_size=size))
    population = list(zip(values, groups, strict=True))
    for group in set(groups):
        if not any(value for value, member in population if member == group):
            population.append((1, group))
    return population


def document(
    population: list[tuple[Any, str]], steps: list[dict[str, Any]], rounding: dict[str, Any]
) -> dict[str, Any]:
    names = [f"P{index}" for index in range(len(population))]
    used = sorted({group for _, group in population})
    centres = {
        group: next(n for n, (_, g) in zip(names, population, strict=True) if g == group)
        for group in used
    }
    return {
        "formaat": "verdeelmodel/1",
        "invoer": {
            "groepen": [{"code": group, "centrum": centres[group]} for group in used],
            "deelnemers": [
                {"naam": name, "groep": group}
                for name, (_, group) in zip(names, population, strict=True)
            ],
            "maten": {
                "m": {
                    "waarden": {
                        name: value for name, (value, _) in zip(names, population, strict=True)
                    }
                }
            },
        },
        "stappen": steps,
        "afronding": rounding,
    }


def split(amount: Decimal) -> list[dict[str, Any]]:
    return [{"id": "kosten", "soort": "verdeling", "bedrag": amount, "sleutel": {"maat": "m"}}]


def rule(unit: Decimal, per_group: bool, plug: bool) -> dict[str, Any]:
    rounding: dict[str, Any] = {"eenheid": unit, "per_groep": per_group}
    if plug:
        rounding["verschil"] = "centrum" if per_group else {"naar": "P0"}
    return rounding


def run(population: list[tuple[Any, str]], steps: list[dict[str, Any]], rounding: dict[str, Any]):
    return allocate(parse_definition(document(population, steps, rounding)))


def check_adds_up(result: AllocationResult, unit: Decimal, per_group: bool) -> None:
    if per_group:
        for group in result.groups:
            assert group.amount == round_in_steps(group.exact_total, [unit])
            assert sum(result.participant(n).amount for n in group.members) == group.amount
    else:
        assert result.total == round_in_steps(result.exact_total, [unit])
    assert result.total == sum(p.amount for p in result.participants)
    for participant in result.participants:
        assert participant.amount % unit == 0


@fast
@given(populations(), budgets, st.sampled_from(UNITS), st.booleans(), st.booleans())
def test_parts_add_up_to_the_rounded_whole(
    population: list[tuple[Any, str]], amount: Decimal, unit: Decimal, per_group: bool, plug: bool
) -> None:
    result = run(population, split(amount), rule(unit, per_group, plug))
    check_adds_up(result, unit, per_group)
    receivers = set(result.rounding.receivers)
    for participant in result.participants:
        if participant.name not in receivers:
            assert abs(participant.amount - participant.exact_total) <= unit


@fast
@given(populations(), budgets, st.sampled_from(UNITS))
def test_two_stages_with_double_rounding_add_up(
    population: list[tuple[Any, str]], amount: Decimal, unit: Decimal
) -> None:
    first = sorted({group for _, group in population})[0]
    steps = [
        {
            "id": "regio",
            "soort": "verdeling",
            "over": "groepen",
            "bedrag": amount,
            "sleutel": {"maat": "m"},
            "afronding": {"eenheden": [50, 100], "verschil": {"naar": first}},
        },
        {
            "id": "binnen",
            "soort": "verdeling",
            "per_groep": True,
            "bedrag": {"stap": "regio"},
            "sleutel": {"gelijk": True},
        },
    ]
    result = run(population, steps, rule(unit, True, True))
    regio = result.step("regio")
    assert regio.total == round_in_steps(amount, [Decimal(50), Decimal(100)])
    for group in result.groups:
        assert group.exact_total == regio.amounts[group.code]
    check_adds_up(result, unit, True)


@fast
@given(populations(), budgets, st.sampled_from(UNITS), st.integers(2, 5), measures)
def test_equal_measures_get_equal_amounts(
    population: list[tuple[Any, str]], amount: Decimal, unit: Decimal, copies: int, value: Any
) -> None:
    population = [*population, *[(value, "G1")] * copies]
    result = run(population, split(amount), rule(unit, False, False))
    twins = result.participants[-copies:]
    exact = [twin.exact_total for twin in twins]
    assert max(exact) - min(exact) <= Decimal("1e-18")  # the last 1e-20s of an exact split
    rounded = [twin.amount for twin in twins]
    assert max(rounded) - min(rounded) <= unit


@fast
@given(
    populations(),
    budgets,
    st.sampled_from(UNITS),
    st.integers(1, 10**4) | st.decimals(min_value="0.01", max_value=1000, places=2),
    st.booleans(),
)
def test_scaling_all_measures_changes_nothing(
    population: list[tuple[Any, str]], amount: Decimal, unit: Decimal, factor: Any, plug: bool
) -> None:
    scaled = [(Decimal(value) * Decimal(factor), group) for value, group in population]
    steps = [
        {
            "id": "kosten",
            "soort": "verdeling",
            "per_groep": True,
            "bedrag": amount,
            "sleutel": {
                "mix": [
                    {"gewicht": "0.360575", "sleutel": {"maat": "m"}},
                    {"gewicht": "0.639425", "sleutel": {"gelijk": True}},
                ]
            },
        }
    ]
    before = run(population, steps, rule(unit, True, plug))
    after = run(scaled, steps, rule(unit, True, plug))
    assert [(p.exact_total, p.amount) for p in before.participants] == [
        (p.exact_total, p.amount) for p in after.participants
    ]


@fast
@given(populations(), amounts, st.sampled_from(UNITS), st.data())
def test_settlements_sum_to_zero(
    population: list[tuple[Any, str]], amount: Decimal, unit: Decimal, data: st.DataObject
) -> None:
    receiver = f"P{data.draw(st.integers(0, len(population) - 1))}"
    settlement = {
        "id": "verrekening",
        "soort": "verrekening",
        "bedrag": amount,
        "ontvanger": receiver,
        "sleutel": {"maat": "m"},
    }
    rounded = {**settlement, "id": "afgerond", "afronding": {"eenheid": unit}}
    result = run(population, [settlement, rounded], rule(unit, False, False))
    assert sum(result.step("verrekening").exact.values()) == 0
    assert sum(result.step("afgerond").amounts.values()) == 0
    assert result.exact_total == 0
    assert result.total == 0


@fast
@given(
    st.lists(amounts, min_size=1, max_size=20),
    st.sampled_from([[u] for u in UNITS] + [[Decimal(50), Decimal(100)]]),
    st.booleans(),
)
def test_distribute_adds_up(parts: list[Decimal], units: list[Decimal], plug: bool) -> None:
    named = {f"p{index}": value for index, value in enumerate(parts)}
    whole, rounded = distribute(named, units, "p0" if plug else None)
    assert whole == round_in_steps(sum(parts), units)
    assert sum(rounded.values()) == whole
    assert list(rounded) == list(named)


@fast
@given(amounts, st.lists(measures, min_size=1, max_size=15), st.sampled_from(UNITS))
def test_year_end_settlement_adds_up(amount: Decimal, weights: list[Any], unit: Decimal) -> None:
    if sum(weights) == 0:
        weights = [*weights, 1]
    result = settle(amount, {f"p{i}": w for i, w in enumerate(weights)}, units=[unit])
    assert sum(result.parts.values()) == result.amount == round_in_steps(amount, [unit])
