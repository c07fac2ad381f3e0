"""The engine's building blocks, one at a time, on small hand-checked examples."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal, localcontext
from pathlib import Path
from typing import Any

import pytest

from allocation.engine import (
    DATA_DIR,
    VT2018_VARIANTS,
    DefinitionError,
    allocate,
    build_definition,
    format_euro,
    load_definition,
    parse_definition,
    read_document,
    render_table,
    result_to_dict,
    settle,
    settle_result,
)

# Inhabitants on 1 January 2016 (CBS) of five municipalities of Regio Noord-Limburg.
NOORD_LIMBURG = {
    "Venlo": 100371,
    "Venray": 43291,
    "Horst aan de Maas": 41675,
    "Gennep": 17085,
    "Mook en Middelaar": 7755,
}


def definition(steps: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    """A definition over the five municipalities (two groups: Venlo's and Gennep's)."""
    groups = {"Venlo": "N", "Venray": "N", "Horst aan de Maas": "N"}
    return {
        "formaat": "verdeelmodel/1",
        "invoer": {
            "groepen": [{"code": "N", "centrum": "Venlo"}, {"code": "Z", "centrum": "Gennep"}],
            "deelnemers": [{"naam": n, "groep": groups.get(n, "Z")} for n in NOORD_LIMBURG],
            "maten": {
                "inwoners": {"waarden": NOORD_LIMBURG},
                "zaken": {
                    "waarden": {
                        name: {"2015": index, "2016": 2 * index, "2017": 3 * index + 1}
                        for index, name in enumerate(NOORD_LIMBURG, start=1)
                    }
                },
            },
            "parameters": {"begroting": "1000000"},
            "diensten": {"advies": {"volume": 300, "norm": "1.5"}},
        },
        "stappen": steps,
        **extra,
    }


def run(steps: list[dict[str, Any]], **extra: Any):
    return allocate(parse_definition(definition(steps, **extra)))


def amounts(result) -> dict[str, Decimal]:
    return result.amounts()


def test_rate_per_inhabitant_the_total_follows() -> None:
    result = run([{"id": "rno", "soort": "tarief", "tarief": "5.56", "per": {"maat": "inwoners"}}])
    assert result.participant("Venlo").amount == Decimal("558062.76")
    assert result.total == Decimal("5.56") * sum(NOORD_LIMBURG.values())


def test_base_amount_plus_variable_part() -> None:
    result = run(
        [
            {
                "id": "bijdrage",
                "soort": "verdeling",
                "bedrag": "100000",
                "basisbedrag": "10000",
                "sleutel": {"maat": "inwoners"},
            }
        ]
    )
    total_inhabitants = sum(NOORD_LIMBURG.values())
    venlo = Decimal(10000) + Decimal(50000) * NOORD_LIMBURG["Venlo"] / total_inhabitants
    assert abs(result.participant("Venlo").exact_total - venlo) < Decimal("1e-15")
    assert result.total == Decimal(100000)


def test_rate_with_a_base_amount() -> None:
    result = run(
        [
            {
                "id": "rno",
                "soort": "tarief",
                "tarief": "2",
                "basisbedrag": "500",
                "per": {"maat": "inwoners"},
            }
        ]
    )
    assert result.participant("Gennep").amount == Decimal(500 + 2 * 17085)


def test_equal_shares_add_up_by_largest_remainder() -> None:
    def equal(amount: str, unit: str) -> list[Decimal]:
        steps = [
            {"id": "gelijk", "soort": "verdeling", "bedrag": amount, "sleutel": {"gelijk": True}}
        ]
        return list(run(steps, afronding={"eenheid": unit}).amounts().values())

    # ties go to the first participants, so the result is deterministic
    assert equal("1000.02", "0.01") == [Decimal("200.01")] * 2 + [Decimal("200.00")] * 3
    assert equal("100", "1") == [Decimal(20)] * 5
    # 1 rounds to 0.99 at a unit of 0.03; 5 × 0.18 = 0.90 leaves three units of 0.03
    assert equal("1", "0.03") == [Decimal("0.21")] * 3 + [Decimal("0.18")] * 2


def test_fixed_percentages_as_on_the_venlo_dashboard() -> None:
    """48.62% of 510,245 and 42.03% of 93,929 (Dashboard samenwerking Venlo, ZVH 2017)."""
    document = {
        "formaat": "verdeelmodel/1",
        "invoer": {"deelnemers": [{"naam": "Venlo"}, {"naam": "Overige gemeenten"}]},
        "stappen": [
            {
                "id": "veiligheidshuis",
                "soort": "verdeling",
                "bedrag": 510245,
                "sleutel": {"vast": {"Venlo": "48.62%", "Overige gemeenten": "51.38%"}},
                "afronding": {"eenheid": 1},
            },
            {
                "id": "jeugd",
                "soort": "verdeling",
                "bedrag": 93929,
                "sleutel": {"vast": {"Venlo": "42.03%", "Overige gemeenten": "57.97%"}},
                "afronding": {"eenheid": 1},
            },
        ],
        "afronding": {"eenheid": 1},
    }
    result = allocate(parse_definition(document))
    assert result.step("veiligheidshuis").amounts["Venlo"] == Decimal(248081)
    assert result.step("jeugd").amounts["Venlo"] == Decimal(39478)
    assert result.participant("Venlo").amount == Decimal(248081 + 39478)


def test_fixed_amounts() -> None:
    result = run([{"id": "vast", "soort": "vast", "bedragen": {"Venlo": "1234.50", "Gennep": 100}}])
    assert result.participant("Venlo").amount == Decimal("1234.50")
    assert result.participant("Venray").amount == 0


def test_two_stages_with_upfront_amount_and_double_rounding() -> None:
    result = run(
        [
            {
                "id": "regio",
                "soort": "verdeling",
                "over": "groepen",
                "bedrag": {"parameter": "begroting"},
                "sleutel": {"maat": "inwoners"},
                "afronding": {"eenheden": [50, 100], "verschil": {"naar": "Z"}},
            },
            {
                "id": "gemeenten",
                "soort": "verdeling",
                "per_groep": True,
                "bedrag": {"stap": "regio"},
                "vooraf": [{"deelnemer": "Venlo", "bedrag": 100000, "component": "vooraf"}],
                "sleutel": {"maat": "inwoners"},
            },
        ],
        afronding={"eenheid": 100, "per_groep": True, "verschil": "centrum"},
    )
    regio = result.step("regio")
    # N: 1,000,000 × 185,337 / 210,177 = 881,814.27 → 881,800 (50) → 881,800 (100); Z the rest
    assert regio.amounts == {"N": Decimal(881800), "Z": Decimal(118200)}
    assert result.group("N").amount == Decimal(881800)
    assert result.participant("Venlo").components["vooraf"] == Decimal(100000)
    assert result.total == Decimal(1000000)


def test_production_with_periods_and_moving_average() -> None:
    steps = [
        {
            "id": "productie",
            "soort": "productie",
            "tarief": "80",
            "regels": [
                {
                    "dienst": "advies",
                    "sleutel": {
                        "maat": "zaken",
                        "voortschrijdend_gemiddelde": {"jaren": 2, "tot_en_met": 2017},
                    },
                }
            ],
        }
    ]
    result = run(steps)
    # budget 300 × 1.5 × 80 = 36,000; weights (2i + 3i + 1) / 2 for i = 1..5 → 6, 11, 16, 21, 26
    assert result.total == Decimal(36000)
    assert result.participant("Venlo").amount == Decimal(36000) * 6 / 80
    steps[0]["regels"][0]["sleutel"] = {"maat": "zaken", "perioden": ["2015", "2016"]}
    result = run(steps)
    assert result.participant("Mook en Middelaar").amount == Decimal(36000) * 15 / 45


def test_service_budget_as_an_amount() -> None:
    steps = [
        {
            "id": "advies",
            "soort": "verdeling",
            "bedrag": {"diensten": ["advies"], "tarief": {"product": ["40", "2"]}},
            "sleutel": {"gelijk": True},
        }
    ]
    assert run(steps).total == Decimal(36000)


def test_settlement_is_zero_sum_and_pays_the_receiver() -> None:
    result = run(
        [
            {
                "id": "duvo",
                "soort": "verrekening",
                "bedrag": 50000,
                "ontvanger": "Venlo",
                "binnen": "N",
                "sleutel": {"maat": "inwoners"},
            }
        ],
        afronding={"eenheid": 1},
    )
    step = result.step("duvo")
    assert sum(step.exact.values()) == 0
    assert result.total == 0
    venlo_share = Decimal(100371) / (100371 + 43291 + 41675)
    assert abs(step.exact["Venlo"] - (50000 - 50000 * venlo_share)) < Decimal("1e-15")
    assert "Gennep" not in step.exact


def test_floor_with_a_named_absorber() -> None:
    result = run(
        [
            {"id": "kosten", "soort": "vast", "bedragen": {"Venlo": 1000, "Gennep": 10}},
            {"id": "korting", "soort": "vast", "bedragen": {"Gennep": -30}},
            {
                "id": "bodem",
                "soort": "bodem",
                "component": "kosten",
                "opvanger": "Venlo",
            },
        ]
    )
    assert result.participant("Gennep").amount == 0
    assert result.participant("Venlo").amount == Decimal(980)


def test_year_end_deficit_pro_rata_to_contributions_in_the_format() -> None:
    steps = [
        {"id": "bijdrage", "soort": "tarief", "tarief": "1", "per": {"maat": "inwoners"}},
        {
            "id": "tekort",
            "soort": "verdeling",
            "bedrag": "21017.70",
            "sleutel": {"stap": "bijdrage"},
        },
    ]
    result = run(steps, afronding={"eenheid": "0.01"})
    assert result.step("tekort").total == Decimal("21017.70")
    assert result.participant("Venlo").components["tekort"] == Decimal("10037.10")


def test_settle_result_pro_rata_adds_up() -> None:
    result = run(
        [{"id": "bijdrage", "soort": "tarief", "tarief": "1", "per": {"maat": "inwoners"}}]
    )
    surplus = settle_result(result, Decimal("-1000.01"))
    assert sum(surplus.parts.values()) == Decimal("-1000.01")
    by_key = settle_result(result, 100, key={"Venlo": 1, "Gennep": 1}, units=(Decimal(1),))
    assert by_key.parts == {"Venlo": Decimal(50), "Gennep": Decimal(50)}
    plugged = settle(Decimal(100), {"a": 1, "b": 1, "c": 1}, units=(Decimal(1),), receiver="c")
    assert plugged.parts == {"a": Decimal(33), "b": Decimal(33), "c": Decimal(34)}
    with pytest.raises(DefinitionError):
        settle(Decimal(100), {"a": 0})


def test_rounding_receiver_per_group() -> None:
    steps = [{"id": "kosten", "soort": "verdeling", "bedrag": 1000, "sleutel": {"gelijk": True}}]
    result = run(
        steps,
        afronding={
            "eenheid": 100,
            "per_groep": True,
            "verschil": {"naar": {"N": "Venray", "Z": "Gennep"}},
        },
    )
    assert result.amounts() == {
        "Venlo": Decimal(200),
        "Venray": Decimal(200),
        "Horst aan de Maas": Decimal(200),
        "Gennep": Decimal(200),
        "Mook en Middelaar": Decimal(200),
    }
    assert result.rounding.receivers == ("Venray", "Gennep")


def test_forward_references_run_in_dependency_order() -> None:
    steps = [
        {"id": "b", "soort": "verdeling", "bedrag": {"stap": "a"}, "sleutel": {"gelijk": True}},
        {"id": "a", "soort": "vast", "bedragen": {"Venlo": 10}},
    ]
    result = run(steps)
    assert [step.id for step in result.steps] == ["a", "b"]
    assert result.total == Decimal(20)


def test_independent_of_the_callers_decimal_context() -> None:
    path = DATA_DIR / "vt2018" / "C1.json"
    reference = result_to_dict(allocate(load_definition(path)))
    with localcontext() as context:
        context.prec = 6
        assert result_to_dict(allocate(load_definition(path))) == reference


def test_result_to_dict_is_json_with_decimal_strings() -> None:
    data = result_to_dict(allocate(load_definition(DATA_DIR / "vt2018" / "A.json")))
    json.dumps(data)
    arnhem = data["participants"][0]
    assert arnhem["name"] == "Arnhem"
    assert arnhem["group"] == "CG"
    assert arnhem["amount"] == "1275000.00"
    assert arnhem["components"]["duvo"] == "491000.00"
    assert [group["amount"] for group in data["groups"]] == ["2622900.00", "1311400.00"]
    assert data["total"] == "3934300.00"
    regio = data["trail"][0]
    assert regio["step"] == "regio"
    assert regio["lines"][0]["key"] == "vast aandeel 2/3"
    assert regio["rounding"]["rounded"] == {"CG": "2622900", "VV": "1311400"}


def test_render_table_uses_dutch_notation() -> None:
    table = render_table(allocate(load_definition(DATA_DIR / "vt2018" / "A.json")))
    assert "€ 1.275.000" in table
    assert "Subtotaal CG" in table
    assert table.splitlines()[-1].split()[-1] == "3.934.300"


def test_format_euro() -> None:
    assert format_euro(Decimal("1281406")) == "€ 1.281.406"
    assert format_euro(Decimal("1281406.005"), 2) == "€ 1.281.406,01"
    assert format_euro(Decimal("-12471.4")) == "€ −12.471"


def test_load_definition_from_text_resolves_inputs_against_base_dir() -> None:
    text = (DATA_DIR / "vt2018" / "B.json").read_text(encoding="utf-8")
    result = allocate(load_definition(text, base_dir=DATA_DIR / "vt2018"))
    assert result.participant("Ede").amount == Decimal(791200)


def test_build_definition_from_a_stored_model_and_inputs() -> None:
    """As the Django side does: the variant's steps stored apart from the year's inputs."""
    model = read_document(DATA_DIR / "vt2018" / "C2.json")
    model.pop("invoer")
    inputs = read_document(DATA_DIR / "vt2018" / "invoer.json")
    result = allocate(build_definition(model, inputs))
    assert result.participant("Ede").amount == Decimal(759400)
    with pytest.raises(DefinitionError, match="bevat al 'invoer'"):
        build_definition({**model, "invoer": inputs}, inputs)


def test_package_does_not_import_django() -> None:
    code = (
        "import sys, allocation.engine.cli, allocation.engine.costprice;"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django imported'"
    )
    root = Path(__file__).resolve().parents[3]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)
    sources = list((root / "allocation" / "engine").glob("*.py"))
    assert sources
    assert not [path for path in sources if "import django" in path.read_text(encoding="utf-8")]


# --- the trail: kept as parts, worked out when read ------------------------------------------


@pytest.mark.parametrize("variant", VT2018_VARIANTS)
def test_every_trail_line_is_base_times_share_and_the_lines_add_up_to_the_step(
    variant: str,
) -> None:
    """The lines are made again from what the run recorded: they must still say exactly what
    each target got (sum per target = the step's exact amount)."""
    result = allocate(load_definition(DATA_DIR / "vt2018" / f"{variant}.json"))
    for step in result.steps:
        per_target: dict[str, Decimal] = {}
        for line in step.lines:
            assert abs(line.amount - line.base * line.share) < Decimal("1e-18")
            per_target[line.target] = per_target.get(line.target, Decimal(0)) + line.amount
        for target, exact in step.exact.items():
            assert per_target.get(target, Decimal(0)) == exact, (step.id, target)


def test_trail_read_in_another_decimal_context_is_the_same() -> None:
    path = DATA_DIR / "vt2018" / "C1.json"
    reference = [tuple(step.lines) for step in allocate(load_definition(path)).steps]
    result = allocate(load_definition(path))
    with localcontext() as context:
        context.prec = 6
        assert [tuple(step.lines) for step in result.steps] == reference


def test_trail_lines_name_the_measure_and_its_values_from_the_inputs() -> None:
    """Variant A, second step: the rest of each region by inhabitants; the line keeps the
    measure, the participant's value and the region's total (from invoer.json)."""
    inputs = read_document(DATA_DIR / "vt2018" / "invoer.json")
    inhabitants = inputs["maten"]["inwoners"]["waarden"]
    groups = {p["naam"]: p["groep"] for p in inputs["deelnemers"]}
    result = allocate(load_definition(DATA_DIR / "vt2018" / "A.json"))
    lines = [line for line in result.step("gemeenten").lines if line.key != "vooraf"]
    assert {line.target for line in lines} == set(inhabitants)
    for line in lines:
        group = groups[line.target]
        group_total = sum(v for name, v in inhabitants.items() if groups[name] == group)
        assert line.basis.measure == "inwoners"
        assert line.basis.values[line.target] == inhabitants[line.target]
        assert line.basis.total == group_total
        assert line.key == f"inwoners: {inhabitants[line.target]} / {group_total}"
        assert line.context.kind == "groep" and line.detail == f"groep {groups[line.target]}"
    upfront = {
        line.target: line.basis.parameter
        for line in result.step("gemeenten").lines
        if line.key == "vooraf"
    }
    assert upfront == {"Arnhem": "duvo_arnhem", "Ede": "duvo_ede", "Nijkerk": "duvo_nijkerk"}
    assert result.step("regio").parameter == "begroting"
    assert (
        result.inputs.parameter_descriptions["begroting"]
        == (inputs["parameters"]["begroting"]["omschrijving"])
    )
