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
    NameListWidget,
    NumberWidget,
    PartnershipWidget,
    TermListWidget,
    TermWidget,
    TextWidget,
    UrlWidget,
    YearWidget,
    is_empty,
    key_field,
    label_key,
    read_number,
    read_year,
    render_number,
    sort_names,
    sort_terms,
    value_field,
)
from .models import Organisation, Participation, Partnership, Vocabulary
from .permissions import is_beheerder
from .services.joining import create_partnership
from .services.records import PARTNERSHIP_FIELDS, update_partnership

__all__ = [
    "ChoiceWidget",
    "DateWidget",
    "ImportRow",
    "KeyedResource",
    "MunicipalityListWidget",
    "MunicipalityWidget",
    "NumberWidget",
    "PartnershipResource",
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


class _NoDiff:
    """import-export's Diff renders every field of the row twice for an HTML diff we never
    show (the preview compares fields itself): a third of the dry run's time, saved."""

    def __init__(self, resource, instance, new) -> None:
        pass

    def compare_with(self, resource, instance) -> None:
        pass


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
        self.errors: list[str] = []  # errors about the file as a whole (after the rows)
        self._import_fields = None
        self.reason = ""  # the history reason of the writes (set by the import before apply)
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

    @classmethod
    def get_diff_class(cls):
        return _NoDiff

    def get_import_fields(self):
        """The same list for every row (import-export works it out again for each)."""
        if self._import_fields is None:
            self._import_fields = super().get_import_fields()
        return self._import_fields

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


# --- Partnership records with participants --------------------------------------------------


class PartnershipResource(KeyedResource):
    """Samenwerkingen: the shared record of a partnership with its participating
    municipalities, one row per partnership identified by its afkorting. New partnerships are
    made as the wizard makes them, changes go through the shared record's form service; a
    participant is never removed by an import (end the participation instead)."""

    title = "Samenwerkingen"
    key_fields = ("afkorting",)
    required_columns = ()

    afkorting = key_field(
        "afkorting", "Afkorting", TextWidget(max_length=30, required=True, what="de afkorting")
    )
    name = value_field("name", "Naam", TextWidget(max_length=200))
    beschrijving = value_field("beschrijving", "Beschrijving", TextWidget(max_length=10_000))
    vorm = value_field("vorm", "Vorm", TermWidget(Vocabulary.VORM, what="vorm"))
    bbv_categorie = value_field(
        "bbv_categorie", "BBV-categorie", TermWidget(Vocabulary.BBV, what="BBV-categorie")
    )
    onderwerpen = value_field(
        "onderwerpen", "Onderwerpen", TermListWidget(Vocabulary.ONDERWERP, what="onderwerp")
    )
    aard = value_field(
        "aard",
        "Aard van de samenwerking",
        TermListWidget(Vocabulary.AARD, what="aard van de samenwerking"),
    )
    municipalities = value_field(
        "municipalities", "Deelnemende gemeenten", MunicipalityListWidget()
    )
    centrumgemeente = value_field(
        "centrumgemeente", "Centrumgemeente", MunicipalityWidget(required=False)
    )
    organisations = value_field("organisations", "Overige organisaties", NameListWidget())
    vestigingsplaats = value_field(
        "vestigingsplaats", "Vestigingsplaats", TextWidget(max_length=100)
    )
    bezoekadres = value_field("bezoekadres", "Bezoekadres", TextWidget(max_length=200))
    correspondentieadres = value_field(
        "correspondentieadres", "Correspondentieadres", TextWidget(max_length=200)
    )
    website = value_field("website", "Website", UrlWidget(max_length=200))

    class Meta(KeyedResource.Meta):
        fields = (
            "afkorting",
            "name",
            "beschrijving",
            "vorm",
            "bbv_categorie",
            "onderwerpen",
            "aard",
            "municipalities",
            "centrumgemeente",
            "organisations",
            "vestigingsplaats",
            "bezoekadres",
            "correspondentieadres",
            "website",
        )

    descriptions = {
        "Afkorting": "Zoals ZVH; daaraan herkent de import de samenwerking",
        "Naam": "De volledige naam",
        "Beschrijving": "Wat de samenwerking doet",
        "Vorm": "Zoals Openbaar lichaam of Stichting",
        "BBV-categorie": "De categorie van de BBV",
        "Onderwerpen": "Gescheiden door ;",
        "Aard van de samenwerking": "Gescheiden door ;",
        "Deelnemende gemeenten": "Namen of CBS-codes, gescheiden door ;",
        "Centrumgemeente": "Een van de deelnemers (mag leeg)",
        "Overige organisaties": "Zoals Politie; Openbaar Ministerie",
        "Vestigingsplaats": "Plaats",
        "Bezoekadres": "Straat, huisnummer, plaats",
        "Correspondentieadres": "Postbus of adres",
        "Website": "https://…",
    }
    example = {
        "Afkorting": "ZVH",
        "Naam": "Zorg- en Veiligheidshuis Limburg Noord",
        "Deelnemende gemeenten": "Venlo; Venray; Horst aan de Maas",
        "Centrumgemeente": "Venlo",
        "Overige organisaties": "Openbaar Ministerie; Politie",
        "Vestigingsplaats": "Venlo",
    }

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._partnerships: dict[str, Partnership] | None = None

    @classmethod
    def export_rows(cls, participations: list[Participation]) -> list[ImportRow]:
        ids = {p.partnership_id for p in participations}
        return [_partnership_row(p) for p in _partnerships(Partnership.objects.filter(pk__in=ids))]

    def find(self, values: dict) -> ImportRow | None:
        if self._partnerships is None:
            self._partnerships = {}
            for p in _partnerships(Partnership.objects.all()):
                self._partnerships.setdefault(label_key(p.afkorting), p)
                self._partnerships.setdefault(label_key(p.slug), p)
        found = self._partnerships.get(label_key(values["afkorting"]))
        return None if found is None else _partnership_row(found)

    def get_or_init_instance(self, instance_loader, row):
        instance, new = super().get_or_init_instance(instance_loader, row)
        if new:
            for name in ("name", "beschrijving", "vestigingsplaats", "bezoekadres"):
                setattr(instance, name, "")
            instance.correspondentieadres = instance.website = ""
            instance.vorm = instance.bbv_categorie = instance.centrumgemeente = None
            instance.onderwerpen = instance.aard = instance.municipalities = ()
            instance.organisations = ()
            instance.partnership = None
        return instance, new

    def check(self, row: ImportRow, is_new: bool) -> None:
        if not is_beheerder(self.user):
            raise ValidationError("samenwerkingen leest alleen de beheerder in")
        errors = {}
        if is_new and not row.name:
            errors["name"] = "vul de naam in van de nieuwe samenwerking"
        if is_new and not row.municipalities:
            errors["municipalities"] = "vul de deelnemende gemeenten in"
        if not is_new:
            gone = sorted(m.name for m in row.stored_municipalities if m not in row.municipalities)
            if gone:
                errors["municipalities"] = (
                    f"{', '.join(gone)} {'neemt' if len(gone) == 1 else 'nemen'} deel en "
                    "ontbreekt in het bestand: een import haalt geen deelnemers weg; beëindig "
                    "de deelname van de gemeente in plaats daarvan"
                )
        widget = self.fields["municipalities"].widget
        added = set(row.municipalities) - set(getattr(row, "stored_municipalities", ()))
        merged = [m for m in sorted(added, key=lambda m: m.name) if widget.finder.merged(m)]
        if merged:
            errors["municipalities"] = " ".join(_merger_message(widget.finder, m) for m in merged)
        centre = row.centrumgemeente
        if centre is not None and centre not in row.municipalities:
            errors["centrumgemeente"] = f"{centre} is geen van de deelnemende gemeenten"
        if errors:
            raise ValidationError(errors)

    def apply(self) -> None:
        for row in self.plan:
            partnership = row.partnership
            if partnership is None:
                first, *others = row.municipalities
                partnership = create_partnership(
                    user=self.user,
                    municipality=first,
                    name=row.name,
                    afkorting=row.afkorting,
                    beschrijving=row.beschrijving,
                    vorm=row.vorm,
                    bbv_categorie=row.bbv_categorie,
                    participants=others,
                ).partnership
            partnership.refresh_from_db()
            known = {o.name.casefold(): o.pk for o in Organisation.objects.all()}
            update_partnership(
                user=self.user,
                partnership=partnership,
                fields={name: getattr(row, name) for name in PARTNERSHIP_FIELDS},
                onderwerpen=[t.pk for t in row.onderwerpen],
                aard=[t.pk for t in row.aard],
                municipality_ids=[m.pk for m in row.municipalities],
                organisation_ids=[
                    known[n.casefold()] for n in row.organisations if n.casefold() in known
                ],
                new_organisations=[n for n in row.organisations if n.casefold() not in known],
                expected_version=partnership.version,
            )


def _merger_message(finder, municipality) -> str:
    try:
        finder.find(municipality.cbs_code)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return f"{municipality} is opgeheven."


def _partnerships(queryset):
    return queryset.select_related("vorm", "bbv_categorie", "centrumgemeente").prefetch_related(
        "onderwerpen", "aard", "municipalities", "organisations"
    )


def _partnership_row(p: Partnership) -> ImportRow:
    municipalities = tuple(sorted(p.municipalities.all(), key=lambda m: m.name))
    return ImportRow(
        partnership=p,
        is_new=False,
        **{name: getattr(p, name) for name in PARTNERSHIP_FIELDS},
        onderwerpen=sort_terms(p.onderwerpen.all()),
        aard=sort_terms(p.aard.all()),
        municipalities=municipalities,
        stored_municipalities=municipalities,
        organisations=sort_names(o.name for o in p.organisations.all()),
    )
