"""Every export of the site, as Dutch Excel and a program read it: the xlsx has a named sheet
with real numbers in euro and percentage formats; `?_export=csv` is semicolon, decimal comma,
UTF-8 with BOM; `&dialect=programma` is comma, decimal point, no BOM; é and ë survive; an
unknown value is a 400 in Dutch."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
import pytest

from django.test import Client

from allocation.demo import load_allocation_demo
from allocation.models import AllocationModel
from allocation.services import save_settlement
from collaborations.models import Municipality, Partnership
from core.exports import EXCEL, PROGRAMMA, Column, Kind, Sheet, plain_number, to_csv
from reports.services import ensure_versions
from tests.collaborations.factories import (
    ParticipationFactory,
    PartnershipFactory,
    UserFactory,
    grant,
)

OVERVIEW = "/venlo/samenwerkingen/?jaar=2018"
COMPARE = "/arnhem/samenwerkingen/vtgm/2018/verdeelmodel/"
EURO = '"€ "#,##0;"€ "-#,##0'
EURO_CENTS = '"€ "#,##0.00;"€ "-#,##0.00'


@pytest.fixture
def vt_model(demo) -> AllocationModel:
    """The demo with the Veilig Thuis verdeelmodel, published as version 1."""
    model = load_allocation_demo()
    ensure_versions()
    return model


@pytest.fixture
def coordinator_client(vt_model) -> Client:
    user = UserFactory(username="coordinator-export")
    grant(user, "coordinator", Partnership.objects.get(slug="vtgm"))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def settlement_url(vt_model) -> str:
    beheerder = UserFactory(username="beheerder-export", is_staff=True, is_superuser=True)
    kept = save_settlement(
        user=beheerder,
        model=vt_model,
        amount=Decimal("-99999.99"),
        key="bijdrage",
        description="Overschot 2018",
        status="vastgesteld",
    )
    return f"{COMPARE}verrekeningen/{kept.pk}/"


def workbook(response) -> openpyxl.worksheet.worksheet.Worksheet:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 1
    return book.active


def both_dialects(client, url: str) -> tuple[list[list[str]], list[list[str]]]:
    """The CSV for Excel and for programs, each parsed as its reader would, after checking
    the bytes that tell them apart."""
    excel = client.get(url + "&_export=csv")
    program = client.get(url + "&_export=csv&dialect=programma")
    for response in (excel, program):
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert excel.content.startswith(b"\xef\xbb\xbf")  # the BOM makes Excel read UTF-8
    assert not program.content.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in excel.content
    assert "-programma.csv" in program["Content-Disposition"]
    excel_rows = list(csv.reader(io.StringIO(excel.content.decode("utf-8-sig")), delimiter=";"))
    program_rows = list(csv.reader(io.StringIO(program.content.decode("utf-8")), delimiter=","))
    assert len(excel_rows[0]) == len(program_rows[0]) > 1  # the delimiter splits the header
    assert excel_rows[0] == program_rows[0]
    return excel_rows, program_rows


def column(rows: list[list[str]], header: str) -> list[str]:
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


# --- the totaaloverzicht ------------------------------------------------------------------


def test_the_overview_in_xlsx_has_euros_and_a_percentage(client, demo):
    sheet = workbook(client.get(OVERVIEW + "&_export=xlsx"))
    assert sheet.title == "Samenwerkingen 2018"
    header = [c.value for c in sheet[1]]
    assert header[0] == "Samenwerking" and "Bijdrage begroting 2018" in header
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    zvh = next(row for name, row in rows.items() if "(ZVH)" in name)
    budget = zvh[header.index("Bijdrage begroting 2018")]
    assert budget.value == 1344321 and budget.number_format == EURO
    change = zvh[header.index("Begroting t.o.v. 2017 (%)")]
    # 4,9% more than 2017 (1.281.406): a fraction with a percentage format, shown 4,9%
    assert change.number_format == "0.0%"
    assert change.value == pytest.approx(0.049)


def test_the_overview_csv_dialects_write_the_percentage_with_their_decimal_mark(client, demo):
    ParticipationFactory(
        municipality=Municipality.objects.get(slug="venlo"),
        partnership=PartnershipFactory(name="Coöperatie Maasoevers én Peel", afkorting="CMP"),
    )
    excel, program = both_dialects(client, OVERVIEW)
    names = column(excel, "Samenwerking")
    assert "Coöperatie Maasoevers én Peel (CMP)" in names
    assert names == column(program, "Samenwerking")
    zvh = next(i for i, name in enumerate(names) if "(ZVH)" in name)
    assert column(excel, "Bijdrage begroting 2018")[zvh] == "1344321"  # no thousands dots
    assert column(excel, "Begroting t.o.v. 2017 (%)")[zvh] == "4,9"
    assert column(program, "Begroting t.o.v. 2017 (%)")[zvh] == "4.9"
    # an amount not filled in is an empty cell, not 0
    cmp = names.index("Coöperatie Maasoevers én Peel (CMP)")
    assert column(excel, "Bijdrage begroting 2018")[cmp] == ""


def test_the_overview_links_offer_both_dialects_and_keep_the_filters(client, demo):
    page = client.get(OVERVIEW + "&dialect=programma").content.decode()
    assert 'href="?jaar=2018&amp;_export=csv"' in page
    assert 'href="?jaar=2018&amp;_export=csv&amp;dialect=programma"' in page
    assert "CSV voor Excel" in page and "CSV voor programma's" in page


# --- the verdeelmodel ---------------------------------------------------------------------


def test_the_comparison_writes_cents_per_inhabitant_with_a_decimal_comma(client, vt_model):
    excel, program = both_dialects(client, COMPARE + "?")
    arnhem = column(excel, "Gemeente").index("Arnhem")
    # B costs Arnhem € 1,01 more per inwoner than A: never "1.01" (one hundred and one)
    assert column(excel, "Verschil B per inwoner")[arnhem] == "1,01"
    assert column(program, "Verschil B per inwoner")[arnhem] == "1.01"
    assert column(excel, "Bijdrage A")[arnhem] == column(program, "Bijdrage A")[arnhem]
    assert column(excel, "Inwoners")[arnhem] == "153818"
    assert column(excel, "Verschil A-jeugd per inwoner")[arnhem] == "-0,07"


def test_the_comparison_in_xlsx_is_a_named_sheet_of_euros(client, vt_model):
    sheet = workbook(client.get(COMPARE + "?_export=xlsx"))
    assert sheet.title == "Vergelijking varianten"
    header = [c.value for c in sheet[1]]
    arnhem = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "Arnhem")
    amount = arnhem[header.index("Bijdrage A")]
    assert isinstance(amount.value, int) and amount.number_format == EURO
    per_inhabitant = arnhem[header.index("Verschil B per inwoner")]
    assert per_inhabitant.value == pytest.approx(1.01)
    assert per_inhabitant.number_format == EURO_CENTS
    assert arnhem[header.index("Inwoners")].number_format == "#,##0"


def test_accents_in_the_comparison_survive_both_dialects(coordinator_client, vt_model):
    inputs = vt_model.inputs
    inputs["groepen"][0]["naam"] = "Gelderland Centraal (Arnhem én Zevenaar, Coöperatie)"
    vt_model.inputs = inputs
    vt_model.save()  # the working state, which the coördinator's export shows
    excel, program = both_dialects(coordinator_client, COMPARE + "?")
    subtotal = "Subtotaal Gelderland Centraal (Arnhem én Zevenaar, Coöperatie)"
    assert subtotal in column(excel, "Gemeente") and subtotal in column(program, "Gemeente")
    sheet = workbook(coordinator_client.get(COMPARE + "?_export=xlsx"))
    assert subtotal in [c.value for c in sheet["A"]]


def test_a_settlement_keeps_its_cents_in_every_format(client, settlement_url):
    sheet = workbook(client.get(settlement_url + "?_export=xlsx"))
    assert sheet.title == "Verrekening 2018"
    *lines, total = list(sheet.iter_rows(min_row=2))
    assert total[0].value == "Totaal" and total[2].value == pytest.approx(-99999.99)
    assert total[2].number_format == EURO_CENTS
    assert all(isinstance(line[1].value, int | float) for line in lines)
    excel, program = both_dialects(client, settlement_url + "?")
    shares = column(excel, "Aandeel in het resultaat")
    assert shares[-1] == "-99999,99" and column(program, "Aandeel in het resultaat")[-1] == (
        "-99999.99"
    )
    assert sum(Decimal(s.replace(",", ".")) for s in shares[:-1]) == Decimal("-99999.99")
    assert any("," in share for share in shares[:-1])  # shares with cents, with a comma


def test_the_settlement_page_offers_both_dialects(client, settlement_url):
    page = client.get(settlement_url).content.decode()
    assert 'href="?_export=csv&amp;dialect=programma"' in page
    assert 'href="?_export=xlsx"' in page


# --- refusals -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("_export=pdf", "Onbekend exportformaat"),
        ("_export=csv&dialect=libreoffice", "Onbekend CSV-dialect"),
        ("_export=xlsx&dialect=%00", "Onbekend CSV-dialect"),
    ],
)
def test_an_unknown_export_or_dialect_is_a_dutch_400(client, vt_model, query, message):
    for url in (OVERVIEW + "&", COMPARE + "?"):
        response = client.get(url + query)
        assert response.status_code == 400
        text = response.content.decode()
        assert message in text and "Deze vraag begrijpen we niet" in text


# --- the writer itself --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "excel", "program"),
    [
        (Decimal("1.01"), "1,01", "1.01"),
        (Decimal("1281406.00"), "1281406", "1281406"),
        (Decimal("48.6200"), "48,62", "48.62"),
        (Decimal("-4858.81"), "-4858,81", "-4858.81"),
        (Decimal("1E+6"), "1000000", "1000000"),
        (Decimal("-0.00"), "0", "0"),
        (0, "0", "0"),
        (2.5, "2,5", "2.5"),
    ],
)
def test_numbers_are_exact_without_grouping_or_exponent(value, excel, program):
    assert plain_number(value, EXCEL.decimal) == excel
    assert plain_number(value, PROGRAMMA.decimal) == program


def test_text_starting_a_formula_is_defused_for_spreadsheets_only():
    sheet = Sheet("Proef", [Column("Naam"), Column("Bedrag", Kind.EURO)], [["=SOM(A1)", None]])
    assert "'=SOM(A1);" in to_csv(sheet, EXCEL).decode("utf-8-sig")
    assert "\r\n=SOM(A1),\r\n" in to_csv(sheet, PROGRAMMA).decode()
