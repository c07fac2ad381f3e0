"""The step-by-step explanation of a variant in Dutch: names instead of codes (measures, service
lines, groups, parameters) and every figure in Dutch notation, on the view-model and on the page.

Expectations come from the data files (`vt2018/invoer.json`, the variants), never from the page.
"""

from __future__ import annotations

import html
import re
from decimal import Decimal
from functools import cache

import pytest

from django.urls import reverse

from allocation import engine
from allocation.comparison import TrailView, trail_view
from allocation.demo import load_allocation_demo
from allocation.engine import DATA_DIR, VT2018_VARIANTS, allocate, load_definition_file
from core.formatting import format_number
from reports.services import ensure_versions

INPUTS = engine.read_document(DATA_DIR / "vt2018" / "invoer.json")
MEASURES = {code: m["omschrijving"] for code, m in INPUTS["maten"].items()}
SERVICES = {code: s["naam"] for code, s in INPUTS["diensten"].items()}
GROUPS = {g["code"]: g["naam"] for g in INPUTS["groepen"]}
CENTRES = [g["centrum"] for g in INPUTS["groepen"]]
PARAMETERS = {code: p["omschrijving"] for code, p in INPUTS["parameters"].items()}
#: every name a text may contain; what is left must be figures and small words
NAMES = sorted(
    [*MEASURES.values(), *SERVICES.values(), *GROUPS.values(), *PARAMETERS.values()],
    key=len,
    reverse=True,
)

FIGURE = re.compile(r"\d[\d.,]*\d|\d")
DUTCH_FIGURE = re.compile(r"\d{1,3}(\.\d{3})*(,\d+)?")


def without_names(text: str) -> str:
    for name in NAMES:
        text = text.replace(name, "")
    return text


def foreign_figures(text: str) -> list[str]:
    """The figures in `text` (names taken out) that are not in Dutch notation: `84.70338`,
    `153818`, `0.360575` … (a Dutch figure groups thousands with dots and has a decimal comma)."""
    figures = FIGURE.findall(without_names(text))
    return [token for token in figures if not DUTCH_FIGURE.fullmatch(token)]


@cache
def explained(variant: str) -> TrailView:
    return trail_view(allocate(load_definition_file(DATA_DIR / "vt2018" / f"{variant}.json")))


def texts(view: TrailView) -> list[str]:
    out = [view.rounding]
    for step in view:
        out += [step.title, step.amount, step.rounding]
        for line in step.lines:
            out += [line.target, line.base, line.key, line.share, line.amount, line.detail]
    return out


# --- the view-model ---------------------------------------------------------------------------


@pytest.mark.parametrize("variant", VT2018_VARIANTS)
def test_every_figure_is_dutch_and_no_code_is_left(variant: str) -> None:
    view = explained(variant)
    assert sum(len(step.lines) for step in view) > 0
    for text in texts(view):
        assert foreign_figures(text) == [], text
    for step in view:
        for line in step.lines:
            worded = without_names(f"{line.key} {line.detail}")
            for code in [*MEASURES, *PARAMETERS, *SERVICES, *GROUPS]:
                assert not re.search(rf"\b{code}\b", worded), (code, line)
            assert line.target not in GROUPS


def test_measure_keys_name_the_measure_and_its_values() -> None:
    """Variant A, step 2: Doesburg's share is its inhabitants over its region's inhabitants."""
    values = INPUTS["maten"]["inwoners"]["waarden"]
    group = next(p["groep"] for p in INPUTS["deelnemers"] if p["naam"] == "Doesburg")
    members = [p["naam"] for p in INPUTS["deelnemers"] if p["groep"] == group]
    total = sum(values[name] for name in members)
    step = explained("A").steps[1]
    line = next(line for line in step.lines if line.target == "Doesburg")
    assert line.key == (
        f"{MEASURES['inwoners']}: {format_number(values['Doesburg'])} / {format_number(total)}"
    )
    assert line.detail == f"groep {GROUPS[group]}"


def test_upfront_amounts_name_their_parameter_and_group_lines_their_group() -> None:
    steps = explained("A").steps
    upfront = [line for line in steps[1].lines if line.key.startswith("vooraf")]
    assert {line.key for line in upfront} == {
        f"vooraf: {PARAMETERS[code]}" for code in ("duvo_arnhem", "duvo_ede", "duvo_nijkerk")
    }
    budget = INPUTS["parameters"]["begroting"]["waarde"]
    assert steps[0].amount == f"Bedrag: {PARAMETERS['begroting']}, {engine.format_euro(budget)}."
    assert [line.target for line in steps[0].lines] == list(GROUPS.values())


def test_service_lines_by_name_with_the_tariff_keeping_its_decimals() -> None:
    tariff = INPUTS["parameters"]["uurtarief"]["waarde"]  # "84.70338"
    dutch_tariff = "€ " + str(tariff).replace(".", ",")
    production = next(step for step in explained("C1") if step.step.id == "productie")
    details = {line.detail.split(":")[0] for line in production.lines}
    codes = [rule["dienst"] for rule in _steps("C1")["productie"]["regels"]]
    assert details == {SERVICES[code] for code in codes}
    assert all(line.detail.endswith(f"uur × {dutch_tariff}") for line in production.lines)


def test_mix_weights_as_percentages() -> None:
    weights = [part["gewicht"] for part in _steps("B")["regio"]["sleutel"]["mix"]]
    key = explained("B").steps[0].lines[0].key
    for weight in weights:
        percent = Decimal(weight) * 100
        assert f"{str(percent.normalize()).replace('.', ',')}% × (" in key


def test_rounding_is_one_sentence_naming_who_takes_the_difference() -> None:
    view = explained("A")
    assert ", ".join(CENTRES[:-1]) + " en " + CENTRES[-1] in view.rounding
    receiver = _steps("A")["regio"]["afronding"]["verschil"]["naar"]
    assert view.steps[0].rounding.count("verschil") == 1
    assert GROUPS[receiver] in view.steps[0].rounding


def test_for_one_participant_only_its_lines_and_its_groups() -> None:
    result = allocate(load_definition_file(DATA_DIR / "vt2018" / "C1.json"))
    group = result.participant("Rozendaal").group
    for step in trail_view(result, "Rozendaal"):
        assert {line.target for line in step.lines} <= {"Rozendaal", GROUPS[group]}


def _steps(variant: str) -> dict:
    definition = engine.read_document(DATA_DIR / "vt2018" / f"{variant}.json")
    return {step["id"]: step for step in definition["stappen"]}


# --- the page ---------------------------------------------------------------------------------


@pytest.fixture
def vt_model(demo):
    model = load_allocation_demo()
    ensure_versions()
    return model


def cells(page: str) -> list[str]:
    found = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", page, re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in found]


@pytest.mark.django_db
@pytest.mark.parametrize("variant", ["A", "C1"])
def test_explanation_page_in_dutch(client, vt_model, variant: str) -> None:
    url = reverse("allocation:explain", args=["arnhem", "vtgm", 2018, variant])
    page = client.get(url).content.decode()
    table = cells(page)
    assert [cell for cell in table if foreign_figures(cell)] == []
    used = {
        rule["sleutel"]["maat"]
        for step in _steps(variant).values()
        for rule in [step, *step.get("regels", [])]
        if "maat" in rule.get("sleutel", {})
    }
    assert used
    for code in used:
        assert not [cell for cell in table if f"{code}:" in without_names(cell)]
        assert any(cell.startswith(MEASURES[code]) for cell in table), code
    # the step title is not repeated in a subheading of its table
    for number in range(1, len(_steps(variant)) + 1):
        assert page.count(f"Stap {number}:") == 1
