"""Benchmark of the cached published pages (issue 15, item 1) against a hello-world view.

    .venv/bin/python benchmarks/bench_cache.py              # SQLite, local-memory cache (~2 min)
    .venv/bin/python benchmarks/bench_cache.py --redis      # the page cache in Redis (127.0.0.1)
    .venv/bin/python benchmarks/bench_cache.py --postgres   # PostgreSQL at 127.0.0.1 (postgres)

It builds a throw-away database with the demo data (a SQLite file in a temporary folder, or a
PostgreSQL database it drops afterwards), then starts two gunicorns on free loopback ports, each
with 2 sync workers: one with the page cache on (`PAGE_CACHE=1`) and the hello-world view of
`dashboard/urls.py` (`DASHBOARD_BENCH_HELLO=1`; it exists in no other run), one with the page
cache off. wrk (`apt-get install wrk`, in `scripts/setup.sh --test`) measures, in turns and in
the same run, the requests/s of

* the hello-world view (`/bench/hallo/`), the yardstick: what Django and gunicorn cost at least;
* Venlo's published ZVH 2017 page served from the page cache;
* the same page rendered for every request (the page cache off);

and prints the median of the turns, the ratio cached / hello against the budget ≥ 0,30, and the
uncached page's median server time and queries (Django's test client in this process, without
network) against 20 ms and 15 queries. wrk is a C program with its own event loop: at these rates
it uses a fraction of a core, so the servers, not the load generator, set the figures; a Python
client would need more processes than the machine has cores to keep up with the hello view.

No assertion on the figures: they go in docs/performance.md, with the machine and its load.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import warnings
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PAGE = "/venlo/samenwerkingen/zvh/2017/"
HELLO = "/bench/hallo/"
RATIO_BUDGET = 0.30
UNCACHED_MS_BUDGET = 20
UNCACHED_QUERIES_BUDGET = 15
PG = "postgresql://postgres@127.0.0.1:5432"


def nl(value: float, digits: int = 0) -> str:
    """1234.5 → "1.234,5": the figures as docs/performance.md writes them."""
    from decimal import Decimal

    from core.formatting import format_number

    return format_number(Decimal(str(value)), digits)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def base_env(database_url: str, cache_url: str, prefix: str) -> dict[str, str]:
    """The environment of the servers and of the in-process measurement: development settings
    with DEBUG off (the middleware of production, without HTTPS, manifest or secrets)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dashboard.settings.dev",
        "DEBUG": "false",
        "DATABASE_URL": database_url,
        "CACHE_URL": cache_url,
        "CACHE_KEY_PREFIX": prefix,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "TASKS_BACKEND": "inline",
        "LOG_LEVEL": "WARNING",
        "PYTHONWARNINGS": "ignore:No directory at",  # whitenoise: no collectstatic needed here
    }
    env.pop("PAGE_CACHE", None)
    env.pop("DASHBOARD_BENCH_HELLO", None)
    return env


@contextmanager
def throwaway_database(postgres: bool):
    """A database URL with the demo data, removed afterwards."""
    with tempfile.TemporaryDirectory() as tmp:
        if postgres:
            name = f"samenwerking_bench_{os.getpid()}"
            subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
            url = f"{PG}/{name}"
        else:
            url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        try:
            env = base_env(url, "locmem://", "bench")
            manage = [sys.executable, str(ROOT / "manage.py")]
            subprocess.run([*manage, "migrate", "--verbosity", "0"], env=env, check=True, cwd=ROOT)
            subprocess.run(
                [*manage, "load_demo", "--verbosity", "0"],
                env=env,
                check=True,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
            )
            yield url
        finally:
            if postgres:
                subprocess.run(
                    ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "--force", name],
                    check=False,
                )


@contextmanager
def gunicorn(env: dict[str, str], workers: int):
    """A gunicorn on a free loopback port; yields its base URL once it answers."""
    port = free_port()
    process = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "dashboard.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                with urllib.request.urlopen(base + PAGE, timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"gunicorn on :{port} does not answer")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wrk(url: str, seconds: int, connections: int) -> float:
    """Requests/s of one wrk run; fails on any error or non-2xx answer."""
    done = subprocess.run(
        ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", url],
        capture_output=True,
        text=True,
        check=True,
    )
    if "Non-2xx" in done.stdout or "Socket errors" in done.stdout:
        raise RuntimeError(f"errors while measuring {url}:\n{done.stdout}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", done.stdout).group(1))


def page_cache_header(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as answer:
        return answer.headers.get("X-Page-Cache", "-")


def uncached_server_time(env: dict[str, str], runs: int) -> tuple[float, int]:
    """Median ms and queries of the page rendered by Django's test client in this process,
    with the page cache off: the server's own time, without network."""
    os.environ.update({**env, "PAGE_CACHE": "false"})
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.get(PAGE)  # templates compiled, connection open
    times, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(PAGE)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200 and "X-Page-Cache" not in response
        queries = len(captured)
    return statistics.median(times), queries


def drop_redis_keys(url: str, prefix: str) -> None:
    """The keys of this run only (never FLUSHDB: others share the Redis)."""
    import redis

    client = redis.Redis.from_url(url)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def main(args: argparse.Namespace) -> None:
    load_before = os.getloadavg()
    cache_url = "redis://127.0.0.1:6379/0" if args.redis else "locmem://"
    prefix = f"bench-cache-{os.getpid()}"
    print(
        f"database: {'PostgreSQL' if args.postgres else 'SQLite'} (demo data), page cache in "
        f"{'Redis' if args.redis else 'local memory (per worker)'}, gunicorn {args.workers} "
        f"sync workers per server, wrk 2 threads × {args.connections} connections, "
        f"{args.rounds} turns of {args.seconds} s; load average before "
        f"{' '.join(nl(x, 2) for x in load_before)}"
    )
    with ExitStack() as stack:
        if args.redis:  # last out: after the servers have stopped
            stack.callback(drop_redis_keys, cache_url, prefix)
        database = stack.enter_context(throwaway_database(args.postgres))
        env = base_env(database, cache_url, prefix)
        cached = stack.enter_context(
            gunicorn({**env, "PAGE_CACHE": "true", "DASHBOARD_BENCH_HELLO": "1"}, args.workers)
        )
        uncached = stack.enter_context(gunicorn({**env, "PAGE_CACHE": "false"}, args.workers))
        targets = {
            "hello-world view": cached + HELLO,
            "year page ZVH 2017, cached": cached + PAGE,
            "year page ZVH 2017, uncached": uncached + PAGE,
        }
        for url in targets.values():  # warm up: every worker has compiled and stored
            wrk(url, 2, args.connections)
        assert page_cache_header(cached + PAGE) == "hit", "the cached server does not hit"
        assert page_cache_header(uncached + PAGE) == "-", "the uncached server caches"
        rates: dict[str, list[float]] = {label: [] for label in targets}
        for _ in range(args.rounds):  # in turns, so a change of the machine's load hits all
            for label, url in targets.items():
                rates[label].append(wrk(url, args.seconds, args.connections))
        ms, queries = uncached_server_time(env, runs=50)
    load_after = os.getloadavg()

    median = {label: statistics.median(values) for label, values in rates.items()}
    hello = median["hello-world view"]
    ratio = median["year page ZVH 2017, cached"] / hello
    print(f"\n{'what':<32} {'requests/s':>11}   turns")
    for label, value in median.items():
        print(f"{label:<32} {nl(value):>11}   {' '.join(nl(v) for v in rates[label])}")
    verdict = "met" if ratio >= RATIO_BUDGET else "NOT met"
    print(f"\ncached / hello-world: {nl(ratio, 2)} (budget ≥ {nl(RATIO_BUDGET, 2)}: {verdict})")
    ms_verdict = (
        "met" if ms <= UNCACHED_MS_BUDGET and queries <= UNCACHED_QUERIES_BUDGET else "NOT met"
    )
    print(
        f"uncached year page, server time: median {nl(ms, 1)} ms, {queries} queries "
        f"(budget ≤ {UNCACHED_MS_BUDGET} ms, ≤ {UNCACHED_QUERIES_BUDGET} queries: {ms_verdict})"
    )
    print(f"load average after: {' '.join(nl(x, 2) for x in load_after)}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL at 127.0.0.1:5432")
    parser.add_argument("--redis", action="store_true", help="the cache in Redis at :6379")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--seconds", type=int, default=10, help="seconds per wrk run (10)")
    parser.add_argument("--rounds", type=int, default=3, help="turns of the three (3)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (8)")
    return parser.parse_args(argv)


if __name__ == "__main__":
    # a SIGTERM (a time-out) still stops the servers and drops the database
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    main(parse_args())
