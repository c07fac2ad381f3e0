"""Every URL of the site, walked by every role: the answer each gets, and for every write
whether it had effect — exactly when it was allowed.

The roles, relative to the municipality Arnhem and its partnership VTGM (with a published 2018
and a concept 2019):

* anonymous, the public;
* `ander`: the invoerder of another municipality (Venlo);
* `invoerder`, `vaststeller`, `raadslid`: the roles of Arnhem;
* `coordinator`: the coördinator of VTGM; `andere_coordinator`: of ZVH;
* `beheerder`.

A page of something a visitor may not know exists (a concept year, a bundle with concepts) is a
404 for them, not a 403. A test at the end fails when a URL pattern is not in the matrix.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from axes.models import AccessAttempt

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from allocation.demo import load_allocation_demo
from allocation.models import (
    AllocationModel,
    AllocationPublication,
    AllocationVariant,
    Measure,
    Settlement,
)
from allocation.services import delete_settlement, save_settlement
from collaborations import services as collab_services
from collaborations.models import (
    BbvFigures,
    Participation,
    Partnership,
    Role,
    YearRecord,
    YearVersion,
)
from finance.models import FinanceAmount, SplitKeyComponent, Table
from finance.money import Cell
from finance.selectors import table_version
from finance.services import GridRow, save_table_year
from reports.models import ParagraphPolicy, ReportBundle
from tests.collaborations.factories import UserFactory, grant

ROLES = [
    "anoniem",
    "ander",
    "invoerder",
    "vaststeller",
    "raadslid",
    "coordinator",
    "andere_coordinator",
    "beheerder",
]
READERS = {"invoerder", "vaststeller", "raadslid", "beheerder"}  # Arnhem's drafts
PUBLISHED, CONCEPT = 2018, 2019


def answers(default: int, **per_role: int) -> dict[str, int]:
    unknown = set(per_role) - set(ROLES)
    assert not unknown, unknown
    return {role: per_role.get(role, default) for role in ROLES}


ALL_200 = answers(200)
# a page behind a login for Arnhem's readers, about something the public knows exists
READERS_ONLY = answers(403, anoniem=302, **dict.fromkeys(READERS, 200))
# the same about a concept: unknown to everyone else
READERS_ONLY_HIDDEN = answers(404, anoniem=302, **dict.fromkeys(READERS, 200))
# a public page of a concept: a 404 for everyone who may not read it
HIDDEN_PAGE = answers(404, **dict.fromkeys(READERS, 200))
BEHEERDER_ONLY = answers(403, anoniem=302, beheerder=200)
# the verdeelmodel's forms: the partnership's coördinator and the beheerder
COORDINATOR_ONLY = answers(403, anoniem=302, coordinator=200, beheerder=200)
COORDINATOR_WRITE = answers(403, anoniem=302, coordinator=302, beheerder=302)


@dataclass
class World:
    """The demo data plus the objects the matrix points at."""

    users: dict[str, object]
    participation: Participation
    concept: YearRecord
    draft_bundle: ReportBundle
    public_bundle: ReportBundle
    withdrawable: Role


@dataclass
class Case:
    """One request. For a write, `probe(world)` reads what it would change: the value must
    differ afterwards exactly for the roles in `allowed`."""

    name: str
    path: Callable[[World], str]
    expect: dict[str, int]
    method: str = "get"
    data: Callable[[World], dict] = lambda w: {}
    probe: Callable[[World], object] | None = None
    allowed: set[str] = field(default_factory=set)


A = "/arnhem/samenwerkingen/vtgm"
P = "/arnhem/paragraaf-verbonden-partijen"
POLICY_EDITORS = answers(403, anoniem=302, invoerder=200, vaststeller=200, beheerder=200)


def _grid(table: str, year: int) -> Callable[[World], dict]:
    """The grid's POST: one new line, with the version of the table as saved now."""

    def data(world: World) -> dict:
        version = table_version(world.participation, table, year)
        return {
            "regel-TOTAL_FORMS": "1",
            "regel-INITIAL_FORMS": "0",
            "regel-MIN_NUM_FORMS": "0",
            "regel-MAX_NUM_FORMS": "1000",
            "version": "" if version is None else str(version),
            "regel-0-label": "Matrixregel",
            "regel-0-begroting": "1.234",
            "regel-0-realisatie": "",
            "regel-0-begroting_volgend": "",
            "regel-0-ORDER": "1",
        }

    return data


def _parameters(budget: str) -> dict:
    """The parameters form of the VTGM model with another budget."""
    model = AllocationModel.objects.get(partnership__slug="vtgm")
    data = {"version": str(model.version), "p-INITIAL_FORMS": "0"}
    parameters = model.inputs["parameters"]
    data["p-TOTAL_FORMS"] = str(len(parameters))
    for index, (code, entry) in enumerate(parameters.items()):
        value = entry["waarde"] if isinstance(entry, dict) else entry
        data[f"p-{index}-code"] = code
        data[f"p-{index}-waarde"] = budget if code == "begroting" else str(value).replace(".", ",")
    return data


def _split_key(world: World) -> dict:
    world.concept.refresh_from_db()
    return {
        "sleutel-TOTAL_FORMS": "1",
        "sleutel-INITIAL_FORMS": "0",
        "sleutel-MIN_NUM_FORMS": "0",
        "sleutel-MAX_NUM_FORMS": "1000",
        "version": str(world.concept.version),
        "sleutel-0-kind": "vast",
        "sleutel-0-omschrijving": "Matrixbijdrage",
        "sleutel-0-basis": "",
        "sleutel-0-base_amount": "",
        "sleutel-0-share_percent": "",
        "sleutel-0-fixed_amount": "1.000",
        "sleutel-0-applies_to_year": str(CONCEPT),
        "sleutel-0-kosten_line_label": "",
    }


def _section(world: World) -> dict:
    world.concept.refresh_from_db()
    return {
        "version": str(world.concept.version),
        "beoogd_inhoud": "Matrixtekst",
        "beoogd_proces": "",
        "beoogd_samenwerking": "",
        "beoogd_kern": "",
    }


def _bbv(world: World) -> dict:
    world.concept.refresh_from_db()
    return {"version": str(world.concept.version), "programma": "Matrixprogramma"}


def _status(world: World) -> dict:
    world.concept.refresh_from_db()
    return {"actie": "aanbieden", "version": str(world.concept.version)}


def _concept_status(world: World) -> str:
    return YearRecord.objects.get(pk=world.concept.pk).status


S = f"{A}/2018/verdeelmodel/verrekeningen"  # kept settlements of the year's result
COORDINATOR_PAGE = answers(403, anoniem=302, coordinator=200, beheerder=200)
COORDINATOR_WRITE = answers(403, anoniem=302, coordinator=302, beheerder=302)


def _kept(description: str) -> Settlement:
    return Settlement.objects.get(description=description)


IMPORTING = {"ander", "invoerder", "coordinator", "andere_coordinator", "beheerder"}
IMPORTERS = answers(403, anoniem=302, **dict.fromkeys(IMPORTING, 200))


def _import_file():
    """A readable CSV of money lines: uploading it keeps it for the preview, nothing more."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = "Gemeente;Samenwerking;Tabel;Categorie;Jaar;Realisatie\r\n"
    content += "Arnhem;VTGM;Kosten;Matrix;2019;1\r\n"
    return SimpleUploadedFile("matrix.csv", content.encode())


CASES = [
    Case("collaborations:home", lambda w: "/", ALL_200),
    Case("login", lambda w: "/inloggen/", ALL_200),
    Case("logout", lambda w: "/uitloggen/", answers(405)),
    Case("logout", lambda w: "/uitloggen/", answers(302), method="post"),
    Case("accessibility", lambda w: "/toegankelijkheid/", ALL_200),
    Case("security-txt", lambda w: "/.well-known/security.txt", ALL_200),
    Case("health", lambda w: "/gezond/", ALL_200),  # for load balancers: no login
    Case("reports:home", lambda w: "/arnhem/", answers(302, **dict.fromkeys(READERS, 200))),
    Case("reports:home", lambda w: "/onbekend/", answers(404)),
    Case("reports:my-municipality", lambda w: "/mijn-gemeente/", answers(302)),
    Case("reports:overview", lambda w: "/arnhem/samenwerkingen/", ALL_200),
    Case("reports:overview", lambda w: "/onbekend/samenwerkingen/", answers(404)),
    Case("reports:compare", lambda w: "/arnhem/vergelijken/?s=vtgm&s=go", ALL_200),
    Case("reports:partnership", lambda w: f"{A}/", ALL_200),
    Case(
        "reports:partnership-history",
        lambda w: f"{A}/geschiedenis/",
        answers(403, anoniem=302, coordinator=200, **dict.fromkeys(READERS, 200)),
    ),
    Case(
        "reports:partnership-history",
        lambda w: f"{A}/geschiedenis/",
        answers(302),
        method="post",
        data=lambda w: {"soort": "samenwerking", "wijziging": _old_name_change()},
        probe=lambda w: Partnership.objects.get(slug="vtgm").name,
        allowed={"coordinator", "beheerder"},
    ),
    Case("reports:compare-municipalities", lambda w: f"{A}/vergelijken/", ALL_200),
    Case("reports:year", lambda w: f"{A}/{PUBLISHED}/", ALL_200),
    Case("reports:year", lambda w: f"{A}/{CONCEPT}/", HIDDEN_PAGE),
    Case("reports:year", lambda w: f"{A}/2030/", answers(404)),
    Case("reports:year-pdf", lambda w: f"{A}/{PUBLISHED}/pdf/", ALL_200),
    Case("reports:year-pdf", lambda w: f"{A}/{CONCEPT}/pdf/", HIDDEN_PAGE),
    Case("reports:year-history", lambda w: f"{A}/{PUBLISHED}/geschiedenis/", READERS_ONLY),
    Case("reports:year-history", lambda w: f"{A}/{CONCEPT}/geschiedenis/", READERS_ONLY_HIDDEN),
    Case(
        "reports:year-status",
        lambda w: f"{A}/{CONCEPT}/status/",
        answers(405, anoniem=302),
    ),
    Case(
        "reports:year-status",
        lambda w: f"{A}/{CONCEPT}/status/",
        answers(404, anoniem=302, **dict.fromkeys(READERS, 302)),
        method="post",
        data=_status,
        probe=_concept_status,
        allowed={"invoerder", "vaststeller", "beheerder"},
    ),
    Case(
        "reports:shared-publish",
        lambda w: f"{A}/{PUBLISHED}/gedeeld-publiceren/",
        answers(403, anoniem=302, coordinator=302, beheerder=302),
        method="post",
        probe=lambda w: YearVersion.objects.count(),
        allowed={"coordinator", "beheerder"},
    ),
    Case("reports:year-versions", lambda w: f"{A}/{PUBLISHED}/versies/", ALL_200),
    Case("reports:year-versions", lambda w: f"{A}/{CONCEPT}/versies/", answers(404)),
    Case("reports:year-version", lambda w: f"{A}/{PUBLISHED}/versies/1/", ALL_200),
    Case("reports:year-version", lambda w: f"{A}/{CONCEPT}/versies/1/", answers(404)),
    Case("reports:allocation-pdf", lambda w: f"{A}/2018/verdeelmodel/pdf/", ALL_200),
    Case("reports:bundle-form", lambda w: "/arnhem/bundel/", ALL_200),
    Case(
        "reports:bundle-form",
        lambda w: "/arnhem/bundel/",
        answers(302),
        method="post",
        data=lambda w: {"jaar": str(PUBLISHED), "s": ["vtgm"]},
        probe=lambda w: ReportBundle.objects.count(),
        allowed=set(ROLES),
    ),
    Case("reports:bundle-status", lambda w: f"/arnhem/bundel/{w.public_bundle.pk}/", ALL_200),
    Case("reports:bundle-status", lambda w: f"/arnhem/bundel/{w.draft_bundle.pk}/", HIDDEN_PAGE),
    Case("reports:bundle-pdf", lambda w: f"/arnhem/bundel/{w.public_bundle.pk}/pdf/", ALL_200),
    Case("reports:bundle-pdf", lambda w: f"/arnhem/bundel/{w.draft_bundle.pk}/pdf/", HIDDEN_PAGE),
    Case("reports:paragraph-latest", lambda w: f"{P}/", answers(302)),
    Case("reports:paragraph", lambda w: f"{P}/{PUBLISHED}/", ALL_200),
    Case("reports:paragraph", lambda w: f"{P}/{PUBLISHED}/?editie=jaarstukken", ALL_200),
    Case("reports:paragraph", lambda w: f"{P}/{PUBLISHED}/?editie=x", answers(404)),
    Case("reports:paragraph-pdf", lambda w: f"{P}/{PUBLISHED}/pdf/", ALL_200),
    Case("reports:paragraph-policy", lambda w: f"{P}/{PUBLISHED}/visie-en-beleid/", POLICY_EDITORS),
    Case(
        "reports:paragraph-policy",
        lambda w: f"{P}/{PUBLISHED}/visie-en-beleid/",
        # the vaststeller may open the page (to publish) but not write the text: a 400 with
        # the refusal on the form, nothing saved
        answers(403, anoniem=302, invoerder=302, vaststeller=400, beheerder=302),
        method="post",
        data=lambda w: {"actie": "opslaan", "text": "Onze visie.", "version": ""},
        probe=lambda w: ParagraphPolicy.objects.count(),
        allowed={"invoerder", "beheerder"},
    ),
    Case("allocation:compare", lambda w: f"{A}/2018/verdeelmodel/", ALL_200),
    Case(
        "allocation:adopt",
        lambda w: f"{A}/2018/verdeelmodel/vaststellen/?variant=B",
        answers(403, anoniem=302, coordinator=200, beheerder=200),
    ),
    Case(
        "allocation:adopt",
        lambda w: f"{A}/2018/verdeelmodel/vaststellen/",
        answers(403, anoniem=302, coordinator=302, beheerder=302),
        method="post",
        data=lambda w: {"variant": "B"},
        probe=lambda w: AllocationVariant.objects.get(adopted=True).code,
        allowed={"coordinator", "beheerder"},
    ),
    Case("allocation:explain", lambda w: f"{A}/2018/verdeelmodel/A/", ALL_200),
    Case("allocation:publish", lambda w: f"{A}/2018/verdeelmodel/publiceren/", COORDINATOR_ONLY),
    Case(
        "allocation:publish",
        lambda w: f"{A}/2018/verdeelmodel/publiceren/",
        # nothing changed since version 1: the managers are told so, nobody else gets in
        answers(403, anoniem=302, coordinator=409, beheerder=409),
        method="post",
        data=lambda w: {"latest": "1"},
        probe=lambda w: AllocationPublication.objects.count(),
    ),
    Case(
        "allocation:phase-in",
        lambda w: f"{A}/2018/verdeelmodel/ingroeiregeling/?van=A&naar=B&jaren=3&soort_grens=euro",
        ALL_200,
    ),
    Case(
        "allocation:indexation",
        lambda w: (
            f"{A}/2018/verdeelmodel/indexatie/?basis=3934300&loonindex=3&loongewicht=70"
            "&prijsindex=2&prijsgewicht=30&variant=A"
        ),
        COORDINATOR_ONLY,
    ),
    Case("allocation:modules", lambda w: f"{A}/2018/verdeelmodel/modules/", COORDINATOR_ONLY),
    Case(
        "allocation:exit",
        lambda w: (
            f"{A}/2018/verdeelmodel/uittreding/?variant=A&uittreder=Renkum&jaren=5"
            "&afbouw=20&aandeel_vaste_kosten=100&overbruggingsjaren=5"
        ),
        COORDINATOR_ONLY,
    ),
    Case(
        "allocation:variant-new",
        lambda w: f"{A}/2018/verdeelmodel/varianten/nieuw/",
        COORDINATOR_ONLY,
    ),
    Case(
        "allocation:variant-new",
        lambda w: f"{A}/2018/verdeelmodel/varianten/nieuw/",
        COORDINATOR_WRITE,
        method="post",
        data=lambda w: {"van": "A", "code": "M", "name": "Matrixvariant"},
        probe=lambda w: AllocationVariant.objects.filter(code="M").count(),
        allowed={"coordinator", "beheerder"},
    ),
    Case(
        "allocation:variant-upload",
        lambda w: f"{A}/2018/verdeelmodel/varianten/uploaden/",
        answers(403, anoniem=302, coordinator=400, beheerder=400),
        method="post",
    ),
    Case(
        "allocation:variant-restore",
        lambda w: f"{A}/2018/verdeelmodel/varianten/terugzetten/",
        COORDINATOR_WRITE,
        method="post",
    ),
    Case(
        "allocation:variant-edit",
        lambda w: f"{A}/2018/verdeelmodel/varianten/B/bewerken/",
        COORDINATOR_ONLY,
    ),
    Case(
        "allocation:variant-delete",
        lambda w: f"{A}/2018/verdeelmodel/varianten/B/verwijderen/",
        COORDINATOR_ONLY,
    ),
    Case(
        "allocation:variant-delete",
        lambda w: f"{A}/2018/verdeelmodel/varianten/B/verwijderen/",
        COORDINATOR_WRITE,
        method="post",
        data=lambda w: {"version": str(AllocationVariant.objects.get(code="B").version)},
        probe=lambda w: AllocationVariant.objects.filter(code="B").count(),
        allowed={"coordinator", "beheerder"},
    ),
    Case("allocation:variant-json", lambda w: f"{A}/2018/verdeelmodel/varianten/A/json/", ALL_200),
    Case("allocation:inputs", lambda w: f"{A}/2018/verdeelmodel/invoer/", COORDINATOR_ONLY),
    Case(
        "allocation:inputs",
        lambda w: f"{A}/2018/verdeelmodel/invoer/",
        COORDINATOR_WRITE,
        method="post",
        data=lambda w: _parameters(budget="4.100.000"),
        probe=lambda w: AllocationModel.objects.get(partnership__slug="vtgm").version,
        allowed={"coordinator", "beheerder"},
    ),
    Case(
        "allocation:measure", lambda w: f"{A}/2018/verdeelmodel/maten/inwoners/", COORDINATOR_ONLY
    ),
    Case(
        "allocation:measure-new", lambda w: f"{A}/2018/verdeelmodel/maten/nieuw/", COORDINATOR_ONLY
    ),
    Case(
        "allocation:measure-new",
        lambda w: f"{A}/2018/verdeelmodel/maten/nieuw/",
        COORDINATOR_WRITE,
        method="post",
        data=lambda w: {"code": "matrix", "omschrijving": "Matrixmaat", "plakken": "Arnhem\t5"},
        probe=lambda w: Measure.objects.filter(code="matrix").count(),
        allowed={"coordinator", "beheerder"},
    ),
    Case(
        "finance:grid",
        lambda w: f"{A}/{CONCEPT}/financien/kosten/",
        answers(404, anoniem=302, invoerder=200, beheerder=200, vaststeller=403, raadslid=403),
    ),
    Case(
        "finance:grid",
        lambda w: f"{A}/{CONCEPT}/financien/kosten/",
        answers(404, anoniem=302, invoerder=302, beheerder=302, vaststeller=403, raadslid=403),
        method="post",
        data=_grid(Table.KOSTEN, CONCEPT),
        probe=lambda w: FinanceAmount.objects.filter(line__label="Matrixregel").exists(),
        allowed={"invoerder", "beheerder"},
    ),
    Case(
        "finance:grid",
        lambda w: f"{A}/{PUBLISHED}/financien/resultaten/",
        answers(403, anoniem=302, coordinator=200, beheerder=200),
    ),
    Case(
        "finance:grid",
        lambda w: f"{A}/{CONCEPT}/financien/resultaten/",
        answers(
            404,
            anoniem=302,
            coordinator=302,
            beheerder=302,
            invoerder=403,
            vaststeller=403,
            raadslid=403,
        ),
        method="post",
        data=_grid(Table.RESULTATEN, CONCEPT),
        probe=lambda w: FinanceAmount.objects.filter(
            line__label="Matrixregel", line__table=Table.RESULTATEN
        ).exists(),
        allowed={"coordinator", "beheerder"},
    ),
    Case(
        "finance:split-key",
        lambda w: f"{A}/{CONCEPT}/verdeelsleutel/",
        answers(404, anoniem=302, invoerder=200, beheerder=200, vaststeller=403, raadslid=403),
    ),
    Case(
        "finance:split-key",
        lambda w: f"{A}/{CONCEPT}/verdeelsleutel/",
        answers(404, anoniem=302, invoerder=302, beheerder=302, vaststeller=403, raadslid=403),
        method="post",
        data=_split_key,
        probe=lambda w: SplitKeyComponent.objects.filter(omschrijving="Matrixbijdrage").exists(),
        allowed={"invoerder", "beheerder"},
    ),
    Case("collaborations:year-start", lambda w: f"{A}/nieuw-jaar/", answers(405, anoniem=302)),
    Case(
        "collaborations:year-start",
        lambda w: f"{A}/nieuw-jaar/",
        answers(403, anoniem=302, invoerder=302, beheerder=302),
        method="post",
        data=lambda w: {"year": "2020"},
        probe=lambda w: w.participation.years.filter(year=2020).exists(),
        allowed={"invoerder", "beheerder"},
    ),
    Case(
        "collaborations:year-edit",
        lambda w: f"{A}/{CONCEPT}/bewerken/beoogde-resultaten/",
        answers(404, anoniem=302, invoerder=200, beheerder=200, vaststeller=403, raadslid=403),
    ),
    Case(
        "collaborations:year-edit",
        lambda w: f"{A}/{CONCEPT}/bewerken/beoogde-resultaten/",
        answers(404, anoniem=302, invoerder=302, beheerder=302, vaststeller=403, raadslid=403),
        method="post",
        data=_section,
        probe=lambda w: YearRecord.objects.get(pk=w.concept.pk).beoogd_inhoud,
        allowed={"invoerder", "beheerder"},
    ),
    Case(
        "collaborations:year-edit",
        lambda w: f"{A}/{CONCEPT}/bewerken/verbonden-partij/",
        answers(404, anoniem=302, invoerder=200, beheerder=200, vaststeller=403, raadslid=403),
    ),
    Case(
        "collaborations:year-edit",
        lambda w: f"{A}/{CONCEPT}/bewerken/verbonden-partij/",
        answers(404, anoniem=302, invoerder=302, beheerder=302, vaststeller=403, raadslid=403),
        method="post",
        data=_bbv,
        probe=lambda w: (
            BbvFigures.objects.filter(year_record=w.concept)
            .values_list("programma", flat=True)
            .first()
        ),
        allowed={"invoerder", "beheerder"},
    ),
    Case(
        "collaborations:year-edit",
        lambda w: f"{A}/{CONCEPT}/bewerken/risicos/",
        answers(404, anoniem=302, invoerder=200, beheerder=200, vaststeller=403, raadslid=403),
    ),
    Case(
        "collaborations:partnership-new",
        lambda w: "/arnhem/samenwerkingen/nieuw/",
        answers(403, anoniem=302, invoerder=200, beheerder=200),
    ),
    Case(
        "collaborations:partnership-new",
        lambda w: "/arnhem/samenwerkingen/nieuw/",
        answers(403, anoniem=302, invoerder=302, beheerder=302),
        method="post",
        data=lambda w: {"name": "Matrix Regeling", "afkorting": "MGR"},
        probe=lambda w: Partnership.objects.filter(afkorting="MGR").exists(),
        allowed={"invoerder", "beheerder"},
    ),
    Case(
        "collaborations:partnership-join",
        lambda w: "/arnhem/samenwerkingen/nieuw/deelnemen/",
        answers(405, anoniem=302),
    ),
    Case(
        "collaborations:partnership-join",
        lambda w: "/arnhem/samenwerkingen/nieuw/deelnemen/",
        answers(403, anoniem=302, invoerder=302, beheerder=302),
        method="post",
        data=lambda w: {"samenwerking": str(Partnership.objects.get(slug="zvh").pk)},
        probe=lambda w: Participation.objects.filter(
            municipality__slug="arnhem", partnership__slug="zvh"
        ).exists(),
        allowed={"invoerder", "beheerder"},
    ),
    Case(
        "collaborations:participation-end",
        lambda w: f"{A}/beeindigen/",
        answers(403, anoniem=302, invoerder=200, beheerder=200),
    ),
    Case(
        "collaborations:participation-end",
        lambda w: f"{A}/beeindigen/",
        answers(403, anoniem=302, invoerder=302, beheerder=302),
        method="post",
        data=lambda w: {"ended_on": "2026-12-31", "reason": "Matrixreden"},
        probe=lambda w: Participation.objects.get(pk=w.participation.pk).ended_on,
        allowed={"invoerder", "beheerder"},
    ),
    Case("collaborations:roles", lambda w: "/rollen/", BEHEERDER_ONLY),
    Case(
        "collaborations:perspective-edit",
        lambda w: f"{A}/bewerken/belang/",
        answers(403, anoniem=302, invoerder=200, beheerder=200),
    ),
    Case(
        "collaborations:perspective-edit",
        lambda w: f"{A}/bewerken/proces/",
        answers(403, anoniem=302, invoerder=302, beheerder=302),
        method="post",
        data=lambda w: {
            "version": str(Participation.objects.get(pk=w.participation.pk).version),
            "stap-TOTAL_FORMS": "1",
            "stap-INITIAL_FORMS": "0",
            "stap-MIN_NUM_FORMS": "0",
            "stap-MAX_NUM_FORMS": "1000",
            "stap-0-actor": "raad",
            "stap-0-jaar": "2026",
            "stap-0-actie": "Matrixstap",
        },
        probe=lambda w: w.participation.process_entries.filter(actie="Matrixstap").exists(),
        allowed={"invoerder", "beheerder"},
    ),
    Case(
        "collaborations:partnership-edit",
        lambda w: f"{A}/bewerken/samenwerking/",
        answers(403, anoniem=302, coordinator=200, beheerder=200),
    ),
    Case(
        "collaborations:partnership-edit",
        lambda w: f"{A}/bewerken/samenwerking/",
        answers(403, anoniem=302, coordinator=302, beheerder=302),
        method="post",
        data=lambda w: {
            "version": str(Partnership.objects.get(slug="vtgm").version),
            "name": Partnership.objects.get(slug="vtgm").name,
            "afkorting": "VTGM",
            "municipalities": [
                str(pk)
                for pk in Participation.objects.filter(partnership__slug="vtgm").values_list(
                    "municipality_id", flat=True
                )
            ],
            "vestigingsplaats": "Matrixplaats",
        },
        probe=lambda w: Partnership.objects.get(slug="vtgm").vestigingsplaats,
        allowed={"coordinator", "beheerder"},
    ),
    Case(
        "collaborations:roles",
        lambda w: "/rollen/",
        answers(403, anoniem=302, beheerder=302),
        method="post",
        data=lambda w: {
            "member": str(w.users["ander"].pk),
            "kind": "raadslid",
            "municipality": str(w.participation.municipality_id),
        },
        probe=lambda w: Role.objects.filter(
            user=w.users["ander"], kind="raadslid", municipality=w.participation.municipality
        ).exists(),
        allowed={"beheerder"},
    ),
    Case(
        "collaborations:role-withdraw",
        lambda w: f"/rollen/{w.withdrawable.pk}/intrekken/",
        BEHEERDER_ONLY,
    ),
    Case(
        "collaborations:role-withdraw",
        lambda w: f"/rollen/{w.withdrawable.pk}/intrekken/",
        answers(403, anoniem=302, beheerder=302),
        method="post",
        probe=lambda w: Role.objects.filter(pk=w.withdrawable.pk).exists(),
        allowed={"beheerder"},
    ),
    Case(
        "collaborations:login-unlock",
        lambda w: "/rollen/ontgrendelen/",
        answers(405, anoniem=302, **{r: 403 for r in ROLES if r not in ("anoniem", "beheerder")}),
    ),
    Case(
        "collaborations:login-unlock",
        lambda w: "/rollen/ontgrendelen/",
        answers(403, anoniem=302, beheerder=302),
        method="post",
        data=lambda w: {"username": "vergeten"},
        probe=lambda w: AccessAttempt.objects.filter(username="vergeten").count(),
        allowed={"beheerder"},
    ),
    Case("collaborations:login-new", lambda w: "/rollen/nieuwe-login/", BEHEERDER_ONLY),
    Case(
        "collaborations:login-new",
        lambda w: "/rollen/nieuwe-login/",
        answers(403, anoniem=302, beheerder=302),
        method="post",
        data=lambda w: {"username": "matrix-nieuw", "password": "een-lang-matrix-wachtwoord-7"},
        probe=lambda w: get_user_model().objects.filter(username="matrix-nieuw").exists(),
        allowed={"beheerder"},
    ),
    Case("allocation:settlement-save", lambda w: f"{S}/", COORDINATOR_PAGE),
    Case(
        "allocation:settlement-save",
        lambda w: f"{S}/",
        COORDINATOR_WRITE,
        method="post",
        data=lambda w: {
            "resultaat": "50.000",
            "sleutel": "bijdrage",
            "omschrijving": "Matrix nieuw",
            "status": "concept",
        },
        probe=lambda w: Settlement.objects.filter(description="Matrix nieuw").exists(),
        allowed={"coordinator", "beheerder"},
    ),
    Case("allocation:settlement", lambda w: f"{S}/{_kept('Matrix vastgesteld').pk}/", ALL_200),
    Case(
        "allocation:settlement",
        lambda w: f"{S}/{_kept('Matrix concept').pk}/",
        answers(404, coordinator=200, **dict.fromkeys(READERS, 200)),
    ),
    Case(
        "allocation:settlement-edit",
        lambda w: f"{S}/{_kept('Matrix vastgesteld').pk}/corrigeren/",
        COORDINATOR_PAGE,
    ),
    Case(
        "allocation:settlement-edit",
        lambda w: f"{S}/{_kept('Matrix vastgesteld').pk}/corrigeren/",
        COORDINATOR_WRITE,
        method="post",
        data=lambda w: {
            "resultaat": "120.000",
            "sleutel": "bijdrage",
            "omschrijving": "Matrix gecorrigeerd",
            "status": "vastgesteld",
            "version": str(_kept("Matrix vastgesteld").version),
        },
        probe=lambda w: Settlement.objects.filter(description="Matrix gecorrigeerd").exists(),
        allowed={"coordinator", "beheerder"},
    ),
    Case(
        "allocation:settlement-delete",
        lambda w: f"{S}/{_kept('Matrix concept').pk}/verwijderen/",
        COORDINATOR_PAGE,
    ),
    Case(
        "allocation:settlement-delete",
        lambda w: f"{S}/{_kept('Matrix concept').pk}/verwijderen/",
        COORDINATOR_WRITE,
        method="post",
        data=lambda w: {"version": str(_kept("Matrix concept").version)},
        probe=lambda w: Settlement.objects.filter(description="Matrix concept").exists(),
        allowed={"coordinator", "beheerder"},
    ),
    Case("allocation:settlement-restore", lambda w: f"{S}/terugzetten/", answers(405, anoniem=302)),
    Case(
        "allocation:settlement-restore",
        lambda w: f"{S}/terugzetten/",
        COORDINATOR_WRITE,
        method="post",
        data=lambda w: {
            "history_id": str(
                Settlement.history.get(description="Matrix verwijderd", history_type="-").history_id
            )
        },
        probe=lambda w: Settlement.objects.filter(description="Matrix verwijderd").exists(),
        allowed={"coordinator", "beheerder"},
    ),
    Case("reports:calendar-feed", lambda w: "/arnhem/kalender.ics", ALL_200),
    Case(
        "reports:meetings-edit",
        lambda w: f"{A}/vergaderingen/",
        answers(403, anoniem=302, coordinator=200, beheerder=200),
    ),
    Case(
        "reports:meetings-edit",
        lambda w: f"{A}/vergaderingen/",
        answers(403, anoniem=302, coordinator=302, beheerder=302),
        method="post",
        data=lambda w: {
            "version": str(Partnership.objects.get(slug="vtgm").meeting_schedule.version),
            "vergadering-TOTAL_FORMS": "1",
            "vergadering-INITIAL_FORMS": "0",
            "vergadering-MIN_NUM_FORMS": "0",
            "vergadering-MAX_NUM_FORMS": "1000",
            "vergadering-0-id": "",
            "vergadering-0-date": "1-12-2026",
            "vergadering-0-kind": "db",
            "vergadering-0-note": "Matrixvergadering",
        },
        probe=lambda w: (
            Partnership.objects.get(slug="vtgm")
            .board_meetings.filter(note="Matrixvergadering")
            .exists()
        ),
        allowed={"coordinator", "beheerder"},
    ),
    # open data: published data only, the same for every role (no reader sees a concept there)
    Case("opendata:index", lambda w: "/open-data/", ALL_200),
    Case("opendata:datapackage", lambda w: "/open-data/datapackage.json", ALL_200),
    Case("opendata:openapi", lambda w: "/open-data/openapi.json", ALL_200),
    Case("opendata:csv", lambda w: "/open-data/v1/bedragen.csv", ALL_200),
    Case("opendata:csv", lambda w: "/open-data/v1/bedragen.csv", answers(405), method="post"),
    Case("opendata:gemeenten", lambda w: "/open-data/v1/gemeenten.json", ALL_200),
    Case("opendata:municipality", lambda w: "/open-data/v1/gemeenten/arnhem.json", ALL_200),
    Case(
        "opendata:municipality-csv",
        lambda w: "/open-data/v1/gemeenten/arnhem/jaarversies.csv?dialect=programma",
        ALL_200,
    ),
    Case("opendata:samenwerkingen", lambda w: "/open-data/v1/samenwerkingen.json", ALL_200),
    Case("opendata:partnership", lambda w: "/open-data/v1/samenwerkingen/vtgm.json", ALL_200),
    Case(
        "opendata:partnership-csv",
        lambda w: "/open-data/v1/samenwerkingen/vtgm/tabellen.csv",
        ALL_200,
    ),
    Case("opendata:jaren", lambda w: "/open-data/v1/jaren.json", ALL_200),
    Case("opendata:year", lambda w: f"/open-data/v1/jaren/{PUBLISHED}.json", ALL_200),
    Case("opendata:year", lambda w: f"/open-data/v1/jaren/{CONCEPT}.json", answers(404)),
    Case(
        "opendata:year-csv",
        lambda w: f"/open-data/v1/jaren/{PUBLISHED}/verdeelmodel_bijdragen.csv",
        ALL_200,
    ),
    # imports with preview: who may import money lines (clerks, coördinators, the beheerder)
    Case("reports:import", lambda w: "/importeren/", IMPORTERS),
    Case("reports:import-upload", lambda w: "/importeren/bedragen/", IMPORTERS),
    Case("reports:import-upload", lambda w: "/importeren/onbekend/", answers(404, anoniem=302)),
    Case(
        "reports:import-upload",
        lambda w: "/importeren/bedragen/",
        answers(403, anoniem=302, **dict.fromkeys(IMPORTING, 302)),
        method="post",
        data=lambda w: {"bestand": _import_file()},
    ),
    Case("reports:import-template", lambda w: "/importeren/bedragen/sjabloon.xlsx", IMPORTERS),
    Case(
        "reports:import-preview",
        lambda w: "/importeren/controle/onbekend/",
        answers(404, anoniem=302),
    ),
    Case(
        "reports:import-result", lambda w: "/importeren/klaar/onbekend/", answers(404, anoniem=302)
    ),
    Case("reports:workbook", lambda w: "/arnhem/gegevens.xlsx", READERS_ONLY),
    Case("admin", lambda w: "/beheer/", answers(302, beheerder=200)),
]


def _old_name_change() -> int:
    return Partnership.history.get(slug="vtgm", name="Matrix-oude-naam").history_id


@pytest.fixture
def world(db) -> World:
    from collaborations.demo import load_demo
    from finance.demo import load_finance_demo
    from reports.demo import publish_demo

    load_demo()
    load_finance_demo()
    load_allocation_demo()
    publish_demo()
    arnhem = Participation.objects.get(municipality__slug="arnhem", partnership__slug="vtgm")
    beheerder = UserFactory(username="m-beheerder", is_staff=True, is_superuser=True)
    users = {"beheerder": beheerder}
    for role, kind, scope in [
        (
            "ander",
            "invoerder",
            Participation.objects.get(
                municipality__slug="venlo", partnership__slug="zvh"
            ).municipality,
        ),
        ("invoerder", "invoerder", arnhem.municipality),
        ("vaststeller", "vaststeller", arnhem.municipality),
        ("raadslid", "raadslid", arnhem.municipality),
        ("coordinator", "coordinator", arnhem.partnership),
        ("andere_coordinator", "coordinator", Partnership.objects.get(slug="zvh")),
    ]:
        users[role] = UserFactory(username=f"m-{role}")
        grant(users[role], kind, scope)
    concept = collab_services.start_new_year(user=beheerder, participation=arnhem, year=CONCEPT)
    # an earlier name of the shared record, to restore from the partnership history
    partnership = arnhem.partnership
    current_name = partnership.name
    for name in ("Matrix-oude-naam", current_name):
        partnership.name = name
        partnership.save()
    # a shared figure changed since publication, so that publishing the shared year has effect
    save_table_year(
        user=beheerder,
        participation=arnhem,
        table=Table.RESULTATEN,
        year=PUBLISHED,
        rows=[GridRow("Matrixresultaat", (Cell(amount=Decimal("7")), Cell(), Cell()))],
        expected_version=None,
    )
    # a username locked after too many failed logins, for the beheerder to unlock
    AccessAttempt.objects.create(
        username="vergeten",
        ip_address="127.0.0.1",
        user_agent="test",
        http_accept="*/*",
        path_info="/inloggen/",
        get_data="",
        post_data="",
        failures_since_start=20,
    )
    # kept settlements of 2018: an adopted one, a concept and a deleted one (to put back)
    vt_model = AllocationModel.objects.get(partnership=partnership, year=PUBLISHED)
    for description, status in [
        ("Matrix vastgesteld", "vastgesteld"),
        ("Matrix concept", "concept"),
        ("Matrix verwijderd", "vastgesteld"),
    ]:
        kept = save_settlement(
            user=beheerder,
            model=vt_model,
            amount=Decimal("120000"),
            key="bijdrage",
            description=description,
            status=status,
        )
    delete_settlement(user=beheerder, settlement=kept, expected_version=kept.version)
    bundles = []
    for drafts in (True, False):
        bundle = ReportBundle.objects.create(
            municipality=arnhem.municipality,
            year=PUBLISHED,
            slugs=["vtgm"],
            include_drafts=drafts,
            data_version=f"matrix-{drafts}",
            status=ReportBundle.Status.KLAAR,
        )
        bundle.file.save(f"matrix-{drafts}.pdf", ContentFile(b"%PDF-1.7 matrix"))
        bundles.append(bundle)
    return World(
        users=users,
        participation=arnhem,
        concept=concept,
        draft_bundle=bundles[0],
        public_bundle=bundles[1],
        withdrawable=Role.objects.get(user=users["raadslid"]),
    )


def _login(world: World, role: str) -> Client:
    client = Client()
    if role != "anoniem":
        client.force_login(world.users[role])
    return client


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_each_role_as_it_should(world, role):
    """Each case runs in a savepoint that is rolled back, so the cases do not disturb each
    other; every mismatch is listed at once."""
    problems = []
    for case in CASES:
        client = _login(world, role)
        path = case.path(world)
        with transaction.atomic():
            before = case.probe(world) if case.probe else None
            response = getattr(client, case.method)(path, case.data(world))
            after = case.probe(world) if case.probe else None
            transaction.set_rollback(True)
        wanted = case.expect[role]
        if response.status_code != wanted:
            problems.append(f"{case.method.upper()} {path}: {response.status_code}, not {wanted}")
        if case.probe is not None and (before != after) != (role in case.allowed):
            happened = "had effect" if before != after else "had no effect"
            problems.append(f"{case.method.upper()} {path}: {happened} ({before!r} → {after!r})")
        if (
            response.status_code == 302
            and role == "anoniem"
            and case.name
            not in {"logout", "reports:bundle-form", "reports:home", "reports:paragraph-latest"}
        ):
            assert response["Location"].startswith(("/inloggen/", "/beheer/login/")), path
    assert not problems, f"{role}:\n" + "\n".join(problems)


def _pattern_names(patterns, namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                yield "admin"  # Django's admin: one row (its own permission system)
                continue
            inner = f"{pattern.namespace}:" if pattern.namespace else namespace
            yield from _pattern_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}" if pattern.name else str(pattern.pattern)


def test_every_url_pattern_is_in_the_matrix():
    """A new page without a row in the matrix fails here: decide who may see it first."""
    in_matrix = {case.name for case in CASES}
    missing = set(_pattern_names(get_resolver().url_patterns)) - in_matrix
    assert not missing, f"URL patterns without a row in the role matrix: {sorted(missing)}"
