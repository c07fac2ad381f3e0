"""The load test's look into the database (run with the production set-up's environment):

python loadtest/db.py prepare   the demo clerks each get concept years to edit (once, in
                                the template database)
python loadtest/db.py targets   JSON: per clerk login the years it may edit, the published
                                year pages
python loadtest/db.py texts     JSON: the stored Kosten-en-baten texts of every concept year
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.settings.production")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402

from collaborations import services  # noqa: E402
from collaborations.models import Participation, YearRecord  # noqa: E402

# The demo clerks (README): login, password, municipality.
CLERKS = [
    ("invoerder-venlo", "demo-venlo", "venlo"),
    ("invoerder-wijchen", "demo-wijchen", "wijchen"),
    ("financieel-arnhem", "demo-arnhem", "arnhem"),
]
FIELDS = ["kosten_baten_begroot", "kosten_baten_feitelijk"]


def _url(record: YearRecord) -> str:
    p = record.participation
    return f"/{p.municipality.slug}/samenwerkingen/{p.partnership.slug}/{record.year}/"


def _concepts():
    return YearRecord.objects.filter(status=YearRecord.Status.CONCEPT).select_related(
        "participation__municipality", "participation__partnership"
    )


def prepare() -> None:
    """Every clerk's municipality gets the year after the latest of each partnership, as a
    concept (as the button *Nieuw jaar starten* does)."""
    users = get_user_model().objects
    for login, _password, municipality in CLERKS:
        user = users.get(username=login)
        for participation in Participation.objects.filter(municipality__slug=municipality):
            years = participation.years
            if years.exists() and not years.filter(status=YearRecord.Status.CONCEPT).exists():
                services.start_new_year(user=user, participation=participation)


def targets() -> dict:
    per_login = {}
    for login, password, municipality in CLERKS:
        years = [
            _url(r) for r in _concepts().filter(participation__municipality__slug=municipality)
        ]
        if years:
            per_login[login] = {"password": password, "years": sorted(years)}
    published = YearRecord.objects.filter(status=YearRecord.Status.GEPUBLICEERD).select_related(
        "participation__municipality", "participation__partnership"
    )
    return {"clerks": per_login, "published": sorted(_url(r) for r in published)}


def texts() -> dict:
    return {_url(r): {f: getattr(r, f) for f in FIELDS} for r in _concepts()}


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "prepare":
        prepare()
    else:
        print(json.dumps({"targets": targets, "texts": texts}[command]()))
