"""The Geschiedenis page in headless Chromium: reachable from the year page, readable diffs,
restore by keyboard, and no axe violations; the same for the grid's confirmation."""

import pytest
from playwright.sync_api import expect

from collaborations.models import YearRecord

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_history_shows_a_change_and_restores_it(
    page, live_server, demo, reopen, login, assert_accessible
):
    reopen(YearRecord.objects.get(participation__partnership__slug="zvh", year=2017))
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


def test_nvt_on_a_filled_table_asks_first(
    page, live_server, demo, reopen, login, assert_accessible
):
    reopen(YearRecord.objects.get(participation__partnership__slug="zvh", year=2017))
    login(page, "invoerder-venlo", "demo-venlo")
    page.goto(f"{live_server.url}/venlo/samenwerkingen/zvh/2017/financien/kosten/")
    page.get_by_label("Deze tabel is dit jaar niet van toepassing (n.v.t.)").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Er is nog niets opgeslagen.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Ja, verwijder deze regels met hun bedragen").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("opgeslagen")).to_be_visible()


def test_the_workflow_from_reopening_to_a_new_published_version(
    page, live_server, demo, login, assert_accessible
):
    """The vaststeller reopens the published 2017 with a reason; the clerk corrects it and
    submits it; the raadslid reads the concept; the public keeps seeing version 1; the
    vaststeller adopts and publishes version 2; version 1 stays readable."""
    year_url = f"{live_server.url}/venlo/samenwerkingen/zvh/2017/"
    vaststeller = page.context.browser.new_page()
    login(vaststeller, "vaststeller-venlo", "demo-vaststeller")
    vaststeller.goto(year_url)
    expect(vaststeller.get_by_text("Gelijk aan versie 1")).to_be_visible()
    assert_accessible(vaststeller)
    vaststeller.get_by_label("Reden (heropenen)").fill("Correctie van de kern")
    vaststeller.get_by_role("button", name="Heropenen").click()
    expect(vaststeller.get_by_text("is heropend als concept")).to_be_visible()
    login(page, "invoerder-venlo", "demo-venlo")
    page.goto(year_url)
    expect(page.get_by_role("button", name="Heropenen")).to_have_count(0)  # not the clerk's
    page.goto(year_url + "bewerken/beoogde-resultaten/")
    page.get_by_label("Kern").fill("Gecorrigeerde kern na heropenen.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("1 wijziging sinds versie 1")).to_be_visible()
    page.get_by_role("button", name="Ter vaststelling aanbieden").click()
    expect(page.get_by_text("ter vaststelling aangeboden")).to_be_visible()
    assert_accessible(page)
    raadslid = page.context.browser.new_page()
    login(raadslid, "raadslid-venlo", "demo-raadslid")
    raadslid.goto(year_url)
    expect(raadslid.get_by_text("Gecorrigeerde kern na heropenen.")).to_be_visible()
    expect(raadslid.get_by_role("link", name="Bewerk")).to_have_count(0)
    expect(raadslid.get_by_role("button", name="Vaststellen", exact=True)).to_have_count(0)
    public = page.context.browser.new_page()
    public.goto(year_url)
    expect(public.get_by_text("Gecorrigeerde kern na heropenen.")).to_have_count(0)
    vaststeller.goto(year_url)
    vaststeller.get_by_role("button", name="Vaststellen", exact=True).click()
    vaststeller.get_by_role("button", name="Publiceren", exact=True).click()
    expect(vaststeller.get_by_text("gepubliceerd als nieuwe versie")).to_be_visible()
    public.goto(year_url)
    expect(public.get_by_text("Gecorrigeerde kern na heropenen.")).to_be_visible()
    expect(public.get_by_text("Versie 2 van 2017")).to_be_visible()
    public.goto(year_url + "versies/1/")
    expect(public.get_by_text("U bekijkt een eerdere versie.")).to_be_visible()
    expect(public.get_by_text("Gecorrigeerde kern na heropenen.")).to_have_count(0)
    assert_accessible(public)
    public.goto(year_url + "versies/")
    assert_accessible(public)
    page.goto(f"{live_server.url}/venlo/samenwerkingen/zvh/geschiedenis/")
    expect(page.get_by_role("heading", name="Geschiedenis van ZVH")).to_be_visible()
    assert_accessible(page)
    for other in (public, vaststeller, raadslid):  # no requests may be left at the end
        other.context.close()
