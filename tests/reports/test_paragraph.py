"""The paragraaf verbonden partijen: the four BBV groups with the municipality's parties, their
figures and risks from published versions only, the totals, both editions, the PDF (tagged, A4,
with a table of contents), and the vision and policy text with its concept, publication,
history and restore."""

import io
import re
from decimal import Decimal

import pypdf
import pytest

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from collaborations.models import Partnership, Term, Vocabulary, YearRecord
from collaborations.services import bbv as bbv_services
from core.locking import StaleVersionError
from reports import paragraph, services
from reports.models import ParagraphPolicy
from reports.selectors.paragraph import paragraph_for
from tests.collaborations.factories import UserFactory, grant

pytestmark = pytest.mark.django_db

D = Decimal
URL = "/venlo/paragraaf-verbonden-partijen/2017/"


def zvh_record() -> YearRecord:
    return YearRecord.objects.select_related("participation__municipality").get(
        participation__partnership__slug="zvh", participation__municipality__slug="venlo", year=2017
    )


@pytest.fixture
def vaststeller(venlo):
    user = UserFactory(username="vaststeller-test")
    grant(user, "vaststeller", venlo)
    return user


def _group(par, code):
    return next(g for g in par.groups if g.code == code)


def test_the_page_shows_the_four_groups_with_venlos_parties_and_totals(client, demo):
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    for label, _ in [(label, code) for code, label in paragraph.GROUPS]:
        assert f">{label}</h2>" in page
    venlo_parties = Partnership.objects.filter(municipalities__slug="venlo")
    for partnership in venlo_parties:
        assert partnership.name in page
    assert "Overzicht van de bijdragen" in page and "TOTAAL" in page
    assert "Bijdragen per taakveld" in page and "1.2 Openbare orde en veiligheid" in page
    assert "Risico's voor het weerstandsvermogen" in page


def test_each_party_says_its_version_and_adoption_date(client, demo):
    page = client.get(URL).content.decode()
    article = page[page.index('id="vp-zvh-naam"') :]
    assert re.search(r"Versie 1 van 2017, vastgesteld op \d+ \w+ \d{4}, gepubliceerd op", article)


def test_a_concept_figure_never_reaches_the_paragraph(client, demo, clerk, reopen, publish):
    record = reopen(zvh_record())
    bbv_services.update_bbv(
        user=clerk,
        record=record,
        values={"financieel_belang_begin": D("7654321"), "programma": "Conceptprogramma"},
        expected_version=record.version,
    )
    client.force_login(clerk)  # even the clerk who typed it reads only published data here
    for url in (URL, URL + "?editie=jaarstukken"):
        page = client.get(url).content.decode()
        assert "7.654.321" not in page and "Conceptprogramma" not in page
    par = paragraph_for(record.participation.municipality, 2017, "begroting")
    zvh = next(p for p in par.parties if p.slug == "zvh")
    assert zvh.bbv.financieel_belang_begin.amount is None

    publish(zvh_record())
    page = client.get(URL).content.decode()
    assert "€ 7.654.321" in page and "Conceptprogramma" in page


def test_a_party_without_a_published_version_is_listed_without_figures(client, demo):
    par = paragraph_for(zvh_record().participation.municipality, 2017, "begroting")
    unpublished = [p for p in par.parties if not p.published]
    assert unpublished, "the demo has Venlo parties without a published 2017"
    page = client.get(URL).content.decode()
    for party in unpublished:
        article = page[page.index(f'id="{party.idp}naam"') :]
        article = article[: article.index("</article>")]
        assert "nog geen vastgestelde versie gepubliceerd" in article
        assert "Openbaar belang" not in article


def test_totals_count_only_known_amounts_and_say_how_many_are_missing():
    def party(name, group, budget, taakveld="", risks=()):
        from reports.bbv import BbvView, RiskView, profile_of

        bbv = BbvView(taakveld=taakveld)
        risk_list = [RiskView(omschrijving="r", kans=k, effect=e) for k, e in risks]
        return paragraph.Party(
            name=name, afkorting=name, slug=name.lower(), vorm="", vestigingsplaats="",
            group=group, group_assumed=False, year=2026, version_number=1,
            contribution_budget=budget, bbv=bbv, risks=risk_list,
            risk_profile=profile_of(bbv, risk_list),
        )  # fmt: skip

    par = paragraph.build(
        municipality=None,
        year=2026,
        edition="begroting",
        edition_label="Begroting",
        parties=[
            party("A", "gemeenschappelijke-regeling", D("100.10"), "1.1", [(30, D("1000"))]),
            party("B", "gemeenschappelijke-regeling", None, "1.1", [(50, None)]),
            party("C", "stichting-vereniging", D("0"), "7.1"),
            party("D", "iets-anders", D("5")),
        ],
    )
    gr = _group(par, "gemeenschappelijke-regeling")
    assert gr.budget.amount == D("100.10") and gr.budget.missing == 1
    assert _group(par, "stichting-vereniging").budget.amount == D("0")  # zero is an amount
    assert [p.name for p in _group(par, "overige").parties] == ["D"]
    assert par.budget.amount == D("105.10") and par.budget.missing == 1
    rows = {r.code: r for r in par.taakvelden}
    assert rows["1.1"].parties == ["A", "B"] and rows["1.1"].budget.amount == D("100.10")
    assert [r.code for r in par.taakvelden] == ["1.1", "7.1", ""]
    # B's only risk has no known effect: its expected amount is unknown, not 0
    assert par.risk_total.amount == D("300.00") and par.risk_total.missing == 1
    assert [r.unknown_effects for r in par.risks] == [0, 1]


def test_the_jaarstukken_edition_shows_the_realisation(client, demo):
    begroting = client.get(URL).content.decode()
    jaarstukken = client.get(URL + "?editie=jaarstukken").content.decode()
    assert "Realisatie 2017" not in begroting
    assert "Realisatie 2017" in jaarstukken
    assert 'aria-current="page" class="year-nav__current">Jaarstukken' in jaarstukken


@pytest.mark.parametrize("query", ["?editie=begrotingen", "?editie=%00"])
def test_a_bad_edition_is_a_404_in_dutch_not_an_error(client, demo, query):
    response = client.get(URL + query)
    assert response.status_code == 404
    assert "Kies de editie begroting of jaarstukken." in response.content.decode()


def test_a_party_without_bbv_category_is_counted_under_overige_and_says_so(demo):
    Partnership.objects.filter(slug="zvh").update(bbv_categorie=None)
    par = paragraph_for(zvh_record().participation.municipality, 2017, "begroting")
    zvh = next(p for p in _group(par, "overige").parties if p.slug == "zvh")
    assert zvh.group_assumed


def test_the_paragraph_reads_a_fixed_number_of_queries(client, demo, django_assert_max_num_queries):
    client.get(URL)
    with django_assert_max_num_queries(12):
        client.get(URL)


def test_the_pdf_is_tagged_a4_with_a_table_of_contents(client, demo):
    response = client.get(URL + "pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(width), round(height)) == (595, 842)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Inhoud" in text and "Gemeenschappelijke regelingen" in text
    toc = reader.pages[1].extract_text()
    assert re.search(r"Zorg- en Veiligheidshuis Limburg Noord\W*\d", toc)
    titles = [item.title for item in _flat(reader.outline)]
    assert {label for _, label in paragraph.GROUPS} <= set(titles)  # a bookmark per group


def _flat(outline):
    for item in outline:
        yield from _flat(item) if isinstance(item, list) else [item]


def test_the_policy_text_is_a_concept_until_the_vaststeller_publishes_it(
    client, demo, clerk, vaststeller, venlo
):
    policy = services.save_policy(
        user=clerk, municipality=venlo, year=2017, text="Wij werken samen.", expected_version=None
    )
    assert "Wij werken samen." not in client.get(URL).content.decode()
    with pytest.raises(PermissionDenied):
        services.publish_policy(
            user=clerk, municipality=venlo, year=2017, expected_version=policy.version
        )
    services.publish_policy(
        user=vaststeller, municipality=venlo, year=2017, expected_version=policy.version
    )
    assert "Wij werken samen." in client.get(URL).content.decode()
    policy.refresh_from_db()
    services.save_policy(
        user=clerk, municipality=venlo, year=2017, text="Nieuw concept.",
        expected_version=policy.version,
    )  # fmt: skip
    page = client.get(URL).content.decode()
    assert "Wij werken samen." in page and "Nieuw concept." not in page


def test_a_save_on_a_replaced_text_is_refused_and_an_old_text_can_be_restored(clerk, venlo):
    first = services.save_policy(
        user=clerk, municipality=venlo, year=2017, text="Eerste.", expected_version=None
    )
    services.save_policy(
        user=clerk, municipality=venlo, year=2017, text="Tweede.", expected_version=first.version
    )
    with pytest.raises(StaleVersionError):
        services.save_policy(
            user=clerk, municipality=venlo, year=2017, text="Derde.",
            expected_version=first.version,
        )  # fmt: skip
    policy = ParagraphPolicy.objects.get(municipality=venlo, year=2017)
    assert policy.text == "Tweede."
    oldest = policy.history.order_by("history_id").first()
    services.restore_policy(
        user=clerk, municipality=venlo, year=2017, history_id=oldest.history_id,
        expected_version=policy.version,
    )  # fmt: skip
    policy.refresh_from_db()
    assert policy.text == "Eerste." and policy.history.count() == 3


def test_the_policy_page_keeps_the_input_on_an_error_and_says_it_in_dutch(clerk_client, venlo):
    url = reverse("reports:paragraph-policy", args=["venlo", 2017])
    too_long = "x" * 20_001
    response = clerk_client.post(url, {"actie": "opslaan", "text": too_long, "version": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Visie en beleid" in page and "hoogstens" in page
    assert too_long in page


def test_the_policy_page_starts_from_the_previous_years_text(clerk_client, clerk, venlo):
    services.save_policy(
        user=clerk, municipality=venlo, year=2016, text="Visie van 2016.", expected_version=None
    )
    url = reverse("reports:paragraph-policy", args=["venlo", 2017])
    page = clerk_client.get(url).content.decode()
    assert "Visie van 2016." in page and "overgenomen uit een eerder jaar" in page
    assert not ParagraphPolicy.objects.filter(year=2017).exists()


def test_only_the_municipalitys_clerks_edit_the_policy(client, demo):
    url = reverse("reports:paragraph-policy", args=["venlo", 2017])
    assert client.get(url).status_code == 302  # to the login
    other = UserFactory(username="wijchen-test")
    grant(other, "invoerder", _wijchen())
    client.force_login(other)
    assert client.get(url).status_code == 403
    with pytest.raises(ValidationError):
        services.request_bundle(
            user=other, municipality=_venlo(), year=2017, slugs=["zvh"], edition="begrotingen"
        )


def _wijchen():
    from collaborations.models import Municipality

    return Municipality.objects.get(slug="wijchen")


def _venlo():
    from collaborations.models import Municipality

    return Municipality.objects.get(slug="venlo")


def test_bbv_vocabulary_matches_the_four_groups(demo):
    codes = list(
        Term.objects.filter(vocabulary=Vocabulary.BBV)
        .order_by("order")
        .values_list("code", flat=True)
    )
    assert sorted(codes) == sorted(code for code, _ in paragraph.GROUPS)
