"""Spreadsheet imports (django-import-export), the part every app's resources share, and the
partnership records with their participants.

A row of an import file is identified by its natural key — a municipality by CBS code or name,
a partnership by its afkorting, a table, a category, a year — never by a database id. The
resources here and in `finance.resources` and `allocation.resources` use django-import-export's
Resource, Field and Widget machinery (the widgets: `import_widgets`) and its dry run
(`import_data(dry_run=True)`: new, changed and unchanged rows with the old state beside the new
one), but never let it save: each row becomes a planned change that `apply()` writes through
the app's own services (permission, locking, the open-year rule, history), so an import does
exactly what the forms would do.
"""

from __future__ import annotations

import copy

from import_export import resources
from import_export.instance_loaders import BaseInstanceLoader

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError

from .import_widgets import (
    ChoiceWidget,
    DateWidget,
    MunicipalityListWidget,
    MunicipalityWidget,
    NumberWidget,
    PartnershipWidget,
    TextWidget,
    YearWidget,
    is_empty,
    key_field,
    label_key,
    read_number,
    read_year,
    render_number,
    value_field,
)
from .models import Participation, Partnership

__all__ = [
    "ChoiceWidget",
    "DateWidget",
    "ImportRow",
    "KeyedResource",
    "MunicipalityListWidget",
    "MunicipalityWidget",
    "NumberWidget",
    "PartnershipWidget",
    "TextWidget",
    "YearWidget",
    "is_empty",
    "key_field",
    "label_key",
    "read_number",
    "read_year",
    "render_number",
    "value_field",
]


# --- The resource -------------------------------------------------------------------------


class ImportRow:
    """One row of an import as an object import-export can read and set: the natural key and
    the values, as stored now (an update) or as given (new). Copies are shallow: the values
    are immutable, the model objects shared."""

    pk = None

    def __init__(self, **values) -> None:
        self.__dict__.update(values)

    def __deepcopy__(self, memo):
        return copy.copy(self)


class KeyedResource(resources.Resource):
    """Rows found by their natural key; import-export's dry run lists them as new, changed or
    unchanged with the old values, and its widgets read the cells. Nothing is saved while
    reading: `save_instance` only plans, and `apply()` writes the plan through the services.

    Subclasses give `key_fields` (resource field names), `prepare(dataset)` (read once what
    the rows refer to), `find(values)` (the stored row or None), `check(row, is_new)`
    (permission and rules across rows; raise ValidationError) and `apply()`."""

    key_fields: tuple[str, ...] = ()
    title = ""  # the sheet of a workbook and the heading of the preview
    example: dict[str, object] = {}  # the template's example row, by column
    descriptions: dict[str, str] = {}  # the template's description row, by column
    required_columns: tuple[str, ...] = ()  # besides the key's columns

    class Meta:
        skip_unchanged = True
        report_skipped = True
        skip_html_diff = True
        store_instance = True
        use_transactions = False
        use_bulk = True  # no savepoint per row: nothing is saved while reading anyway
        import_id_fields = ()
        instance_loader_class = BaseInstanceLoader

    def __init__(self, *, user, **kwargs) -> None:
        super().__init__(**kwargs)
        self.user = user
        self.plan: list[ImportRow] = []
        self.state: list[str] = []  # what the rows were read against (a stale preview differs)
        self.notes: list[str] = []
        self.sheet_rows: list[int] = []
        self.row_number = 0
        self._seen: dict[tuple, int] = {}
        self._participations: dict[tuple[int, int], Participation] | None = None
        self.present: set[str] = set()  # the columns the file has
        self._records: dict[int, dict] = {}
        self.rows_read: dict[int, ImportRow] = {}

    # the spreadsheet's row number of the row being read (import-export counts from 1)
    @property
    def sheet_row(self) -> int:
        if self.sheet_rows and 0 < self.row_number <= len(self.sheet_rows):
            return self.sheet_rows[self.row_number - 1]
        return self.row_number + 1

    def columns(self) -> list[str]:
        return [f.column_name for f in self.get_export_fields()]

    def key_columns(self) -> list[str]:
        return [self.fields[name].column_name for name in self.key_fields]

    def column_label(self, attribute: str, row: ImportRow | None) -> str:
        """The column named in a message; money columns add their year."""
        for field in self.fields.values():
            if field.attribute == attribute:
                return field.column_name
        return attribute

    def before_import(self, dataset, **kwargs):
        self.present = set(dataset.headers or ())
        self.prepare(dataset)

    def participation(self, partnership: Partnership, municipality) -> Participation:
        """The municipality's perspective on the partnership, or a Dutch error on the column
        Gemeente (every participation is read once per import)."""
        found = self._participation_index().get((partnership.pk, municipality.pk))
        if found is None:
            raise ValidationError(
                {"municipality": f"{municipality} neemt niet deel aan {partnership.afkorting}"}
            )
        return found

    def participations_of(self, partnership: Partnership) -> list[Participation]:
        return [p for (pid, _), p in self._participation_index().items() if pid == partnership.pk]

    def _participation_index(self) -> dict[tuple[int, int], Participation]:
        if self._participations is None:
            self._participations = {
                (p.partnership_id, p.municipality_id): p
                for p in Participation.objects.select_related("partnership", "municipality")
            }
        return self._participations

    def has(self, attribute: str) -> bool:
        """True when the file has the column of `attribute` (a missing column is left as
        it is stored)."""
        return any(
            f.attribute == attribute and f.column_name in self.present for f in self.fields.values()
        )

    def before_import_row(self, row, row_number=None, **kwargs):
        self.row_number = row_number or 0

    def prepare(self, dataset) -> None:
        """Read once what the rows refer to (municipalities, partnerships, stored rows)."""

    def get_or_init_instance(self, instance_loader, row):
        values, errors = {}, {}
        for name in self.key_fields:
            field = self.fields[name]
            try:
                values[field.attribute] = field.clean(row)
            except ValueError as exc:
                errors[field.attribute] = ValidationError(str(exc))
        if errors:
            raise ValidationError(errors)
        key = self.key_of(values)
        if key in self._seen:
            raise ValidationError(
                f"dezelfde rij ({self.describe_key(values)}) staat ook in rij {self._seen[key]}"
            )
        self._seen[key] = self.sheet_row
        self.rows_read[self.row_number] = ImportRow(**values)  # for the column of an error
        found = self.find(values)
        if found is not None:
            self.state.append(f"{key}={self.state_of(found)}")
            self.rows_read[self.row_number] = found
            return found, False
        self.state.append(f"{key}=nieuw")
        return ImportRow(**values, is_new=True), True

    def key_of(self, values: dict) -> tuple:
        return tuple(
            label_key(v) if isinstance(v, str) else getattr(v, "pk", v) for v in values.values()
        )

    def describe_key(self, values: dict) -> str:
        return ", ".join(
            self.fields[n].widget.render(values[self.fields[n].attribute]) or "leeg"
            for n in self.key_fields
        )

    def state_of(self, row: ImportRow) -> str:
        return repr([f.export(row) for f in self.get_import_fields()])

    def find(self, values: dict) -> ImportRow | None:
        raise NotImplementedError

    def check(self, row: ImportRow, is_new: bool) -> None:
        """Permission and rules across rows, for a row that changes something."""

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Unchanged rows are skipped (listed as unchanged); a new row never is."""
        if getattr(instance, "is_new", False):
            return False
        return super().skip_row(instance, original, row, import_validation_errors)

    def year_record(self, participation: Participation, year: int):
        """The participation's section C of `year` (or None), read once per participation."""
        if participation.pk not in self._records:
            self._records[participation.pk] = {r.year: r for r in participation.years.all()}
        return self._records[participation.pk].get(year)

    def save_instance(self, instance, is_create, row, **kwargs):
        try:
            self.check(instance, is_create)
        except PermissionDenied as exc:
            raise ValidationError({NON_FIELD_ERRORS: [str(exc)]}) from None
        self.plan.append(instance)

    def apply(self) -> None:
        """Write the plan through the app's services (inside the caller's transaction)."""
        raise NotImplementedError

    @classmethod
    def export_rows(cls, participations: list[Participation]) -> list[ImportRow]:
        """Everything of these perspectives this kind covers, as rows of the import."""
        raise NotImplementedError

    def template_rows(self) -> list[list]:
        """The description row and the example row of the downloadable template."""
        columns = self.columns()
        return [
            [self.descriptions.get(c, "") for c in columns],
            [self.example.get(c) for c in columns],
        ]
