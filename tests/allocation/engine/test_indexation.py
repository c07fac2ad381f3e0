"""Indexatie: a budget indexed by a weighted mix of price indices."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allocation.engine import (
    DefinitionError,
    IndexComponent,
    index_budget,
    index_series,
    round_half_up,
)

fast = settings(max_examples=80, deadline=None)
CENT = Decimal("0.01")


VT_MIX = [
    IndexComponent("lonen", "3/4", Decimal("3.2"), "cao-stijging (voorbeeld)"),
    IndexComponent("prijzen", "25%", Decimal("2.1"), "CPB, prijs overheidsconsumptie"),
]


def test_the_vt_budget_indexed_by_wages_and_prices() -> None:
    result = index_budget(Decimal(3934300), VT_MIX)
    assert result.percentage == Decimal("2.925")
    wages, prices = result.components
    assert wages.exact == Decimal("94423.2")
    assert wages.amount == Decimal("94423.20")
    assert prices.exact == Decimal("20655.075")
    assert prices.amount == Decimal("20655.08")  # half up
    assert result.increase == Decimal("115078.28")
    assert result.indexed == Decimal("4049378.28")
    assert result.indexed == result.base + wages.amount + prices.amount
    assert prices.source.startswith("CPB")


def test_weights_may_be_fractions_percentages_or_decimals() -> None:
    as_decimals = index_budget(
        1000, [IndexComponent("a", Decimal("0.75"), 4), IndexComponent("b", "0.25", 0)]
    )
    as_text = index_budget(1000, [IndexComponent("a", "75%", "4"), IndexComponent("b", "1/4", 0)])
    assert as_decimals.indexed == as_text.indexed == Decimal(1030)


def test_contributions_add_up_to_the_increase_by_largest_remainder() -> None:
    parts = [IndexComponent(name, "1/3", Decimal("1")) for name in "abc"]
    result = index_budget(Decimal("100.01"), parts)
    # each exact contribution is 0.33336..., the whole 1.0001 → 1.00
    assert result.increase == Decimal("1.00")
    assert sum(c.amount for c in result.components) == result.increase
    assert sorted(c.amount for c in result.components) == [
        Decimal("0.33"),
        Decimal("0.33"),
        Decimal("0.34"),
    ]


def test_a_negative_index_lowers_the_budget() -> None:
    result = index_budget(Decimal(1000), [IndexComponent("energie", 1, Decimal("-12.5"))])
    assert result.indexed == Decimal("875.00")


def test_a_chain_of_years_builds_on_the_rounded_previous_year() -> None:
    series = index_series(
        Decimal(3934300),
        {
            2020: [IndexComponent("lonen", "3/4", "2.5"), IndexComponent("prijzen", "1/4", "1.6")],
            2019: VT_MIX,
        },
    )
    assert [year.year for year in series.years] == [2019, 2020]
    first, second = series.years
    assert first.indexed == Decimal("4049378.28")
    assert second.base == first.indexed
    assert second.indexed == Decimal("4141501.64")
    assert series.indexed == second.indexed
    assert series.percentage == Decimal("5.26654375")  # 1.02925 × 1.02275 − 1
    assert series.year(2020) is second


@pytest.mark.parametrize(
    ("components", "path", "fragment"),
    [
        ([], "componenten", "minstens één"),
        ([IndexComponent("a", "1/2", 1)], "componenten", "tellen op tot 0.5 in plaats van 1"),
        ([IndexComponent("a", "veel", 1)], "componenten[0].gewicht", "aandeel zoals"),
        (
            [IndexComponent("a", "120%", 1), IndexComponent("b", "-20%", 1)],
            "componenten[1].gewicht",
            "negatief",
        ),
        ([IndexComponent("a", 1, 3.2)], "componenten[0].index", "exact getal"),
        (
            [IndexComponent("a", "1/2", 1), IndexComponent("a", "1/2", 1)],
            "componenten[1].naam",
            "twee keer",
        ),
        ([IndexComponent("", 1, 1)], "componenten[0].naam", "naam"),
    ],
)
def test_invalid_components_are_dutch_errors(components: list, path: str, fragment: str) -> None:
    with pytest.raises(DefinitionError) as caught:
        index_budget(Decimal(100), components)
    assert caught.value.path == path
    assert fragment in caught.value.message


def test_an_error_in_a_chain_names_the_year() -> None:
    with pytest.raises(DefinitionError) as caught:
        index_series(Decimal(100), {2019: VT_MIX, 2020: [IndexComponent("a", "0.9", 1)]})
    assert caught.value.path == "jaren.2020"
    with pytest.raises(DefinitionError) as caught:
        index_series(Decimal(100), {})
    assert caught.value.path == "jaren"


# --- properties ---------------------------------------------------------------------------------

budgets = st.decimals(min_value=0, max_value=10**9, places=2)
indices = st.decimals(min_value=-20, max_value=20, places=2)


@st.composite
def mixes(draw: st.DrawFn, zero: bool = False) -> list[IndexComponent]:
    counts = draw(st.lists(st.integers(1, 100), min_size=1, max_size=6))
    total = sum(counts)
    return [
        IndexComponent(f"c{i}", f"{count}/{total}", Decimal(0) if zero else draw(indices))
        for i, count in enumerate(counts)
    ]


@fast
@given(budgets, mixes(zero=True))
def test_zero_indices_leave_the_budget_unchanged(base: Decimal, mix: list) -> None:
    result = index_budget(base, mix)
    assert result.indexed == base
    assert result.increase == 0
    assert result.percentage == 0


@fast
@given(budgets, mixes())
def test_the_indexed_budget_is_the_rounded_formula_and_adds_up(base: Decimal, mix: list) -> None:
    result = index_budget(base, mix)
    assert sum(c.amount for c in result.components) == result.increase
    assert result.indexed == base + result.increase
    assert abs(result.exact - base * (1 + result.percentage / 100)) < Decimal("1e-18")
    assert result.increase == round_half_up(result.exact - base, CENT)
    for component in result.components:
        assert abs(component.amount - component.exact) < CENT


@fast
@given(budgets, indices, st.integers(1, 6))
def test_equal_indices_give_that_index(base: Decimal, index: Decimal, parts: int) -> None:
    mix = [IndexComponent(f"c{i}", f"1/{parts}", index) for i in range(parts)]
    assert abs(index_budget(base, mix).percentage - index) < Decimal("1e-40")


@fast
@given(budgets, st.lists(mixes(), min_size=1, max_size=5))
def test_a_chain_is_the_years_one_after_another(base: Decimal, mixes_per_year: list) -> None:
    series = index_series(base, {2020 + i: mix for i, mix in enumerate(mixes_per_year)})
    current = base
    for year, mix in zip(series.years, mixes_per_year, strict=True):
        assert year.indexed == index_budget(current, mix).indexed
        current = year.indexed
    assert series.indexed == current
