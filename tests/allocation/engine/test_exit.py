"""Uittreding: the effect of one participant leaving, and an indication of its exit sum."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from allocation.engine import (
    DATA_DIR,
    Definition,
    DefinitionError,
    allocate,
    exit_effect,
    load_definition_file,
    parse_definition,
    without_participant,
)
from core.formatting import format_money

from .vt2018 import result

fast = settings(max_examples=50, deadline=None)


def vt(variant: str) -> Definition:
    return load_definition_file(DATA_DIR / "vt2018" / f"{variant}.json")


# --- Veilig Thuis 2018 --------------------------------------------------------------------------


def test_renkum_leaves_under_a() -> None:
    effect = exit_effect(vt("A"), "Renkum")
    assert effect.label == "Indicatie"
    assert effect.contribution == Decimal(159300) == result("A").participant("Renkum").amount
    # a fixed budget: the others pay the same total, the CG members Renkum's part between them
    assert effect.after.total == effect.before.total == Decimal(3934300)
    assert "Renkum" not in [p.name for p in effect.after.participants]
    assert effect.redistributed == Decimal(159300)
    assert [e.name for e in effect.effects] == [
        p.name for p in result("A").participants if p.name != "Renkum"
    ]
    arnhem = effect.effect("Arnhem")
    assert (arnhem.before, arnhem.after, arnhem.difference) == (
        Decimal(1275000),
        Decimal(1338400),
        Decimal(63400),
    )
    assert effect.effect("Doesburg").difference == Decimal(4600)
    assert effect.effect("Doesburg").per_inhabitant == Decimal("0.41")  # 4,600 / 11,336
    for name in ("Barneveld", "Ede", "Nijkerk", "Scherpenzeel", "Wageningen"):
        assert effect.effect(name).difference == 0  # VV keeps its third
    assert effect.measure == "inwoners"
    assert effect.notes == ()


def test_renkum_exit_sum_by_the_two_methods() -> None:
    effect = exit_effect(vt("A"), "Renkum")
    a = effect.method_a
    assert [line.percentage for line in a.lines] == [100, 80, 60, 40, 20]
    assert [line.amount for line in a.lines] == [159300, 127440, 95580, 63720, 31860]
    assert a.total == Decimal(477900)
    assert a.label == "Indicatie"
    assert "aflopend met 20% per jaar: 100%, 80%, 60%, 40%, 20%" in a.parameters
    assert "€ 159.300 per jaar" in a.parameters
    b = effect.method_b
    assert [line.amount for line in b.lines] == [159300] * 5
    assert b.total == Decimal(796500)
    assert "overbruggingsperiode van 5 jaar" in b.parameters


def test_the_methods_take_their_parameters() -> None:
    effect = exit_effect(
        vt("A"), "Renkum", years=4, decline="25%", bridging_years=3, fixed_share=Decimal("0.35")
    )
    assert [line.percentage for line in effect.method_a.lines] == [100, 75, 50, 25]
    assert effect.method_a.total == Decimal("398250")
    assert effect.method_b.basis == Decimal("55755.00")
    assert effect.method_b.total == Decimal("167265.00")
    assert "35% van de bijdrage" in effect.method_b.parameters
    given_costs = exit_effect(vt("A"), "Renkum", direct_costs=Decimal(40000))
    assert given_costs.method_b.total == Decimal(200000)
    assert "opgegeven bedrag" in given_costs.method_b.parameters


def test_nijkerk_leaves_under_a_and_its_upfront_payment_goes() -> None:
    effect = exit_effect(vt("A"), "Nijkerk")
    assert effect.after.total == Decimal(3934300)
    assert effect.redistributed == effect.contribution == Decimal(202800)
    assert any("vooraf-betaling van Nijkerk vervalt" in note for note in effect.notes)
    assert all(effect.effect(name).difference == 0 for name in ("Arnhem", "Doesburg"))


def test_renkum_leaves_under_c1_the_others_pay_the_duvo_settlement() -> None:
    effect = exit_effect(vt("C1"), "Renkum")
    assert any("duvo_arnhem" in note for note in effect.notes)
    settlement = effect.after.step("duvo_arnhem")
    assert sum(settlement.amounts.values()) == 0
    assert "Renkum" not in settlement.amounts
    # the service-line budgets stay, so C1's exact total is unchanged
    assert effect.after.exact_total == effect.before.exact_total


def largest(result, names) -> str:
    """The name with the largest amount in ``result`` (the first in its order on a tie)."""
    amounts = result.amounts()
    return max((name for name in amounts if name in names), key=lambda name: amounts[name])


@pytest.mark.parametrize(
    ("variant", "leaver", "group"),
    [("A", "Arnhem", "CG"), ("A", "Ede", "VV"), ("A-jeugd", "Ede", "VV"), ("B", "Arnhem", "CG")],
)
def test_a_centre_municipality_leaves_and_the_largest_share_takes_the_rounding(
    variant: str, leaver: str, group: str
) -> None:
    """The centre took its region's rounding difference; without it the remaining member of
    the region with the largest amount under the variant takes it, and the fixed budget is
    still allocated exactly."""
    before = result(variant)
    members = [name for name in before.group(group).members if name != leaver]
    successor = largest(before, members)
    effect = exit_effect(vt(variant), leaver)
    assert effect.after.total == effect.before.total
    assert effect.redistributed == effect.contribution
    final = effect.after.rounding
    assert successor in final.receivers and leaver not in final.receivers
    assert any(
        note.startswith("de eindafronding: ")
        and f"{leaver} kreeg het afrondingsverschil als centrumgemeente van groep '{group}'" in note
        and f"nu krijgt {successor} het" in note
        for note in effect.notes
    )
    # the other region's centre keeps its own difference
    others = {g.centre for g in before.groups if g.code != group}
    assert others <= set(final.receivers)


@pytest.mark.parametrize(
    ("variant", "leaver", "path", "fragment"),
    [
        ("C1", "Ede", "stappen[4].ontvanger", "ontvangt de verrekening in stap 'duvo_ede'"),
        ("C1", "Arnhem", "stappen[3].ontvanger", "ontvangt de verrekening in stap 'duvo_arnhem'"),
        ("C2", "Arnhem", "stappen[3].ontvanger", "ontvangt de verrekening in stap 'duvo_arnhem'"),
    ],
)
def test_a_leaver_the_variant_cannot_do_without(
    variant: str, leaver: str, path: str, fragment: str
) -> None:
    with pytest.raises(DefinitionError) as caught:
        exit_effect(vt(variant), leaver)
    assert caught.value.path == path
    assert fragment in caught.value.message
    assert f"zonder {leaver} kan deze variant niet worden doorgerekend" in caught.value.message


@pytest.mark.parametrize(
    ("kwargs", "path", "fragment"),
    [
        ({"years": 0}, "jaren", "1 tot en met 20"),
        ({"decline": "30%"}, "afbouw", "in jaar 5 onder 0%"),
        ({"decline": "1.5"}, "afbouw", "0 tot en met 1"),
        ({"bridging_years": 21}, "overbruggingsjaren", "1 tot en met 20"),
        ({"fixed_share": "-1"}, "aandeel_vaste_kosten", "0 tot en met 1"),
        ({"direct_costs": Decimal(-5)}, "directe_kosten", "niet negatief"),
        ({"direct_costs": 5.5}, "directe_kosten", "exact getal"),
    ],
)
def test_invalid_parameters_are_dutch_errors(kwargs: dict, path: str, fragment: str) -> None:
    with pytest.raises(DefinitionError) as caught:
        exit_effect(vt("A"), "Renkum", **kwargs)
    assert caught.value.path == path
    assert fragment in caught.value.message


def test_an_unknown_leaver() -> None:
    with pytest.raises(DefinitionError) as caught:
        exit_effect(vt("A"), "Renkun")
    assert caught.value.path == "uittreder"
    assert "onbekende deelnemer 'Renkun'" in caught.value.message


# --- how a definition does without the leaver ----------------------------------------------------


def small(steps: list[dict[str, Any]], **extra: Any) -> Definition:
    return parse_definition(
        {
            "formaat": "verdeelmodel/1",
            "invoer": {
                "groepen": [{"code": "G", "centrum": "a"}, {"code": "H", "centrum": "d"}],
                "deelnemers": [
                    {"naam": "a", "groep": "G"},
                    {"naam": "b", "groep": "G"},
                    {"naam": "c", "groep": "G"},
                    {"naam": "d", "groep": "H"},
                    {"naam": "e", "groep": "H"},
                ],
                "maten": {"m": {"waarden": {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5}}},
            },
            "stappen": steps,
            **extra,
        }
    )


def test_a_fixed_share_of_the_leaver_is_spread_pro_rata() -> None:
    step = {
        "id": "x",
        "soort": "verdeling",
        "bedrag": 1200,
        "sleutel": {"vast": {"a": "1/2", "b": "1/4", "c": "1/4"}},
    }
    remaining, notes = without_participant(small([step]), "c")
    amounts = allocate(remaining).amounts()
    assert amounts == {"a": 800, "b": 400, "d": 0, "e": 0}
    assert "het vaste aandeel van c (0.25)" in notes[0]


def test_in_a_per_group_step_the_share_is_spread_within_the_group() -> None:
    region = {
        "id": "regio",
        "soort": "verdeling",
        "over": "groepen",
        "bedrag": 1000,
        "sleutel": {"vast": {"G": "3/5", "H": "2/5"}},
    }
    by_measure = {
        "id": "g",
        "soort": "verdeling",
        "per_groep": True,
        "binnen": "G",
        "bedrag": {"stap": "regio"},
        "sleutel": {"maat": "m"},
    }
    fixed = {
        "id": "h",
        "soort": "verdeling",
        "per_groep": True,
        "binnen": "H",
        "bedrag": {"stap": "regio"},
        "sleutel": {"mix": [{"gewicht": 1, "sleutel": {"vast": {"d": "1/4", "e": "3/4"}}}]},
    }
    definition = small([region, by_measure, fixed])
    assert allocate(definition).amounts() == {"a": 100, "b": 200, "c": 300, "d": 100, "e": 300}
    remaining, notes = without_participant(definition, "d")
    assert allocate(remaining).amounts() == {"a": 100, "b": 200, "c": 300, "e": 400}
    assert "stap 'h'" in notes[0]


def test_fixed_amounts_of_the_leaver_go() -> None:
    step = {"id": "x", "soort": "vast", "bedragen": {"a": 10, "b": 20}}
    remaining, notes = without_participant(small([step]), "b")
    assert allocate(remaining).total == 10
    assert "het vaste bedrag van b vervalt" in notes[0]


@pytest.mark.parametrize(
    ("steps", "leaver", "path", "fragment"),
    [
        (
            [{"id": "x", "soort": "bodem", "component": "x", "opvanger": "b"}],
            "b",
            "stappen[0].opvanger",
            "b vangt de bodem",
        ),
        (
            [{"id": "x", "soort": "bodem", "component": "x", "opvanger": "centrum"}],
            "a",
            "stappen[0].opvanger",
            "centrumgemeente van groep 'G'",
        ),
        (
            [
                {"id": "x", "soort": "verdeling", "bedrag": 10, "sleutel": {"maat": "m"}},
                {"id": "y", "soort": "vast", "bedragen": {"a": {"stap": "x", "deelnemer": "b"}}},
            ],
            "b",
            "stappen[1].bedragen.a.stap",
            "het deel van b in stap 'x'",
        ),
        (
            [
                {
                    "id": "x",
                    "soort": "verdeling",
                    "bedrag": 10,
                    "binnen": ["c"],
                    "sleutel": {"gelijk": True},
                }
            ],
            "c",
            "stappen[0]",
            "in stap 'x' blijft niemand over",
        ),
        (
            [{"id": "x", "soort": "verdeling", "bedrag": 10, "sleutel": {"vast": {"c": 1}}}],
            "c",
            "stappen[0].sleutel.vast",
            "geeft alleen c een aandeel",
        ),
    ],
)
def test_what_the_model_cannot_do_without(
    steps: list[dict[str, Any]], leaver: str, path: str, fragment: str
) -> None:
    with pytest.raises(DefinitionError) as caught:
        without_participant(small(steps), leaver)
    assert caught.value.path == path
    assert fragment in caught.value.message


def test_a_named_receiver_of_a_step_rounding_is_succeeded_by_the_largest_share() -> None:
    step = {
        "id": "x",
        "soort": "verdeling",
        "bedrag": 10,
        "sleutel": {"maat": "m"},
        "afronding": {"eenheid": 1, "verschil": {"naar": "e"}},
    }
    definition = small([step])
    before = allocate(definition)
    successor = largest(before, ["a", "b", "c", "d"])
    remaining, notes = without_participant(definition, "e")
    after = allocate(remaining)
    assert after.step("x").rounding.receivers == (successor,)
    assert after.total == 10
    assert notes == (
        "de afronding van stap 'x': e kreeg het afrondingsverschil; nu krijgt "
        f"{successor} het, de overblijvende deelnemer met het grootste aandeel "
        f"({format_money(before.participant(successor).amount)})",
    )


def test_a_receiver_per_group_is_succeeded_within_its_group() -> None:
    step = {
        "id": "x",
        "soort": "verdeling",
        "per_groep": True,
        "bedrag": 100,
        "sleutel": {"maat": "m"},
        "afronding": {"eenheid": 1, "per_groep": True, "verschil": {"naar": {"G": "b", "H": "e"}}},
    }
    definition = small([step])
    before = allocate(definition)
    remaining, notes = without_participant(definition, "b")
    after = allocate(remaining)
    assert set(after.step("x").rounding.receivers) == {largest(before, ["a", "c"]), "e"}
    assert "van groep 'G'" in notes[0] and "van die groep" in notes[0]


def test_the_only_member_of_a_group_cannot_leave() -> None:
    definition = parse_definition(
        {
            "formaat": "verdeelmodel/1",
            "invoer": {
                "groepen": [{"code": "G"}, {"code": "H"}],
                "deelnemers": [{"naam": "a", "groep": "G"}, {"naam": "b", "groep": "H"}],
            },
            "stappen": [
                {"id": "x", "soort": "verdeling", "bedrag": 10, "sleutel": {"gelijk": True}}
            ],
        }
    )
    with pytest.raises(DefinitionError) as caught:
        without_participant(definition, "b")
    assert caught.value.path == "invoer.groepen"


# --- properties ---------------------------------------------------------------------------------

UNITS = ["0.01", "1", "100"]


@st.composite
def fixed_budget_models(draw: st.DrawFn, centre: bool = False) -> tuple[Definition, str]:
    """A fixed budget over two groups (fixed shares), within each by a measure, rounded per
    group to the centre or by largest remainder; a leaver in a group of ≥ 2 (its centre G0
    with ``centre``, else another member)."""
    sizes = [draw(st.integers(2, 6)), draw(st.integers(1, 6))]
    participants, values = [], {}
    for group, size in zip(("G", "H"), sizes, strict=True):
        for index in range(size):
            name = f"{group}{index}"
            participants.append({"naam": name, "groep": group})
            values[name] = draw(st.integers(1, 10**6))
    budget = draw(st.decimals(min_value=0, max_value=10**8, places=2))
    plug = draw(st.booleans())
    rounding: dict[str, Any] = {"eenheid": draw(st.sampled_from(UNITS)), "per_groep": True}
    if plug:
        rounding["verschil"] = "centrum"
    definition = parse_definition(
        {
            "formaat": "verdeelmodel/1",
            "invoer": {
                "groepen": [{"code": "G", "centrum": "G0"}, {"code": "H", "centrum": "H0"}],
                "deelnemers": participants,
                "maten": {"m": {"waarden": values}},
            },
            "stappen": [
                {
                    "id": "regio",
                    "soort": "verdeling",
                    "over": "groepen",
                    "bedrag": budget,
                    "sleutel": {"vast": {"G": "2/3", "H": "1/3"}},
                    "afronding": {"eenheid": 100, "verschil": {"naar": "H"}},
                },
                {
                    "id": "gemeenten",
                    "soort": "verdeling",
                    "per_groep": True,
                    "bedrag": {"stap": "regio"},
                    "sleutel": {"maat": "m"},
                },
            ],
            "afronding": rounding,
        }
    )
    leaver = "G0" if centre else f"G{draw(st.integers(1, sizes[0] - 1))}"
    return definition, leaver


@fast
@given(fixed_budget_models())
def test_with_a_fixed_budget_the_others_pay_the_same_total(model: tuple) -> None:
    definition, leaver = model
    effect = exit_effect(definition, leaver)
    assert effect.after.total == effect.before.total
    assert sum(e.after for e in effect.effects) == effect.before.total
    assert effect.redistributed == effect.contribution
    for group in effect.after.groups:
        assert group.amount == effect.before.group(group.code).amount
    for e in effect.effects:
        if e.name.startswith("H"):
            assert e.difference == 0


@fast
@given(fixed_budget_models(centre=True))
def test_when_the_centre_leaves_the_largest_share_takes_its_rounding(model: tuple) -> None:
    definition, leaver = model
    effect = exit_effect(definition, leaver)
    assert effect.after.total == effect.before.total
    assert effect.redistributed == effect.contribution
    for group in effect.after.groups:
        assert group.amount == effect.before.group(group.code).amount
    if definition.rounding.to_centre:
        members = [name for name in effect.before.group("G").members if name != leaver]
        assert largest(effect.before, members) in effect.after.rounding.receivers
        assert "H0" in effect.after.rounding.receivers


@fast
@given(
    fixed_budget_models(),
    st.integers(1, 10),
    st.integers(0, 10),
    st.integers(1, 10),
    st.integers(0, 100),
)
def test_the_methods_add_up(
    model: tuple, years: int, decline: int, bridging: int, share: int
) -> None:
    definition, leaver = model
    assume(100 - (years - 1) * decline >= 0)
    effect = exit_effect(
        definition,
        leaver,
        years=years,
        decline=f"{decline}%",
        bridging_years=bridging,
        fixed_share=f"{share}%",
    )
    a, b = effect.method_a, effect.method_b
    assert [line.year for line in a.lines] == list(range(1, years + 1))
    assert [line.percentage for line in a.lines] == [100 - i * decline for i in range(years)]
    assert a.total == sum(line.amount for line in a.lines)
    for line in a.lines:
        assert abs(line.amount - effect.contribution * line.percentage / 100) <= Decimal("0.005")
    assert len(b.lines) == bridging
    assert b.total == b.basis * bridging
    assert abs(b.basis - effect.contribution * share / 100) <= Decimal("0.005")
