"""Reading an uploaded spreadsheet, and keeping it between preview and confirmation.

openpyxl reads xlsx cell by cell, so what tablib (import-export's reader) would silently lose
is refused here with a Dutch message: merged cells, formulas, a percentage that is a fraction
with a % format. Numbers arrive as exact Decimals (a float cell via its shortest text, never
binary noise), dates as dates, text as text. CSV is read as UTF-8 (with or without BOM) or,
failing that, Windows-1252 — what Dutch Excel writes — with `;`, `,` or a tab between cells.

Limits (settings): IMPORT_MAX_BYTES (2 MB), IMPORT_MAX_ROWS (10.000 rows per sheet) and
IMPORT_MAX_UNPACKED_BYTES (what an xlsx may unpack to, against zip bombs).
"""

from __future__ import annotations

import csv
import hashlib
import io
import secrets
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from core.formatting import format_number

STORE = "imports"  # folder of the default storage for files between preview and confirm


@dataclass
class Sheet:
    """One sheet (or the CSV): its header row and the rows below it with their row numbers as
    the spreadsheet shows them."""

    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)


@dataclass
class Upload:
    name: str
    sheets: list[Sheet]
    digest: str  # sha256 of the bytes


def size_text(size: int) -> str:
    """2 MB, 512 kB."""
    if size >= 1024 * 1024:
        return f"{format_number(Decimal(size) / (1024 * 1024), 1).removesuffix(',0')} MB"
    return f"{format_number(Decimal(size) / 1024, 0)} kB"


def refuse(message: str) -> ValidationError:
    return ValidationError(message, code="bestand")


def read_upload(name: str, content: bytes) -> Upload:
    """The sheets of an uploaded file, or ValidationError saying in Dutch why it cannot be
    read. Nothing of the file is trusted: size, type, structure and cells are all checked."""
    name = (name or "bestand").replace("\\", "/").rsplit("/", 1)[-1][:200]
    if not content:
        raise refuse(f"'{name}' is leeg.")
    if len(content) > settings.IMPORT_MAX_BYTES:
        raise refuse(
            f"'{name}' is {size_text(len(content))}; een bestand mag hoogstens "
            f"{size_text(settings.IMPORT_MAX_BYTES)} zijn. Splits het bestand in delen."
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension == "xlsx":
        sheets = _read_xlsx(name, content)
    elif extension in ("csv", "txt"):
        sheets = [_read_csv(name, content)]
    elif extension in ("xls", "ods", "numbers", "xlsm", "xlsb"):
        raise refuse(
            f"'{name}' is een .{extension}-bestand. Sla het op als Excel-werkmap (.xlsx) of "
            "als CSV en lees dat in."
        )
    else:
        raise refuse(
            f"'{name}' is geen Excel-bestand (.xlsx) of CSV-bestand (.csv). Gebruik het "
            "sjabloon of sla uw bestand in een van die indelingen op."
        )
    for sheet in sheets:
        if len(sheet.rows) > settings.IMPORT_MAX_ROWS:
            raise refuse(
                f"Blad {sheet.title} heeft {format_number(len(sheet.rows))} rijen; hoogstens "
                f"{format_number(settings.IMPORT_MAX_ROWS)} per keer. Splits het bestand."
            )
    return Upload(name=name, sheets=sheets, digest=hashlib.sha256(content).hexdigest())


def _read_xlsx(name: str, content: bytes) -> list[Sheet]:
    from openpyxl import load_workbook

    unreadable = refuse(
        f"'{name}' is geen geldig Excel-bestand (.xlsx); het kan niet worden gelezen. Open het "
        "in Excel en sla het opnieuw op als Excel-werkmap."
    )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise unreadable from None
    if unpacked > settings.IMPORT_MAX_UNPACKED_BYTES:
        raise refuse(
            f"'{name}' pakt uit tot {size_text(unpacked)}; hoogstens "
            f"{size_text(settings.IMPORT_MAX_UNPACKED_BYTES)}."
        )
    try:
        book = load_workbook(io.BytesIO(content), data_only=False, rich_text=False)
    except Exception:  # openpyxl raises many kinds (KeyError, TypeError, InvalidFile, ...)
        raise unreadable from None
    sheets = []
    for ws in book.worksheets:
        if ws.merged_cells.ranges:
            ranges = ", ".join(str(r) for r in list(ws.merged_cells.ranges)[:5])
            raise refuse(
                f"Blad {ws.title} heeft samengevoegde cellen ({ranges}). Maak het samenvoegen "
                "ongedaan en vul elke cel zelf in."
            )
        if ws.max_row > settings.IMPORT_MAX_ROWS + 1000 or ws.max_column > 200:
            raise refuse(
                f"Blad {ws.title} loopt tot rij {format_number(ws.max_row)} en kolom "
                f"{ws.max_column}; hoogstens {format_number(settings.IMPORT_MAX_ROWS)} rijen. "
                "Verwijder lege, opgemaakte rijen en kolommen onder en naast de gegevens."
            )
        headers: list[str] | None = None
        sheet = Sheet(title=ws.title, headers=[])
        limit = settings.IMPORT_MAX_ROWS + 2
        for cells in ws.iter_rows():
            values = [_xlsx_value(ws.title, cell) for cell in cells]
            if headers is None:
                headers = ["" if v is None else str(v) for v in values]
                sheet.headers = headers
                continue
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            sheet.rows.append(values)
            sheet.numbers.append(cells[0].row)
            if len(sheet.rows) > limit:
                break
        sheets.append(sheet)
    return sheets


def _xlsx_value(title: str, cell):
    """A cell's value: Decimal for numbers (a % cell as the percentage: 0,4862 → 48,62),
    date, text; a formula is refused (the value it showed is not in the file for certain)."""
    value = cell.value
    if cell.data_type == "f":
        raise refuse(
            f"Blad {title}, cel {cell.coordinate}: een formule ({str(value)[:40]}). Kopieer "
            "de cellen en plak ze als waarden."
        )
    if value is not None and not isinstance(value, str | int | float | Decimal | date | bool):
        raise refuse(f"Blad {title}, cel {cell.coordinate}: deze cel kan niet worden gelezen.")
    if isinstance(value, float):
        value = Decimal(repr(value))
    is_number = isinstance(value, int | Decimal) and not isinstance(value, bool)
    if is_number and "%" in (cell.number_format or ""):
        value = (Decimal(value) * 100).normalize()
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        value = value.date()
    return value


def _read_csv(name: str, content: bytes) -> Sheet:
    if b"\x00" in content:
        raise refuse(f"'{name}' is geen tekstbestand en dus geen CSV.")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        raise refuse(f"'{name}' kan niet als CSV worden gelezen.") from None
    if not records:
        raise refuse(f"'{name}' is leeg.")
    sheet = Sheet(title=name.rsplit(".", 1)[0][:31], headers=records[0])
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        sheet.rows.append(record)
        sheet.numbers.append(number)
    return sheet


# --- Between preview and confirmation -------------------------------------------------------


def store(content: bytes, extension: str) -> str:
    """Keep the uploaded bytes under a random token (never the user's file name) in the
    default storage (shared by the app servers); the token goes in the session."""
    token = secrets.token_urlsafe(24)
    default_storage.save(f"{STORE}/{token}.{extension}", ContentFile(content))
    return token


def stored_path(token: str, extension: str) -> str:
    if not token.replace("-", "").replace("_", "").isalnum() or extension not in ("xlsx", "csv"):
        raise ValueError("ongeldig kenmerk")
    return f"{STORE}/{token}.{extension}"


def load(token: str, extension: str) -> bytes | None:
    path = stored_path(token, extension)
    if not default_storage.exists(path):
        return None
    with default_storage.open(path, "rb") as handle:
        return handle.read()


def discard(token: str, extension: str) -> None:
    path = stored_path(token, extension)
    if default_storage.exists(path):
        default_storage.delete(path)
