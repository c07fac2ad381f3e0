"""Importing in a real browser: the clerk of Venlo downloads the template, fills it with one bad
row, sees the preview name the error, fixes the file, uploads it again and confirms. The concept
shows the new figures; the public keeps the published version until it is published again.
axe finds nothing on the upload, preview and result pages."""

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from collaborations.models import YearRecord

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ZVH_2017 = "/venlo/samenwerkingen/zvh/2017/"


def _filled(template_path, out_path, realisatie) -> str:
    """The downloaded template with the clerk's rows below its description and example."""
    book = load_workbook(template_path)
    ws = book["Bedragen"]
    ws.append(["Venlo", "ZVH", "Kosten", "beschermd wonen", 2017, 1014673, realisatie, None])
    ws.append(["Venlo", "ZVH", "Kosten", "Extra regel", 2017, "25.000", "24.500", None])
    book.save(out_path)
    return str(out_path)


def test_upload_with_an_error_fix_it_confirm_and_publish(
    page, live_server, demo, reopen, publish, login, assert_accessible, tmp_path
):
    record = YearRecord.objects.get(participation__partnership__slug="zvh", year=2017)
    reopen(record)
    login(page, "invoerder-venlo", "demo-venlo")
    page.goto(f"{live_server.url}/venlo/")
    page.get_by_role("link", name="Gegevens importeren").click()
    section = page.locator("section", has=page.get_by_role("heading", name="Bedragen"))
    with page.expect_download() as download:
        section.get_by_role("link", name=re.compile("Sjabloon bedragen")).click()
    template = tmp_path / download.value.suggested_filename
    download.value.save_as(template)

    section.get_by_role("link", name="Bedragen inlezen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Bedragen van de financiële tabellen inlezen"
    )
    assert_accessible(page)
    page.locator("input[type=file]").set_input_files(
        _filled(template, tmp_path / "kosten.xlsx", "12,3,4")
    )
    page.get_by_role("button", name="Bestand controleren").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Rij 4, kolom Realisatie 2017: '12,3,4' is geen bedrag"
    )
    expect(page.get_by_role("button", name="Inlezen in het concept")).to_have_count(0)
    assert_accessible(page)

    fixed = _filled(template, tmp_path / "kosten-verbeterd.xlsx", "1.100.000")
    page.locator("input[type=file]").set_input_files(fixed)
    page.get_by_role("button", name="Bestand controleren").click()
    expect(page.get_by_role("table")).to_contain_text("Realisatie 2017: € 1.014.673 → € 1.100.000")
    expect(page.get_by_role("table")).to_contain_text("Extra regel")
    assert_accessible(page)
    page.get_by_role("button", name="Inlezen in het concept").click()
    expect(page.get_by_role("status")).to_contain_text(
        "kosten-verbeterd.xlsx is ingelezen in het concept: 1 nieuw, 1 gewijzigd"
    )
    assert_accessible(page)

    page.get_by_role("link", name="ZVH 2017 (Venlo)").click()
    expect(page.locator("main")).to_contain_text("1.100.000")
    expect(page.locator("main")).to_contain_text("Extra regel")
    public = page.context.browser.new_page()
    public.goto(f"{live_server.url}{ZVH_2017}")
    expect(public.locator("main")).to_contain_text("1.014.673")
    expect(public.locator("main")).not_to_contain_text("Extra regel")

    publish(record)
    public.reload()
    expect(public.locator("main")).to_contain_text("1.100.000")
    expect(public.locator("main")).to_contain_text("Extra regel")
