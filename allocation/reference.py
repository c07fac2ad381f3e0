"""Reading reference data files: a CBS StatLine CSV (inhabitants and youth inhabitants) and the
gemeentefonds spreadsheet (an objective budget such as DUVO or Jeugd) — docs/reference-data.md.

Pure: bytes in, one `SourceRow` per municipality out, every problem a Dutch message naming the
row and the column, all of them at once. Which municipality a row means and what is stored is
the service's job (`allocation.services.reference`), so a bad file never reaches the database.
Unknown (a CBS `.` or an empty cell), n.v.t. and 0 stay three different things.
"""

from __future__ import annotations

import csv
import enum
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from collaborations.municipalities import normalise_code, normalise_name
from core.formatting import NumberParseError, format_number, parse_decimal

MAX_FILE_BYTES = 20 * 1024 * 1024  # a StatLine selection of all municipalities is < 1 MB
MAX_MESSAGES = 30  # more errors than this are counted, not listed

# CBS StatLine 70072NED "Regionale kerncijfers Nederland": population on 1 January, and the
# age groups that together make 0 to 20 years (the youngest groups the table has).
CBS_INHABITANTS = "TotaleBevolking"
CBS_YOUTH = ("JongerDan5Jaar", "k_5Tot10Jaar", "k_10Tot15Jaar", "k_15Tot20Jaar")
_CBS_UNKNOWN = {"", ".", "x", "?"}  # CBS: . unknown, x secret; "-" is nihil (zero)
_CBS_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_PERIOD = re.compile(r"^(\d{4})JJ00$")
_TABLE_IN_NAME = re.compile(r"(\d{5}[A-Z]{3})", re.IGNORECASE)
_GM = re.compile(r"^GM\d{4}$")


class Missing(enum.Enum):
    """A figure that is not a number: never stored, and never read as zero."""

    UNKNOWN = "onbekend"
    NOT_APPLICABLE = "n.v.t."


Value = Decimal | Missing


class ReferenceFileError(ValueError):
    """The file cannot be read; `messages` names every problem ("Rij 4, kolom …: …")."""

    def __init__(self, messages: list[str]) -> None:
        shown = messages[:MAX_MESSAGES]
        if len(messages) > MAX_MESSAGES:
            shown.append(f"… en nog {len(messages) - MAX_MESSAGES} fouten.")
        self.messages = shown
        super().__init__("\n".join(shown))


@dataclass(frozen=True)
class MeasureSpec:
    """What one measure is, as `Measure` stores it."""

    code: str
    column: str  # the file's column(s) it comes from, for messages and the source
    omschrijving: str
    eenheid: str


@dataclass(frozen=True)
class SourceRow:
    """One municipality's figures in the file."""

    row: int  # the row number a spreadsheet shows (the header is row 1 of a CSV)
    column: str  # the column that names the municipality
    code: str | None  # GM0983, when the file has codes
    name: str  # the name, when the file has names ("" otherwise)
    values: dict[str, Value]  # measure code → figure

    @property
    def key(self) -> str:
        return self.code or self.name

    @property
    def has_figures(self) -> bool:
        return any(isinstance(v, Decimal) for v in self.values.values())


@dataclass(frozen=True)
class ReferenceFile:
    """A file read whole: its figures and where they come from."""

    file_name: str
    measures: tuple[MeasureSpec, ...]
    rows: tuple[SourceRow, ...]
    data_year: int  # the year the figures describe (a merged municipality is refused after)
    bron: str
    peildatum: date | None
    notes: tuple[str, ...] = field(default=())  # what was passed over, said in the summary


def read_file(path: Path) -> bytes:
    """The file's bytes, refused in Dutch when missing or over the limit."""
    if not path.is_file():
        raise ReferenceFileError([f"Bestand niet gevonden: {path}"])
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ReferenceFileError(
            [
                f"{path.name} is {size // (1024 * 1024)} MB; de grens is "
                f"{MAX_FILE_BYTES // (1024 * 1024)} MB. Kies in StatLine alleen de gemeenten "
                "en onderwerpen die u nodig hebt."
            ]
        )
    return path.read_bytes()


def _cell(row: int, column: str) -> str:
    return f"Rij {row}, kolom {column}"


def _bron(*parts: str) -> str:
    return ", ".join(p for p in parts if p)[:300]


def count_value(text: str, where: str, errors: list[str]) -> Value:
    """A count from a CBS cell: machine notation (101192, 12.5), `.` unknown, `-` nihil."""
    cleaned = text.strip()
    if cleaned in _CBS_UNKNOWN:
        return Missing.UNKNOWN
    if cleaned == "-":
        return Decimal(0)
    if not _CBS_NUMBER.fullmatch(cleaned):
        errors.append(f"{where}: '{cleaned}' is geen getal (CBS schrijft 101192 of 12.5).")
        return Missing.UNKNOWN
    number = Decimal(cleaned)
    if number < 0 or number != number.to_integral_value():
        errors.append(f"{where}: '{cleaned}' is geen aantal inwoners (een geheel getal ≥ 0).")
        return Missing.UNKNOWN
    return number


# --- CBS StatLine CSV --------------------------------------------------------------------------


def _decode(data: bytes, file_name: str) -> str:
    if not data.strip():
        raise ReferenceFileError([f"{file_name} is leeg."])
    if data[:2] == b"PK":
        raise ReferenceFileError(
            [f"{file_name} is een xlsx- of zip-bestand; download de StatLine-tabel als CSV."]
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise ReferenceFileError([f"{file_name} is geen tekstbestand (CSV)."]) from exc


def _column_key(header: str) -> str:
    """CBS names a topic `TotaleBevolking_1`; the number changes between table versions."""
    return re.sub(r"_\d+$", "", header.strip()).casefold()


def _find_column(headers: list[str], wanted: str) -> int | None:
    for index, header in enumerate(headers):
        if header.strip().casefold() == wanted.casefold():
            return index
    matches = [i for i, h in enumerate(headers) if _column_key(h) == _column_key(wanted)]
    return matches[0] if len(matches) == 1 else None


def _cbs_header(rows: list[list[str]], file_name: str) -> list[str]:
    headers = [h.strip() for h in rows[0]]
    lowered = {h.casefold() for h in headers}
    if "regio's" in lowered or "regio’s" in lowered:
        raise ReferenceFileError(
            [
                "Rij 1: dit is een StatLine-tabel met namen (kolom Regio's); lees de "
                "onbewerkte dataset in, met codes als GM0983 in de kolom RegioS "
                "(CBS-dataportaal, of StatLine: Downloaden, CSV zonder labels)."
            ]
        )
    if {"measure", "value"} <= lowered:
        raise ReferenceFileError(
            [
                "Rij 1: dit is de lange vorm (kolommen Measure en Value, OData 4); lees de "
                "brede vorm in, met een kolom per onderwerp, zoals TotaleBevolking_1."
            ]
        )
    missing = [name for name in ("RegioS", "Perioden") if _find_column(headers, name) is None]
    if missing:
        found = ", ".join(h for h in headers if h) or "geen"
        raise ReferenceFileError(
            [
                f"Rij 1: kolom {' en '.join(missing)} ontbreekt in {file_name} (gevonden: "
                f"{found}). Een StatLine-export heeft RegioS (GM0983) en Perioden (2017JJ00)."
            ]
        )
    return headers


def cbs_period_year(period: str) -> int:
    """2017JJ00 → 2017; only yearly figures are read."""
    match = _PERIOD.match(period.strip().upper())
    if not match:
        raise ReferenceFileError(
            [f"Periode '{period}': lees jaarcijfers in, geschreven als 2017JJ00."]
        )
    return int(match.group(1))


def read_cbs_csv(
    data: bytes,
    *,
    file_name: str,
    period: str,
    inhabitants_column: str = CBS_INHABITANTS,
    youth_columns: Iterable[str] | None = CBS_YOUTH,
    table: str = "",
) -> ReferenceFile:
    """Inhabitants (`inwoners`) and youth inhabitants (`jeugdinwoners`, the sum of the youth
    columns) per GM code for one period of a StatLine CSV (semicolon or comma separated).
    Rows of other regions (NL01, PV20, CR…) and other periods are passed over."""
    year = cbs_period_year(period)
    period = period.strip().upper()
    text = _decode(data, file_name)
    delimiter = ";" if ";" in text.splitlines()[0] else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    headers = _cbs_header(rows, file_name)
    region = _find_column(headers, "RegioS")
    periods_at = _find_column(headers, "Perioden")
    inhabitants = _find_column(headers, inhabitants_column)
    if inhabitants is None:
        raise ReferenceFileError(
            [f"Rij 1: kolom {inhabitants_column} (het aantal inwoners) ontbreekt in {file_name}."]
        )
    youth_names = list(youth_columns or [])
    youth = [_find_column(headers, name) for name in youth_names]
    absent = [name for name, index in zip(youth_names, youth, strict=True) if index is None]
    notes: list[str] = []
    if youth_names and len(absent) == len(youth_names):
        youth = []
        notes.append("Jeugdinwoners: de leeftijdskolommen staan niet in het bestand.")
    elif absent:
        raise ReferenceFileError(
            [f"Rij 1: voor jeugdinwoners ontbreekt kolom {', '.join(absent)} in {file_name}."]
        )
    errors: list[str] = []
    seen: dict[str, int] = {}
    found: list[SourceRow] = []
    periods: set[str] = set()
    other_regions = 0
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(headers):
            errors.append(
                f"Rij {number}: {len(cells)} kolommen, de kopregel heeft er {len(headers)}."
            )
            continue
        row_period = cells[periods_at].strip().upper()
        periods.add(row_period)
        if row_period != period:
            continue
        code = cells[region].strip().upper()
        if not code.startswith("GM"):
            other_regions += 1
            continue
        if not _GM.match(code):
            errors.append(f"{_cell(number, 'RegioS')}: '{code}' is geen gemeentecode (GM0983).")
            continue
        if code in seen:
            errors.append(f"{_cell(number, 'RegioS')}: {code} staat ook in rij {seen[code]}.")
            continue
        seen[code] = number
        values: dict[str, Value] = {
            "inwoners": count_value(cells[inhabitants], _cell(number, headers[inhabitants]), errors)
        }
        if youth:
            parts = [count_value(cells[i], _cell(number, headers[i]), errors) for i in youth]
            values["jeugdinwoners"] = (
                Missing.UNKNOWN
                if any(isinstance(p, Missing) for p in parts)
                else sum(parts, Decimal(0))
            )
        found.append(SourceRow(number, "RegioS", code, "", values))
    if errors:
        raise ReferenceFileError(errors)
    if not seen:
        present = ", ".join(sorted(periods)) or "geen"
        raise ReferenceFileError(
            [
                f"{file_name} heeft geen gemeentecijfers voor periode {period} (perioden in het "
                f"bestand: {present}). Kies de periode met --periode."
            ]
        )
    if other_regions:
        notes.append(f"{other_regions} rijen van andere gebieden dan gemeenten overgeslagen.")
    table = table or _table_from_name(file_name)
    measures = [
        MeasureSpec(
            "inwoners", headers[inhabitants], f"Aantal inwoners op 1 januari {year}", "inwoners"
        )
    ]
    if youth:
        label = (
            "0 tot 20 jaar"
            if [_column_key(n) for n in youth_names] == [_column_key(n) for n in CBS_YOUTH]
            else "som van " + ", ".join(headers[i] for i in youth)
        )
        measures.append(
            MeasureSpec(
                "jeugdinwoners",
                " + ".join(headers[i] for i in youth),
                f"Aantal jeugdige inwoners ({label}) op 1 januari {year}",
                "inwoners",
            )
        )
    return ReferenceFile(
        file_name=file_name,
        measures=tuple(measures),
        rows=tuple(found),
        data_year=year,
        bron=_bron(f"CBS StatLine {table}".strip(), file_name, f"periode {period}"),
        peildatum=date(year, 1, 1),
        notes=tuple(notes),
    )


def _table_from_name(file_name: str) -> str:
    """CBS names downloads after the table (70072NED_UntypedDataSet_….csv)."""
    match = _TABLE_IN_NAME.search(file_name)
    return match.group(1).upper() if match else ""


def describe(value: Value, eenheid: str) -> str:
    """A figure as the summary prints it: € 1.251.006, 153.818, onbekend, n.v.t."""
    if isinstance(value, Missing):
        return value.value
    decimals = 0 if value == value.to_integral_value() else 2
    text = format_number(value, decimals)
    return f"€ {text}" if eenheid == "EUR" else text


def amount_value(raw: object, where: str, errors: list[str], factor: int) -> Value:
    """An amount from a spreadsheet cell: a number cell, or Dutch text (1.251.006 / 1251006,50);
    empty is unknown, n.v.t. is not applicable; never negative, at most two decimals."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return Missing.UNKNOWN
    if isinstance(raw, bool):
        errors.append(f"{where}: WAAR/ONWAAR is geen bedrag.")
        return Missing.UNKNOWN
    if isinstance(raw, int | float):
        number = Decimal(str(raw))
    elif isinstance(raw, str):
        cleaned = raw.strip()
        if normalise_name(cleaned) in {"n v t", "nvt"}:
            return Missing.NOT_APPLICABLE
        try:
            number = parse_decimal(cleaned)
        except NumberParseError as exc:
            errors.append(f"{where}: {exc}")
            return Missing.UNKNOWN
    else:  # a date or time cell
        errors.append(f"{where}: '{raw}' is een datum, geen bedrag.")
        return Missing.UNKNOWN
    try:
        number = (number * factor).normalize()
    except InvalidOperation:  # pragma: no cover - Decimal(str(float)) is always finite here
        errors.append(f"{where}: geen bedrag.")
        return Missing.UNKNOWN
    if number < 0:
        errors.append(f"{where}: {describe(number, 'EUR')} is negatief; een budget is ≥ 0.")
        return Missing.UNKNOWN
    if -number.as_tuple().exponent > 2:
        errors.append(f"{where}: {raw} heeft meer dan twee decimalen.")
        return Missing.UNKNOWN
    if number >= Decimal("1e15"):
        errors.append(f"{where}: {describe(number, 'EUR')} is groter dan het maximum.")
        return Missing.UNKNOWN
    return number


def code_of(raw: object, where: str, errors: list[str]) -> str | None:
    """A CBS code from a cell: 983, '0983', 'GM0983' → GM0983; empty → None."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    text = str(int(raw)) if isinstance(raw, int | float) and float(raw).is_integer() else str(raw)
    code = normalise_code(text)
    if code is None:
        errors.append(f"{where}: '{text.strip()}' is geen CBS-gemeentecode (zoals GM0983 of 983).")
    return code
