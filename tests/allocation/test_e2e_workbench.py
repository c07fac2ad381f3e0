"""Issue 12's walk in headless Chromium, as Veilig Thuis Gelderland-Midden's finance officer
(the demo's coördinator), without the admin: the budget, Renkum's inhabitants, a new variant
D from A with a 50/50 mix of inhabitants and the Jeugd budget seen before it is saved, D on the
comparison with its herverdeeleffect, published for the public (who saw none of it before),
and a three-year ingroeiregeling from A to D. Every page
on the way is checked with axe; the editor shows the fields of the chosen key kind only."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from allocation import selectors
from allocation.models import AllocationModel, Measure
from core.formatting import format_money

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VT = "/arnhem/samenwerkingen/vtgm/2018/verdeelmodel/"


def _row(comparison, name: str):
    return next(row for group in comparison.groups for row in group.rows if row.name == name)


def test_the_finance_officer_builds_compares_and_phases_in_a_variant(
    page, live_server, vt_model, login, assert_accessible
):
    login(page, "financieel-arnhem", "demo-arnhem")
    page.goto(f"{live_server.url}{VT}")
    assert_accessible(page)

    # 1. the budget, typed the Dutch way, seen before it is saved
    page.get_by_role("link", name="begroting en maten wijzigen").click()
    expect(page.get_by_role("heading", name="Begroting en parameters")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Waarde begroting").fill("4.100.000")
    expect(page.locator("#voorbeeld")).to_contain_text("nog niet opgeslagen")
    expect(page.locator("#voorbeeld")).to_contain_text(format_money(Decimal(4100000)))
    assert_accessible(page)
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status").first).to_be_visible()
    model = AllocationModel.objects.get(pk=vt_model.pk)
    assert Decimal(model.inputs["parameters"]["begroting"]["waarde"]) == Decimal(4100000)

    # 2. Renkum's inhabitants
    page.goto(f"{live_server.url}{VT}invoer/")
    page.get_by_role("link", name="Aantal inwoners").click()
    assert_accessible(page)
    renkum = Measure.objects.get(code="inwoners", year=2018, municipality__name="Renkum")
    page.get_by_label("Renkum", exact=True).fill("32.000")
    page.get_by_label("Bron").fill("CBS, 1 januari 2017, gecorrigeerd")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status").first).to_be_visible()
    renkum.refresh_from_db()
    assert renkum.value == Decimal(32000)

    # 3. variant D from A, its second step split by a 50/50 mix of inhabitants and Jeugd
    page.goto(f"{live_server.url}{VT}")
    page.get_by_role("link", name="een variant toevoegen").click()
    assert_accessible(page)
    page.get_by_label("Beginnen met").select_option("A")
    page.get_by_label("Code").fill("D")
    page.get_by_label("Naam").fill("Variant D: 50% inwoners, 50% Jeugd")
    page.get_by_role("button", name="Variant maken").click()
    step = page.locator("#stap-2")
    expect(step).to_be_visible()
    # only the fields of the chosen key kind show
    expect(step.get_by_label("Maat", exact=True)).to_be_visible()
    expect(step.get_by_label("Mix 1: gewicht")).to_be_hidden()
    assert_accessible(page)
    step.get_by_label("Sleutel", exact=True).select_option("mix")
    expect(step.get_by_label("Mix 1: gewicht")).to_be_visible()
    expect(step.get_by_label("Maat", exact=True)).to_be_hidden()
    step.get_by_label("Mix 1: gewicht").fill("50%")
    step.get_by_label("Mix 1: maat").select_option("inwoners")
    step.get_by_label("Mix 2: gewicht").fill("50%")
    step.get_by_label("Mix 2: maat").select_option("jeugd")

    # the preview, recomputed while typing, before anything is saved
    preview = page.locator("#voorbeeld")
    expect(preview).to_contain_text("nog niet opgeslagen")
    expect(preview).to_contain_text("Herverdeeleffect")
    assert_accessible(page)
    assert not model.variants.filter(code="D", definition__stappen__1__sleutel__has_key="mix")
    page.get_by_role("button", name="Opslaan").click()

    # 4. the comparison shows D, and its herverdeeleffect against the adopted variant
    expect(page).to_have_url(re.compile(re.escape(VT) + r"(\?.*)?(#.*)?$"))
    comparison = selectors.comparison(model)
    codes = [variant.code for variant in comparison.variants]
    assert "D" in codes
    d = codes.index("D")
    renkum_row = _row(comparison, "Renkum")
    table = page.locator("table", has=page.locator("caption#varianten-titel"))
    expect(table).to_contain_text(format_money(renkum_row.amounts[d]))
    saved_key = model.variants.get(code="D").definition["stappen"][1]["sleutel"]
    assert [part["sleutel"]["maat"] for part in saved_key["mix"]] == ["inwoners", "jeugd"]
    effect = page.locator("table", has=page.locator("caption#effect-titel"))
    expect(effect.locator("thead")).to_contain_text("Variant D")
    change = renkum_row.effects[d]
    assert change  # the mix moves Renkum's contribution
    sign = "+" if change > 0 else "−"
    renkum_effect = effect.locator("tr", has=page.get_by_role("rowheader", name="Renkum"))
    expect(renkum_effect).to_contain_text(sign + format_money(abs(change)))
    assert_accessible(page)

    # the public still reads version 1 until the officer publishes the new state
    public = page.context.browser.new_page()
    public.goto(f"{live_server.url}{VT}")
    expect(public.locator("caption#varianten-titel")).to_be_visible()
    expect(public.get_by_text("Variant D: 50% inwoners, 50% Jeugd")).to_have_count(0)
    expect(page.get_by_text("variant D is nieuw")).to_be_visible()
    page.get_by_role("link", name="Deze stand publiceren…").click()
    assert_accessible(page)
    page.get_by_label("Toelichting (optioneel)").fill("Begroting 4,1 miljoen, variant D")
    page.get_by_role("button", name="Versie 2 publiceren").click()
    expect(page.get_by_text("Versie 2 van het verdeelmodel is gepubliceerd")).to_be_visible()
    public.reload()
    expect(public.get_by_text("Versie 2 van dit verdeelmodel")).to_be_visible()
    expect(public.get_by_text("Variant D: 50% inwoners, 50% Jeugd").first).to_be_visible()
    assert_accessible(public)

    # 5. a three-year ingroeiregeling from A to D, each year shown, year 3 equal to D
    page.get_by_role("link", name=re.compile("^Ingroeiregeling")).click()
    page.get_by_label("Van (de huidige verdeling)").select_option("A")
    page.get_by_label("Naar (de nieuwe verdeling)").select_option("D")
    page.get_by_label("Aantal jaren").fill("3")
    page.get_by_role("button", name="Bereken de ingroeiregeling").click()
    plan = page.locator("table", has=page.locator("caption#ingroei-titel"))
    expect(plan).to_contain_text("van A naar D in 3 jaar")
    renkum_plan = plan.locator("tr", has=page.get_by_role("rowheader", name="Renkum"))
    expect(renkum_plan).to_contain_text(format_money(renkum_row.amounts[d]))
    assert_accessible(page)


def test_deleting_a_variant_asks_first_and_one_click_puts_it_back(
    page, live_server, vt_model, login, assert_accessible
):
    login(page, "financieel-arnhem", "demo-arnhem")
    page.goto(f"{live_server.url}{VT}")
    page.get_by_role("link", name="verwijderen…").first.click()
    code = page.url.rstrip("/").split("/")[-2]
    expect(page.get_by_role("heading", level=1)).to_contain_text(code)
    assert vt_model.variants.filter(code=code).exists()  # nothing happened yet
    assert_accessible(page)
    page.get_by_role("button", name=f"Variant {code} verwijderen").click()
    expect(page.get_by_text(f"Variant {code} is verwijderd.", exact=True)).to_be_visible()
    assert not vt_model.variants.filter(code=code).exists()
    assert_accessible(page)
    page.get_by_role("button", name=f"Variant {code} terugzetten").click()
    expect(page.get_by_text(f"Variant {code} is verwijderd.", exact=True)).to_have_count(0)
    assert vt_model.variants.filter(code=code).exists()
