"""The open data described for programs: the Frictionless Data Package descriptor of the CSV
resources and the OpenAPI 3.1 description of the endpoints, both made from `schema`, so they
cannot drift from what the endpoints serve."""

from __future__ import annotations

from collections.abc import Callable

from .schema import LICENSE, RESOURCES, SCHEMA_VERSION, VERSION, json_schema, table_schema

TITLE = "Dashboard samenwerking: gepubliceerde gegevens"
DESCRIPTION = (
    "Wat gemeenten hebben vastgesteld en gepubliceerd over hun samenwerkingsverbanden: per "
    "gemeente, samenwerking en jaar de nieuwste gepubliceerde versie, haar financiële tabellen "
    "en bedragen, en de nieuwste publicatie van elk verdeelmodel. Concepten staan er nooit in. "
    "Een bedrag heeft een status: ingevuld (0 is een bedrag), niet van toepassing of niet "
    "ingevuld; alleen bij 'ingevuld' staat er een bedrag."
)


def datapackage(csv_url: Callable[[str], str], homepage: str) -> dict:
    """The Data Package (Frictionless, v1 profile): every resource as CSV for programs
    (comma, decimal point, UTF-8), with its table schema, keys and foreign keys."""
    return {
        "profile": "tabular-data-package",
        "name": "dashboard-samenwerking",
        "title": TITLE,
        "description": DESCRIPTION,
        "version": SCHEMA_VERSION,
        "homepage": homepage,
        "licenses": [LICENSE],
        "resources": [
            {
                "name": resource.name,
                "title": resource.title,
                "description": resource.description,
                "profile": "tabular-data-resource",
                "path": csv_url(resource.name),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "header": True},
                "schema": table_schema(resource),
            }
            for resource in RESOURCES
        ],
    }


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _answers(schema: dict, *, csv: bool = False) -> dict:
    media = "text/csv" if csv else "application/json"
    content = {"schema": {"type": "string"}} if csv else {"schema": schema}
    answers = {
        "200": {
            "description": "De gegevens.",
            "headers": {
                "ETag": {"schema": {"type": "string"}},
                "Last-Modified": {"schema": {"type": "string"}},
            },
            "content": {media: content},
        },
        "304": {"description": "Niet gewijzigd sinds If-None-Match / If-Modified-Since."},
        "404": {
            "description": "Hiervan is (nog) niets gepubliceerd, of het bestaat niet.",
            "content": {"application/json": {"schema": _ref("Fout")}}
            if not csv
            else {"text/plain": {"schema": {"type": "string"}}},
        },
    }
    if csv:
        answers["400"] = {
            "description": "Onbekend CSV-dialect.",
            "content": {"text/plain": {"schema": {"type": "string"}}},
        }
    return answers


STRING, INTEGER = {"type": "string"}, {"type": "integer"}
# (path word, parameter, its schema, description, the fields of an item of the list)
SCOPES = [
    (
        "gemeenten",
        "gemeente",
        STRING,
        "Slug van de gemeente, bijvoorbeeld venlo.",
        {"slug": STRING, "gemeente_code": STRING, "gemeente": STRING},
    ),
    (
        "samenwerkingen",
        "samenwerking",
        STRING,
        "Code van de samenwerking, bijvoorbeeld zvh.",
        {"samenwerking": STRING, "samenwerking_naam": STRING, "afkorting": STRING},
    ),
    (
        "jaren",
        "jaar",
        {"type": "integer", "minimum": 1990, "maximum": 2100},
        "Een begrotingsjaar, bijvoorbeeld 2018.",
        {"jaar": INTEGER},
    ),
]


def _listing_schema(plural: str, fields: dict) -> dict:
    link = {"type": "string", "format": "uri"}
    item = {
        "type": "object",
        "required": [*fields, "json", "csv"],
        "properties": {
            **fields,
            "json": link,
            "csv": {
                "type": "object",
                "required": [r.name for r in RESOURCES],
                "properties": {r.name: link for r in RESOURCES},
            },
        },
    }
    return {
        "type": "object",
        "required": ["schemaversie", plural],
        "properties": {
            "schemaversie": {"type": "string", "const": VERSION},
            plural: {"type": "array", "items": item},
        },
    }


def openapi(server: str) -> dict:
    """OpenAPI 3.1 of the JSON and CSV endpoints under `server` (…/open-data)."""
    resources = {r.name: json_schema(r) for r in RESOURCES}
    schemas: dict = {
        **resources,
        "Gegevens": {
            "type": "object",
            "description": "De gepubliceerde gegevens van één gemeente, samenwerking of jaar.",
            "required": ["schemaversie", "bereik", "bijgewerkt", *resources],
            "properties": {
                "schemaversie": {"type": "string", "const": VERSION},
                "bereik": {
                    "type": "object",
                    "required": ["soort"],
                    "properties": {
                        "soort": {"enum": ["gemeente", "samenwerking", "jaar"]},
                        "gemeente_code": {"type": "string"},
                        "gemeente": {"type": "string"},
                        "samenwerking": {"type": "string"},
                        "samenwerking_naam": {"type": "string"},
                        "afkorting": {"type": "string"},
                        "jaar": {"type": "integer"},
                    },
                },
                "bijgewerkt": {"type": "string", "format": "date-time"},
                **{name: {"type": "array", "items": _ref(name)} for name in resources},
            },
        },
        "Fout": {
            "type": "object",
            "required": ["fout"],
            "properties": {"fout": {"type": "string", "description": "Wat er mis is."}},
        },
    }
    for plural, _, _, _, fields in SCOPES:
        schemas[f"Lijst_{plural}"] = _listing_schema(plural, fields)
    paths: dict = {}
    dialect = {
        "name": "dialect",
        "in": "query",
        "required": False,
        "description": "excel (standaard): puntkomma, decimale komma, UTF-8 met BOM; "
        "programma: komma, decimale punt, UTF-8 zonder BOM.",
        "schema": {"enum": ["excel", "programma"], "default": "excel"},
    }
    resource = {
        "name": "bron",
        "in": "path",
        "required": True,
        "schema": {"enum": [r.name for r in RESOURCES]},
    }
    paths[f"/v{VERSION}/{{bron}}.csv"] = {
        "get": {
            "summary": "Alle gepubliceerde rijen van een bron als CSV",
            "operationId": "alles_csv",
            "parameters": [resource, dialect],
            "responses": _answers({}, csv=True),
        }
    }
    for plural, singular, param_schema, description, _ in SCOPES:
        parameter = {
            "name": singular,
            "in": "path",
            "required": True,
            "description": description,
            "schema": param_schema,
        }
        paths[f"/v{VERSION}/{plural}.json"] = {
            "get": {
                "summary": f"De {plural} met gepubliceerde gegevens, met hun adressen",
                "operationId": f"{plural}_lijst",
                "responses": _answers(_ref(f"Lijst_{plural}")),
            }
        }
        paths[f"/v{VERSION}/{plural}/{{{singular}}}.json"] = {
            "get": {
                "summary": f"Alle gepubliceerde gegevens van één {singular}",
                "operationId": f"{singular}_json",
                "parameters": [parameter],
                "responses": _answers(_ref("Gegevens")),
            }
        }
        paths[f"/v{VERSION}/{plural}/{{{singular}}}/{{bron}}.csv"] = {
            "get": {
                "summary": f"Eén bron van één {singular} als CSV",
                "operationId": f"{singular}_csv",
                "parameters": [parameter, resource, dialect],
                "responses": _answers({}, csv=True),
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": TITLE,
            "version": SCHEMA_VERSION,
            "description": DESCRIPTION,
            "license": {"name": LICENSE["name"], "identifier": LICENSE["name"]},
        },
        "servers": [{"url": server}],
        "paths": paths,
        "components": {"schemas": schemas},
    }
