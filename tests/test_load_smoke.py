"""The load test's short version, in every test run (the full one: `loadtest/run.py`,
docs/performance.md): two app servers in the production set-up (gunicorn, PostgreSQL, Redis,
the worker), readers and clerks at once for a few seconds. What is asserted is what must hold on
any machine, however loaded: no request failed, every acknowledged save is in the database,
every refused save was shown as a conflict, a save through one server is visible through the
other at once. Not speed: that is measured by the full run and written down."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _reachable(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_two_app_servers_under_load_lose_nothing():
    missing = [
        name for name, port in (("PostgreSQL", 5432), ("Redis", 6379)) if not _reachable(port)
    ]
    if missing and not os.environ.get("CI"):
        pytest.skip(f"the production set-up needs {' and '.join(missing)} on 127.0.0.1")
    env = {
        k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")
    }
    run = subprocess.Popen(
        [sys.executable, "loadtest/run.py", "--smoke"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        out, err = run.communicate(timeout=600)
    except subprocess.TimeoutExpired:
        run.terminate()  # run.py then stops its app servers and drops its database
        out, err = run.communicate(timeout=60)
        pytest.fail("the smoke load test took more than 10 minutes:\n" + out[-4000:])
    assert run.returncode == 0, out[-4000:] + err[-4000:]
    assert "✗" not in out.split("Nothing lost:")[1], out
    assert "| everything |" in out and "✓ requests failed: 0" in out
    acknowledged = int(out.split("saves acknowledged: ")[1].split(",")[0])
    assert acknowledged >= 2, out  # the probe's save and at least one under load
