"""Loading the demo data set from the project's own data files (collaborations/data/)."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.utils.text import slugify

from . import services
from .models import Participation, Partnership, YearRecord
from .services.bbv import RiskRow, import_bbv
from .services.meetings import MeetingInput, upsert_demo_meetings

DATA_DIR = Path(__file__).resolve().parent / "data"

DEMO_USERS = [
    # username, password, full name, superuser, roles as (kind, municipality or partnership
    # slug), what the login is for
    ("beheerder", "demo-beheerder", "Bea Beheerder", True, [], "Beheerder (alles, ook /beheer/)"),
    (
        "invoerder-venlo",
        "demo-venlo",
        "Ingrid Invoerder",
        False,
        [("invoerder", "venlo")],
        "Invoerder Venlo",
    ),
    (
        "vaststeller-venlo",
        "demo-vaststeller",
        "Victor Vaststeller",
        False,
        [("vaststeller", "venlo")],
        "Vaststeller Venlo (vaststellen, publiceren)",
    ),
    (
        "raadslid-venlo",
        "demo-raadslid",
        "Roos Raadslid",
        False,
        [("raadslid", "venlo")],
        "Raadslid Venlo (leest concepten)",
    ),
    (
        "invoerder-wijchen",
        "demo-wijchen",
        "Wim Invoerder",
        False,
        [("invoerder", "wijchen")],
        "Invoerder Wijchen",
    ),
    (
        "coordinator-zvh",
        "demo-zvh",
        "Cor Coördinator",
        False,
        [("coordinator", "zvh")],
        "Coördinator ZVH (gedeelde gegevens)",
    ),
    (
        "financieel-arnhem",
        "demo-arnhem",
        "Fenna Financieel",
        False,
        [("invoerder", "arnhem"), ("coordinator", "vtgm")],
        "Financieel adviseur, coördinator VTGM",
    ),
]


def read_json(name: str) -> dict:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def load_vocabularies() -> int:
    return services.sync_vocabularies(data=read_json("vocabularies.json"))


def load_meetings(partnership: Partnership, rows: list[list[str]]) -> int:
    """The demo's board meetings of a partnership: [date, kind] or [date, kind, note]."""
    return upsert_demo_meetings(
        partnership=partnership,
        meetings=[
            MeetingInput(date=date.fromisoformat(day), kind=kind, note=note[0] if note else "")
            for day, kind, *note in rows
        ],
    )


def load_demo() -> dict[str, int]:
    """Idempotent: running it twice gives the same database."""
    counts = {"termen": load_vocabularies()}
    demo = read_json("demo.json")
    for row in demo["municipalities"]:
        name, cbs_code, *slug = row
        services.upsert_municipality(
            name=name, cbs_code=cbs_code, slug=slug[0] if slug else slugify(name)
        )
    counts["gemeenten"] = len(demo["municipalities"])
    for item in demo["partnerships"]:
        item = dict(item)
        perspectives = item.pop("perspectives")
        terms = {"onderwerpen": item.pop("onderwerpen", []), "aard": item.pop("aard", [])}
        municipality_slugs = item.pop("municipalities")
        organisations = item.pop("organisations", [])
        slug = item.pop("slug")
        meetings = item.pop("meetings", [])
        partnership = services.upsert_partnership(
            slug=slug,
            fields=item,
            terms=terms,
            municipality_slugs=municipality_slugs,
            organisation_names=organisations,
        )
        load_meetings(partnership, meetings)
        counts["vergaderingen"] = counts.get("vergaderingen", 0) + len(meetings)
        for municipality_slug, perspective in perspectives.items():
            participation = Participation.objects.get(
                partnership=partnership, municipality__slug=municipality_slug
            )
            perspective = dict(perspective)
            years = perspective.pop("years", {})
            services.update_perspective(participation=participation, data=perspective)
            for year, data in years.items():
                services.import_year_record(participation=participation, year=int(year), data=data)
    counts["samenwerkingen"] = len(demo["partnerships"])
    for username, password, full_name, superuser, roles, _purpose in DEMO_USERS:
        services.upsert_demo_user(
            username=username,
            password=password,
            full_name=full_name,
            superuser=superuser,
            roles=roles,
        )
    return counts


def load_bbv_demo() -> int:
    """The BBV figures and risks of `data/demo_bbv.json` (after the years exist, before they
    are published). Idempotent; returns how many years got them."""
    rows = read_json("demo_bbv.json")["records"]
    for item in rows:
        record = YearRecord.objects.get(
            participation__partnership__slug=item["partnership"],
            participation__municipality__slug=item["municipality"],
            year=item["year"],
        )
        risks = [
            RiskRow(
                omschrijving=r["omschrijving"],
                kans=r["kans"],
                effect=None if r["effect"] is None else Decimal(r["effect"]),
                maatregelen=r.get("maatregelen", ""),
            )
            for r in item.get("risks", [])
        ]
        import_bbv(record=record, values=item.get("bbv", {}), risks=risks)
    return len(rows)
