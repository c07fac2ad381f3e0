"""In a real browser: the paragraaf verbonden partijen (both editions) as the public reads it,
the BBV figures and the risk register as a clerk enters them, and the vision and policy text
from concept to published — every page accessible (axe)."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

GO_2021 = "/wijchen/samenwerkingen/go/2021"


def test_the_public_reads_the_paragraph_in_both_editions(
    page, live_server, demo, assert_accessible
):
    page.goto(f"{live_server.url}/venlo/")
    page.get_by_role("link", name=re.compile("Paragraaf verbonden partijen")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"Paragraaf verbonden partijen \d{4}")
    )
    expect(
        page.get_by_role("heading", name="Gemeenschappelijke regelingen", level=2)
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Overzicht van de bijdragen", level=2)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Jaarstukken").click()
    expect(page.locator("[aria-current=page]", has_text="Jaarstukken")).to_be_visible()
    assert_accessible(page)


def test_the_clerk_enters_bbv_figures_and_a_risk(page, live_server, demo, login, assert_accessible):
    login(page, "invoerder-wijchen", "demo-wijchen")
    page.goto(f"{live_server.url}{GO_2021}/bewerken/verbonden-partij/")
    assert_accessible(page)
    page.get_by_label("Financieel belang einde jaar (verwacht)").fill("12.500")
    page.get_by_label("Eigen vermogen begin jaar").fill("1.234,5,6")
    page.get_by_role("button", name="Opslaan").click()
    # a bad amount names the field, and what was typed stays
    summary = page.locator("#foutmeldingen")
    expect(summary).to_contain_text("Er is 1 fout gevonden")
    expect(summary.get_by_role("link")).to_have_text(re.compile(r"^Eigen vermogen begin jaar: "))
    expect(page.get_by_label("Financieel belang einde jaar (verwacht)")).to_have_value("12.500")
    assert_accessible(page)
    page.get_by_label("Eigen vermogen begin jaar").fill("n.v.t.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page).to_have_url(re.compile(r"/go/2021/"))
    bbv = page.locator("section.bbv")
    expect(bbv).to_contain_text("€ 12.500")
    assert_accessible(page)

    page.goto(f"{live_server.url}{GO_2021}/bewerken/risicos/")
    assert_accessible(page)
    empty = page.locator("[data-formset-body] tr").last
    empty.get_by_label("Omschrijving").fill("Tegenvaller in de huisvesting")
    empty.get_by_label("Kans").select_option(label="50%")
    empty.get_by_label("Financieel effect (€)").fill("10.000")
    page.get_by_role("button", name="Opslaan").click()
    risks = page.locator("section.risks")
    expect(risks).to_contain_text("Tegenvaller in de huisvesting")
    expect(risks).to_contain_text("€ 5.000")  # 50% of € 10.000, computed
    expect(page.locator("section.glance")).to_contain_text("Risicoprofiel")
    assert_accessible(page)


def test_the_policy_text_goes_from_concept_to_published(
    page, browser, live_server, demo, login, assert_accessible
):
    login(page, "invoerder-venlo", "demo-venlo")
    page.goto(f"{live_server.url}/venlo/paragraaf-verbonden-partijen/2017/visie-en-beleid/")
    assert_accessible(page)
    page.get_by_label("Visie en beleid op verbonden partijen").fill(
        "Venlo werkt samen waar dat de inwoner beter helpt."
    )
    page.get_by_role("button", name="Concept opslaan").click()
    expect(page.get_by_text("het publiek ziet voor 2017 nog geen tekst")).to_be_visible()
    assert_accessible(page)
    public = browser.new_page()
    public.goto(f"{live_server.url}/venlo/paragraaf-verbonden-partijen/2017/")
    expect(public.get_by_text("Venlo werkt samen waar dat de inwoner beter helpt.")).to_have_count(
        0
    )

    page.get_by_role("button", name="Uitloggen").click()
    login(page, "vaststeller-venlo", "demo-vaststeller")
    page.goto(f"{live_server.url}/venlo/paragraaf-verbonden-partijen/2017/visie-en-beleid/")
    page.get_by_role("button", name="Dit concept publiceren").click()
    expect(
        page.get_by_text(re.compile("het concept is gelijk aan wat het publiek ziet"))
    ).to_be_visible()
    assert_accessible(page)
    public.reload()
    expect(public.get_by_text("Venlo werkt samen waar dat de inwoner beter helpt.")).to_be_visible()
    public.close()
