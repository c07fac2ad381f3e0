"""The open data described for programs: the Frictionless Data Package validates (descriptor and
the CSV data it points at, with types, keys and foreign keys), the OpenAPI description is valid
OpenAPI 3.1 and the JSON the endpoints serve follows it, and the v1 fields stay as published."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from frictionless import Package
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from django.test import Client

from collaborations.models import YearVersion


def get(url: str):
    parts = urlsplit(url)
    response = Client().get(parts.path, QUERY_STRING=parts.query)
    assert response.status_code == 200, url
    return response


def test_the_data_package_and_its_data_validate(published, tmp_path):
    descriptor = get("/open-data/datapackage.json").json()
    assert Package.validate_descriptor(json.loads(json.dumps(descriptor))).valid
    names = [r["name"] for r in descriptor["resources"]]
    assert names == ["jaarversies", "tabellen", "bedragen", "verdeelmodel_bijdragen"]
    for resource in descriptor["resources"]:
        # every path is the programs' CSV: read it as frictionless would, from a file
        assert resource["path"].endswith(".csv?dialect=programma")
        (tmp_path / f"{resource['name']}.csv").write_bytes(get(resource["path"]).content)
        resource["path"] = f"{resource['name']}.csv"
    report = Package(descriptor, basepath=str(tmp_path)).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    rows = {task.name: task.stats["rows"] for task in report.tasks}
    # one row per published year (its newest version), however many the demo publishes
    published_years = YearVersion.objects.values("participation", "year").distinct().count()
    assert published_years > 0 and rows["jaarversies"] == published_years
    assert rows["verdeelmodel_bijdragen"] == 16 * 5
    assert rows["bedragen"] > 0 and rows["tabellen"] > 0


def test_the_openapi_description_is_valid_and_the_json_follows_it(published):
    spec = get("/open-data/openapi.json").json()
    validate(spec)  # raises when it is not valid OpenAPI 3.1
    assert spec["servers"][0]["url"] == "http://testserver/open-data"
    schemas = spec["components"]["schemas"]

    def check(url: str, name: str) -> dict:
        document = get(url).json()
        # the component with the others beside it, so its $refs resolve
        schema = {**schemas[name], "components": {"schemas": schemas}}
        errors = list(Draft202012Validator(schema).iter_errors(document))
        assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]
        return document

    for plural, kind in (
        ("gemeenten", "gemeente"),
        ("samenwerkingen", "samenwerking"),
        ("jaren", "jaar"),
    ):
        listing = check(f"/open-data/v1/{plural}.json", f"Lijst_{plural}")
        assert listing[plural], plural
        assert f"/v1/{plural}.json" in spec["paths"]
        for item in listing[plural][:3]:
            assert check(item["json"], "Gegevens")["bereik"]["soort"] == kind
            for url in item["csv"].values():
                assert get(url)["Content-Type"] == "text/csv; charset=utf-8"


def test_every_json_field_is_in_the_schema_with_its_type(published):
    """A field served but not described (or described but not served) fails here."""
    spec = get("/open-data/openapi.json").json()
    document = get("/open-data/v1/gemeenten/venlo.json").json()
    for resource, rows in document.items():
        if not isinstance(rows, list):
            continue
        described = spec["components"]["schemas"][resource]["properties"]
        for row in rows:
            assert list(row) == list(described), resource


# The fields of v1 as they were first published. Within v1 they may only be added
# at the end of a resource: never renamed, reordered or removed. Extend, never edit.
V1 = {
    "jaarversies": [
        "gemeente_code",
        "gemeente",
        "samenwerking",
        "samenwerking_naam",
        "afkorting",
        "jaar",
        "versie",
        "vastgesteld_op",
        "gepubliceerd_op",
        "bijdrage_begroting",
        "bijdrage_begroting_status",
        "bijdrage_realisatie",
        "bijdrage_realisatie_status",
        "bijdrage_begroting_volgend_jaar",
        "bijdrage_begroting_volgend_jaar_status",
        "aandeel_percentage",
        "beoogd_kern",
        "feitelijk_kern",
        "verdeelsleutel_tekst",
        "toelichting",
        "pagina",
    ],
    "tabellen": [
        "gemeente_code",
        "samenwerking",
        "jaar",
        "versie",
        "tabel",
        "tabel_naam",
        "gedeeld",
        "status",
        "totaal_begroting",
        "totaal_begroting_status",
        "totaal_realisatie",
        "totaal_realisatie_status",
        "totaal_begroting_volgend_jaar",
        "totaal_begroting_volgend_jaar_status",
    ],
    "bedragen": [
        "gemeente_code",
        "samenwerking",
        "jaar",
        "versie",
        "tabel",
        "volgorde",
        "regel",
        "soort",
        "boekjaar",
        "bedrag",
        "status",
    ],
    "verdeelmodel_bijdragen": [
        "samenwerking",
        "samenwerking_naam",
        "jaar",
        "publicatie",
        "gepubliceerd_op",
        "model",
        "variant",
        "variant_naam",
        "vastgesteld",
        "groep",
        "groep_naam",
        "deelnemer",
        "gemeente_code",
        "bijdrage",
    ],
}


def test_v1_fields_are_only_ever_added(published):
    descriptor = get("/open-data/datapackage.json").json()
    for resource in descriptor["resources"]:
        fields = [f["name"] for f in resource["schema"]["fields"]]
        published_fields = V1[resource["name"]]
        assert fields[: len(published_fields)] == published_fields, resource["name"]
        header = get(resource["path"]).content.decode().split("\r\n", 1)[0]
        assert header.split(",") == fields
