"""In a real browser: the clerk's home after login and a year that has figures only, both
accessible (axe)."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_clerk_lands_home_and_opens_the_figures_of_2016(
    page, live_server, demo, login, assert_accessible
):
    login(page, "invoerder-venlo", "demo-venlo")
    expect(page).to_have_url(f"{live_server.url}/venlo/")
    expect(page.get_by_role("heading", name="Venlo", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Zorg- en Veiligheidshuis Limburg Noord (ZVH)").first.click()
    page.get_by_role("link", name="2016").click()
    expect(page.get_by_text("sectie C van 2016 is nog niet begonnen")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Jaar 2016 beginnen").click()
    expect(page.get_by_text("Jaar 2016 is aangemaakt als leeg concept.")).to_be_visible()
    assert_accessible(page)
