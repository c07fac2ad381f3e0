"""Bad files change nothing and say why, in Dutch, with row and column: the wrong type, wrong or
missing headers, empty, too large, merged cells, formulas, dates where a year or an amount
belongs, a year out of range, unknown or merged municipalities, unknown partnerships. Amounts
in Dutch and English notation are both read, exactly."""

from datetime import date
from decimal import Decimal

import pytest

from collaborations.resources import read_number
from finance.models import FinanceAmount, Kind

from .imports_support import MONEY, confirm, counts, csv_file, text, upload, xlsx

pytestmark = pytest.mark.django_db

ROW = ["Venlo", "ZVH", "Kosten", "beschermd wonen", 2016, 955000, 955000, 1014673]


def _with(**cells) -> list:
    row = dict(zip(MONEY, ROW, strict=True))
    row.update({k.replace("_", " "): v for k, v in cells.items()})
    return [row[h] for h in MONEY]


def _merge(ws):
    ws.merge_cells("A2:B2")


def _formula(ws):
    ws["G2"] = "=955000+1"


BAD_FILES = [
    ("rapport.pdf", b"%PDF-1.4 ...", "'rapport.pdf' is geen Excel-bestand (.xlsx) of CSV"),
    ("oud.xls", b"\xd0\xcf\x11\xe0", "'oud.xls' is een .xls-bestand. Sla het op als Excel"),
    ("kapot.xlsx", b"PK\x03\x04 niet echt", "'kapot.xlsx' is geen geldig Excel-bestand"),
    ("leeg.csv", b"", "Het bestand is leeg."),
    ("samengevoegd.xlsx", xlsx([ROW], change=_merge), "heeft samengevoegde cellen (A2:B2)"),
    ("formule.xlsx", xlsx([ROW], change=_formula), "cel G2: een formule (=955000+1)"),
    ("binair.csv", b"\x00\x01\x02garbage", "'binair.csv' is geen tekstbestand"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_file_that_cannot_be_read_is_refused_on_the_upload_page(
    clerk_client, name, content, message
):
    before = counts()
    page = upload(clerk_client, "bedragen", name, content)
    assert page.status_code == 400
    assert message in text(page)
    assert counts() == before


def test_a_file_over_the_limit_is_refused(clerk_client, settings):
    settings.IMPORT_MAX_BYTES = 2 * 1024
    before = counts()
    page = upload(clerk_client, "bedragen", "groot.csv", csv_file([ROW] * 200))
    assert page.status_code == 400
    assert "een bestand mag hoogstens 2 kB zijn" in text(page)
    assert counts() == before


def test_too_many_rows_are_refused(clerk_client, settings):
    settings.IMPORT_MAX_ROWS = 3
    page = upload(clerk_client, "bedragen", "rijen.xlsx", xlsx([ROW] * 4))
    assert "Blad Bedragen heeft 4 rijen; hoogstens 3 per keer" in text(page)


ROW_ERRORS = [
    (
        "kolomnaam.xlsx",
        xlsx([ROW], headers=[*MONEY[:5], "Bedrag", *MONEY[6:]]),
        "Kolom F heet 'Bedrag'; die kolom kent het sjabloon van bedragen niet. De kolommen zijn:",
    ),
    (
        "zonder-jaar.xlsx",
        xlsx([ROW[:4] + ROW[5:]], headers=MONEY[:4] + MONEY[5:]),
        "Deze kolommen ontbreken in rij 1: Jaar.",
    ),
    ("kop.xlsx", xlsx([]), "Het bestand bevat geen rijen met gegevens onder de kolomnamen."),
    (
        "dubbel.xlsx",
        xlsx([[*ROW, 1]], headers=[*MONEY, "Jaar"]),
        "Kolom I (Jaar) staat er twee keer in (ook kolom E).",
    ),
    (
        "jaar.xlsx",
        xlsx([_with(Jaar=1850)]),
        "Rij 2, kolom Jaar: 1850 ligt buiten de jaren 1990 tot en met 2100",
    ),
    (
        "datum.xlsx",
        xlsx([_with(Jaar=date(2016, 1, 1))]),
        "Rij 2, kolom Jaar: '1 januari 2016' is een datum, geen jaar",
    ),
    (
        "datum-bedrag.xlsx",
        xlsx([_with(Realisatie="1-3-2016")]),
        "Rij 2, kolom Realisatie 2016: '1-3-2016' is geen bedrag",
    ),
    (
        "gemeente.xlsx",
        xlsx([_with(Gemeente="Atlantis")]),
        "Rij 2, kolom Gemeente: Onbekende gemeente 'Atlantis'",
    ),
    (
        "code.xlsx",
        xlsx([_with(Gemeente="GM9999")]),
        "Rij 2, kolom Gemeente: Er is geen gemeente met CBS-code GM9999 in het dashboard.",
    ),
    (
        "opgeheven.xlsx",
        xlsx([_with(Gemeente="Rijnwaarden", Jaar=2019)]),
        "Rij 2, kolom Gemeente: Rijnwaarden is op 1 januari 2018 opgegaan in Zevenaar; gebruik "
        "Zevenaar (GM0299).",
    ),
    (
        "samenwerking.xlsx",
        xlsx([_with(Samenwerking="ZHV")]),
        "Rij 2, kolom Samenwerking: onbekende samenwerking 'ZHV'; bedoelt u ZVH?",
    ),
    (
        "tabel.xlsx",
        xlsx([_with(Tabel="Uitgaven")]),
        "Rij 2, kolom Tabel: 'Uitgaven' is geen tabel; kies uit:",
    ),
    (
        "te-groot.xlsx",
        xlsx([_with(Realisatie="1.000.000.000.000")]),
        "Rij 2, kolom Realisatie 2016: '1.000.000.000.000' is te groot",
    ),
    (
        "centen.xlsx",
        xlsx([_with(Realisatie="12,3456")]),
        "Rij 2, kolom Realisatie 2016: '12,3456' heeft te veel decimalen: hoogstens 2",
    ),
    (
        "dubbele-rij.xlsx",
        xlsx([ROW, ROW]),
        "Rij 3: dezelfde rij (Venlo, ZVH, Kosten (inbreng financiële middelen), beschermd "
        "wonen, 2016) staat ook in rij 2",
    ),
]


@pytest.mark.parametrize(("name", "content", "message"), ROW_ERRORS, ids=[r[0] for r in ROW_ERRORS])
def test_a_bad_row_or_header_is_named_in_the_preview_and_nothing_changes(
    clerk_client, name, content, message
):
    before = counts()
    page = upload(clerk_client, "bedragen", name, content)
    assert page.status_code == 200
    assert message in text(page)
    assert 'name="controle"' not in page.content.decode()
    assert counts() == before


def test_the_issue_example_names_row_14_and_the_column_with_its_year(clerk_client):
    rows = [_with(Categorie=f"Regel {n}") for n in range(12)]
    rows.append(_with(Jaar=2017, Realisatie="12,3,4"))
    page = upload(clerk_client, "bedragen", "begroting.xlsx", xlsx(rows))
    assert "Rij 14, kolom Realisatie 2017: '12,3,4' is geen bedrag" in text(page)
    assert "12 nieuwe rijen" in text(page)


def test_a_confirm_of_a_file_with_errors_changes_nothing(clerk_client):
    good = upload(clerk_client, "bedragen", "kosten.xlsx", xlsx([_with(Realisatie=1)]))
    url = good.redirect_chain[-1][0]
    bad = upload(clerk_client, "bedragen", "kosten.xlsx", xlsx([_with(Realisatie="x")]))
    before = counts()
    # the preview of the bad file has no confirm form; a forged POST is refused all the same
    refused = clerk_client.post(bad.redirect_chain[-1][0], {"controle": "0" * 64})
    assert refused.status_code == 400
    assert counts() == before
    assert clerk_client.get(url).status_code == 200  # the good preview is still there


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1.234,56", Decimal("1234.56")),
        ("1,234.56", Decimal("1234.56")),
        ("1234.56", Decimal("1234.56")),
        ("1234,56", Decimal("1234.56")),
        ("€ 1.281.406", Decimal("1281406")),
        ("1.281.406,-", Decimal("1281406")),
        ("-/- 4.863", Decimal("-4863")),
        ("1.234", Decimal("1234")),  # a thousands separator: cents have two decimals
        ("1,234", Decimal("1234")),
        ("0,5", Decimal("0.5")),
    ],
)
def test_amounts_in_dutch_and_english_notation(clerk_client, typed, expected):
    page = upload(clerk_client, "bedragen", "notatie.csv", csv_file([_with(Realisatie=typed)]))
    confirm(clerk_client, page)
    stored = FinanceAmount.objects.get(
        line__participation__municipality__slug="venlo",
        line__label="beschermd wonen",
        year=2016,
        kind=Kind.REALISATIE,
    )
    assert stored.amount == expected


def test_a_csv_of_dutch_excel_is_read(clerk_client):
    """Windows-1252, semicolons, a decimal comma: what Dutch Excel saves as CSV."""
    rows = [_with(Categorie="Bijdrage één", Realisatie="1.234,50")]
    page = upload(clerk_client, "bedragen", "excel.csv", csv_file(rows, encoding="cp1252"))
    assert "Bijdrage één" in text(page) and "€ 1.234,50" in text(page)
    rows = [_with(Realisatie="1234.50")]
    page = upload(clerk_client, "bedragen", "komma.csv", csv_file(rows, delimiter=","))
    assert "€ 955.000 → € 1.234,50" in text(page)


@pytest.mark.parametrize(
    ("typed", "places", "message"),
    [
        ("1.234", 4, "'1.234' is dubbelzinnig: 1234 of 1,234? Schrijf 1234"),
        ("12,3,4", 2, "'12,3,4' is geen bedrag"),
        ("1,2.3", 2, "'1,2.3' is geen bedrag"),
        ("abc", 2, "'abc' is geen bedrag"),
    ],
)
def test_what_cannot_be_read_as_a_number(typed, places, message):
    with pytest.raises(ValueError, match=message.replace("?", r"\?").replace(".", r"\.")):
        read_number(typed, places=places)


def test_a_percentage_resolves_three_decimals_by_its_range():
    assert read_number("61,571", places=6, maximum=Decimal(100), percent=True) == Decimal("61.571")
    assert read_number("48,62%", places=6, maximum=Decimal(100), percent=True) == Decimal("48.62")
