"""The kernbeeld: a year page opens with the key figures a council member reads first — the
municipality's contribution and its change against last year, budget against realisation, the
party's eigen vermogen and result, the risk profile, status and version — the same figures as
the tables below, for the public from the published version only, and in the PDF too."""

import re
from decimal import Decimal

import pytest

from django.contrib.auth.models import AnonymousUser
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format

from collaborations.models import Participation, YearRecord, YearVersion
from core.pdf import render_pdf
from core.templatetags.nl import NOT_APPLICABLE, NOT_FILLED_IN, euro, procentverschil, verschil
from finance.models import FinanceAmount, FinanceTableYear, Kind, Table
from finance.money import EMPTY, NVT, Cell
from reports import documents
from tests.reports.test_documents import pdf_text
from tests.reports.test_three_states import cells_of_row, one_line_kosten

pytestmark = pytest.mark.django_db

URL = "/venlo/samenwerkingen/zvh/2017/"


def kernbeeld(html: str) -> dict[str, list[str]]:
    """The kernbeeld's tiles: label (without its source) → the texts under it."""
    start = html.index('id="kernbeeld"')
    section = html[start : html.index("</section>", start)]
    tiles = {}
    for tile in re.findall(r'<div class="glance__figure">(.*?)</div>', section, re.S):
        label = re.sub(r"<[^>]+>|\s*\(.*?\)\s*", "", re.search(r"<dt>(.*?)</dt>", tile, re.S)[1])
        tiles[label.strip()] = [d.strip() for d in re.findall(r"<dd[^>]*>(.*?)</dd>", tile, re.S)]
    return tiles


def table_total(participation: Participation, table: str, year: int, kind: str, lines_year: int):
    """A table's TOTAAL as the database holds it: the amounts of the year's rows."""
    table_year = FinanceTableYear.objects.get(
        participation=participation, table=table, year=lines_year
    )
    lines = table_year.rows.values_list("line_id", flat=True)
    return FinanceAmount.objects.filter(line_id__in=lines, year=year, kind=kind).aggregate(
        s=Sum("amount")
    )["s"]


@pytest.fixture
def zvh(demo) -> Participation:
    return Participation.objects.get(partnership__slug="zvh", municipality__slug="venlo")


def test_the_zvh_2017_page_opens_with_its_kernbeeld(client, zvh):
    html = client.get(URL).content.decode()
    assert html.index('id="kernbeeld"') < html.index("Motieven voor samenwerking")
    tiles = kernbeeld(html)
    budget = table_total(zvh, Table.KOSTEN, 2017, Kind.BEGROTING, 2017)
    previous = table_total(zvh, Table.KOSTEN, 2016, Kind.BEGROTING, 2017)
    actual = table_total(zvh, Table.KOSTEN, 2017, Kind.REALISATIE, 2017)
    contribution = tiles["Bijdrage van Venlo"]
    assert contribution[0] == euro(budget)
    change = budget - previous
    assert contribution[1] == (
        f"{verschil(change)} ({procentverschil(change / previous * 100)}) t.o.v. begroting 2016"
    )
    assert tiles["Realisatie van de bijdrage 2017"][0] == euro(actual)
    # the same figure as the TOTAAL of Kosten, lopend jaar, below it
    kosten = html[html.index('id="tabel-kosten"') :]
    assert cells_of_row(kosten, "TOTAAL")[:2] == [euro(budget), euro(actual)]
    version = YearVersion.objects.get(participation=zvh, year=2017)
    adopted = date_format(timezone.localtime(version.adopted_at), "j F Y")
    assert tiles["Status en versie"] == [
        "Gepubliceerd",
        f"Versie {version.number}, vastgesteld op {adopted}",
    ]
    assert tiles["Risicoprofiel"][0] == version.risk_profile.capitalize()


def test_a_party_figure_in_its_three_states(client, zvh, clerk, reopen, publish):
    """Eigen vermogen n.v.t. stays n.v.t.; a result not filled in is *niet ingevuld*; € 0 is an
    amount — never folded into each other."""
    html = client.get(URL).content.decode()
    record = YearRecord.objects.get(participation=zvh, year=2017)
    reopen(record)
    one_line_kosten(zvh, clerk, "Nulregel", (Cell(amount=Decimal(0)), NVT, EMPTY))
    publish(record)
    tiles = kernbeeld(client.get(URL).content.decode())
    assert tiles["Bijdrage van Venlo"][0] == "€ 0"
    assert tiles["Realisatie van de bijdrage 2017"] == [str(NOT_APPLICABLE)]  # no comparison
    assert (
        tiles["Eigen vermogen van de samenwerking"][0]
        == kernbeeld(html)["Eigen vermogen van de samenwerking"][0]
    )
    assert str(NOT_FILLED_IN) not in tiles["Bijdrage van Venlo"]


def test_the_public_kernbeeld_shows_the_published_version_only(client, zvh, clerk, reopen):
    published = kernbeeld(client.get(URL).content.decode())["Bijdrage van Venlo"][0]
    reopen(YearRecord.objects.get(participation=zvh, year=2017))
    one_line_kosten(zvh, clerk, "Conceptregel", (Cell(amount=Decimal(123456789)), EMPTY, EMPTY))
    public = kernbeeld(client.get(URL).content.decode())
    assert public["Bijdrage van Venlo"][0] == published
    assert public["Status en versie"][0] == "Gepubliceerd"
    client.force_login(clerk)
    working = kernbeeld(client.get(URL).content.decode())
    assert working["Bijdrage van Venlo"][0] == "€ 123.456.789"
    assert working["Status en versie"][0] != "Gepubliceerd"  # the concept's own status


def test_a_year_without_kosten_says_niet_ingevuld(client, zvh, reopen, publish):
    """No Kosten table for the year: the contribution is *niet ingevuld*, with no comparison."""
    record = reopen(YearRecord.objects.get(participation=zvh, year=2017))
    FinanceTableYear.objects.filter(participation=zvh, table=Table.KOSTEN, year=2017).delete()
    publish(record)
    tiles = kernbeeld(client.get(URL).content.decode())
    assert tiles["Bijdrage van Venlo"] == [str(NOT_FILLED_IN)]
    assert tiles["Realisatie van de bijdrage 2017"] == [str(NOT_FILLED_IN)]
    assert tiles["Status en versie"][1].startswith("Versie 2, vastgesteld op")


def test_the_year_pdf_opens_with_the_kernbeeld(zvh):
    pdf = render_pdf(documents.year_report_html(zvh, 2017, AnonymousUser()))
    _, pages = pdf_text(pdf)
    first = pages[0]
    budget = table_total(zvh, Table.KOSTEN, 2017, Kind.BEGROTING, 2017)
    assert "Kernbeeld 2017" in first and euro(budget) in first
    assert first.index("Kernbeeld 2017") < first.index("Motieven voor samenwerking")


def test_each_partnership_in_the_bundle_opens_with_its_kernbeeld(zvh):
    venlo = zvh.municipality
    chosen = list(Participation.objects.filter(municipality=venlo))
    html = documents.bundle_html(venlo, 2017, chosen, AnonymousUser())
    with_data = YearVersion.objects.filter(participation__in=chosen, year=2017)
    assert html.count(">Kernbeeld 2017</h2>") == with_data.count() >= 2
    for version in with_data.select_related("participation__partnership"):
        slug = version.participation.partnership.slug
        assert html.count(f'id="sw-{slug}-kernbeeld"') == 1  # ids unique in one document
