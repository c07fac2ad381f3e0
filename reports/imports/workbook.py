"""The xlsx files of the imports: a template per kind (Dutch headers, a description row, an
example row) and a municipality's workbook (a named sheet per kind with the same headers,
which `import_data` reads back). Written with openpyxl: real numbers with a euro or
percentage number format per cell (a percentage as its fraction, as Excel keeps it), dates as
dates, text always as text — a text that starts with '=' is a text cell, never a formula."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from collaborations.models import Municipality, Participation
from collaborations.resources import KeyedResource, NumberWidget
from core.exports import Column, Kind, number_format

from .kinds import KINDS, ImportKind

HEADER_FILL = "DDE6F0"


def _number_format(widget, value: Decimal) -> str:
    """The site's one Excel number format (core.exports) with the decimals the value has."""
    exponent = value.normalize().as_tuple().exponent
    decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    kind = {"euro": Kind.EURO, "procent": Kind.PERCENT}.get(
        getattr(widget, "number_format", ""), Kind.NUMBER
    )
    return number_format(Column("", kind, places=decimals))


def _put(ws, row: int, column: int, field, value) -> None:
    cell = ws.cell(row=row, column=column)
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        widget = field.widget
        number = Decimal(value)
        if getattr(widget, "number_format", "") == "procent":
            cell.value = number / 100
        else:
            cell.value = number
        cell.number_format = (
            _number_format(widget, number) if isinstance(widget, NumberWidget) else "0"
        )
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = "d-m-yyyy"
    elif value not in (None, ""):
        cell.value = str(value)
        cell.data_type = "s"  # text stays text, also when it starts with '='


def _sheet(book, resource: KeyedResource, rows: list, *, template: bool = False) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    ws = book.create_sheet(resource.title)
    fields = resource.get_export_fields()
    for column, field in enumerate(fields, start=1):
        cell = ws.cell(row=1, column=column, value=field.column_name)
        cell.data_type = "s"
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        letter = cell.column_letter
        ws.column_dimensions[letter].width = max(14, min(45, len(field.column_name) + 4))
    number = 2
    if template:
        description, example = resource.template_rows()
        for column, text in enumerate(description, start=1):
            cell = ws.cell(row=2, column=column, value=text)
            cell.font = Font(italic=True, color="444444")
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for column, (field, value) in enumerate(zip(fields, example, strict=True), start=1):
            _put(ws, 3, column, field, value)
        number = 4
    for row in rows:
        for column, field in enumerate(fields, start=1):
            _put(ws, number, column, field, field.export(row, force_native_type=True))
        number += 1
    ws.freeze_panes = "A2"


def _save(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def template_xlsx(kind: ImportKind) -> bytes:
    """The template of one kind: headers, a description row and an example row."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    _sheet(book, kind.resource(user=None), [], template=True)
    return _save(book)


def municipality_workbook(municipality: Municipality) -> bytes:
    """All of a municipality's data: a sheet per kind, with the headers of the templates."""
    from openpyxl import Workbook

    participations = list(
        Participation.objects.filter(municipality=municipality).select_related(
            "partnership", "municipality"
        )
    )
    book = Workbook()
    book.remove(book.active)
    for kind in KINDS.values():
        resource = kind.resource(user=None)
        _sheet(book, resource, resource.export_rows(participations))
    return _save(book)
