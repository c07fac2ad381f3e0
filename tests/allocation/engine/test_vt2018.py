"""Acceptance: from the inputs alone, the engine reproduces the figures the Veilig Thuis
Gelderland-Midden 2018 report published (all expectations come from vt2018_published.json)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from allocation.engine import DATA_DIR, allocate, parse_definition, round_half_up

from .vt2018 import DETAIL_VARIANTS, VARIANTS, expected, published, result

OVERVIEW_CELLS = [
    (variant, name) for variant in VARIANTS for name in published()["overzicht_100"][variant]
]


def test_there_are_80_overview_figures() -> None:
    assert len(OVERVIEW_CELLS) == 80


@pytest.mark.parametrize(("variant", "name"), OVERVIEW_CELLS)
def test_overview_eur_100(variant: str, name: str) -> None:
    value, margin = expected(published()["overzicht_100"][variant][name])
    assert margin == 0
    assert result(variant).participant(name).amount == value


@pytest.mark.parametrize("variant", VARIANTS)
def test_overview_regions_add_up(variant: str) -> None:
    outcome = result(variant)
    regions = published()["regios"][variant]["overzicht_100"]
    for group in outcome.groups:
        assert group.amount == expected(regions[group.code])[0]
        members = sum(outcome.participant(name).amount for name in group.members)
        assert members == group.amount
    if variant in ("A", "B"):
        assert outcome.total == expected(regions["totaal_kop"])[0]


def _exact_regions(variant: str) -> dict[str, Decimal]:
    """The unrounded region amounts: the region step (A, B) or the region totals (C)."""
    outcome = result(variant)
    if variant in ("A", "A-jeugd", "B"):
        return dict(outcome.step("regio").exact)
    return {group.code: group.exact_total for group in outcome.groups}


def _budget() -> Decimal:
    definition = json.loads((DATA_DIR / "vt2018" / "invoer.json").read_text(encoding="utf-8"))
    return Decimal(definition["parameters"]["begroting"]["waarde"])


@pytest.mark.parametrize("variant", ("A", "B", "C1", "C2"))
def test_region_text_figures_rounded_to_1000(variant: str) -> None:
    table = published()["regios"][variant]["tekst_1000"]
    for region, amount in _exact_regions(variant).items():
        assert round_half_up(amount, Decimal(1000)) == expected(table[region])[0]


@pytest.mark.parametrize("variant", ("A", "B"))
def test_region_summary_rounded_to_50(variant: str) -> None:
    table = published()["regios"][variant]["samenvatting"]
    exact = _exact_regions(variant)
    for region in ("CG", "VV"):
        assert round_half_up(exact[region], Decimal(50)) == expected(table[region])[0]


@pytest.mark.parametrize("variant", ("C1", "C2"))
def test_region_summary_c_is_budget_minus_rounded_vv(variant: str) -> None:
    table = published()["regios"][variant]["samenvatting"]
    vv = round_half_up(_exact_regions(variant)["VV"], Decimal(100))
    assert vv == expected(table["VV"])[0]
    assert _budget() - vv == expected(table["CG"])[0]


@pytest.mark.parametrize("variant", ("A", "B", "C1", "C2"))
def test_region_percentages(variant: str) -> None:
    exact = _exact_regions(variant)
    whole = sum(exact.values())
    for table in ("samenvatting", "tekst_1000"):
        printed = published()["regios"][variant][table]
        for region in ("CG", "VV"):
            percentage = round_half_up(exact[region] / whole * 100, Decimal("0.1"))
            assert percentage == Decimal(printed[f"pct_{region}"]["waarde"])


# --- C1 and C2 detail tables (EUR 1) ----------------------------------------------------------


def _detail_values(variant: str, name: str) -> dict[str, Decimal]:
    participant = result(variant).participant(name)
    return _columns(participant.components, participant.exact_total)


def _columns(components: dict[str, Decimal], total: Decimal) -> dict[str, Decimal]:
    algemeen = components.get("algemeen", Decimal(0))
    productie = components.get("productie", Decimal(0))
    return {
        "algemeen": algemeen,
        "productie": productie,
        "subtotaal": algemeen + productie,
        "duvo": components.get("duvo", Decimal(0)),
        "totaal": total,
    }


DETAIL_CELLS = [
    (table, variant, column, name)
    for table, variant in [("detail_1", "C1"), ("detail_1", "C2"), ("detail_1_herhaling_C1", "C1")]
    for column, cells in (
        published()[table][variant] if table == "detail_1" else published()[table]
    ).items()
    for name in cells
]


def test_detail_tables_have_all_cells() -> None:
    assert len(DETAIL_CELLS) == 3 * 5 * 16


@pytest.mark.parametrize(("table", "variant", "column", "name"), DETAIL_CELLS)
def test_detail_eur_1(table: str, variant: str, column: str, name: str) -> None:
    cells = published()[table][variant] if table == "detail_1" else published()[table]
    value, margin = expected(cells[column][name])
    computed = round_half_up(_detail_values(variant, name)[column])
    assert abs(computed - value) <= margin, f"{computed} ≠ {value} ± {margin}"


@pytest.mark.parametrize("variant", DETAIL_VARIANTS)
def test_detail_region_rows(variant: str) -> None:
    outcome = result(variant)
    rows = published()["detail_1_regios"][variant]
    regions = {g.code: _columns(dict(g.components), g.exact_total) for g in outcome.groups}
    regions["begroting"] = {
        column: regions["CG"][column] + regions["VV"][column] for column in regions["CG"]
    }
    for region, cells in rows.items():
        for column, cell in cells.items():
            value, margin = expected(cell)
            assert abs(round_half_up(regions[region][column]) - value) <= margin


def test_c1_floor_keeps_rozendaal_at_zero_and_arnhem_absorbs() -> None:
    outcome = result("C1")
    floor = outcome.step("bodem")
    assert outcome.participant("Rozendaal").exact_total == 0
    assert {line.target for line in floor.lines} == {"Rozendaal", "Arnhem"}
    assert sum(line.amount for line in floor.lines) == 0


# --- C1 table per service line and region (Bijlage 2C) ----------------------------------------


def _region_lines_result():
    """The C1 lines, each split over the two regions by the C1 key of that line."""
    c1 = json.loads((DATA_DIR / "vt2018" / "C1.json").read_text(encoding="utf-8"))
    general_key = c1["stappen"][0]["sleutel"]
    production = {line["dienst"]: line["sleutel"] for line in c1["stappen"][2]["regels"]}
    general = c1["stappen"][0]["bedrag"]["diensten"]
    steps = [
        {
            "id": code,
            "soort": "verdeling",
            "over": "groepen",
            "bedrag": {"diensten": [code], "tarief": {"parameter": "uurtarief"}},
            "sleutel": general_key if code in general else production[code],
        }
        for code in published()["regio_diensten_C1"]
    ]
    document = {"formaat": c1["formaat"], "invoer": c1["invoer"], "stappen": steps}
    return allocate(parse_definition(document, base_dir=DATA_DIR / "vt2018")), general


def test_c1_region_line_table() -> None:
    outcome, general = _region_lines_result()
    subtotals = {"algemeen": {}, "productie": {}, "totaal": {}}
    for code, row in published()["regio_diensten_C1"].items():
        step = outcome.step(code)
        assert round_half_up(step.total) == expected(row["totaal"])[0]
        for region in ("CG", "VV"):
            assert round_half_up(step.exact[region]) == expected(row[region])[0]
            share = round_half_up(step.exact[region] / step.total * 100, Decimal("0.1"))
            assert share == Decimal(row[f"pct_{region}"])
        kind = "algemeen" if code in general else "productie"
        for region, amount in (*step.exact.items(), ("totaal", step.total)):
            for bucket in (kind, "totaal"):
                subtotals[bucket][region] = subtotals[bucket].get(region, 0) + amount
    for bucket, row in published()["regio_diensten_C1_subtotalen"].items():
        for region in ("CG", "VV", "totaal"):
            assert round_half_up(subtotals[bucket][region]) == expected(row[region])[0]
