"""Benchmark of the import with preview: a dry run and a real import of 5.000 money lines, against
the budget of issue 13 (3 s each on this machine).

    .venv/bin/python benchmarks/bench_import.py            # prints the figures (about 20 s)
    .venv/bin/python benchmarks/bench_import.py --runs 3   # the median of three runs each

It builds a throw-away SQLite database (never the development one) with the demo data, and an
xlsx of 5.000 rows: Venlo's Kosten in ZVH for 2006–2015 (no section C yet, so open), 500
categories a year, each with Begroting, Realisatie and the Begroting of the next year (the same
figure as the next year's row, as the rule asks). It prints, with the budget:

* reading the file (openpyxl, every cell checked);
* the dry run: reading + import-export's dry run with new/changed/unchanged per row (what the
  preview page does), writes nothing;
* the real import: read again in one transaction, the stale check, and the writes through
  `save_table_year` with history (what confirming does);
* the dry run of the same file once it is in (5.000 unchanged rows).

No timed assertions: the figures go in docs/performance.md.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BUDGET_S = 3.0
YEARS = range(2006, 2016)
CATEGORIES = 500


def setup_django(database: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "dashboard.settings.test"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    import django

    django.setup()


def workbook() -> bytes:
    from openpyxl import Workbook

    from finance.resources import MoneyResource

    book = Workbook()
    ws = book.active
    ws.title = "Bedragen"
    ws.append(MoneyResource(user=None).columns())  # the template's headers
    for year in YEARS:
        for n in range(CATEGORIES):
            budget = Decimal(1000 + n + year)
            ws.append(
                [
                    "GM0983",
                    "ZVH",
                    "Kosten",
                    f"Categorie {n:03d}",
                    year,
                    budget,
                    budget + Decimal("12.50"),
                    Decimal(1000 + n + year + 1),
                ]
            )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def timed(function) -> tuple[float, object]:
    start = time.perf_counter()
    value = function()
    return time.perf_counter() - start, value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        setup_django(Path(folder) / "bench.sqlite3")
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.db import transaction

        from collaborations.demo import load_demo
        from finance.demo import load_finance_demo
        from finance.models import FinanceAmount
        from reports.imports.files import read_upload
        from reports.imports.kinds import KINDS
        from reports.imports.services import apply_upload, preview_upload

        call_command("migrate", verbosity=0)
        load_demo()
        load_finance_demo()
        user = get_user_model().objects.get(username="invoerder-venlo")
        kind = KINDS["bedragen"]
        content = workbook()
        print(f"Bestand: {len(content) // 1024} kB, {len(YEARS) * CATEGORIES} rijen")
        figures: dict[str, list[float]] = {"lezen": [], "proef": [], "inlezen": [], "al": []}
        for _ in range(args.runs):
            seconds, _ = timed(lambda: read_upload("bench.xlsx", content))
            figures["lezen"].append(seconds)
            seconds, preview = timed(
                lambda: preview_upload(user=user, kind=kind, upload=read_upload("b.xlsx", content))
            )
            figures["proef"].append(seconds)
            assert not preview.errors, preview.errors[:3]
            assert preview.count("nieuw") == len(YEARS) * CATEGORIES
            with transaction.atomic():
                fingerprint = preview.fingerprint
                seconds, _ = timed(
                    lambda: apply_upload(
                        user=user,
                        kind=kind,
                        upload=read_upload("b.xlsx", content),
                        fingerprint=fingerprint,  # noqa: B023 - called at once
                    )
                )
                figures["inlezen"].append(seconds)
                stored = FinanceAmount.objects.filter(year__in=list(YEARS)).count()
                seconds, again = timed(
                    lambda: preview_upload(
                        user=user, kind=kind, upload=read_upload("b.xlsx", content)
                    )
                )
                figures["al"].append(seconds)
                assert again.count("ongewijzigd") == len(YEARS) * CATEGORIES
                transaction.set_rollback(True)
        print(f"Opgeslagen bedragen: {stored}")
        rows = [
            ("bestand lezen (openpyxl, elke cel gecontroleerd)", "lezen", None),
            ("proef (dry run): lezen + controle van 5.000 nieuwe rijen", "proef", BUDGET_S),
            (
                "inlezen: opnieuw lezen, controle, 5.000 regels opslaan met geschiedenis",
                "inlezen",
                BUDGET_S,
            ),
            ("proef van hetzelfde bestand daarna (5.000 ongewijzigd)", "al", BUDGET_S),
        ]
        for label, key, budget in rows:
            value = statistics.median(figures[key])
            limit = (
                f" (budget {budget:.0f} s{', OK' if value <= budget else ', TE TRAAG'})"
                if budget
                else ""
            )
            print(f"{label}: {value:.2f} s{limit}")


if __name__ == "__main__":
    main()
