"""The coördinator's computation pages of the verdeelmodel (issue 12, the allocation workbench):
indexatie, modules and uittreding. What a user sees is derived from the engine and the model's
inputs; bad input is a 400 naming the field, an impossible case a Dutch message, never a 500;
only the coördinator and the beheerder may use them."""

from decimal import Decimal

import pytest

from django.test import Client
from django.urls import reverse

from allocation import engine, selectors
from allocation.consistency import parameter_value
from allocation.forms.scenarios import EXIT_BRIDGING_YEARS, EXIT_YEARS
from allocation.models import Measure
from collaborations.models import Municipality
from core.formatting import format_money, format_percent
from tests.collaborations.factories import UserFactory, grant

pytestmark = pytest.mark.django_db
ARGS = ["arnhem", "vtgm", 2018]
INDEXATION = reverse("allocation:indexation", args=ARGS)
MODULES = reverse("allocation:modules", args=ARGS)
EXIT = reverse("allocation:exit", args=ARGS)
COMPARE = reverse("allocation:compare", args=ARGS)


def definition(model, code: str) -> engine.Definition:
    return selectors.variant_definition(model.variants.get(code=code))


def budget(model) -> Decimal:
    return parameter_value(model.inputs["parameters"], "begroting")


def summary(response) -> str:
    """The error summary at the top of the page."""
    page = response.content.decode()
    assert 'id="foutmeldingen"' in page
    start = page.index('id="foutmeldingen"')
    return page[start : page.index("</div>", start)]


def assert_named(client, url: str, query: dict, label: str, fragment: str) -> None:
    """Bad input: a 400 whose error summary names the field ("Label: message")."""
    response = client.get(url, query)
    assert response.status_code == 400
    text = summary(response)
    assert f"{label}: " in text and fragment in text


# --- who may use them ---------------------------------------------------------------------


@pytest.mark.parametrize("url", [INDEXATION, MODULES, EXIT])
def test_only_the_coordinator_and_the_beheerder_use_the_pages(vt_model, officer, url):
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/inloggen/")
    clerk = UserFactory(username="arnhem-invoerder")
    grant(clerk, "invoerder", Municipality.objects.get(slug="arnhem"))
    other = Client()
    other.force_login(clerk)
    assert other.get(url).status_code == 403
    for user in (officer, UserFactory(username="baas", is_staff=True, is_superuser=True)):
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code == 200


def test_the_comparison_links_the_pages_for_the_coordinator_only(officer_client):
    page = officer_client.get(COMPARE).content.decode()
    for url in (INDEXATION, MODULES, EXIT):
        assert f'href="{url}"' in page
    public = Client().get(COMPARE).content.decode()
    assert f'href="{INDEXATION}"' not in public
    assert reverse("allocation:phase-in", args=ARGS) in public


@pytest.mark.parametrize("url", [INDEXATION, MODULES, EXIT])
def test_the_pages_have_title_and_breadcrumbs(officer_client, url):
    page = officer_client.get(url).content.decode()
    assert page.count("<h1") == 1
    assert f'href="{COMPARE}"' in page and "Verdeelmodel 2018" in page  # a crumb back


# --- indexatie ----------------------------------------------------------------------------

INDEX = {
    "basis": "3.934.300",
    "loonindex": "3,2",
    "loongewicht": "70",
    "prijsindex": "2,1%",
    "prijsgewicht": "30%",
    "variant": "A",
}


def components(wage="3.2", price="2.1", wage_weight="0.7", price_weight="0.3"):
    return [
        engine.IndexComponent("lonen", Decimal(wage_weight), Decimal(wage)),
        engine.IndexComponent("prijzen", Decimal(price_weight), Decimal(price)),
    ]


def test_indexation_starts_from_the_budget_with_weights_70_30(officer_client, vt_model):
    response = officer_client.get(INDEXATION)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["basis"] == budget(vt_model)
    page = response.content.decode()
    assert 'value="70%"' in page and 'value="30%"' in page
    assert f'value="{format_money(budget(vt_model))[2:]}"' in page  # 3.934.300
    # the variants that do not split the budget parameter cannot be chosen, and say why
    assert [code for code, _ in form.fields["variant"].choices] == ["A", "A-jeugd", "B"]
    assert "Niet te kiezen: variant C1, C2" in page


def test_the_indexed_budget_in_words_and_what_variant_a_then_asks(officer_client, vt_model):
    response = officer_client.get(INDEXATION, INDEX)
    assert response.status_code == 200
    base = budget(vt_model)
    expected = engine.index_budget(base, components())
    series = response.context["series"]
    assert series.indexed == expected.indexed == base + expected.increase
    page = response.content.decode()
    assert f"Geïndexeerd budget 2019: {format_money(expected.indexed, 2)}" in page
    for part in expected.components:
        assert f"{format_money(part.amount, 2)} ({part.name})" in page
    assert f"(1 + {format_percent(expected.percentage)})" in page
    # variant A with the budget parameter replaced by the indexed budget
    inputs = selectors.model_inputs(vt_model)
    inputs["parameters"] = {
        **inputs["parameters"],
        "begroting": {"waarde": str(expected.indexed)},
    }
    now = engine.allocate(definition(vt_model, "A")).amounts()
    new = engine.allocate(
        selectors.variant_definition(vt_model.variants.get(code="A"), inputs)
    ).amounts()
    rows = response.context["rows"]
    assert [(name, a, b, b - a) for name, a, b, _ in rows] == [
        (name, now[name], new[name], new[name] - now[name]) for name in new
    ]
    current, indexed, difference = response.context["totals"]
    assert current == sum(now.values()) and indexed == sum(new.values())
    assert difference == sum(row[3] for row in rows) == indexed - current
    arnhem = next(row for row in rows if row[0] == "Arnhem")
    assert format_money(arnhem[2]) in page
    # the variant rounds to € 100: the page says how far that is from the indexed budget
    gap = abs(indexed - expected.indexed)
    if gap:
        assert f"{format_money(gap, 2)}" in response.context["rounding_note"]


def test_several_years_index_on_the_year_before(officer_client, vt_model):
    response = officer_client.get(INDEXATION, {**INDEX, "jaren": "3"})
    series = response.context["series"]
    expected = engine.index_series(
        budget(vt_model), dict.fromkeys([2019, 2020, 2021], components())
    )
    assert [step.indexed for step in series.years] == [step.indexed for step in expected.years]
    assert series.years[1].base == series.years[0].indexed
    assert f"Geïndexeerd budget 2021: {format_money(expected.indexed, 2)}" in (
        response.content.decode()
    )


def test_index_figures_in_the_model_are_offered_with_their_source(officer_client, vt_model):
    parameters = vt_model.inputs["parameters"]
    parameters["loonindex"] = {"waarde": "2.85", "omschrijving": "Loonindex 2019", "bron": "CPB"}
    parameters["prijsindex"] = {"waarde": "1.6", "omschrijving": "Prijsindex 2019"}
    vt_model.save()
    response = officer_client.get(INDEXATION)
    form = response.context["form"]
    assert form.initial["loonindex"] == Decimal("2.85")
    assert form.initial["prijsindex"] == Decimal("1.6")
    page = response.content.decode()
    assert "Uit het model: Loonindex 2019, 2,85%; bron: CPB." in page
    assert "Indexcijfers in het verdeelmodel" in page


@pytest.mark.parametrize(
    ("change", "label", "fragment"),
    [
        ({"prijsgewicht": "20"}, "Gewicht prijzen (%)", "tellen op tot 90% in plaats van 100%"),
        ({"basis": "veel"}, "Basisbudget (€)", "is geen getal"),
        ({"loonindex": ""}, "Loonindex (%)", "verplicht"),
        ({"prijsindex": "1,2,3"}, "Prijsindex (%)", "meer dan één komma"),
        ({"jaren": "40"}, "Aantal jaren (optioneel)", "10"),
        ({"variant": "C1"}, "Variant", "geldige keuze"),
    ],
)
def test_bad_indexation_input_is_named(officer_client, vt_model, change, label, fragment):
    assert_named(officer_client, INDEXATION, {**INDEX, **change}, label, fragment)


# --- modules ------------------------------------------------------------------------------

VV = ["Barneveld", "Ede", "Nijkerk", "Scherpenzeel", "Wageningen"]
ADVICE = ["Arnhem", "Renkum", "Rheden"]
MODULE_QUERY = {
    "variant": "A",
    "m1-naam": "Jeugd Veluwe Vallei",
    "m1-bedrag": "250.000",
    "m1-sleutel": "jeugdinwoners",
    "m1-deelnemers": VV,
    "m2-naam": "Advies",
    "m2-bedrag": "90.000,50",
    "m2-sleutel": "gelijk",
    "m2-deelnemers": ADVICE,
    "m3-naam": "",
    "m3-bedrag": "",
    "m3-sleutel": "gelijk",
}


def test_a_basic_package_and_two_modules_side_by_side(officer_client, vt_model):
    response = officer_client.get(MODULES, MODULE_QUERY)
    assert response.status_code == 200
    totals = response.context["totals"]
    basis = engine.allocate(definition(vt_model, "A")).amounts()
    youth = selectors.model_inputs(vt_model)["maten"]["jeugdinwoners"]["waarden"]
    weight = sum(Decimal(youth[name]) for name in VV)
    assert [run.code for run in totals.modules] == ["basis", "m1", "m2"]
    for name in totals.participants:
        assert totals.amount(name, "basis") == basis[name]
        if name in VV:  # by youth inhabitants, to the cent
            exact = Decimal(250000) * Decimal(youth[name]) / weight
            assert abs(totals.amount(name, "m1") - exact) <= Decimal("0.01")
        else:
            assert totals.amount(name, "m1") is None
        if name in ADVICE:
            assert abs(totals.amount(name, "m2") - Decimal("90000.50") / 3) <= Decimal("0.01")
        else:
            assert totals.amount(name, "m2") is None
        present = [totals.amount(name, code) for code in ("basis", "m1", "m2")]
        assert totals.totals[name] == sum(v for v in present if v is not None)
    assert totals.module_totals == {
        "basis": sum(basis.values()),
        "m1": Decimal(250000),
        "m2": Decimal("90000.50"),
    }
    assert totals.total == sum(totals.totals.values())
    page = response.content.decode()
    assert "Jeugd Veluwe Vallei" in page and "neemt niet af" in page
    assert format_money(totals.totals["Ede"], 2) in page
    assert format_money(totals.total, 2) in page


def test_the_modules_form_is_one_fieldset_per_module(officer_client, vt_model):
    page = officer_client.get(MODULES).content.decode()
    assert page.count('<fieldset class="step-fieldset"') == 3
    assert "<legend" in page and "Module 2 (optioneel)" in page
    assert page.count('type="checkbox"') == 3 * len(vt_model.inputs["deelnemers"])


@pytest.mark.parametrize(
    ("change", "label", "fragment"),
    [
        ({"m1-bedrag": ""}, "Module 1 – Bedrag (€)", "Vul het bedrag van de module in."),
        ({"m1-deelnemers": []}, "Module 1 – Deelnemers", "Kies minstens één deelnemer."),
        ({"m2-naam": ""}, "Module 2 – Naam", "Geef de module een naam."),
        ({"m2-bedrag": "-5"}, "Module 2 – Bedrag (€)", "minimaal 0"),
        ({"m1-deelnemers": ["Atlantis"]}, "Module 1 – Deelnemers", "geldige keuze"),
        ({"m1-sleutel": "onbekend"}, "Module 1 – Verdelen naar", "geldige keuze"),
        ({"variant": "Q"}, "Basispakket: variant", "geldige keuze"),
    ],
)
def test_bad_module_input_is_named(officer_client, vt_model, change, label, fragment):
    assert_named(officer_client, MODULES, {**MODULE_QUERY, **change}, label, fragment)


def test_without_any_module_the_page_asks_for_one(officer_client, vt_model):
    empty = {
        key: [] if key.endswith("deelnemers") else ""
        for key in MODULE_QUERY
        if key.startswith(("m1", "m2"))
    }
    response = officer_client.get(MODULES, {**MODULE_QUERY, **empty, "m1-sleutel": "gelijk"})
    assert response.status_code == 400
    assert "Vul minstens één module in" in summary(response)


def test_a_key_that_adds_up_to_nothing_is_named_at_the_module(officer_client, vt_model):
    code = "inwoners"
    assert code in selectors.model_inputs(vt_model)["maten"]
    Measure.objects.filter(code=code, municipality__name="Renkum").update(value=0)
    response = officer_client.get(
        MODULES, {**MODULE_QUERY, "m2-sleutel": code, "m2-deelnemers": ["Renkum"]}
    )
    assert response.status_code == 400
    assert "Module 2 – Verdelen naar" in summary(response)


# --- uittreding ---------------------------------------------------------------------------

EXIT_QUERY = {
    "variant": "A",
    "uittreder": "Renkum",
    "jaren": "5",
    "afbouw": "20%",
    "aandeel_vaste_kosten": "100%",
    "overbruggingsjaren": "5",
}


def test_the_exit_form_states_its_defaults(officer_client, vt_model):
    response = officer_client.get(EXIT)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["variant"] == "A"  # the adopted variant
    assert form.initial["uittreder"] == "Arnhem"  # the page's municipality
    page = response.content.decode()
    assert f"Standaard {EXIT_YEARS} jaar." in page and "Standaard 20% per jaar" in page
    assert f'value="{EXIT_BRIDGING_YEARS}"' in page and 'value="100%"' in page


def test_renkum_leaves_under_a(officer_client, vt_model):
    response = officer_client.get(EXIT, EXIT_QUERY)
    assert response.status_code == 200
    expected = engine.exit_effect(definition(vt_model, "A"), "Renkum")
    effect = response.context["effect"]
    assert effect.effects == expected.effects
    page = response.content.decode()
    assert "Indicatie" in page
    for method in (expected.method_a, expected.method_b):
        assert (
            f"Indicatie methode {method.code}: {method.name.lower()}, {format_money(method.total)}"
            in page
        )
        assert f"Parameters: {method.parameters}." in page
    arnhem = expected.effect("Arnhem")
    assert f"+{format_money(arnhem.difference)}" in page
    assert f"+{format_money(arnhem.per_inhabitant, 2)}" in page  # € per inwoner
    assert response.context["before_total"] + expected.contribution == expected.before.total
    assert f"samen {format_money(expected.redistributed)} meer" in page


def test_the_methods_take_the_parameters_typed(officer_client, vt_model):
    query = {
        **EXIT_QUERY,
        "jaren": "4",
        "afbouw": "25",
        "aandeel_vaste_kosten": "35",
        "overbruggingsjaren": "3",
    }
    effect = officer_client.get(EXIT, query).context["effect"]
    expected = engine.exit_effect(
        definition(vt_model, "A"),
        "Renkum",
        years=4,
        decline=Decimal("0.25"),
        bridging_years=3,
        fixed_share=Decimal("0.35"),
    )
    assert effect.method_a == expected.method_a and effect.method_b == expected.method_b
    costs = officer_client.get(EXIT, {**query, "directe_kosten": "40.000"}).context["effect"]
    assert costs.method_b.total == Decimal(40000) * 3


def test_a_centre_municipality_leaves_and_the_largest_share_takes_the_rounding(
    officer_client, vt_model
):
    response = officer_client.get(EXIT, {**EXIT_QUERY, "uittreder": "Arnhem"})
    assert response.status_code == 200
    before = engine.allocate(definition(vt_model, "A"))
    region = [name for name in before.group("CG").members if name != "Arnhem"]
    successor = max(region, key=lambda name: before.participant(name).amount)
    effect = response.context["effect"]
    assert successor in effect.after.rounding.receivers
    assert effect.after.total == before.total
    page = response.content.decode()
    assert f"Nu krijgt {successor} het" in page or f"nu krijgt {successor} het" in page
    assert "de overblijvende deelnemer met het grootste aandeel" in page


def test_a_leaver_the_variant_cannot_do_without_is_a_message_not_a_500(officer_client, vt_model):
    response = officer_client.get(EXIT, {**EXIT_QUERY, "variant": "C1", "uittreder": "Ede"})
    assert response.status_code == 200
    assert response.context.get("effect") is None
    page = response.content.decode()
    assert "Zo kan de uittreding van Ede onder variant C1 niet worden berekend" in page
    assert "Ede ontvangt de verrekening" in page


@pytest.mark.parametrize(
    ("change", "label", "fragment"),
    [
        ({"afbouw": "30"}, "Methode a – Afbouw per jaar (%)", "in jaar 5 onder 0%"),
        ({"jaren": "0"}, "Methode a – Aantal jaren", "1"),
        ({"afbouw": "veel"}, "Methode a – Afbouw per jaar (%)", "is geen getal"),
        ({"aandeel_vaste_kosten": "120"}, "Methode b – Aandeel vaste kosten (%)", "maximaal 100"),
        ({"overbruggingsjaren": ""}, "Methode b – Overbruggingsperiode (jaren)", "verplicht"),
        ({"directe_kosten": "-1"}, "Methode b – Directe kosten per jaar (€, optioneel)", "0"),
        ({"uittreder": "Atlantis"}, "Uittredende gemeente", "geldige keuze"),
    ],
)
def test_bad_exit_input_is_named(officer_client, vt_model, change, label, fragment):
    assert_named(officer_client, EXIT, {**EXIT_QUERY, **change}, label, fragment)


@pytest.mark.parametrize(
    ("url", "query"), [(INDEXATION, INDEX), (MODULES, MODULE_QUERY), (EXIT, EXIT_QUERY)]
)
def test_a_computation_takes_a_fixed_number_of_queries(
    officer_client, vt_model, django_assert_max_num_queries, url, query
):
    with django_assert_max_num_queries(12):
        assert officer_client.get(url, query).status_code == 200
