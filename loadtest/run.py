"""The load test of issue 15: two app servers (gunicorn) on one PostgreSQL and one Redis, with
readers of the published pages and clerks saving forms through both at the same time
(loadtest/locustfile.py). Headless, bounded in users and time, on 127.0.0.1 only.

    .venv/bin/python loadtest/run.py           # 60 s: 20 readers, 6 clerks, 2 × 2 workers
    .venv/bin/python loadtest/run.py --smoke   # a few seconds (tests/test_load_smoke.py)

It prints requests/s, p50 and p95 and the errors, then the nothing-lost check: every save the
server acknowledged is in the database, every refused save was shown as a conflict, a save
through one app server was visible through the other at once. Exit status 1 when that check
or any request failed; the speed targets are printed, not enforced (the machine is shared).

The database is a copy of a template (migrated, demo data, a concept year for each demo
clerk's partnerships) that is built once per state of the migrations and the demo data
(~2 minutes on PostgreSQL) and copied in a second after that.
"""

import argparse
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import gevent
import locustfile
import redis
from locust.env import Environment
from locust.stats import StatsEntry

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PG = "postgres://postgres@127.0.0.1:5432"
CACHE_URL = "redis://127.0.0.1:6379/0"
TARGETS = {"requests/s (mixed)": 200, "p95 of pages (ms)": 100}


def sh(args: list[str], env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, env=env, check=True, text=True, **kwargs)


def psql(sql: str) -> str:
    return sh(["psql", f"{PG}/postgres", "-tAc", sql], capture_output=True).stdout.strip()


def template_name() -> str:
    """Named by what the template holds: the migrations, the demo data and how it is loaded."""
    digest = hashlib.sha256()
    paths = sorted(
        [
            *ROOT.glob("*/migrations/*.py"),
            *ROOT.glob("*/data/**/*"),
            *ROOT.glob("*/demo.py"),
            ROOT / "loadtest" / "db.py",
            ROOT / "reports/management/commands/load_demo.py",
        ]
    )
    for path in paths:
        if path.is_file():
            digest.update(str(path.relative_to(ROOT)).encode() + path.read_bytes())
    return f"samenwerking_load_tpl_{digest.hexdigest()[:12]}"


def app_env(database: str, **extra: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dashboard.settings.dev",
        "DATABASE_URL": f"{PG}/{database}",
        "TASKS_BACKEND": "inline",
        **extra,
    }


def ensure_template() -> str:
    name = template_name()
    if psql(f"SELECT 1 FROM pg_database WHERE datname='{name}'") == "1":
        return name
    print(f"Building the template database {name} (once per state of the migrations) …")
    building = f"{name}_bouw_{os.getpid()}"  # two runs at once each build their own
    sh(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", building])
    sh(["createdb", "-h", "127.0.0.1", "-U", "postgres", building])
    env = app_env(building)
    for command in (["migrate", "--noinput", "-v0"], ["load_vocabularies"], ["load_demo"]):
        sh([PYTHON, "manage.py", *command], env=env, stdout=subprocess.DEVNULL)
    sh([PYTHON, "loadtest/db.py", "prepare"], env=env)
    old_templates = psql(
        "SELECT datname FROM pg_database WHERE datname LIKE 'samenwerking_load_tpl_%'"
    ).split()
    for old in old_templates:
        if old != name and "_bouw_" not in old:
            sh(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", old])
    try:
        psql(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
    except subprocess.CalledProcessError:  # another run finished its copy first: use that
        sh(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", building])
    return name


def fresh_database(template: str, database: str) -> None:
    sh(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "--force", database])
    for attempt in range(10):  # the template may be in use by another run's copy for a moment
        try:
            sh(["createdb", "-h", "127.0.0.1", "-U", "postgres", "-T", template, database])
            break
        except subprocess.CalledProcessError:
            if attempt == 9:
                raise
            time.sleep(1)
    client = redis.Redis.from_url(CACHE_URL)
    for key in client.scan_iter(match=f"{database}:*", count=1000):
        client.delete(key)


def production(action: str, env: dict) -> None:
    sh(["bash", "scripts/production.sh", action], env=env)


def entry(env: Environment, label: str, names: list[str]) -> StatsEntry:
    combined = StatsEntry(env.stats, label, "", use_response_times_cache=False)
    for (name, _method), stats in env.stats.entries.items():
        if name in names:
            combined.extend(stats)
    return combined


def row(stats: StatsEntry, seconds: float) -> str:
    if not stats.num_requests:
        return f"| {stats.name} | 0 | — | — | — | {stats.num_failures} |"
    p50 = stats.get_response_time_percentile(0.5)
    p95 = stats.get_response_time_percentile(0.95)
    rate = stats.num_requests / seconds
    return (
        f"| {stats.name} | {stats.num_requests} | {rate:.1f} | {p50:.0f} | {p95:.0f} "
        f"| {stats.num_failures} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="a few seconds, few users")
    parser.add_argument("--seconds", type=float)
    parser.add_argument("--readers", type=int)
    parser.add_argument("--clerks", type=int)
    parser.add_argument("--workers", type=int, help="gunicorn workers per app server")
    parser.add_argument("--ports", default=None, help="two ports (default 8101,8102)")
    args = parser.parse_args()
    smoke = args.smoke
    seconds = min(args.seconds or (6 if smoke else 60), 600)  # bounded: never more than 10 min
    readers = min(args.readers or (3 if smoke else 20), 200)
    clerks = min(args.clerks or 6, 50)  # two per demo login: they collide
    workers = args.workers or (1 if smoke else 2)
    ports = (args.ports or ("" if smoke else "8101,8102")).split(",")
    database = "samenwerking_load"
    if smoke:  # the test suite may run twice at once on one machine: its own ports and database
        ports = [p for p in ports if p] or free_ports(2)
        database = f"samenwerking_load_smoke_{os.getpid()}"

    template = ensure_template()
    fresh_database(template, database)
    env = {
        **os.environ,
        "PORTS": " ".join(ports),
        "WORKERS": str(workers),
        "PROD_DB": database,
        "CACHE_URL": CACHE_URL,
        "STATE": str(Path(os.environ.get("TMPDIR", "/tmp")) / f"{database}-state"),
        "SKIP_PREPARE": "1",
        "SKIP_SETUP": "1",
        "LOG_LEVEL": "WARNING",
    }
    media = Path(env["STATE"]) / "media"
    if media.exists():
        sh(["rm", "-rf", str(media)])
    plan = json.loads(
        sh(
            [PYTHON, "loadtest/db.py", "targets"],
            env=app_env(database),
            capture_output=True,
        ).stdout
    )
    hosts = [f"http://127.0.0.1:{port}" for port in ports]
    # stopped (SIGTERM, a test's time-out): stop the servers and drop the database all the same
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        production("start", env)
        return run(plan, hosts, readers, clerks, seconds, workers, database)
    finally:
        production("stop", env)
        if smoke:
            sh(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "--force", database])
            sh(["rm", "-rf", env["STATE"]])


def free_ports(count: int) -> list[str]:
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [str(s.getsockname()[1]) for s in sockets]
    for s in sockets:
        s.close()
    return ports


def conflict_probe(hosts: list[str], clerks: dict) -> dict:
    """Deterministic: one clerk opens a form through the first app server and again through the
    second (both showing one version), saves through the second, then the first copy through
    the first: that save must be refused and shown as a conflict."""
    import requests

    login, details = sorted(clerks.items())[0]
    session = requests.Session()
    page = session.get(f"{hosts[0]}/inloggen/", timeout=30)
    data = locustfile.FormFields.of(page.text, "password") or {}
    data.update(username=login, password=details["password"])
    session.post(f"{hosts[0]}/inloggen/", data=data, allow_redirects=False, timeout=30)
    url = details["years"][-1] + locustfile.SECTION
    name = locustfile.FIELDS[1]
    first = locustfile.FormFields.of(session.get(hosts[0] + url, timeout=30).text, name)
    second = locustfile.FormFields.of(session.get(hosts[1] + url, timeout=30).text, name)
    words = ["proefeerste", "proeftweede"]
    second[name] = f"{second[name]} {words[0]}".strip()
    saved = session.post(hosts[1] + url, data=second, allow_redirects=False, timeout=30)
    first[name] = f"{first[name]} {words[1]}".strip()
    refused = session.post(hosts[0] + url, data=first, allow_redirects=False, timeout=30)
    ok = (
        saved.status_code == 302
        and refused.status_code == 400
        and locustfile.CONFLICT in refused.text
        and words[0] in refused.text  # the conflict page shows what the other one saved
    )
    locustfile.OUTCOME.acknowledged.append((details["years"][-1], name, words[0]))
    return {"ok": ok, "refused": (details["years"][-1], name, words[1])}


def run(plan, hosts, readers, clerks, seconds, workers, database) -> int:
    import requests

    p = locustfile.PLAN
    p.hosts = hosts
    p.year_pages = plan["published"]
    municipalities = sorted({url.split("/")[1] for url in plan["published"]})
    p.overviews = [f"/{m}/samenwerkingen/" for m in municipalities]
    p.pdfs = [f"{url}pdf/" for url in plan["published"][:3]]
    p.clerks = plan["clerks"]
    notes = []
    paragraphs = [
        f"/{url.split('/')[1]}/paragraaf-verbonden-partijen/{url.rstrip('/').split('/')[-1]}/"
        for url in plan["published"]
    ]
    if requests.get(hosts[0] + paragraphs[0], timeout=30).status_code == 200:
        p.paragraphs = sorted(set(paragraphs))
    else:
        notes.append(
            "the paragraph page (…/paragraaf-verbonden-partijen/<jaar>/) does not exist yet: "
            "skipped"
        )
    # warm up every app server (its first request of a page compiles templates); the published
    # PDFs are made once and then served from the shared storage
    for host in hosts:
        for url in [p.year_pages[0], p.overviews[0], *p.paragraphs[:1], "/inloggen/", *p.pdfs]:
            requests.get(host + url, timeout=60)
    probe = conflict_probe(hosts, plan["clerks"])

    locustfile.Reader.fixed_count = readers
    locustfile.Clerk.fixed_count = clerks
    environment = Environment(user_classes=[locustfile.Reader, locustfile.Clerk])
    runner = environment.create_local_runner()
    load_before = os.getloadavg()[0]
    started = time.monotonic()
    runner.start(readers + clerks, spawn_rate=readers + clerks)
    gevent.spawn_later(seconds, runner.quit)
    runner.greenlet.join()
    elapsed = time.monotonic() - started

    o = locustfile.OUTCOME
    stored = json.loads(
        sh([PYTHON, "loadtest/db.py", "texts"], env=app_env(database), capture_output=True).stdout
    )
    lost = [
        f"{year} {name} {word}"
        for year, name, word in o.acknowledged
        if word not in stored.get(year, {}).get(name, "").split()
    ]
    sneaked = [
        f"{year} {name} {word}"
        for year, name, word in [*o.conflicts, probe["refused"]]
        if word in stored.get(year, {}).get(name, "").split()
    ]

    pages = ["jaarpagina", "totaaloverzicht", "paragraaf verbonden partijen"]
    total = environment.stats.total
    print()
    print(
        f"Load test {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: {len(hosts)} app servers × {workers} "
        f"gunicorn workers ({', '.join(hosts)}), PostgreSQL database {database}, Redis cache, "
        f"{readers} readers + {clerks} clerks for {elapsed:.0f} s, {os.cpu_count()} cores, "
        f"load average {load_before:.1f} before and {os.getloadavg()[0]:.1f} after (other work "
        "on the machine counts in it)"
    )
    for note in notes:
        print(f"Note: {note}")
    print()
    print("| what | requests | per s | p50 ms | p95 ms | errors |")
    print("|---|---:|---:|---:|---:|---:|")
    names = sorted({name for name, _ in environment.stats.entries})
    for name in names:
        print(row(entry(environment, name, [name]), elapsed))
    pages_entry = entry(environment, "pages (all readers' pages but PDFs)", pages)
    print(row(pages_entry, elapsed))
    print(row(total, elapsed).replace("| Aggregated |", "| everything |"))
    rps = total.num_requests / elapsed
    p95 = pages_entry.get_response_time_percentile(0.95) if pages_entry.num_requests else 0
    print()
    print(
        f"Targets (informative, a shared 2-core machine): ≥ {TARGETS['requests/s (mixed)']} "
        f"requests/s mixed: {rps:.0f} {'✓' if rps >= 200 else '✗'}; p95 of pages ≤ 100 ms: "
        f"{p95:.0f} ms {'✓' if p95 <= 100 else '✗'}"
    )
    print()
    print("Nothing lost:")
    checks = [
        (
            f"saves acknowledged: {len(o.acknowledged)}, all in the database",
            not lost and o.acknowledged,
        ),
        (
            f"saves refused: {len(o.conflicts)}, each shown as a conflict, none stored",
            not o.refused_unshown and not sneaked,
        ),
        (
            "two clerks on one version, through both servers: the first saves, the second is "
            "shown the conflict",
            probe["ok"],
        ),
        ("every acknowledged save visible through the other app server at once", not o.invisible),
        (
            "every clerk logged in (a session from one server valid on the other)",
            not o.logins_failed,
        ),
        (f"requests failed: {total.num_failures}", total.num_failures == 0),
    ]
    for text, good in checks:
        print(f"  {'✓' if good else '✗'} {text}")
    for problem in (
        lost[:10] + sneaked[:10] + o.refused_unshown[:10] + o.invisible[:10] + o.logins_failed
    ):
        print(f"    {problem}")
    for error in list(environment.stats.errors.values())[:10]:
        print(f"    error: {error.method} {error.name}: {error.error} ×{error.occurrences}")
    return 0 if all(good for _, good in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
