"""Spreadsheet exports without a domain: a sheet of typed columns, written as xlsx (real numbers
with euro and percentage formats, a named sheet) or as CSV in one of two dialects — for Dutch
Excel (semicolon, decimal comma, UTF-8 with BOM) and for programs (comma, decimal point, no
BOM) — and text that can never start a formula.

One writer for every export of the site and for the open data, so a number is written the same
way everywhere: never with thousands separators, never in exponent notation, a Decimal exactly as
it is (no float on the way). openpyxl writes xlsx (the maintained library for the format, with
number formats per cell); the standard `csv` module writes CSV.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """Text cells never start a formula in a spreadsheet (formula injection)."""
    return "'" + value if value.startswith(FORMULA_START) else value


class Kind(StrEnum):
    """What a column holds, which decides how xlsx shows it. CSV writes every number the same."""

    TEXT = "tekst"
    EURO = "euro"  # an amount in euros (`places` 0: € 1.281.406, 2: € 4.858,81)
    PERCENT = "procent"  # a percentage: 48.62 is 48,62% (xlsx keeps the fraction 0.4862)
    NUMBER = "getal"  # a number shown with thousands grouping in xlsx (inwoners, grondslag)
    INTEGER = "geheel"  # a code-like whole number without grouping (a year, a version)
    BOOLEAN = "ja/nee"


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind = Kind.TEXT
    places: int | None = 0  # decimals shown in xlsx; None: as many as the value has


@dataclass
class Sheet:
    """A table to download: a title (the xlsx sheet's name), typed columns and rows of values
    (str, Decimal, int, bool, None for an empty cell, date/datetime)."""

    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)


@dataclass(frozen=True)
class CsvDialect:
    """A CSV flavour. `name` is the value of the `dialect` query parameter."""

    name: str
    label: str
    delimiter: str
    decimal: str
    bom: bool
    formula_safe: bool  # a spreadsheet opens it: text never starts a formula


EXCEL = CsvDialect("excel", "CSV voor Excel", ";", ",", bom=True, formula_safe=True)
PROGRAMMA = CsvDialect("programma", "CSV voor programma's", ",", ".", bom=False, formula_safe=False)
DIALECTS = {dialect.name: dialect for dialect in (EXCEL, PROGRAMMA)}

# Excel number formats are stored in the file in the en-US notation (`.` decimals, `,`
# grouping); Dutch Excel shows them as € 1.281.406 and 48,62%.
_EURO = '"€ "#,##0{decimals};"€ "-#,##0{decimals}'
_SHEET_NAME_FORBIDDEN = str.maketrans({c: "-" for c in "[]:*?/\\"})


def plain_number(value: Decimal | int | float, decimal: str = ".") -> str:
    """A number as CSV text: exact, without grouping or exponent, trailing zeros after the
    decimal mark dropped (1281406.00 → 1281406, 48.6200 → 48,62 with a decimal comma)."""
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    number = value if isinstance(value, Decimal) else Decimal(repr(value))
    if number == number.to_integral_value():
        text = f"{number.quantize(Decimal(1)):f}"
    else:
        text = f"{number.normalize():f}"
    text = "0" if text == "-0" else text
    return text.replace(".", decimal)


def _csv_cell(value, dialect: CsvDialect) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal | int | float):
        return plain_number(value, dialect.decimal)
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    return safe_text(text) if dialect.formula_safe else text


def to_csv(sheet: Sheet, dialect: CsvDialect = EXCEL) -> bytes:
    """The sheet as CSV in `dialect` (RFC 4180: CRLF line ends, quotes where needed)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=dialect.delimiter, lineterminator="\r\n")
    writer.writerow([_csv_cell(c.header, dialect) for c in sheet.columns])
    for row in sheet.rows:
        writer.writerow([_csv_cell(value, dialect) for value in row])
    return ("\ufeff" if dialect.bom else "").encode() + buffer.getvalue().encode("utf-8")


def number_format(column: Column) -> str:
    """The Excel number format of a column (`General` for text)."""
    decimals = "" if not column.places else "." + "0" * column.places
    match column.kind:
        case Kind.EURO:
            return _EURO.format(decimals=decimals)
        case Kind.PERCENT:
            return f"0{decimals}%"
        case Kind.NUMBER:
            return "General" if column.places is None else f"#,##0{decimals}"
        case Kind.INTEGER:
            return "0"
    return "General"


def sheet_title(text: str) -> str:
    """A name Excel accepts for a sheet: at most 31 characters, none of []:*?/\\."""
    return text.translate(_SHEET_NAME_FORBIDDEN)[:31] or "Gegevens"


def _xlsx_value(value, column: Column):
    if isinstance(value, str):
        return safe_text(value)
    if column.kind == Kind.PERCENT and isinstance(value, Decimal | int):
        return Decimal(value) / 100
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)  # Excel knows no time zones: the local time
    return value


def to_xlsx(sheet: Sheet) -> bytes:
    """The sheet as an xlsx workbook: one named sheet, a bold frozen header row with a filter,
    numbers as numbers with the column's number format."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    ws = book.active
    ws.title = sheet_title(sheet.title)
    ws.append([safe_text(c.header) for c in sheet.columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    formats = [number_format(c) for c in sheet.columns]
    for row in sheet.rows:
        ws.append([_xlsx_value(v, c) for v, c in zip(row, sheet.columns, strict=True)])
        for cell, fmt in zip(ws[ws.max_row], formats, strict=True):
            cell.number_format = fmt
    for index, column in enumerate(sheet.columns, start=1):
        letter = ws.cell(row=1, column=index).column_letter
        ws.column_dimensions[letter].width = max(12, min(60, len(column.header) + 2))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
