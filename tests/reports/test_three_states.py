"""*n.v.t.*, *niet ingevuld* and *0* come out as three different things, and the same three on
every output: the year page, the comparison (public and working copy), the PDF and the exports.

ZVH 2017's Kosten are corrected to one line "Nulregel" with begroting € 0, realisatie n.v.t. and
the begroting 2018 not filled in, and published as version 2."""

import io
import re

import openpyxl
import pytest

from collaborations.models import Participation, YearRecord
from core.formatting import export_amount, format_amount
from core.templatetags.nl import NOT_APPLICABLE, NOT_FILLED_IN, euro_of_leeg
from finance import services
from finance.models import FinanceTableYear, Table
from finance.money import EMPTY, NVT, Cell
from tests.reports.test_documents import pdf_text

pytestmark = pytest.mark.django_db

ZERO, SHOWN_NVT, SHOWN_EMPTY = "€ 0", str(NOT_APPLICABLE), str(NOT_FILLED_IN)


def test_one_rule_for_an_amount_in_its_three_states():
    assert euro_of_leeg(Cell(amount=0)) == euro_of_leeg(0) == ZERO
    assert euro_of_leeg(NVT) == SHOWN_NVT and ">n.v.t.<" in SHOWN_NVT
    assert euro_of_leeg(EMPTY) == euro_of_leeg(None) == SHOWN_EMPTY
    assert "niet ingevuld" in SHOWN_EMPTY and "…" in SHOWN_EMPTY
    assert [format_amount(c) for c in (Cell(amount=0), NVT, EMPTY)] == [
        "€ 0",
        "n.v.t.",
        "niet ingevuld",
    ]
    assert [export_amount(c) for c in (Cell(amount=0), NVT, EMPTY)] == [0, "n.v.t.", None]


@pytest.fixture
def zvh_with_three_states(demo, clerk, reopen, publish):
    zvh = Participation.objects.get(partnership__slug="zvh", municipality__slug="venlo")
    record = reopen(YearRecord.objects.get(participation=zvh, year=2017))
    one_line_kosten(zvh, clerk, "Nulregel", (Cell(amount=0), NVT, EMPTY))
    publish(record)
    return zvh


def one_line_kosten(participation, clerk, label: str, cells: tuple[Cell, Cell, Cell]) -> None:
    """Save the working Kosten of 2017 as one line (begroting, realisatie, begroting 2018)."""
    table_year = FinanceTableYear.objects.get(
        participation=participation, table=Table.KOSTEN, year=2017
    )
    services.save_table_year(
        user=clerk,
        participation=participation,
        table=Table.KOSTEN,
        year=2017,
        rows=[services.GridRow(label, cells)],
        expected_version=table_year.version,
    )


def cells_of_row(html: str, label: str) -> list[str]:
    row = re.search(
        r"<tr[^>]*>\s*<th[^>]*>\s*" + re.escape(label) + r"\s*</th>(.*?)</tr>", html, re.S
    )
    assert row, label
    return [c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)]


def test_the_year_page_shows_the_three_states_in_the_row_and_in_totaal(
    client, zvh_with_three_states
):
    html = client.get("/venlo/samenwerkingen/zvh/2017/").content.decode()
    assert cells_of_row(html, "Nulregel")[:3] == [ZERO, SHOWN_NVT, SHOWN_EMPTY]
    # TOTAAL of one line is that line: € 0, n.v.t. (every cell n.v.t.), not filled in
    assert cells_of_row(html, "TOTAAL")[:3] == [ZERO, SHOWN_NVT, SHOWN_EMPTY]


@pytest.mark.parametrize("who", ["public", "clerk"])
def test_the_comparison_shows_nvt_as_nvt(client, clerk, zvh_with_three_states, who):
    """The public reads the published version, a clerk the working copy: the same three."""
    if who == "clerk":
        client.force_login(clerk)
    html = client.get("/venlo/vergelijken/?s=zvh&s=vrln&jaar=2017").content.decode()
    table_2017 = html[html.index('id="jaar-2017"') :]
    assert cells_of_row(table_2017, "Bijdrage gemeente: begroting")[0] == ZERO
    assert cells_of_row(table_2017, "Bijdrage gemeente: realisatie")[0] == SHOWN_NVT
    # ZVH's eigen vermogen 2017 is n.v.t. as a whole table; VRLN's is not filled in
    assert cells_of_row(table_2017, "Eigen vermogen (realisatie)") == [SHOWN_NVT, SHOWN_EMPTY]


def test_the_pdf_prints_the_three_states(client, zvh_with_three_states):
    _, pages = pdf_text(client.get("/venlo/samenwerkingen/zvh/2017/pdf/").content)
    text = "\n".join(pages)
    # on paper "not filled in" is the ellipsis (its words are for a screen reader), explained
    assert re.search(r"^Nulregel € 0 n\.v\.t\. …$", text, re.M)
    assert re.search(r"^TOTAAL € 0 n\.v\.t\. …$", text, re.M)
    assert "… = niet ingevuld, n.v.t. = niet van toepassing" in text.replace("\n", " ")


def test_the_exports_keep_the_three_states(client, clerk, zvh_with_three_states):
    client.force_login(clerk)
    book = openpyxl.load_workbook(io.BytesIO(client.get("/venlo/gegevens.xlsx").content))
    header, row = next(
        ([c.value for c in sheet[1]], [c.value for c in r])
        for sheet in book.worksheets
        for r in sheet.iter_rows(min_row=2)
        if "Nulregel" in [c.value for c in r]
    )
    values = dict(zip(header, row, strict=True))
    assert (values["Begroting"], values["Realisatie"]) == (0, "n.v.t.")
    assert values.get("Begroting volgend jaar") in (None, "")  # empty: not filled in
