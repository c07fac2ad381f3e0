"""The money grid and the year page with tables and charts, in headless Chromium."""

import pytest
from playwright.sync_api import expect

from tests.collaborations.factories import UserFactory, grant

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def venlo_clerk(venlo, reopen):
    """A clerk of Venlo, with the published ZVH 2017 reopened for corrections."""
    user = UserFactory(username="carla", password="klerk-wachtwoord-1")
    grant(user, "invoerder", venlo)
    from collaborations.models import YearRecord

    reopen(YearRecord.objects.get(participation__partnership__slug="zvh", year=2017))
    return user


def test_grid_live_total_save_and_bad_value(
    page, live_server, venlo_clerk, login, assert_accessible
):
    login(page, "carla", "klerk-wachtwoord-1")
    page.goto(f"{live_server.url}/venlo/samenwerkingen/zvh/2017/financien/kosten/")
    assert_accessible(page)
    total_2017 = page.locator('[data-total="0"]')
    expect(total_2017).to_have_text("€ 1.281.406")
    page.get_by_role("button", name="Regel toevoegen").click()
    new_row = page.locator("[data-grid-body] tr").last
    new_row.locator("input").first.fill("extra bijdrage")
    new_row.locator("input.grid-cell").first.fill("€ 1.234.567,89")
    expect(total_2017).to_have_text("€ 2.515.973,89")  # the total changes while typing
    page.get_by_role("button", name="Opslaan").click()
    expect(
        page.get_by_text("Kosten (inbreng financiële middelen) 2017 opgeslagen.")
    ).to_be_visible()
    expect(page.locator("#tabel-kosten tfoot").first).to_contain_text("€ 2.515.973,89")

    # A bad value: a Dutch message naming line and column; the rest of the grid keeps its input.
    page.goto(f"{live_server.url}/venlo/samenwerkingen/zvh/2017/financien/kosten/")
    page.get_by_label("Regel 1, Realisatie 2017").fill("12,3,4")
    page.get_by_label("Regel 2, Begroting 2018").fill("999")
    expect(total_2017.locator("xpath=following-sibling::td[1]")).to_have_text("controleer invoer")
    page.get_by_role("button", name="Opslaan").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Regel 1, Realisatie 2017: “12,3,4” bevat meer dan één komma")
    expect(page.get_by_label("Regel 1, Realisatie 2017")).to_have_value("12,3,4")
    expect(page.get_by_label("Regel 2, Begroting 2018")).to_have_value("999")
    expect(page.get_by_label("Regel 4, Financiële middelen")).to_have_value("extra bijdrage")
    assert_accessible(page)


def test_year_page_with_tables_and_charts_is_accessible(
    page, live_server, venlo_clerk, login, assert_accessible
):
    page.goto(f"{live_server.url}/venlo/samenwerkingen/zvh/2017/")
    expect(
        page.get_by_role("img", name="Financiële resultaten van de samenwerking")
    ).to_be_visible()
    assert_accessible(page)
    login(page, "carla", "klerk-wachtwoord-1")  # the clerk's view adds edit links and signals
    page.goto(f"{live_server.url}/venlo/samenwerkingen/zvh/2017/")
    expect(page.get_by_text("Controle voor invoerders:")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/venlo/samenwerkingen/zvh/2017/verdeelsleutel/")
    assert_accessible(page)


def test_comparison_and_explanation_pages_are_accessible(
    page, live_server, demo, login, assert_accessible
):
    from allocation.demo import load_allocation_demo

    load_allocation_demo()
    base = f"{live_server.url}/arnhem/samenwerkingen/vtgm/2018/verdeelmodel/"
    page.goto(base)
    expect(
        page.get_by_role("heading", name="Verdeelmodel 2018: varianten vergelijken")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Te verrekenen resultaat (€)").fill("-120.000")
    page.get_by_role("button", name="Verdeel het resultaat").click()
    expect(page.get_by_text("Verdeling van € −120.000")).to_be_visible()
    assert_accessible(page)
    page.goto(base + "C1/?deelnemer=Arnhem")
    assert_accessible(page)
    login(page, "financieel-arnhem", "demo-arnhem")
    page.goto(base)
    page.get_by_role("button", name="Variant B vaststellen…").click()
    # First the effect per municipality, then the confirmation.
    expect(page.get_by_role("heading", name="vaststellen?")).to_be_visible()
    expect(page.get_by_role("table", name="Bijdrage per gemeente")).to_contain_text("Rheden")
    assert_accessible(page)
    page.get_by_role("button", name="Ja, stel variant B vast").click()
    expect(page.get_by_text("is vastgesteld")).to_be_visible()
    assert_accessible(page)


def test_two_officers_adopting_at_once_get_the_conflict(
    page, live_server, demo, login, assert_accessible
):
    """Two browser pages of the regional finance officer: both see A adopted and open an
    adoption; the second confirmation is refused with what happened, instead of winning."""
    from allocation.demo import load_allocation_demo

    load_allocation_demo()
    base = f"{live_server.url}/arnhem/samenwerkingen/vtgm/2018/verdeelmodel/"
    login(page, "financieel-arnhem", "demo-arnhem")
    second = page.context.new_page()  # same person, second tab
    page.goto(base + "vaststellen/?variant=B")
    second.goto(base + "vaststellen/?variant=C1")
    page.get_by_role("button", name="Ja, stel variant B vast").click()
    expect(page.get_by_text("is vastgesteld")).to_be_visible()
    second.get_by_role("button", name="Ja, stel variant C1 vast").click()
    expect(second.get_by_text("Iemand anders heeft intussen variant B vastgesteld")).to_be_visible()
    assert_accessible(second)
    second.close()
