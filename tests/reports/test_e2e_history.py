"""The Geschiedenis page in headless Chromium: reachable from the year page, readable diffs,
restore by keyboard, and no axe violations; the same for the grid's confirmation."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_history_shows_a_change_and_restores_it(page, live_server, demo, login, assert_accessible):
    login(page, "invoerder-venlo", "demo-venlo")
    page.goto(f"{live_server.url}/venlo/samenwerkingen/zvh/2017/bewerken/beoogde-resultaten/")
    kern = page.get_by_label("Kern")
    original = kern.input_value()
    kern.fill("Een nieuwe kern van de beoogde resultaten.")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_role("link", name="Geschiedenis van 2017").click()
    expect(page.get_by_role("heading", name="Geschiedenis van 2017")).to_be_visible()
    expect(page.locator(".history-entry").first).to_contain_text("Een nieuwe kern")
    assert_accessible(page)
    # restore the state before the edit: the entry below the newest one
    sections = page.locator(".history-entry").filter(has_text="Sectie C")
    restore = sections.nth(1).get_by_role("button", name="Terugzetten")
    restore.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Teruggezet.")).to_be_visible()
    page.goto(f"{live_server.url}/venlo/samenwerkingen/zvh/2017/bewerken/beoogde-resultaten/")
    expect(page.get_by_label("Kern")).to_have_value(original)


def test_nvt_on_a_filled_table_asks_first(page, live_server, demo, login, assert_accessible):
    login(page, "invoerder-venlo", "demo-venlo")
    page.goto(f"{live_server.url}/venlo/samenwerkingen/zvh/2017/financien/kosten/")
    page.get_by_label("Deze tabel is dit jaar niet van toepassing (n.v.t.)").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Er is nog niets opgeslagen.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Ja, verwijder deze regels met hun bedragen").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("opgeslagen")).to_be_visible()
