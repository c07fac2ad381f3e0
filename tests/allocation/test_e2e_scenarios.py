"""The coördinator's computation pages in headless Chromium, as Veilig Thuis
Gelderland-Midden's finance officer: from the comparison to indexatie, modules (ticking a
participant by keyboard) and uittreding, each form filled in and each result checked against
the engine and with axe."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from allocation import engine, selectors
from allocation.consistency import parameter_value
from core.formatting import format_money

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VT = "/arnhem/samenwerkingen/vtgm/2018/verdeelmodel/"


def definition(model, code: str) -> engine.Definition:
    return selectors.variant_definition(model.variants.get(code=code))


def open_from_comparison(page, url: str, link: str, heading: str, assert_accessible) -> None:
    """Follow a link on the comparison page to a computation page, and check it with axe."""
    page.goto(url)
    page.get_by_role("link", name=link).click()
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    assert_accessible(page)


def test_the_coordinator_indexes_adds_modules_and_lets_a_municipality_leave(
    page, live_server, vt_model, login, assert_accessible
):
    login(page, "financieel-arnhem", "demo-arnhem")
    compare = f"{live_server.url}{VT}"

    # 1. indexatie: the budget with 3,2% wages (70%) and 2,1% prices (30%), under variant A
    link = "Indexatie: de begroting met loon- en prijsindex"
    open_from_comparison(page, compare, link, "Indexatie van de begroting", assert_accessible)
    page.get_by_label("Loonindex (%)").fill("3,2")
    page.get_by_label("Prijsindex (%)").fill("2,1")
    page.get_by_role("button", name="Bereken de indexatie").click()
    budget = parameter_value(vt_model.inputs["parameters"], "begroting")
    indexed = engine.index_budget(
        budget,
        [
            engine.IndexComponent("lonen", Decimal("0.7"), Decimal("3.2")),
            engine.IndexComponent("prijzen", Decimal("0.3"), Decimal("2.1")),
        ],
    ).indexed
    expect(
        page.get_by_role("heading", name=f"Geïndexeerd budget 2019: {format_money(indexed, 2)}")
    ).to_be_visible()
    inputs = selectors.model_inputs(vt_model)
    inputs["parameters"] = {**inputs["parameters"], "begroting": {"waarde": str(indexed)}}
    arnhem = engine.allocate(
        selectors.variant_definition(vt_model.variants.get(code="A"), inputs)
    ).participant("Arnhem")
    expect(page.get_by_role("row", name="Arnhem")).to_contain_text(format_money(arnhem.amount))
    assert_accessible(page)

    # 2. modules: variant A plus advice for Arnhem, Renkum and Rheden in equal shares
    link = "Modules: basispakket met extra modules"
    open_from_comparison(page, compare, link, "Basispakket en modules", assert_accessible)
    module = page.locator("#module-1")
    module.get_by_label("Naam").fill("Advies")
    module.get_by_label("Bedrag (€)").fill("90.000")
    module.get_by_label("Verdelen naar").select_option("gelijk")
    for name in ("Arnhem", "Renkum"):
        module.get_by_label(name, exact=True).check()
    rheden = module.get_by_label("Rheden", exact=True)
    rheden.focus()
    page.keyboard.press("Space")  # the checkboxes work by keyboard
    expect(rheden).to_be_checked()
    page.get_by_role("button", name="Bereken de modules").click()
    expect(page.get_by_role("heading", name="Bijdrage per gemeente per module")).to_be_visible()
    basis = engine.allocate(definition(vt_model, "A")).participant("Renkum").amount
    row = page.get_by_role("row", name="Renkum")
    expect(row).to_contain_text(format_money(basis))
    expect(row).to_contain_text(format_money(basis + Decimal(30000)))
    expect(page.get_by_role("row", name="Doesburg")).to_contain_text("neemt niet af")
    assert_accessible(page)

    # 3. uittreding: Arnhem, a centre municipality, leaves under A
    link = "Uittreding: wat als een gemeente uittreedt"
    open_from_comparison(page, compare, link, "Uittreding van een gemeente", assert_accessible)
    page.get_by_label("Uittredende gemeente").select_option("Arnhem")
    page.get_by_label("Afbouw per jaar (%)").fill("25%")
    page.get_by_label("Aantal jaren").fill("4")
    page.get_by_role("button", name="Bereken de uittreding").click()
    effect = engine.exit_effect(definition(vt_model, "A"), "Arnhem", years=4, decline="25%")
    expect(
        page.get_by_role("heading", name="Herverdeeleffect als Arnhem uittreedt")
    ).to_be_visible()
    renkum = effect.effect("Renkum")
    expect(page.get_by_role("row", name="Renkum")).to_contain_text(
        f"+{format_money(renkum.difference)}"
    )
    expect(
        page.get_by_role(
            "heading",
            name=f"Indicatie methode a: {effect.method_a.name.lower()}, "
            f"{format_money(effect.method_a.total)}",
        )
    ).to_be_visible()
    expect(page.get_by_text(effect.method_a.parameters)).to_be_visible()
    successor = next(r for r in effect.after.rounding.receivers if r != "Ede")
    expect(page.get_by_text(f"nu krijgt {successor} het")).to_be_visible()
    assert_accessible(page)
