"""Reading an objective budget per municipality from a gemeentefonds spreadsheet (xlsx).

The layout is the circulaire's table "uitkeringen per gemeente" (docs/reference-data.md): title
rows, then a header row with a CBS-code column and/or a name column and one column per
uitkering, then a row per municipality, perhaps a total row. Pure, like `allocation.reference`:
it reads the sheet and names every problem by row and column; the service stores.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from collaborations.municipalities import normalise_name

from .reference import (
    MeasureSpec,
    ReferenceFile,
    ReferenceFileError,
    SourceRow,
    Value,
    amount_value,
    code_of,
)

HEADER_SEARCH_ROWS = 30
CODE_HEADERS = {"cbs code", "cbscode", "gemeentecode", "code", "gemcode", "code gemeente"}
NAME_HEADERS = {"gemeente", "gemeentenaam", "naam", "naam gemeente"}
ABP_HEADERS = {"abp code", "abpcode", "abp", "abp nummer"}
TOTAL_NAMES = ("totaal", "nederland", "generaal totaal")
_THOUSANDS = re.compile(r"[x×]\s*(€|eur)?\s*1[.\s]?000\b", re.IGNORECASE)


@dataclass(frozen=True)
class KnownMeasure:
    """A measure the command knows: the headers that name its column, its description."""

    keywords: tuple[str, ...]
    omschrijving: str


KNOWN_MEASURES = {
    "duvo": KnownMeasure(
        ("duvo", "vrouwenopvang"),
        "Objectief budget decentralisatie-uitkering vrouwenopvang (DUVO)",
    ),
    "jeugd": KnownMeasure(("jeugd",), "Objectief budget Jeugd"),
}


@dataclass(frozen=True)
class _Layout:
    sheet: Worksheet
    header_row: int
    code_column: int | None
    name_column: int | None
    amount_column: int
    headers: dict[int, str]


def _open(data: bytes, file_name: str):
    if not data.strip():
        raise ReferenceFileError([f"{file_name} is leeg."])
    if data[:2] != b"PK":
        raise ReferenceFileError(
            [f"{file_name} is geen xlsx-bestand; sla de circulairetabel op als Excel-werkmap."]
        )
    try:
        return load_workbook(io.BytesIO(data), data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ReferenceFileError([f"{file_name} kan niet als xlsx worden gelezen."]) from exc


def _header_row(sheet: Worksheet) -> tuple[int, dict[int, str]] | None:
    """The first row with a municipality column (a CBS code or a name), and its headers."""
    for row in sheet.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS):
        headers = {
            cell.column: " ".join(str(cell.value).split())
            for cell in row
            if isinstance(cell.value, str) and cell.value.strip()
        }
        keys = {normalise_name(h) for h in headers.values()}
        if keys & (CODE_HEADERS | NAME_HEADERS | ABP_HEADERS):
            return row[0].row, headers
    return None


def _amount_column(headers: dict[int, str], measure: str, column: str | None, where: str) -> int:
    by_key = {normalise_name(h): c for c, h in headers.items()}
    listed = ", ".join(headers.values())
    if column:
        found = by_key.get(normalise_name(column))
        if found is None:
            raise ReferenceFileError(
                [f"{where}: geen kolom '{column}' (gevonden kolommen: {listed})."]
            )
        return found
    known = KNOWN_MEASURES.get(measure)
    if known is None:
        raise ReferenceFileError(
            [f"Maat {measure}: geef met --kolom aan welke kolom het bedrag heeft ({listed})."]
        )
    exact = [c for key, c in by_key.items() if key in known.keywords]
    matches = exact or [
        c for key, c in by_key.items() if any(word in key.split() for word in known.keywords)
    ]
    if len(matches) != 1:
        found_text = ", ".join(headers[c] for c in matches) if matches else "geen"
        raise ReferenceFileError(
            [
                f"{where}: kies met --kolom de kolom voor {measure} (passend: {found_text}; alle "
                f"kolommen: {listed})."
            ]
        )
    return matches[0]


def _layout(workbook, file_name: str, measure: str, column: str | None, sheet_name: str | None):
    if sheet_name is not None:
        if sheet_name not in workbook.sheetnames:
            raise ReferenceFileError(
                [f"Geen werkblad '{sheet_name}' in {file_name} ({', '.join(workbook.sheetnames)})."]
            )
        sheets = [workbook[sheet_name]]
    else:
        sheets = list(workbook.worksheets)
    for sheet in sheets:
        found = _header_row(sheet)
        if found is None:
            continue
        header_row, headers = found
        where = f"Werkblad {sheet.title}, rij {header_row}"
        by_key = {normalise_name(h): c for c, h in headers.items()}
        if set(by_key) & ABP_HEADERS and not set(by_key) & (CODE_HEADERS | NAME_HEADERS):
            raise ReferenceFileError(
                [
                    f"{where}: een abp-code is geen CBS-code; gebruik een kolom Gemeentecode "
                    "(CBS) of Gemeente (de naam)."
                ]
            )
        code_column = next((c for k, c in by_key.items() if k in CODE_HEADERS), None)
        name_column = next((c for k, c in by_key.items() if k in NAME_HEADERS), None)
        amount = _amount_column(headers, measure, column, where)
        return _Layout(sheet, header_row, code_column, name_column, amount, headers)
    raise ReferenceFileError(
        [
            f"{file_name}: geen kopregel met een kolom Gemeentecode of Gemeente in de eerste "
            f"{HEADER_SEARCH_ROWS} rijen van "
            f"{'werkblad ' + sheet_name if sheet_name else 'een werkblad'}."
        ]
    )


def _check_merged(layout: _Layout) -> None:
    for cells in layout.sheet.merged_cells.ranges:
        if cells.max_row >= layout.header_row:
            columns = get_column_letter(cells.min_col)
            if cells.max_col != cells.min_col:
                columns += f"-{get_column_letter(cells.max_col)}"
            rows = str(cells.min_row)
            if cells.max_row != cells.min_row:
                rows += f"-{cells.max_row}"
            raise ReferenceFileError(
                [
                    f"Rij {rows}, kolom {columns}: samengevoegde cellen; maak ze los en lees "
                    "opnieuw in."
                ]
            )


def _factor(layout: _Layout, factor: int | None) -> int:
    """Circulaires sometimes count in thousands ("x € 1.000"): the user must say so."""
    texts = [layout.headers[layout.amount_column]]
    for row in layout.sheet.iter_rows(min_row=1, max_row=layout.header_row - 1, values_only=True):
        texts += [v for v in row if isinstance(v, str)]
    if factor is None and any(_THOUSANDS.search(t) for t in texts):
        raise ReferenceFileError(
            [
                f"Kolom {layout.headers[layout.amount_column]}: het blad noemt bedragen "
                "× € 1.000; geef --factor 1000 om ze in euro's te lezen (of --factor 1)."
            ]
        )
    return factor or 1


class _CellValues:
    """A cell's value; for a formula the value Excel computed (the workbook read again once)."""

    def __init__(self, data: bytes, layout: _Layout, errors: list[str]) -> None:
        self.data, self.layout, self.errors = data, layout, errors
        self.computed: Worksheet | None = None

    def get(self, by_column: dict, column: int | None) -> object:
        cell = by_column.get(column) if column else None
        value = cell.value if cell is not None else None
        if not (isinstance(value, str) and value.startswith("=")):
            return value
        if self.computed is None:
            workbook = load_workbook(io.BytesIO(self.data), data_only=True)
            self.computed = workbook[self.layout.sheet.title]
        value = self.computed.cell(row=cell.row, column=cell.column).value
        if value is None:
            self.errors.append(
                f"Rij {cell.row}, kolom {self.layout.headers.get(column, column)}: een formule "
                "zonder berekende waarde; bewaar het bestand in Excel, of plak de waarden."
            )
        return value


def read_gemeentefonds_xlsx(
    data: bytes,
    *,
    file_name: str,
    measure: str,
    year: int,
    column: str | None = None,
    sheet: str | None = None,
    factor: int | None = None,
    peildatum: date | None = None,
    omschrijving: str = "",
) -> ReferenceFile:
    """One objective budget (`measure`, e.g. duvo) per municipality for uitkeringsjaar `year`."""
    workbook = _open(data, file_name)
    layout = _layout(workbook, file_name, measure, column, sheet)
    _check_merged(layout)
    multiply = _factor(layout, factor)
    errors: list[str] = []
    values = _CellValues(data, layout, errors)
    header = layout.headers[layout.amount_column]
    rows: list[SourceRow] = []
    totals = 0
    for cells in layout.sheet.iter_rows(min_row=layout.header_row + 1):
        by_column = {cell.column: cell for cell in cells}
        number = cells[0].row
        name_raw = values.get(by_column, layout.name_column)
        code_raw = values.get(by_column, layout.code_column)
        name = " ".join(str(name_raw).split()) if name_raw is not None else ""
        code_where = f"Rij {number}, kolom {layout.headers.get(layout.code_column, '')}"
        code = code_of(code_raw, code_where, errors) if layout.code_column else None
        if code is None and normalise_name(name).startswith(TOTAL_NAMES):
            totals += 1  # a total row, often a formula: never read
            continue
        amount_raw = values.get(by_column, layout.amount_column)
        if code is None and not name:
            if amount_raw not in (None, ""):
                errors.append(f"Rij {number}: een bedrag zonder gemeente (kolom {header}).")
            continue
        value: Value = amount_value(amount_raw, f"Rij {number}, kolom {header}", errors, multiply)
        key_column = layout.code_column if code else layout.name_column
        rows.append(SourceRow(number, layout.headers[key_column], code, name, {measure: value}))
    if errors:
        raise ReferenceFileError(errors)
    if not rows:
        raise ReferenceFileError([f"Werkblad {layout.sheet.title}: geen rijen met gemeenten."])
    known = KNOWN_MEASURES.get(measure)
    description = omschrijving or (known.omschrijving if known else header)
    notes = (f"{totals} totaalrij overgeslagen.",) if totals else ()
    return ReferenceFile(
        file_name=file_name,
        measures=(MeasureSpec(measure, header, description[:200], "EUR"),),
        rows=tuple(rows),
        data_year=year,
        bron=", ".join(
            ["Gemeentefonds", file_name, f"blad {layout.sheet.title}", f"kolom {header}"]
        )[:300],
        peildatum=peildatum,
        notes=notes,
    )
