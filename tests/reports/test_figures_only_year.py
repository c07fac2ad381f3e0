"""Every year with figures has a page: 2016 of the ZVH came with the 2017 page's three-year
tables; its readers see those figures and its clerk can start the year from there."""

from django.test import Client

from collaborations.models import YearRecord
from tests.collaborations.factories import UserFactory, grant
from tests.finance.test_grid_and_split_key import page_text

URL = "/venlo/samenwerkingen/zvh/2016/"


def test_the_clerk_sees_the_figures_of_a_year_without_section_c(clerk_client):
    response = clerk_client.get(URL)
    assert response.status_code == 200
    text = page_text(response)
    assert "sectie C van 2016 is nog niet begonnen" in text
    assert "beschermd wonen € 955.000" in text  # Kosten 2016, as entered with 2017
    assert "Jaar 2016 beginnen" in text


def test_the_public_does_not_see_an_unpublished_year_and_the_raadslid_reads_only(venlo):
    assert Client().get(URL).status_code == 404
    raadslid = UserFactory(username="raadslid")
    grant(raadslid, "raadslid", venlo)
    reader = Client()
    reader.force_login(raadslid)
    text = page_text(reader.get(URL))
    assert "beschermd wonen € 955.000" in text and "Jaar 2016 beginnen" not in text


def test_starting_the_year_before_all_others_makes_an_empty_concept(clerk_client):
    response = clerk_client.post("/venlo/samenwerkingen/zvh/nieuw-jaar/", {"year": "2016"})
    assert response.status_code == 302 and response["Location"] == URL
    record = YearRecord.objects.get(participation__partnership__slug="zvh", year=2016)
    assert (record.status, record.beoogd_kern, record.copied_from) == ("concept", "", None)
    page = clerk_client.get(URL, follow=True)
    assert "Jaar 2016 is aangemaakt als leeg concept." in page_text(page)
    assert "/venlo/samenwerkingen/zvh/2016/financien/kosten/" in page.content.decode()


def test_the_partnership_page_leads_readers_to_the_figures_only_year(clerk_client):
    page = clerk_client.get("/venlo/samenwerkingen/zvh/")
    assert "Alleen cijfers, sectie C nog niet begonnen: 2016" in page_text(page)
    assert "sectie C nog niet begonnen" not in page_text(Client().get("/venlo/samenwerkingen/zvh/"))
