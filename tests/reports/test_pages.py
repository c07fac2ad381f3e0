"""The public pages: what a council member reads, on the demo data from the seed."""

import html
import re

import pytest

from django.test import Client
from django.urls import reverse

from collaborations import services as collab_services
from collaborations.demo import read_json
from collaborations.models import Municipality, Term, Vocabulary, YearRecord
from tests.collaborations.factories import UserFactory, grant

pytestmark = pytest.mark.django_db


def zvh_2017_source() -> dict:
    """Venlo's ZVH 2017 record as the project's data file holds it (copied from the seed)."""
    zvh = next(p for p in read_json("demo.json")["partnerships"] if p["slug"] == "zvh")
    return zvh["perspectives"]["venlo"]["years"]["2017"]


def page_text(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(text))


def test_year_page_shows_every_text_of_the_seed_page(client, demo):
    response = client.get("/venlo/samenwerkingen/zvh/2017/")
    assert response.status_code == 200
    text = page_text(response)
    source = zvh_2017_source()
    for field, value in source.items():
        if isinstance(value, str) and field not in {"status", "evenwicht_kosten"}:
            assert value in text, f"{field} is missing from the page"
    # Motives with their sub-motives, by their labels (the vocabulary codes resolve to labels).
    for code in source["submotieven"]:
        label = Term.objects.get(vocabulary=Vocabulary.SUBMOTIEF, code__endswith=f"-{code}").label
        assert label in text
    assert "Een hogere kwaliteit van uitvoering/ dienstverlening" in text
    assert (
        "Efficiënter werken, Zaken laten uitvoeren door een partner die dat beter of goedkoper kan"
        in text
    )
    assert "Kosten: Evenwichtig" in text
    assert "Motieven (eigen formulering)" in text


def test_year_page_states_empty_answers_plainly(client, demo):
    text = page_text(client.get("/venlo/samenwerkingen/zvh/2017/"))
    # Feitelijke resultaten Inhoud/Proces/Samenwerking are "..." in the seed: not filled in.
    assert "Niet ingevuld: Inhoud, Proces, Samenwerking" in text.split("Feitelijke resultaten")[1]
    assert "Er is sprake van een ." not in text
    assert "…" not in text.split("Feitelijke resultaten")[1].split("Kern")[0]


def test_years_are_never_grouped(client, demo):
    content = client.get("/venlo/samenwerkingen/zvh/2017/").content.decode()
    assert "2.017" not in content
    assert "2017" in content


def test_year_page_has_one_h1_landmarks_and_year_navigation(client, demo):
    content = client.get("/venlo/samenwerkingen/zvh/2017/").content.decode()
    assert content.count("<h1") == 1
    assert '<main id="inhoud"' in content
    assert 'href="#inhoud"' in content
    assert 'aria-label="Jaren"' in content
    assert 'aria-label="Kruimelpad"' in content
    assert '<html lang="nl">' in content


def test_year_page_query_count_is_fixed(client, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        response = client.get("/venlo/samenwerkingen/msn/2018/")  # the record with most motives
    assert response.status_code == 200


def test_year_page_query_count_for_a_clerk(clerk_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(21):  # 21: the risk register (reports/_bbv.html)
        response = clerk_client.get("/venlo/samenwerkingen/zvh/2017/")
    # published, so locked: the clerk may not edit it, and reopening is the vaststeller's
    assert "Heropenen" not in response.content.decode()
    assert "vergrendeld" in response.content.decode()
    assert "Gelijk aan versie 1" in response.content.decode()


def test_the_vaststeller_is_offered_to_reopen_and_the_raadslid_reads_only(client, venlo):
    vaststeller = UserFactory(username="vaststeller")
    grant(vaststeller, "vaststeller", venlo)
    client.force_login(vaststeller)
    page = client.get("/venlo/samenwerkingen/zvh/2017/").content.decode()
    assert "Heropenen" in page and "Bewerk" not in page
    raadslid = UserFactory(username="raadslid")
    grant(raadslid, "raadslid", venlo)
    client.force_login(raadslid)
    page = client.get("/venlo/samenwerkingen/zvh/2017/").content.decode()
    assert "Gelijk aan versie 1" in page  # the working copy's status, as the clerk sees it
    assert "Heropenen" not in page and "Bewerk" not in page


def test_every_page_of_the_foundation_answers(client, demo):
    for url in [
        "/",
        "/venlo/samenwerkingen/",
        "/venlo/samenwerkingen/zvh/",
        "/venlo/samenwerkingen/vrln/",
        "/wijchen/samenwerkingen/go/",
        "/venlo/samenwerkingen/bsgw/2024/",
        "/toegankelijkheid/",
        "/inloggen/",
    ]:
        assert client.get(url).status_code == 200, url


def test_unknown_things_are_404(client, demo):
    assert client.get("/nergenshuizen/samenwerkingen/").status_code == 404
    assert client.get("/wijchen/samenwerkingen/zvh/").status_code == 404  # Wijchen is no partner
    assert client.get("/venlo/samenwerkingen/zvh/2015/").status_code == 404


def test_list_shows_the_municipalitys_partnerships(client, demo):
    text = page_text(client.get("/venlo/samenwerkingen/"))
    assert "Zorg- en Veiligheidshuis Limburg Noord (ZVH)" in text
    assert "GR Veiligheidsregio Limburg-Noord (VRLN)" in text
    assert "GO Arnhem Nijmegen" not in text  # that is Wijchen's


def test_kernbeeld_derives_verbonden_partij_and_governance(client, demo):
    text = page_text(client.get("/venlo/samenwerkingen/vrln/"))
    assert "Ja: de gemeente heeft bestuurlijk en financieel belang." in text
    assert "Vorm: gemeenschappelijk openbaar lichaam." in text
    assert "BBV-categorie: Gemeenschappelijke regeling." in text
    assert "Algemeen Bestuur (AB)" in text


def test_kernbeeld_without_governance_says_not_filled_in(client, demo):
    text = page_text(client.get("/venlo/samenwerkingen/zvh/"))
    assert "Vorm niet ingevuld." in text
    assert "Er is sprake van een ." not in text
    # The kernbeeld takes the newest year's kern and belangrijkste motieven.
    assert zvh_2017_source()["beoogd_kern"] in text


def test_public_does_not_see_draft_years(clerk_client, clerk, demo, reopen):
    """A year is public once a version is published; a reopened year keeps showing it."""
    record = YearRecord.objects.get(participation__partnership__slug="zvh", year=2017)
    collab_services.start_new_year(user=clerk, participation=record.participation, year=2018)
    assert Client().get("/venlo/samenwerkingen/zvh/2018/").status_code == 404
    assert (
        "2018" not in page_text(Client().get("/venlo/samenwerkingen/zvh/")).split("Jaren")[1][:40]
    )
    assert clerk_client.get("/venlo/samenwerkingen/zvh/2018/").status_code == 200
    reopen(record)
    assert Client().get("/venlo/samenwerkingen/zvh/2017/").status_code == 200


def test_help_texts_are_not_on_the_public_page(client, demo):
    text = page_text(client.get("/venlo/samenwerkingen/zvh/2017/"))
    assert "Prestatieladder" not in text


def test_editing_needs_a_login(client, demo):
    url = reverse("collaborations:year-edit", args=["venlo", "zvh", 2017, "beoogde-resultaten"])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/")


def test_a_clerk_of_another_municipality_cannot_edit(client, demo):
    other = UserFactory(username="wijchen-clerk")
    grant(other, "invoerder", Municipality.objects.get(slug="wijchen"))
    client.force_login(other)
    url = reverse("collaborations:year-edit", args=["venlo", "zvh", 2017, "beoogde-resultaten"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"version": 1, "beoogd_kern": "x"}).status_code == 403


def test_empty_tables_and_answers_are_named_in_one_line(client, demo, clerk, reopen):
    """BsGW 2024 has little data: the page says once what is not filled in (it repeated "Bij dit
    jaar zijn geen gegevens ingevuld bij dit onderdeel" per table and year); a clerk who may
    edit reaches each empty table's form from that line."""
    url = "/venlo/samenwerkingen/bsgw/2024/"
    text = page_text(client.get(url))
    assert "Bij dit jaar zijn geen gegevens ingevuld bij dit onderdeel" not in text
    assert (
        "Niet ingevuld in 2022–2024: Kosten (inbreng financiële middelen), Baten, "
        "Financiële resultaten, Eigen vermogen"
    ) in text
    assert "Niet ingevuld: Inhoud, Proces, Samenwerking, Kern" in text
    reopen(YearRecord.objects.get(participation__partnership__slug="bsgw", year=2024))
    client.force_login(clerk)
    content = client.get(url).content.decode()
    line = content[content.index('id="lege-tabellen"') :].split("</p>")[0]
    kosten = reverse("finance:grid", args=["venlo", "bsgw", 2024, "kosten"])
    assert f'href="{kosten}"' in line
