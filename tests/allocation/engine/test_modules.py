"""Modules: a basic package and extra modules, each with its own participants and key."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allocation.engine import (
    DATA_DIR,
    DefinitionError,
    ModuleRun,
    allocate,
    allocate_modules,
    load_modules_file,
    parse_definition,
    parse_modules,
    run_modules,
)

from .vt2018 import result

fast = settings(max_examples=60, deadline=None)

VV_YOUTH = {
    "Barneveld": 16206,
    "Ede": 28422,
    "Nijkerk": 10571,
    "Scherpenzeel": 2613,
    "Wageningen": 7440,
}


def youth_module() -> dict[str, Any]:
    """An extra module for the five Veluwe Vallei municipalities: € 250,000 by youth inhabitants."""
    return {
        "formaat": "verdeelmodel/1",
        "code": "jeugd-vv",
        "invoer": {
            "deelnemers": [{"naam": name} for name in VV_YOUTH],
            "maten": {"jeugdinwoners": {"waarden": VV_YOUTH}},
        },
        "stappen": [
            {
                "id": "jeugd",
                "soort": "verdeling",
                "bedrag": 250000,
                "sleutel": {"maat": "jeugdinwoners"},
            }
        ],
        "afronding": {"eenheid": 100},
    }


def advice_module() -> dict[str, Any]:
    """Three CG municipalities share an advice service equally (€ 90,000)."""
    names = ["Arnhem", "Renkum", "Rheden"]
    return {
        "formaat": "verdeelmodel/1",
        "invoer": {"deelnemers": [{"naam": name} for name in names]},
        "stappen": [
            {"id": "advies", "soort": "verdeling", "bedrag": 90000, "sleutel": {"gelijk": True}}
        ],
    }


def document() -> dict[str, Any]:
    return {
        "formaat": "verdeelmodel-modules/1",
        "naam": "Veilig Thuis met modules (voorbeeld)",
        "modules": [
            {"code": "basis", "naam": "Basispakket (variant A)", "definitie": "vt2018/A.json"},
            {"code": "jeugd-vv", "naam": "Jeugd Veluwe Vallei", "definitie": youth_module()},
            {"code": "advies", "naam": "Advies", "definitie": advice_module(), "omschrijving": "…"},
        ],
    }


def test_the_vt_basic_package_with_two_modules() -> None:
    modules = parse_modules(document(), base_dir=DATA_DIR)
    assert [module.code for module in modules] == ["basis", "jeugd-vv", "advies"]
    assert modules[0].name == "Basispakket (variant A)"
    totals = run_modules(modules)
    assert totals.participants[:16] == tuple(p.name for p in result("A").participants)
    assert totals.module_totals == {
        "basis": Decimal(3934300),
        "jeugd-vv": Decimal(250000),
        "advies": Decimal(90000),
    }
    assert totals.total == Decimal(3934300 + 250000 + 90000)
    # Ede: A's 757,200 + 250,000 × 28,422 / 65,252 = 108,893.7 → 108,900; not in 'advies'
    assert totals.amounts["Ede"] == {
        "basis": Decimal(757200),
        "jeugd-vv": Decimal(108900),
        "advies": None,
    }
    assert totals.totals["Ede"] == Decimal(757200 + 108900)
    assert totals.amount("Renkum", "advies") == Decimal(30000)
    assert totals.amount("Renkum", "jeugd-vv") is None
    assert totals.modules_of("Renkum") == ("basis", "advies")
    assert totals.totals["Doesburg"] == result("A").participant("Doesburg").amount


def test_a_module_document_from_a_file_resolves_definitions_next_to_it(tmp_path: Path) -> None:
    doc = document()
    doc["modules"][0]["definitie"] = str(DATA_DIR / "vt2018" / "A.json")
    (tmp_path / "modules.json").write_text(json.dumps(doc), encoding="utf-8")
    totals = run_modules(load_modules_file(tmp_path / "modules.json"))
    assert totals.module_totals["basis"] == Decimal(3934300)


def test_a_participant_with_zero_takes_part_and_one_absent_does_not() -> None:
    with_zero = parse_definition(
        {
            "formaat": "verdeelmodel/1",
            "invoer": {
                "deelnemers": [{"naam": "a"}, {"naam": "b"}],
                "maten": {"m": {"waarden": {"a": 1, "b": 0}}},
            },
            "stappen": [{"id": "x", "soort": "verdeling", "bedrag": 10, "sleutel": {"maat": "m"}}],
        }
    )
    only_a = parse_definition(
        {
            "formaat": "verdeelmodel/1",
            "invoer": {"deelnemers": [{"naam": "a"}]},
            "stappen": [{"id": "x", "soort": "vast", "bedragen": {"a": 5}}],
        }
    )
    totals = allocate_modules(
        [ModuleRun("m1", "Een", allocate(with_zero)), ModuleRun("m2", "Twee", allocate(only_a))]
    )
    assert totals.amounts["b"] == {"m1": Decimal(0), "m2": None}
    assert totals.totals == {"a": Decimal(15), "b": Decimal(0)}


@pytest.mark.parametrize(
    ("change", "path", "fragment"),
    [
        (lambda d: d.update(formaat="verdeelmodel/1"), "formaat", "verdeelmodel-modules/1"),
        (lambda d: d.update(modules=[]), "modules", "minstens één module"),
        (lambda d: d["modules"][1].update(code="basis"), "modules[1].code", "twee keer"),
        (lambda d: d["modules"][1].update(sleutel={}), "modules[1].sleutel", "onbekend veld"),
        (lambda d: d["modules"][2].pop("definitie"), "modules[2]", "'definitie' ontbreekt"),
        (
            lambda d: d["modules"][1]["definitie"]["stappen"][0]["sleutel"].update(maat="jeugd"),
            "modules[1].definitie.stappen[0].sleutel.maat",
            "onbekende maat 'jeugd'",
        ),
        (lambda d: d["modules"][2].update(definitie=3), "modules[2].definitie", "object"),
        (
            lambda d: d["modules"][0].update(definitie="vt2018/Z.json"),
            "modules[0].definitie",
            "Z.json",
        ),
    ],
)
def test_invalid_module_documents_are_dutch_errors(change: Any, path: str, fragment: str) -> None:
    doc = document()
    change(doc)
    with pytest.raises(DefinitionError) as caught:
        parse_modules(doc, base_dir=DATA_DIR)
    assert caught.value.path == path
    assert fragment in caught.value.message


def test_module_codes_are_unique_in_allocate_modules() -> None:
    run = ModuleRun("basis", "Basis", result("A"))
    with pytest.raises(DefinitionError) as caught:
        allocate_modules([run, run])
    assert caught.value.path == "modules[1].code"
    with pytest.raises(DefinitionError):
        allocate_modules([])


# --- properties ---------------------------------------------------------------------------------

NAMES = [f"P{i}" for i in range(8)]


@st.composite
def module_runs(draw: st.DrawFn) -> list[ModuleRun]:
    runs = []
    for index in range(draw(st.integers(1, 5))):
        members = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=8, unique=True))
        weights = {name: draw(st.integers(1, 1000)) for name in members}
        amount = draw(st.decimals(min_value=0, max_value=10**7, places=2))
        definition = parse_definition(
            {
                "formaat": "verdeelmodel/1",
                "invoer": {
                    "deelnemers": [{"naam": name} for name in members],
                    "maten": {"m": {"waarden": weights}},
                },
                "stappen": [
                    {"id": "k", "soort": "verdeling", "bedrag": amount, "sleutel": {"maat": "m"}}
                ],
                "afronding": {"eenheid": draw(st.sampled_from(["0.01", "1", "100"]))},
            }
        )
        runs.append(ModuleRun(f"m{index}", f"Module {index}", allocate(definition)))
    return runs


@fast
@given(module_runs())
def test_totals_are_the_sums_of_the_modules(runs: list[ModuleRun]) -> None:
    totals = allocate_modules(runs)
    assert totals.total == sum(totals.module_totals.values()) == sum(totals.totals.values())
    for run in runs:
        members = {p.name for p in run.result.participants}
        assert totals.module_totals[run.code] == run.result.total
        column = [totals.amounts[name][run.code] for name in totals.participants]
        assert sum(value for value in column if value is not None) == run.result.total
        for name in totals.participants:
            assert (totals.amounts[name][run.code] is None) == (name not in members)
    for name in totals.participants:
        values = [value for value in totals.amounts[name].values() if value is not None]
        assert values, "every listed participant takes part in some module"
        assert totals.totals[name] == sum(values)
