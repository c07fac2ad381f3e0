"""Benchmark of the pages and reports against the budgets of the overview/PDF issue.

    .venv/bin/python benchmarks/bench_pages.py              # prints the figures (about 30 s)
    .venv/bin/python benchmarks/bench_pages.py --skip-pdf   # pages only (a few seconds)

It builds a throw-away SQLite database (never the development one): the demo data plus a
synthetic municipality "Benchdorp" with 500 partnerships, each with three years of Kosten and
Financiële resultaten. It prints, with the budgets:

* the year page: median server time and number of queries;
* the totaaloverzicht with 500 partnerships: median time (budget 150 ms), and queries for 50
  and 500 rows;
* a single-partnership PDF: median time;
* a bundle of 40 partnerships built in a separate worker process: wall time and peak memory.

No timed assertions: the figures go in docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
N_PARTNERSHIPS = 500
OVERVIEW_BUDGET_MS = 150
PDF_SERVE_BUDGET_MS = 20  # a published version's PDF, from storage
BUNDLE_SIZE = 40
YEARS = (2023, 2024, 2025)


def setup_django(database: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "dashboard.settings.test"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    import django

    django.setup()


def build_data() -> None:
    from django.core.management import call_command

    from collaborations.models import (
        Municipality,
        Participation,
        Partnership,
        Term,
        Vocabulary,
        YearRecord,
    )
    from finance.models import FinanceAmount, FinanceLine, FinanceRow, FinanceTableYear, Kind
    from finance.models import Table as T

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    town = Municipality.objects.create(name="Benchdorp", slug="benchdorp", cbs_code="GM9999")
    topics = list(Term.objects.filter(vocabulary=Vocabulary.ONDERWERP))
    vorm = Term.objects.get(vocabulary=Vocabulary.VORM, code="openbaar-lichaam")
    bbv = Term.objects.get(vocabulary=Vocabulary.BBV, code="gemeenschappelijke-regeling")
    partnerships = Partnership.objects.bulk_create(
        Partnership(
            name=f"Samenwerking {i:03d}",
            afkorting=f"SW{i:03d}",
            slug=f"sw{i:03d}",
            beschrijving="Synthetische samenwerking voor de benchmark.",
            vorm=vorm,
            bbv_categorie=bbv,
        )
        for i in range(N_PARTNERSHIPS)
    )
    Partnership.onderwerpen.through.objects.bulk_create(
        Partnership.onderwerpen.through(partnership_id=p.pk, term_id=topics[i % len(topics)].pk)
        for i, p in enumerate(partnerships)
    )
    participations = Participation.objects.bulk_create(
        Participation(
            partnership=p, municipality=town, bestuurlijk_belang=True, financieel_belang=True
        )
        for p in partnerships
    )
    YearRecord.objects.bulk_create(
        YearRecord(
            participation=p,
            year=y,
            status="gepubliceerd",
            nagekeken=True,
            beoogd_kern="Een kern van de beoogde resultaten.",
        )
        for p in participations
        for y in YEARS
    )
    lines = FinanceLine.objects.bulk_create(
        [
            FinanceLine(participation=p, table=T.KOSTEN, label=f"bijdrage {k}")
            for p in participations
            for k in range(3)
        ]
        + [
            FinanceLine(partnership=p, table=T.RESULTATEN, label=f"financiering {k}")
            for p in partnerships
            for k in range(4)
        ]
    )
    table_years = FinanceTableYear.objects.bulk_create(
        [
            FinanceTableYear(participation=p, table=T.KOSTEN, year=y)
            for p in participations
            for y in YEARS
        ]
        + [
            FinanceTableYear(partnership=p, table=T.RESULTATEN, year=y)
            for p in partnerships
            for y in YEARS
        ]
    )
    by_owner: dict = {}
    for line in lines:
        by_owner.setdefault((line.participation_id, line.partnership_id, line.table), []).append(
            line
        )
    rows, amounts = [], []
    for ty in table_years:
        owned = by_owner[(ty.participation_id, ty.partnership_id, ty.table)]
        rows.extend(FinanceRow(table_year=ty, line=line, order=i) for i, line in enumerate(owned))
    for index, line in enumerate(lines):
        for y in (*YEARS, YEARS[-1] + 1):
            base = Decimal(10000 + (index * 37) % 90000)
            amounts.append(FinanceAmount(line=line, year=y, kind=Kind.BEGROTING, amount=base + y))
            if y <= YEARS[-1]:
                amounts.append(
                    FinanceAmount(line=line, year=y, kind=Kind.REALISATIE, amount=base + y - 17)
                )
    FinanceRow.objects.bulk_create(rows, batch_size=2000)
    FinanceAmount.objects.bulk_create(amounts, batch_size=2000)

    from reports.services import ensure_versions

    ensure_versions()  # the public reads published versions: every published year gets one


def timed_get(client, url: str, runs: int) -> tuple[float, int, int]:
    """(median ms, queries of the last run, status)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), len(queries), response.status_code


def bundle_worker(database: Path) -> None:
    """Run in a separate process, like the db_worker: build one bundle, print time and memory."""
    setup_django(database)
    from collaborations.models import Municipality, Participation
    from core.pdf import background_limits
    from reports.bundles import build_bundle
    from reports.models import ReportBundle
    from reports.selectors.bundles import bundle_participations, data_version

    town = Municipality.objects.get(slug="benchdorp")
    slugs = list(
        Participation.objects.filter(municipality=town)
        .order_by("partnership__slug")
        .values_list("partnership__slug", flat=True)[:BUNDLE_SIZE]
    )
    participations = bundle_participations(town, slugs)
    bundle = ReportBundle.objects.create(
        municipality=town,
        year=YEARS[-1],
        slugs=slugs,
        data_version=data_version(town, YEARS[-1], participations),
    )
    start = time.perf_counter()
    with background_limits():  # as the worker runs it (reports.tasks)
        bundle = build_bundle(bundle_id=bundle.pk)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{seconds:.1f} {peak_mb:.0f} {bundle.pages}")


def main(skip_pdf: bool = False) -> None:
    """Build the data once, then print every figure; `skip_pdf` for a quick look at the pages."""
    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "bench.sqlite3"
        setup_django(database)
        start = time.perf_counter()
        build_data()
        print(
            f"data: demo + Benchdorp with {N_PARTNERSHIPS} partnerships "
            f"({time.perf_counter() - start:.1f} s to build)"
        )

        from django.test import Client

        client = Client()
        client.get("/")  # warm up templates and connections
        rows = [
            ("year page ZVH 2017 (seed)", "/venlo/samenwerkingen/zvh/2017/", 30, 50, 20),
            ("year page synthetic 2025", "/benchdorp/samenwerkingen/sw042/2025/", 30, 50, 20),
            (
                f"overview {N_PARTNERSHIPS} partnerships",
                "/benchdorp/samenwerkingen/?jaar=2025",
                15,
                OVERVIEW_BUDGET_MS,
                None,
            ),
            (
                "overview 50 partnerships (filtered)",
                "/benchdorp/samenwerkingen/?jaar=2025&zoek=Samenwerking%200",
                15,
                None,
                None,
            ),
        ]
        print(f"\n{'what':<40} {'median':>10} {'budget':>10} {'queries':>8} {'max':>5}")
        for label, url, runs, budget_ms, max_queries in rows:
            ms, queries, status = timed_get(client, url, runs)
            assert status == 200, (url, status)
            print(
                f"{label:<40} {ms:>8.1f}ms {budget_ms or '':>8}{'ms' if budget_ms else '  '} "
                f"{queries:>8} {max_queries or '':>5}"
            )

        if skip_pdf:
            return

        from django.contrib.auth.models import AnonymousUser

        from collaborations.models import Participation
        from core.pdf import render_pdf
        from reports.documents import year_report_html

        zvh = Participation.objects.get(partnership__slug="zvh", municipality__slug="venlo")
        times = []
        for _ in range(3):
            start = time.perf_counter()
            pdf = render_pdf(year_report_html(zvh, 2017, AnonymousUser()))
            times.append(time.perf_counter() - start)
        print(
            f"{'PDF ZVH 2017 (single partnership)':<40} {statistics.median(times):>9.2f}s "
            f"{'3':>8}s   ({len(pdf) // 1024} KB)"
        )
        # A published version's PDF is made once; after that it is served from storage.
        url = "/venlo/samenwerkingen/zvh/2017/pdf/"
        start = time.perf_counter()
        first = client.get(url)
        first_ms = (time.perf_counter() - start) * 1000
        ms, _queries, status = timed_get(client, url, 30)
        assert status == 200 and first.status_code == 200
        print(
            f"{'published PDF ZVH 2017, first request':<40} {first_ms:>8.1f}ms {'':>10}\n"
            f"{'published PDF ZVH 2017, served again':<40} {ms:>8.1f}ms {PDF_SERVE_BUDGET_MS:>8}ms"
        )

        done = subprocess.run(
            [sys.executable, __file__, "--bundle-worker", str(database)],
            capture_output=True,
            text=True,
            check=True,
        )
        seconds, peak, pages = done.stdout.split()[-3:]
        print(
            f"{f'bundle of {BUNDLE_SIZE} partnerships (worker)':<40} {float(seconds):>9.1f}s "
            f"{'90':>8}s   {pages} pages, peak memory {peak} MB (budget 600 MB)"
        )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """`--skip-pdf`; `--bundle-worker` is how the benchmark starts its own worker process."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--skip-pdf",
        action="store_true",
        help="measure the pages only, not the PDF and the bundle (which take most of the time)",
    )
    parser.add_argument("--bundle-worker", type=Path, metavar="DATABASE", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


if __name__ == "__main__":
    args = parse_args()
    if args.bundle_worker:
        bundle_worker(args.bundle_worker)
    else:
        main(skip_pdf=args.skip_pdf)
