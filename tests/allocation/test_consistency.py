"""A variant that does not allocate the budget is flagged on the comparison page, with the
reason in words (issue 12, item 4)."""

from decimal import Decimal

import pytest

from django.urls import reverse

from allocation import engine, selectors, services
from allocation.consistency import check_variant
from allocation.models import AllocationVariant

pytestmark = pytest.mark.django_db
COMPARE = reverse("allocation:compare", args=["arnhem", "vtgm", 2018])
INPUTS = engine.read_document(engine.DATA_DIR / "vt2018" / "invoer.json")


def _definition(code: str) -> dict:
    return engine.read_document(engine.DATA_DIR / "vt2018" / f"{code}.json")


def _check(code: str, inputs: dict) -> object:
    definition = _definition(code)
    steps = {k: v for k, v in definition.items() if k != "invoer"}
    total = engine.allocate(engine.build_definition(steps, inputs)).total
    return check_variant(code, steps, total, inputs)


def _with_budget(amount: int) -> dict:
    parameters = {**INPUTS["parameters"], "begroting": {"waarde": amount}}
    return {**INPUTS, "parameters": parameters}


def test_only_c1_of_the_report_misses_the_budget_and_says_why():
    flags = {code: _check(code, INPUTS) for code in engine.VT2018_VARIANTS}
    assert [code for code, flag in flags.items() if flag] == ["C1"]
    message = flags["C1"].message
    assert message.startswith("C1 verdeelt € 3.934.200: de som van de dienstbudgetten")
    assert "niet de begroting" in message
    assert "€ 84,70338" in message  # the tariff the variant uses, Dutch


def test_a_new_budget_flags_the_variants_that_do_not_follow_it():
    inputs = _with_budget(4_100_000)
    flagged = {code for code in engine.VT2018_VARIANTS if _check(code, inputs)}
    # A, A-jeugd and B split the budget parameter; C1 and C2 split hours × tariff
    assert flagged == {"C1", "C2"}
    assert "bij de begroting van € 4.100.000 hoort" in _check("C2", inputs).message


def test_a_typed_amount_is_named_as_such():
    steps = {
        "formaat": "verdeelmodel/1",
        "stappen": [
            {"id": "x", "soort": "verdeling", "bedrag": "3900000", "sleutel": {"maat": "inwoners"}}
        ],
    }
    total = engine.allocate(engine.build_definition(steps, INPUTS)).total
    flag = check_variant("X", steps, total, INPUTS)
    assert "een vast bedrag van € 3.900.000 in de variant" in flag.message


def test_a_model_without_budget_flags_nothing():
    inputs = {
        **INPUTS,
        "parameters": {k: v for k, v in INPUTS["parameters"].items() if k != "begroting"},
    }
    assert _check("C1", inputs) is None


def test_the_comparison_page_shows_every_flag_with_its_reason(client, vt_model):
    model = vt_model
    model.inputs["parameters"]["begroting"] = {"waarde": 4100000, "omschrijving": "Begroting"}
    model.save()
    services.record_publication(model=model)  # the public reads what is published
    page = client.get(COMPARE).content.decode()
    comparison = selectors.comparison(model)
    for variant, total in zip(comparison.variants, comparison.totals, strict=True):
        if total != Decimal(4100000):
            assert f'id="afwijking-{variant.code}"' in page
        else:
            assert f'id="afwijking-{variant.code}"' not in page
    assert "Niet elke variant verdeelt de begroting" in page
    assert AllocationVariant.objects.filter(model=model).count() == len(comparison.variants)
