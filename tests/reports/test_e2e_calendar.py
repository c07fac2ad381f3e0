"""In a real browser (headless Chromium): the P&C-cyclus on the partnership page and the
coördinator's meetings form — accessible (axe), readable at 320 px, usable after an error."""

from datetime import date

import pytest
from playwright.sync_api import expect

from django.utils import timezone

from collaborations.models import BoardMeeting, Partnership
from tests.collaborations.factories import UserFactory, grant

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAGE = "/venlo/samenwerkingen/zvh/"


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """The live server runs in this process: the calendar looks at 1 March 2026."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2026, 3, 1))


@pytest.fixture
def coordinator(demo):
    user = UserFactory(username="cor", password="coordinator-wachtwoord-1")
    grant(user, "coordinator", Partnership.objects.get(slug="zvh"))
    return user


def test_the_partnership_page_with_its_calendar_is_accessible(
    page, live_server, demo, assert_accessible
):
    page.goto(live_server.url + PAGE)
    section = page.get_by_role("region", name="Planning en control (P&C-cyclus)")
    expect(section).to_be_visible()
    table = page.get_by_role("table", name="P&C-cyclus 2026 (Wgr sinds 1 juli 2022)")
    expect(
        table.get_by_role("rowheader", name="Ontwerpbegroting 2027 naar de raden")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Abonneer in uw agenda")).to_have_attribute(
        "href", f"webcal://{live_server.url.split('://')[1]}/venlo/kalender.ics"
    )
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 640})
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the partnership page scrolls horizontally at 320 px ({overflow} px)"


def test_the_coordinator_corrects_a_wrong_date_and_sees_the_deadline_move(
    page, live_server, coordinator, login, assert_accessible
):
    login(page, "cor", "coordinator-wachtwoord-1")
    page.goto(live_server.url + PAGE)
    page.get_by_role("link", name="Vergaderdata van ZVH bewerken").click()
    expect(page.get_by_role("heading", name="Vergaderdata bewerken", level=1)).to_be_visible()
    assert_accessible(page)
    # the meeting of 2 July 2026 about the begroting 2027 is row 20
    row_date = page.get_by_label("Regel 20, datum")
    expect(row_date).to_have_value("2-7-2026")
    row_date.fill("31 juni 2026")
    page.get_by_label("Regel 20, toelichting").fill("Verplaatst")
    page.get_by_role("button", name="Opslaan").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Er is 1 fout gevonden")
    expect(summary).to_contain_text("Regel 20, datum: Deze datum bestaat niet")
    expect(page.get_by_label("Regel 20, toelichting")).to_have_value("Verplaatst")  # kept
    summary.get_by_role("link").click()
    expect(row_date).to_be_focused()
    assert row_date.get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    row_date.fill("9 juli 2026")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url(f"**{PAGE}#pc-cyclus")
    expect(page.get_by_text("De vergaderdata van ZVH zijn opgeslagen.")).to_be_visible()
    table = page.get_by_role("table", name="P&C-cyclus 2026 (Wgr sinds 1 juli 2022)")
    expect(
        table.get_by_role("row", name="uiterlijk 16 april 2026 Ontwerpbegroting 2027")
    ).to_be_visible()
    assert BoardMeeting.objects.filter(date=date(2026, 7, 9), note="Verplaatst").exists()
