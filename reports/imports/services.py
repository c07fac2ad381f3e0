"""Import with preview: a sheet is read by its kind's resource in a dry run (nothing written),
shown as new, changed (old → new) and unchanged rows with every error in Dutch by row and
column; confirmed, the same file is read again in one transaction, refused when what it was
read against has changed since (a stale preview), and applied through the apps' services,
every history row carrying the file's name as its reason."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

import tablib
from simple_history.signals import pre_create_historical_record

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from collaborations.permissions import User
from collaborations.resources import KeyedResource, label_key

from .files import Sheet, Upload
from .kinds import KINDS, ImportKind, kind_for_sheet

logger = logging.getLogger(__name__)

STATES = {"new": "nieuw", "update": "gewijzigd", "skip": "ongewijzigd"}


class StaleImport(ValidationError):
    """The data changed between preview and confirmation."""


@dataclass
class PreviewRow:
    number: int  # the spreadsheet's row
    state: str  # nieuw, gewijzigd, ongewijzigd
    key: list[tuple[str, str]]  # (column, value) of the natural key
    changes: list[tuple[str, str, str]]  # (column, old, new); old "" for a new row


@dataclass
class Preview:
    kind: ImportKind
    file_name: str
    sheet: str
    rows: list[PreviewRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    fingerprint: str = ""
    columns: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # the concept pages it touches

    def count(self, state: str) -> int:
        return sum(1 for row in self.rows if row.state == state)

    @property
    def changed_rows(self) -> list[PreviewRow]:
        return [row for row in self.rows if row.state != "ongewijzigd"]

    def summary(self) -> str:
        """Bedragen: 3 nieuw, 2 gewijzigd, 40 ongewijzigd."""
        text = (
            f"{self.kind.title}: {self.count('nieuw')} nieuw, {self.count('gewijzigd')} "
            f"gewijzigd, {self.count('ongewijzigd')} ongewijzigd"
        )
        if not self.errors:
            return text + "."
        return text + f", {len(self.errors)} {'fout' if len(self.errors) == 1 else 'fouten'}."


# --- History: one change with the file's name ---------------------------------------------

_REASON: ContextVar[tuple[str, User | None] | None] = ContextVar("import_reason", default=None)


def _stamp(sender, history_instance, **kwargs) -> None:
    active = _REASON.get()
    if active is None:
        return
    reason, user = active
    history_instance.history_change_reason = reason  # the import is the change, whole
    unsigned = getattr(history_instance, "history_user_id", None) is None
    if unsigned and getattr(user, "is_authenticated", False):
        history_instance.history_user = user


pre_create_historical_record.connect(_stamp, weak=False, dispatch_uid="reports-import-reason")


@contextmanager
def history_reason(reason: str, user: User | None) -> Iterator[None]:
    """Every history row written inside (in this thread or task) gets `reason` and `user`."""
    token = _REASON.set((reason[:100], user))
    try:
        yield
    finally:
        _REASON.reset(token)


def reason_for(kind: ImportKind, file_name: str) -> str:
    """Import bedragen uit begroting-2018.xlsx"""
    return f"Import {kind.title.lower()} uit {file_name}"[:100]


# --- Reading a sheet ------------------------------------------------------------------------


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _same(value: object, wanted: object) -> bool:
    return label_key("" if value is None else str(value)) == label_key(
        "" if wanted is None else str(wanted)
    )


def dataset_for(resource: KeyedResource, sheet: Sheet, preview: Preview) -> tablib.Dataset | None:
    """The sheet as import-export reads it: headers matched to the kind's columns (case and
    spacing ignored), the template's description and example rows left out. Errors about the
    headers go to `preview.errors` and give None."""
    columns = {label_key(c): c for c in resource.columns()}
    picked: list[tuple[int, str]] = []
    seen: dict[str, str] = {}
    for index, header in enumerate(sheet.headers):
        text = " ".join(str(header or "").split())
        letter = _letter(index)
        if not text:
            if any(index < len(r) and str(r[index] or "").strip() for r in sheet.rows):
                preview.errors.append(
                    f"Kolom {letter} heeft gegevens maar geen kolomnaam in rij 1."
                )
            continue
        column = columns.get(label_key(text.rstrip("*").strip()))
        if column is None:
            preview.errors.append(
                f"Kolom {letter} heet '{text[:60]}'; die kolom kent het sjabloon van "
                f"{resource.title.lower()} niet. De kolommen zijn: {', '.join(columns.values())}."
            )
            continue
        if column in seen:
            preview.errors.append(
                f"Kolom {letter} ({column}) staat er twee keer in (ook kolom {seen[column]})."
            )
            continue
        seen[column] = letter
        picked.append((index, column))
    missing = [c for c in (*resource.key_columns(), *resource.required_columns) if c not in seen]
    if missing:
        preview.errors.append(
            f"Deze kolommen ontbreken in rij 1: {', '.join(missing)}. Gebruik het sjabloon."
        )
    values_given = [c for c in seen if c not in resource.key_columns()]
    if not missing and not values_given and not preview.errors:
        preview.errors.append("Het bestand heeft alleen de sleutelkolommen en geen gegevens.")
    if preview.errors:
        return None
    preview.columns = [column for _, column in picked]
    description, example = resource.template_rows()
    by_column = dict(zip(resource.columns(), zip(description, example, strict=True), strict=True))
    dataset = tablib.Dataset(headers=preview.columns)
    numbers = []
    for number, row in zip(sheet.numbers, sheet.rows, strict=True):
        cells = [row[i] if i < len(row) else None for i, _ in picked]
        filled = [(c, col) for c, (_, col) in zip(cells, picked, strict=True) if c is not None]
        if sum(_same(c, by_column[col][0]) for c, col in filled) * 2 > len(filled):
            continue  # the template's description row (most of its texts, also when reworded)
        if all(_same(c, by_column[col][1]) for c, (_, col) in zip(cells, picked, strict=True)):
            preview.notes.append(
                f"Rij {number} is het voorbeeld uit het sjabloon en is overgeslagen."
            )
            continue
        dataset.append(cells)
        numbers.append(number)
    if not numbers:
        preview.errors.append("Het bestand bevat geen rijen met gegevens onder de kolomnamen.")
        return None
    resource.sheet_rows = numbers
    return dataset


def _messages(error: ValidationError, resource: KeyedResource, number: int, row) -> list[str]:
    if not hasattr(error, "error_dict"):
        return [f"Rij {number}: {m}" for m in error.messages]
    out = []
    for attribute, errors in error.error_dict.items():
        for item in errors:
            for message in item.messages if isinstance(item, ValidationError) else [str(item)]:
                if attribute == NON_FIELD_ERRORS:
                    out.append(f"Rij {number}: {message}")
                else:
                    column = resource.column_label(attribute, row)
                    out.append(f"Rij {number}, kolom {column}: {message}")
    return out


def read_sheet(*, user: User, kind: ImportKind, upload: Upload, sheet: Sheet, describe=True):
    """The dry run of one sheet: (Preview, resource with its plan). Writes nothing. Without
    `describe` the rows are counted, not written out (confirming needs no old → new)."""
    preview = Preview(kind=kind, file_name=upload.name, sheet=sheet.title)
    resource = kind.resource(user=user)
    dataset = dataset_for(resource, sheet, preview)
    if dataset is None:
        return preview, resource
    result = resource.import_data(dataset, dry_run=True, raise_errors=False)
    for error in result.base_errors:
        logger.error("Import %s: %s", kind.slug, error.traceback)
        preview.errors.append("Het bestand kon niet worden gelezen door een onverwachte fout.")
    for index, row_result in enumerate(result.rows):
        number = resource.sheet_rows[index]
        instance = resource.rows_read.get(index + 1)
        if row_result.validation_error is not None:
            preview.errors += _messages(row_result.validation_error, resource, number, instance)
            continue
        if row_result.errors:
            logger.error("Import %s, rij %s: %s", kind.slug, number, row_result.errors[0].traceback)
            preview.errors.append(f"Rij {number}: deze rij kon niet worden gelezen.")
            continue
        if describe:
            preview.rows.append(_preview_row(resource, row_result, number))
        else:
            preview.rows.append(PreviewRow(number, STATES[row_result.import_type], [], []))
    preview.errors += resource.errors
    preview.notes += resource.notes
    preview.links = _links(resource)
    digest = hashlib.sha256(f"{kind.slug}|{upload.digest}|{sheet.title}".encode())
    for line in resource.state:
        digest.update(line.encode())
    preview.fingerprint = digest.hexdigest()
    return preview, resource


def _links(resource: KeyedResource) -> list[tuple[str, str]]:
    """The year pages (the working copy) of what the planned rows change."""
    found: dict[tuple, tuple[str, str]] = {}
    for row in resource.plan:
        participation, year = getattr(row, "participation", None), getattr(row, "year", None)
        if participation is None or year is None or (participation.pk, year) in found:
            continue
        url = reverse(
            "reports:year",
            args=[participation.municipality.slug, participation.partnership.slug, year],
        )
        label = f"{participation.partnership.afkorting} {year} ({participation.municipality})"
        found[(participation.pk, year)] = (label, url)
    return sorted(found.values())


def _preview_row(resource: KeyedResource, row_result, number: int) -> PreviewRow:
    instance, original = row_result.instance, row_result.original
    state = STATES[row_result.import_type]
    keys = [resource.fields[name] for name in resource.key_fields]
    key = [(f.column_name, f.export(instance)) for f in keys]
    changes = []
    for name, f in resource.fields.items():
        if name in resource.key_fields or not resource.has(f.attribute):
            continue
        new = f.export(instance)
        old = f.export(original) if original is not None else ""
        if state == "nieuw" or old != new:
            changes.append((resource.column_label(f.attribute, instance), old, new))
    return PreviewRow(number=number, state=state, key=key, changes=changes)


def preview_upload(*, user: User, kind: ImportKind, upload: Upload) -> Preview:
    """What importing `upload` as `kind` would do; nothing is written."""
    return _read(user, kind, upload)[0]


def _read(
    user: User, kind: ImportKind, upload: Upload, describe: bool = True
) -> tuple[Preview, KeyedResource | None]:
    if not kind.allowed(user):
        raise PermissionDenied(f"{kind.label} importeren is voor {kind.who}.")
    sheet = _sheet_of(kind, upload)
    if isinstance(sheet, str):
        return Preview(kind=kind, file_name=upload.name, sheet="", errors=[sheet]), None
    return read_sheet(user=user, kind=kind, upload=upload, sheet=sheet, describe=describe)


def _sheet_of(kind: ImportKind, upload: Upload) -> Sheet | str:
    """The sheet named after the kind, or the only sheet; else a Dutch reason."""
    for sheet in upload.sheets:
        if kind_for_sheet(sheet.title) is kind:
            return sheet
    if len(upload.sheets) == 1:
        return upload.sheets[0]
    names = ", ".join(s.title for s in upload.sheets)
    return f"De werkmap heeft geen blad '{kind.title}' (wel: {names})."


@transaction.atomic
def apply_upload(*, user: User, kind: ImportKind, upload: Upload, fingerprint: str) -> Preview:
    """Apply what the preview showed, whole or not at all: the file is read again in this
    transaction and refused when anything it was read against changed since the preview."""
    preview, resource = _read(user, kind, upload, describe=False)
    if preview.errors:
        raise ValidationError(preview.errors)
    if preview.fingerprint != fingerprint:
        raise StaleImport(
            "De gegevens zijn gewijzigd sinds u de controle zag (of het bestand is een ander): "
            "er is niets ingelezen. Bekijk de nieuwe controle en bevestig opnieuw."
        )
    resource.reason = reason_for(kind, upload.name)
    with history_reason(resource.reason, user):
        resource.apply()
    return preview


class WorkbookRefused(Exception):
    def __init__(self, previews: list[Preview], errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.previews, self.errors = previews, errors


def import_workbook(*, user: User, upload: Upload, dry_run: bool) -> list[Preview]:
    """Every sheet of a workbook as written by `export_data`, in the order of KINDS, in one
    transaction: a sheet sees what the sheets before it made (a new partnership). A dry run,
    or any error, rolls everything back."""
    order = list(KINDS)
    sheets, errors = [], []
    for sheet in upload.sheets:
        kind = kind_for_sheet(sheet.title)
        if kind is None:
            known = ", ".join(k.title for k in KINDS.values())
            errors.append(f"Blad '{sheet.title}' is onbekend; de bladen heten: {known}.")
        elif not kind.allowed(user):
            errors.append(f"Blad {kind.title}: {kind.label.lower()} importeren is voor {kind.who}.")
        else:
            sheets.append((order.index(kind.slug), kind, sheet))
    if errors:
        raise WorkbookRefused([], errors)
    previews: list[Preview] = []
    with transaction.atomic():
        for _, kind, sheet in sorted(sheets, key=lambda item: item[0]):
            if not sheet.rows:  # an empty sheet of the workbook: nothing of that kind
                previews.append(Preview(kind=kind, file_name=upload.name, sheet=sheet.title))
                continue
            preview, resource = read_sheet(
                user=user, kind=kind, upload=upload, sheet=sheet, describe=False
            )
            previews.append(preview)
            if preview.errors:
                raise WorkbookRefused(
                    previews, [f"Blad {sheet.title}, {e[0].lower()}{e[1:]}" for e in preview.errors]
                )
            resource.reason = reason_for(kind, upload.name)
            with history_reason(resource.reason, user):
                resource.apply()
        if dry_run:
            transaction.set_rollback(True)
    return previews
