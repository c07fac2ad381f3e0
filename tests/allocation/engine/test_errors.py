"""A bad definition raises DefinitionError with a Dutch message and the path of the problem."""

from __future__ import annotations

import copy
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from allocation.engine import DefinitionError, allocate, load_definition_text, parse_definition

BASE: dict[str, Any] = {
    "formaat": "verdeelmodel/1",
    "code": "T",
    "invoer": {
        "groepen": [{"code": "N", "centrum": "Aa"}, {"code": "Z", "centrum": "Cc"}],
        "deelnemers": [
            {"naam": "Aa", "groep": "N"},
            {"naam": "Bb", "groep": "N"},
            {"naam": "Cc", "groep": "Z"},
        ],
        "maten": {
            "inwoners": {"waarden": {"Aa": 100, "Bb": 50, "Cc": 25}},
            "zaken": {"waarden": {"Aa": {"2016": 1, "2017": 2}, "Bb": {"2016": 3, "2017": 4}}},
        },
        "parameters": {"begroting": "1000"},
        "diensten": {"x": {"volume": 10, "norm": "1.5"}},
    },
    "stappen": [
        {
            "id": "regio",
            "soort": "verdeling",
            "over": "groepen",
            "bedrag": {"parameter": "begroting"},
            "sleutel": {"vast": {"N": "2/3", "Z": "1/3"}},
        },
        {
            "id": "gemeenten",
            "soort": "verdeling",
            "per_groep": True,
            "bedrag": {"stap": "regio"},
            "vooraf": [{"deelnemer": "Aa", "bedrag": 10}],
            "sleutel": {"maat": "inwoners"},
        },
    ],
}


def run(change: Callable[[dict[str, Any]], object]) -> DefinitionError:
    document = copy.deepcopy(BASE)
    change(document)
    with pytest.raises(DefinitionError) as caught:
        allocate(parse_definition(document))
    return caught.value


def step(index: int) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda document: document["stappen"][index]


def test_base_definition_is_valid() -> None:
    result = allocate(parse_definition(copy.deepcopy(BASE)))
    assert result.total == Decimal(1000)


CASES: list[tuple[str, Callable[[dict[str, Any]], object], str, str]] = [
    (
        "unknown measure",
        lambda d: d["stappen"][1]["sleutel"].update(maat="inwonerz"),
        "stappen[1].sleutel.maat",
        "onbekende maat 'inwonerz'",
    ),
    (
        "missing value",
        lambda d: d["invoer"]["maten"]["inwoners"]["waarden"].pop("Bb"),
        "stappen[1].sleutel.maat",
        "maat 'inwoners' heeft geen waarde voor deelnemer 'Bb'",
    ),
    (
        "missing period",
        lambda d: d["stappen"][1].update(
            sleutel={"maat": "zaken", "perioden": ["2016", "2018"]}, binnen="N", per_groep=False
        ),
        "stappen[1].sleutel.maat",
        "in periode '2018'",
    ),
    (
        "fixed shares do not add up",
        lambda d: d["stappen"][0]["sleutel"]["vast"].update(Z="1/4"),
        "stappen[0].sleutel.vast",
        "de aandelen tellen op tot 11/12 in plaats van 1",
    ),
    (
        "mix weights do not add up",
        lambda d: d["stappen"][1].update(
            sleutel={
                "mix": [
                    {"gewicht": "0.4", "sleutel": {"maat": "inwoners"}},
                    {"gewicht": "50%", "sleutel": {"gelijk": True}},
                ]
            }
        ),
        "stappen[1].sleutel.mix",
        "de gewichten tellen op tot 0.9 in plaats van 1",
    ),
    (
        "cycle",
        lambda d: d["stappen"][0].update(bedrag={"stap": "gemeenten"}),
        "stappen[0].bedrag.stap",
        "kringverwijzing tussen stappen: 'regio' → 'gemeenten' → 'regio'",
    ),
    (
        "step refers to itself",
        lambda d: d["stappen"][0].update(bedrag={"stap": "regio"}),
        "stappen[0].bedrag.stap",
        "kringverwijzing tussen stappen: 'regio' → 'regio'",
    ),
    (
        "unknown participant",
        lambda d: d["stappen"][1]["vooraf"][0].update(deelnemer="Arnem"),
        "stappen[1].vooraf[0].deelnemer",
        "onbekende deelnemer 'Arnem'",
    ),
    (
        "unknown participant in a measure",
        lambda d: d["invoer"]["maten"]["inwoners"]["waarden"].update(Dd=1),
        "invoer.maten.inwoners.waarden.Dd",
        "onbekende deelnemer 'Dd'",
    ),
    (
        "unknown group",
        lambda d: d["stappen"][0]["sleutel"]["vast"].update({"W": "0"}),
        "stappen[0].sleutel.vast.W",
        "onbekende groep 'W'",
    ),
    (
        "text instead of an amount",
        lambda d: d["stappen"][1]["vooraf"][0].update(bedrag="veel"),
        "stappen[1].vooraf[0].bedrag",
        "verwacht een getal",
    ),
    (
        "float instead of an exact number",
        lambda d: d["invoer"]["parameters"].update(begroting=1000.5),
        "invoer.parameters.begroting",
        "verwacht een exact getal",
    ),
    (
        "text instead of true/false",
        lambda d: d["stappen"][1].update(per_groep="ja"),
        "stappen[1].per_groep",
        "verwacht true of false",
    ),
    (
        "object instead of a list",
        lambda d: d.update(stappen={"id": "x"}),
        "stappen",
        "verwacht een lijst",
    ),
    (
        "unknown step kind",
        lambda d: d["stappen"][1].update(soort="verdelen"),
        "stappen[1].soort",
        "onbekende soort stap 'verdelen'",
    ),
    (
        "unknown field",
        lambda d: d["stappen"][1].update(sleutell={}),
        "stappen[1].sleutell",
        "onbekend veld 'sleutell'",
    ),
    (
        "missing field",
        lambda d: d["stappen"][1].pop("sleutel"),
        "stappen[1]",
        "verplicht veld 'sleutel' ontbreekt",
    ),
    (
        "unknown format",
        lambda d: d.update(formaat="verdeelmodel/9"),
        "formaat",
        "onbekend formaat 'verdeelmodel/9'",
    ),
    (
        "unknown parameter",
        lambda d: d["stappen"][0].update(bedrag={"parameter": "budget"}),
        "stappen[0].bedrag.parameter",
        "onbekende parameter 'budget'",
    ),
    (
        "unknown step reference",
        lambda d: d["stappen"][1].update(bedrag={"stap": "regios"}),
        "stappen[1].bedrag.stap",
        "onbekende stap 'regios'",
    ),
    (
        "unknown service",
        lambda d: d["stappen"][0].update(bedrag={"diensten": ["y"], "tarief": 80}),
        "stappen[0].bedrag.diensten[0]",
        "onbekende dienst 'y'",
    ),
    (
        "key adds up to zero",
        lambda d: d["invoer"]["maten"]["inwoners"]["waarden"].update(Cc=0),
        "stappen[1].sleutel.maat",
        "telt op tot 0",
    ),
    (
        "duplicate participant",
        lambda d: d["invoer"]["deelnemers"].append({"naam": "Aa"}),
        "invoer.deelnemers[3].naam",
        "deelnemer 'Aa' komt twee keer voor",
    ),
    (
        "duplicate step id",
        lambda d: d["stappen"][1].update(id="regio"),
        "stappen[1].id",
        "stap-id 'regio' komt twee keer voor",
    ),
    (
        "centre outside its group",
        lambda d: d["invoer"]["groepen"][1].update(centrum="Aa"),
        "invoer.groepen[1].centrum",
        "centrumgemeente 'Aa' is geen deelnemer in groep 'Z'",
    ),
    (
        "negative measure",
        lambda d: d["invoer"]["maten"]["inwoners"]["waarden"].update(Aa=-1),
        "invoer.maten.inwoners.waarden.Aa",
        "een maat kan niet negatief zijn",
    ),
    (
        "negative measure in a period",
        lambda d: d["invoer"]["maten"]["zaken"]["waarden"]["Bb"].update({"2017": -4}),
        "invoer.maten.zaken.waarden.Bb.2017",
        "een maat kan niet negatief zijn",
    ),
    (
        "a float in a period",
        lambda d: d["invoer"]["maten"]["zaken"]["waarden"]["Aa"].update({"2016": 1.5}),
        "invoer.maten.zaken.waarden.Aa.2016",
        "verwacht een exact getal",
    ),
    (
        "a measure's values not an object",
        lambda d: d["invoer"]["maten"]["inwoners"].update(waarden=[100, 50]),
        "invoer.maten.inwoners.waarden",
        "verwacht een object",
    ),
    (
        "periodic measure without periods",
        lambda d: d["stappen"][1].update(sleutel={"maat": "zaken"}),
        "stappen[1].sleutel.maat",
        "kies 'perioden' of 'voortschrijdend_gemiddelde'",
    ),
    (
        "rounding receiver outside the step",
        lambda d: d["stappen"][0].update(afronding={"eenheid": 100, "verschil": {"naar": "Aa"}}),
        "stappen[0].afronding.verschil.naar",
        "onbekende groep 'Aa'",
    ),
    (
        "rounding unit not positive",
        lambda d: d.update(afronding={"eenheid": 0}),
        "afronding.eenheid",
        "verwacht een getal groter dan 0",
    ),
    (
        "key with two kinds",
        lambda d: d["stappen"][1].update(sleutel={"maat": "inwoners", "gelijk": True}),
        "stappen[1].sleutel",
        "een sleutel heeft precies één van",
    ),
]


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_definition_error(
    change: Callable[[dict[str, Any]], object], path: str, message: str
) -> None:
    error = run(change)
    assert error.path == path
    assert message in error.message
    assert str(error) == f"{path}: {error.message}"


def test_invalid_json_names_line_and_column() -> None:
    with pytest.raises(DefinitionError) as caught:
        load_definition_text('{\n  "formaat": "verdeelmodel/1",\n  "stappen": [,]\n}')
    assert "ongeldige JSON: waarde verwacht op regel 3, kolom 15" in caught.value.message


def test_missing_inputs_file(tmp_path: Path) -> None:
    document = copy.deepcopy(BASE)
    document["invoer"] = "ontbreekt.json"
    with pytest.raises(DefinitionError) as caught:
        parse_definition(document, base_dir=tmp_path)
    assert "kan niet worden gelezen" in caught.value.message


def test_error_in_inputs_file_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "invoer.json").write_text('{"deelnemers": [{"naam": 5}]}', encoding="utf-8")
    document = copy.deepcopy(BASE)
    document["invoer"] = "invoer.json"
    with pytest.raises(DefinitionError) as caught:
        parse_definition(document, base_dir=tmp_path)
    assert caught.value.path == "invoer.deelnemers[0].naam"
    assert caught.value.message.endswith("(in invoer.json)")
