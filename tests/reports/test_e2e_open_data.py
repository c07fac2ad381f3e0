"""The open-data index in headless Chromium: reached from the footer of any page, lists every
published municipality with JSON and both CSV dialects, and has no axe violations (also at
320 px)."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_open_data_page_from_the_footer(page, live_server, demo, assert_accessible):
    page.goto(f"{live_server.url}/venlo/samenwerkingen/")
    page.get_by_role("contentinfo").get_by_role("link", name="Open data").click()
    expect(page.get_by_role("heading", name="Open data", level=1)).to_be_visible()
    assert_accessible(page)
    venlo = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Venlo"))
    expect(venlo.get_by_role("link", name="JSON van Venlo")).to_have_attribute(
        "href", "/open-data/v1/gemeenten/venlo.json"
    )
    expect(venlo.get_by_role("link", name="bedragen van Venlo voor programma's")).to_have_attribute(
        "href", "/open-data/v1/gemeenten/venlo/bedragen.csv?dialect=programma"
    )
    # the link works in the browser too: the published ZVH 2017 of Venlo, as JSON
    response = page.request.get(f"{live_server.url}/open-data/v1/gemeenten/venlo.json")
    assert response.ok and "zvh" in response.text()
    page.set_viewport_size({"width": 320, "height": 800})
    assert_accessible(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"the page scrolls sideways at 320 px ({width} px)"
