"""The totaaloverzicht and the comparisons in headless Chromium, with axe."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_overview_sort_filter_and_compare(page, live_server, demo, assert_accessible):
    page.goto(f"{live_server.url}/venlo/samenwerkingen/")
    assert_accessible(page)
    page.get_by_role(
        "link", name=re.compile(r"^Bijdrage begroting 2018\s*, sorteer oplopend")
    ).click()
    expect(page.locator('th[aria-sort="ascending"]')).to_contain_text("Bijdrage begroting 2018")
    page.get_by_label("Verbonden partij").select_option("ja")
    page.get_by_role("button", name="Toon").click()
    expect(page.locator("tbody tr")).to_have_count(3)  # VRLN, BsGW, ZVH
    page.get_by_label("Indeling").select_option("bbv")
    page.get_by_role("button", name="Toon").click()
    expect(page.get_by_role("heading", name="Gemeenschappelijke regeling")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/venlo/samenwerkingen/")
    page.get_by_label("Zorg- en Veiligheidshuis Limburg Noord (ZVH)").check()
    page.get_by_label("GR Grenspark Maas-Swalm-Nette (MSN)").check()
    page.get_by_role("button", name="Vergelijk de gekozen samenwerkingen").click()
    expect(page.get_by_role("heading", name="Samenwerkingen van Venlo vergeleken")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/venlo/samenwerkingen/zvh/vergelijken/")
    assert_accessible(page)


def test_bundle_form_and_status_are_accessible(page, live_server, demo, assert_accessible):
    page.goto(f"{live_server.url}/venlo/bundel/")
    assert_accessible(page)
    page.get_by_label("Jaar").fill("2017")
    page.get_by_label("GR Veiligheidsregio Limburg-Noord (VRLN)").uncheck()
    page.get_by_role("button", name="Maak de bundel").click()
    expect(page.get_by_role("heading", name="PDF-bundel 2017")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Download de PDF"))).to_be_visible()
    assert_accessible(page)
