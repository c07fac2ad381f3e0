"""The open-data schema, version 1: the one list of resources and fields that the CSV headers,
the JSON, the Frictionless table schemas, the OpenAPI description, the index page and
docs/open-data.md follow.

Within a version fields are only ever added (at the end of a resource), never renamed, retyped
or removed; a change that breaks a reader is a new version under a new path (`/open-data/v2/`).
`tests/reports/test_open_data_package.py` holds the v1 field names as they were published.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.exports import Column, Kind

VERSION = "1"
SCHEMA_VERSION = "1.0.0"  # the descriptors' version: minor for added fields

# A figure is filled in, not applicable, or not filled in: three states, never folded into one
# another. 0 is an amount (status "ingevuld"); the amount is empty (null) for the other two.
FILLED, NOT_APPLICABLE, EMPTY = "ingevuld", "niet_van_toepassing", "niet_ingevuld"
STATUSES = (FILLED, NOT_APPLICABLE, EMPTY)
TABLES = ("kosten", "baten", "resultaten", "eigen_vermogen", "vreemd_vermogen")
KINDS = ("begroting", "realisatie", "begroting_volgend_jaar")

LICENSE = {
    "name": "CC0-1.0",
    "title": "Creative Commons Zero v1.0 Universal (publiek domein)",
    "path": "https://creativecommons.org/publicdomain/zero/1.0/",
}


@dataclass(frozen=True)
class Field:
    """A column of a resource. `type` is a Frictionless table-schema type (string, integer,
    number, boolean, datetime); `required`: never empty (never null in JSON)."""

    name: str
    type: str
    description: str
    required: bool = False
    enum: tuple[str, ...] | None = None
    format: str | None = None  # e.g. "uri"


@dataclass(frozen=True)
class Resource:
    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_key: tuple[tuple[str, ...], str] | None = None  # (fields, resource with them)

    def columns(self) -> list[Column]:
        """The CSV columns: the field names as headers, numbers as numbers."""
        return [Column(f.name, _KINDS.get(f.type, Kind.TEXT), places=None) for f in self.fields]


_KINDS = {"number": Kind.NUMBER, "integer": Kind.INTEGER, "boolean": Kind.BOOLEAN}


def _state(description: str, name: str = "status") -> Field:
    """One of the three states, never empty."""
    return Field(name, "string", description, required=True, enum=STATUSES)


def _status(of: str) -> Field:
    text = f"Of {of.replace('_', ' ')} is ingevuld, niet van toepassing (n.v.t.) of niet ingevuld."
    return _state(text, f"{of}_status")


def _amount(name: str, description: str) -> tuple[Field, Field]:
    """An amount with its status: the amount is empty unless the status is `ingevuld`."""
    return (
        Field(name, "number", f"{description} in euro; leeg tenzij {name}_status 'ingevuld' is."),
        _status(name),
    )


MUNICIPALITY = Field("gemeente_code", "string", "CBS-code van de gemeente (GM0983).", True)
MUNICIPALITY_NAME = Field("gemeente", "string", "Naam van de gemeente.", True)
PARTNERSHIP = Field(
    "samenwerking", "string", "Vaste code van de samenwerking, als in de adressen.", True
)
PARTNERSHIP_NAME = Field("samenwerking_naam", "string", "Naam van de samenwerking.", True)
ABBREVIATION = Field("afkorting", "string", "Afkorting van de samenwerking.", True)
YEAR = Field("jaar", "integer", "Het begrotingsjaar.", True)
VERSION_NUMBER = Field(
    "versie", "integer", "Nummer van de gepubliceerde versie van dit jaar (1, 2, …).", True
)
TABLE = Field("tabel", "string", "Code van de tabel.", True, enum=TABLES)

YEAR_VERSIONS = Resource(
    name="jaarversies",
    title="Gepubliceerde jaren",
    description=(
        "Per gemeente, samenwerking en jaar de nieuwste gepubliceerde versie: wanneer "
        "vastgesteld en gepubliceerd, de bijdrage van de gemeente (het totaal van de tabel "
        "Kosten) en de kern van sectie C."
    ),
    fields=(
        MUNICIPALITY,
        MUNICIPALITY_NAME,
        PARTNERSHIP,
        PARTNERSHIP_NAME,
        ABBREVIATION,
        YEAR,
        VERSION_NUMBER,
        Field("vastgesteld_op", "datetime", "Wanneer de versie is vastgesteld (UTC)."),
        Field("gepubliceerd_op", "datetime", "Wanneer de versie is gepubliceerd (UTC).", True),
        *_amount("bijdrage_begroting", "Bijdrage van de gemeente volgens de begroting"),
        *_amount("bijdrage_realisatie", "Bijdrage van de gemeente volgens de realisatie"),
        *_amount(
            "bijdrage_begroting_volgend_jaar",
            "Bijdrage van de gemeente volgens de begroting van het volgende jaar",
        ),
        Field(
            "aandeel_percentage",
            "number",
            "Aandeel van de gemeente in procenten (48.62 is 48,62%); leeg: niet ingevuld.",
        ),
        Field("beoogd_kern", "string", "Beoogde resultaten, de kern; leeg: niet ingevuld."),
        Field("feitelijk_kern", "string", "Feitelijke resultaten, de kern; leeg: niet ingevuld."),
        Field(
            "verdeelsleutel_tekst", "string", "De verdeelsleutel in woorden; leeg: niet ingevuld."
        ),
        Field("toelichting", "string", "Toelichting bij het publiceren van deze versie."),
        Field("pagina", "string", "Adres van de jaarpagina op de site.", True, format="uri"),
    ),
    primary_key=("gemeente_code", "samenwerking", "jaar"),
)

TABLE_TOTALS = Resource(
    name="tabellen",
    title="Financiële tabellen",
    description=(
        "Per gepubliceerd jaar de tabellen Kosten, Baten, Financiële resultaten, Eigen en "
        "Vreemd vermogen: of de tabel is ingevuld, niet van toepassing of niet ingevuld, en "
        "haar totalen. De gedeelde tabellen van de samenwerking staan bij elke deelnemer."
    ),
    fields=(
        MUNICIPALITY,
        PARTNERSHIP,
        YEAR,
        VERSION_NUMBER,
        TABLE,
        Field("tabel_naam", "string", "Naam van de tabel.", True),
        Field(
            "gedeeld",
            "boolean",
            "true: een tabel van de samenwerking (voor alle deelnemers dezelfde); false: van "
            "de gemeente.",
            True,
        ),
        _state("Of de tabel voor dit jaar is ingevuld, als geheel n.v.t. is, of niet is ingevuld."),
        *_amount("totaal_begroting", "Totaal van de begroting van het jaar"),
        *_amount("totaal_realisatie", "Totaal van de realisatie van het jaar"),
        *_amount("totaal_begroting_volgend_jaar", "Totaal van de begroting van het volgende jaar"),
    ),
    primary_key=("gemeente_code", "samenwerking", "jaar", "tabel"),
    foreign_key=(("gemeente_code", "samenwerking", "jaar"), "jaarversies"),
)

AMOUNTS = Resource(
    name="bedragen",
    title="Bedragen per regel",
    description=(
        "Elk bedrag van de tabellen van een gepubliceerd jaar: per regel de begroting en de "
        "realisatie van het jaar en de begroting van het volgende jaar, elk met zijn status."
    ),
    fields=(
        MUNICIPALITY,
        PARTNERSHIP,
        YEAR,
        VERSION_NUMBER,
        TABLE,
        Field("volgorde", "integer", "Plaats van de regel in de tabel (1, 2, …).", True),
        Field("regel", "string", "De regel (categorie) zoals de tabel haar noemt.", True),
        Field("soort", "string", "Begroting, realisatie of begroting volgend jaar.", True, KINDS),
        Field("boekjaar", "integer", "Het jaar waarover het bedrag gaat.", True),
        Field("bedrag", "number", "Het bedrag in euro; leeg tenzij status 'ingevuld' is."),
        _state("Of het bedrag is ingevuld, niet van toepassing (n.v.t.) of niet ingevuld."),
    ),
    primary_key=("gemeente_code", "samenwerking", "jaar", "tabel", "volgorde", "soort"),
    foreign_key=(("gemeente_code", "samenwerking", "jaar", "tabel"), "tabellen"),
)

ALLOCATIONS = Resource(
    name="verdeelmodel_bijdragen",
    title="Verdeelmodellen: bijdrage per deelnemer en variant",
    description=(
        "De nieuwste publicatie van elk verdeelmodel: per variant wat elke deelnemer bijdraagt. "
        "Eén variant is vastgesteld; de andere zijn scenario's."
    ),
    fields=(
        PARTNERSHIP,
        PARTNERSHIP_NAME,
        YEAR,
        Field("publicatie", "integer", "Nummer van de publicatie van het verdeelmodel.", True),
        Field("gepubliceerd_op", "datetime", "Wanneer het model is gepubliceerd (UTC).", True),
        Field("model", "string", "Naam van het verdeelmodel.", True),
        Field("variant", "string", "Code van de variant.", True),
        Field("variant_naam", "string", "Naam van de variant.", True),
        Field("vastgesteld", "boolean", "true: de vastgestelde variant.", True),
        Field("groep", "string", "Code van de groep (regio) van de deelnemer; leeg: geen groep."),
        Field("groep_naam", "string", "Naam van de groep; leeg: geen groep."),
        Field("deelnemer", "string", "Naam van de deelnemer.", True),
        Field(
            "gemeente_code",
            "string",
            "CBS-code van de deelnemer; leeg als de deelnemer geen gemeente op de site is.",
        ),
        Field("bijdrage", "number", "Bijdrage van de deelnemer volgens de variant, in euro.", True),
    ),
    primary_key=("samenwerking", "jaar", "variant", "deelnemer"),
)

RESOURCES = (YEAR_VERSIONS, TABLE_TOTALS, AMOUNTS, ALLOCATIONS)
BY_NAME = {resource.name: resource for resource in RESOURCES}


def table_schema(resource: Resource) -> dict:
    """The resource as a Frictionless table schema (missing value: the empty cell)."""
    fields = []
    for field in resource.fields:
        entry: dict = {"name": field.name, "type": field.type, "description": field.description}
        if field.format:
            entry["format"] = field.format
        constraints: dict = {}
        if field.required:
            constraints["required"] = True
        if field.enum:
            constraints["enum"] = list(field.enum)
        if constraints:
            entry["constraints"] = constraints
        fields.append(entry)
    schema: dict = {
        "fields": fields,
        "missingValues": [""],
        "primaryKey": list(resource.primary_key),
    }
    if resource.foreign_key:
        keys, target = resource.foreign_key
        schema["foreignKeys"] = [
            {"fields": list(keys), "reference": {"resource": target, "fields": list(keys)}}
        ]
    return schema


def json_schema(resource: Resource) -> dict:
    """One row of the resource as JSON Schema (OpenAPI 3.1): null where a cell may be empty."""
    properties = {}
    for field in resource.fields:
        kind = "string" if field.type == "datetime" else field.type
        prop: dict = {"type": kind if field.required else [kind, "null"]}
        prop["description"] = field.description
        if field.type == "datetime":
            prop["format"] = "date-time"
        elif field.format:
            prop["format"] = field.format
        if field.enum:
            prop["enum"] = list(field.enum)
        properties[field.name] = prop
    return {
        "type": "object",
        "description": resource.description,
        "properties": properties,
        "required": [f.name for f in resource.fields],  # always present, maybe null
    }
