"""Importing money lines with a preview: the template, new / changed / unchanged rows with old →
new, confirm in one transaction into the concept with the file's name in the history, the
open-year rule of the grid, who may import what, and a stale preview refused."""

from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from django.test import Client

from collaborations.models import Participation, YearRecord
from finance.models import FinanceAmount, FinanceLine, FinanceTableYear, Kind, Table
from finance.money import Cell
from finance.services import GridRow, save_table_year
from tests.collaborations.factories import UserFactory, grant

from .imports_support import MONEY, confirm, counts, text, upload, xlsx

pytestmark = pytest.mark.django_db

KOSTEN = "Kosten (inbreng financiële middelen)"


def amount(label: str, year: int, kind: str = Kind.BEGROTING) -> FinanceAmount | None:
    return FinanceAmount.objects.filter(
        line__participation__municipality__slug="venlo",
        line__participation__partnership__slug="zvh",
        line__label=label,
        year=year,
        kind=kind,
    ).first()


def test_the_template_has_dutch_headers_a_description_and_an_example(clerk_client):
    response = clerk_client.get("/importeren/bedragen/sjabloon.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="sjabloon-bedragen.xlsx"'
    ws = load_workbook(BytesIO(response.content)).active
    assert ws.title == "Bedragen"
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == tuple(MONEY)  # Gemeente, Samenwerking, Tabel, Categorie, Jaar, ...
    assert "CBS-code" in rows[1][0] and "n.v.t." in rows[1][5]
    assert rows[2][:5] == ("GM0983", "ZVH", KOSTEN, "Bijdrage Veiligheidshuis", 2017)
    assert ws["F3"].number_format.startswith('"€ "')


def test_an_unchanged_template_imports_nothing(clerk_client):
    """The description and the example row of the template are left out."""
    template = clerk_client.get("/importeren/bedragen/sjabloon.xlsx").content
    page = upload(clerk_client, "bedragen", "sjabloon-bedragen.xlsx", template)
    assert "Het bestand bevat geen rijen met gegevens" in text(page)


def test_the_preview_shows_old_and_new_and_confirming_applies_it_to_the_concept(clerk_client):
    before = counts()
    rows = [
        ["Venlo", "ZVH", "Kosten", "beschermd wonen", 2016, "955.000", "960.123,45", 1014673],
        ["GM0983", "zvh", "kosten", "Nieuwe regel", 2016, "1,234.56", None, "n.v.t."],
        [
            "venlo",
            "ZVH",
            KOSTEN,
            "gemeentelijke bijdrage incl nazorg ex-gedetineerden",
            2016,
            261284,
            261284,
            266733,
        ],
    ]
    page = upload(clerk_client, "bedragen", "kosten 2016.xlsx", xlsx(rows))
    shown = text(page)
    assert page.status_code == 200
    assert "1 nieuwe rij" in shown and "1 gewijzigde rij" in shown
    assert "1 ongewijzigde rij" in shown
    assert "Realisatie 2016: € 955.000 → € 960.123,45" in shown
    assert "Begroting 2016: € 1.234,56" in shown and "Begroting 2017: n.v.t." in shown
    assert counts() == before  # a preview writes nothing

    done = confirm(clerk_client, page)
    assert done.status_code == 200
    assert "kosten 2016.xlsx is ingelezen in het concept: 1 nieuw, 1 gewijzigd" in text(done)
    assert amount("beschermd wonen", 2016, Kind.REALISATIE).amount == Decimal("960123.45")
    assert amount("Nieuwe regel", 2016).amount == Decimal("1234.56")
    assert amount("Nieuwe regel", 2017).not_applicable
    assert amount("Nieuwe regel", 2016, Kind.REALISATIE) is None  # empty: not filled in
    changed = FinanceAmount.history.filter(history_change_reason__contains="kosten 2016.xlsx")
    assert {h.history_user.username for h in changed} == {"clerk"}
    assert changed.count() >= 3
    # the clerk sees the new figures on the year's page (the working copy)
    year_page = clerk_client.get("/venlo/samenwerkingen/zvh/2016/")
    assert "960.123,45" in text(year_page)


def test_a_published_year_is_refused_until_it_is_reopened(clerk_client, reopen):
    rows = [["Venlo", "ZVH", "Kosten", "beschermd wonen", 2017, 1014673, 1_100_000, None]]
    before = counts()
    page = upload(clerk_client, "bedragen", "kosten.xlsx", xlsx(rows))
    assert (
        "Rij 2: Venlo in ZVH: 2017 is gepubliceerd en kan niet worden gewijzigd. Heropen het "
        "jaar eerst" in text(page)
    )
    assert 'name="controle"' not in page.content.decode()  # nothing to confirm
    assert counts() == before

    reopen(YearRecord.objects.get(participation__partnership__slug="zvh", year=2017))
    page = upload(clerk_client, "bedragen", "kosten.xlsx", xlsx(rows))
    confirm(clerk_client, page)
    assert amount("beschermd wonen", 2017, Kind.REALISATIE).amount == Decimal("1100000")
    # the public still reads the published version
    public = text(Client().get("/venlo/samenwerkingen/zvh/2017/"))
    assert "1.100.000" not in public and "1.014.673" in public


def test_a_clerk_imports_only_the_own_municipality_and_not_the_shared_tables(clerk_client):
    before = counts()
    rows = [
        ["Arnhem", "VTGM", "Kosten", "Bijdrage", 2019, 1000, None, None],
        [None, "ZVH", "Financiële resultaten", "Beschermd wonen", 2016, 1, 1, 1],
        ["Venlo", "GO", "Kosten", "Bijdrage", 2021, 1000, None, None],
    ]
    shown = text(upload(clerk_client, "bedragen", "andere.xlsx", xlsx(rows)))
    assert "Rij 2: deze tabel wijzigt alleen de invoerders van Arnhem" in shown
    assert "Rij 3: deze tabel wijzigt alleen de coördinator van ZVH" in shown
    assert "Rij 4, kolom Gemeente: Venlo neemt niet deel aan GO" in shown
    assert counts() == before


def test_the_coordinator_imports_the_shared_tables(client, demo):
    client.force_login(UserFactory(username="coordinator-zvh"))
    rows = [
        [None, "ZVH", "Financiële resultaten", "Beschermd wonen", 2016, 955000, 956000, 1014673]
    ]
    page = upload(client, "bedragen", "gedeeld.xlsx", xlsx(rows))
    assert "Realisatie 2016: € 955.000 → € 956.000" in text(page)
    confirm(client, page)
    line = FinanceLine.objects.get(partnership__slug="zvh", label="Beschermd wonen")
    assert line.amounts.get(year=2016, kind=Kind.REALISATIE).amount == 956000


def test_a_preview_is_refused_when_the_figures_changed_meanwhile(clerk_client, clerk):
    rows = [["Venlo", "ZVH", "Kosten", "beschermd wonen", 2016, 955000, 1, 1014673]]
    page = upload(clerk_client, "bedragen", "kosten.xlsx", xlsx(rows))
    participation = Participation.objects.get(municipality__slug="venlo", partnership__slug="zvh")
    table_year = FinanceTableYear.objects.get(
        participation=participation, table=Table.KOSTEN, year=2016
    )
    save_table_year(  # someone saves the grid of 2016 in the meantime
        user=clerk,
        participation=participation,
        table=Table.KOSTEN,
        year=2016,
        rows=[GridRow("beschermd wonen", (Cell(Decimal(955000)), Cell(Decimal(2)), Cell()))],
        expected_version=table_year.version,
    )
    before = counts()
    refused = confirm(clerk_client, page)
    assert refused.status_code == 409
    assert "De gegevens zijn gewijzigd sinds u de controle zag" in text(refused)
    assert counts() == before
    assert amount("beschermd wonen", 2016, Kind.REALISATIE).amount == 2
    # the page shows the preview again, against what is stored now
    assert "Realisatie 2016: € 2 → € 1" in text(refused)


def test_the_begroting_of_a_year_is_one_figure_in_two_rows(clerk_client, reopen):
    rows = [
        ["Venlo", "ZVH", "Kosten", "beschermd wonen", 2016, 955000, 955000, 1_000_000],
        ["Venlo", "ZVH", "Kosten", "beschermd wonen", 2017, 1_014_673, 1014673, 1028608],
    ]
    shown = text(upload(clerk_client, "bedragen", "twee.xlsx", xlsx(rows)))
    assert (
        "Rij 3, kolom Begroting 2017: € 1.014.673 verschilt van rij 2 (€ 1.000.000): het is "
        "dezelfde begroting 2017" in shown
    )


def test_a_column_not_in_the_file_stays_as_it_is(clerk_client):
    headers = ["Gemeente", "Samenwerking", "Tabel", "Categorie", "Jaar", "Realisatie"]
    rows = [["Venlo", "ZVH", "Kosten", "beschermd wonen", 2016, 950000]]
    page = upload(clerk_client, "bedragen", "realisatie.xlsx", xlsx(rows, headers=headers))
    assert "Begroting 2016" not in text(page).split("Nieuwe en gewijzigde rijen")[1]
    confirm(clerk_client, page)
    assert amount("beschermd wonen", 2016).amount == 955000
    assert amount("beschermd wonen", 2016, Kind.REALISATIE).amount == 950000
    assert amount("beschermd wonen", 2017).amount == 1014673


def test_a_whole_table_becomes_not_applicable(clerk_client):
    rows = [["Venlo", "ZVH", "Baten", "Hele tabel n.v.t.", 2016, None, None, None]]
    page = upload(clerk_client, "bedragen", "baten.xlsx", xlsx(rows))
    confirm(clerk_client, page)
    table_year = FinanceTableYear.objects.get(
        participation__municipality__slug="venlo", table=Table.BATEN, year=2016
    )
    assert table_year.not_applicable and not table_year.rows.exists()


def test_cancelling_forgets_the_file(clerk_client):
    rows = [["Venlo", "ZVH", "Kosten", "beschermd wonen", 2016, 955000, 1, 1014673]]
    page = upload(clerk_client, "bedragen", "kosten.xlsx", xlsx(rows))
    url = page.redirect_chain[-1][0]
    cancelled = clerk_client.post(url, {"annuleren": "1"}, follow=True)
    assert "Het inlezen van 'kosten.xlsx' is geannuleerd." in text(cancelled)
    assert clerk_client.get(url).status_code == 404
    assert amount("beschermd wonen", 2016, Kind.REALISATIE).amount == 955000


def test_another_session_cannot_confirm_the_preview(clerk_client):
    rows = [["Venlo", "ZVH", "Kosten", "beschermd wonen", 2016, 955000, 1, 1014673]]
    page = upload(clerk_client, "bedragen", "kosten.xlsx", xlsx(rows))
    other = UserFactory(username="ander")
    grant(other, "invoerder", _venlo())
    other_client = Client()
    other_client.force_login(other)
    url = page.redirect_chain[-1][0]
    assert other_client.post(url, {"controle": "x"}).status_code == 404


def _venlo():
    from collaborations.models import Municipality

    return Municipality.objects.get(slug="venlo")


def test_who_sees_the_import_pages(client, demo):
    client.force_login(UserFactory(username="raadslid-venlo"))
    assert client.get("/importeren/").status_code == 403
    assert client.get("/importeren/bedragen/").status_code == 403
    client.logout()
    assert client.get("/importeren/").status_code == 302


@pytest.mark.parametrize("lines", [20, 400])
def test_the_preview_reads_the_database_a_fixed_number_of_times(
    clerk, lines, django_assert_max_num_queries
):
    """However many rows: the stored tables, municipalities and partnerships are read once."""
    from reports.imports.files import read_upload
    from reports.imports.kinds import KINDS
    from reports.imports.services import preview_upload

    rows = [
        ["Venlo", "ZVH", "Kosten", f"Regel {n}", 2010 + n % 5, n, n + 1, None] for n in range(lines)
    ]
    upload_ = read_upload("veel.xlsx", xlsx(rows))
    with django_assert_max_num_queries(17):  # 17 for 20 rows and for 400
        preview = preview_upload(user=clerk, kind=KINDS["bedragen"], upload=upload_)
    assert preview.count("nieuw") == lines and not preview.errors


def test_a_kept_file_expires(clerk_client, settings):
    rows = [["Venlo", "ZVH", "Kosten", "beschermd wonen", 2016, 955000, 1, 1014673]]
    page = upload(clerk_client, "bedragen", "kosten.xlsx", xlsx(rows))
    settings.IMPORT_KEEP_SECONDS = -1
    gone = clerk_client.get(page.redirect_chain[-1][0])
    assert gone.status_code == 404
    assert "Deze controle bestaat niet (meer). Lees het bestand opnieuw in." in text(gone)
