"""Production settings pass `manage.py check --deploy --fail-level WARNING` with the environment
variables of docs/deployment.md, and read those variables as documented."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from django.core.management.utils import get_random_secret_key

from dashboard.settings.env import ConfigurationError, env_int, env_proxy_ssl_header

ROOT = Path(__file__).resolve().parents[2]
DEPLOYMENT_DOC = ROOT / "docs" / "deployment.md"

# Every variable docs/deployment.md names: cleared first, so the machine's own environment
# (CI's DATABASE_URL, a developer's DEBUG) does not leak into the check.
DOCUMENTED = [
    "SECRET_KEY",
    "SECRET_KEY_FALLBACKS",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "DEBUG",
    "TASKS_BACKEND",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_COOKIES",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_AGE",
    "AXES_FAILURE_LIMIT",
    "AXES_COOLOFF_MINUTES",
    "SECURITY_CONTACT",
    "ACCESSIBILITY_CONTACT",
]
# Set by the test run for the browser tests (tests/conftest.py); never in production.
TEST_ONLY = ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def production_env(tmp_path: Path, **variables: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in DOCUMENTED + TEST_ONLY}
    env.update(
        DJANGO_SETTINGS_MODULE="dashboard.settings.production",
        SECRET_KEY=get_random_secret_key(),
        ALLOWED_HOSTS="dashboard.gemeente.example",
        CSRF_TRUSTED_ORIGINS="https://dashboard.gemeente.example",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO",
        SECURITY_CONTACT="mailto:security@gemeente.example",
        ACCESSIBILITY_CONTACT="toegankelijkheid@gemeente.example",
    )
    env.update(variables)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def deploy_check(env: dict[str, str]) -> subprocess.CompletedProcess:
    return run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)


def production_settings(env: dict[str, str]) -> dict:
    names = [
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SILENCED_SYSTEM_CHECKS",
        "SESSION_COOKIE_AGE",
        "AXES_FAILURE_LIMIT",
        "SECURITY_CONTACT",
    ]
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    result = run(["-c", code], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_every_variable_the_settings_read_is_documented():
    read = set()
    for module in (ROOT / "dashboard" / "settings").glob("*.py"):
        read |= set(re.findall(r'env_\w+\("([A-Z_]+)"', module.read_text()))
    read.add("DATABASE_URL")  # env_database
    assert {"SECRET_KEY", "SECURE_HSTS_SECONDS", "AXES_COOLOFF_MINUTES"} <= read
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", DEPLOYMENT_DOC.read_text(), re.MULTILINE))
    assert read <= documented, read - documented
    assert set(DOCUMENTED) <= documented


def test_the_deploy_check_passes_with_the_documented_variables(tmp_path):
    result = deploy_check(production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deploy_check_passes_with_hsts_preload_too(tmp_path):
    result = deploy_check(production_env(tmp_path, SECURE_HSTS_PRELOAD="true"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deploy_check_fails_on_a_weak_setup(tmp_path):
    """The check is real: a short secret key and HTTP allowed are refused."""
    env = production_env(tmp_path, SECRET_KEY="kort", SECURE_SSL_REDIRECT="false")
    result = deploy_check(env)
    assert result.returncode != 0
    assert "security.W009" in result.stderr and "security.W008" in result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["SECRET_KEY"]
    result = deploy_check(env)
    assert result.returncode != 0
    assert "Environment variable SECRET_KEY is required." in result.stderr


def test_production_defaults_are_safe(tmp_path):
    env = production_env(tmp_path)
    del env["SECURE_PROXY_SSL_HEADER"], env["SECURITY_CONTACT"]
    values = production_settings(env)
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] is None  # trust no header unless told
    assert values["SECURE_HSTS_SECONDS"] == 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_HSTS_PRELOAD"] is False
    assert "security.W021" in values["SILENCED_SYSTEM_CHECKS"]  # preload is opt-in
    assert values["SESSION_COOKIE_SECURE"] is True and values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_AGE"] == 8 * 60 * 60
    assert values["AXES_FAILURE_LIMIT"] == 20
    assert values["SECURITY_CONTACT"] == ["mailto:security@gemeente.example"]  # placeholder


def test_production_reads_the_documented_variables(tmp_path):
    env = production_env(
        tmp_path,
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
        SECURE_HSTS_SECONDS="600",
        SECURE_HSTS_PRELOAD="ja",
        AXES_FAILURE_LIMIT="10",
        SESSION_COOKIE_AGE="3600",
        SECURITY_CONTACT="mailto:cert@venlo.example, https://venlo.example/kwetsbaarheid",
    )
    values = production_settings(env)
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECURE_HSTS_SECONDS"] == 600
    assert values["SECURE_HSTS_PRELOAD"] is True
    assert "security.W021" not in values["SILENCED_SYSTEM_CHECKS"]
    assert values["AXES_FAILURE_LIMIT"] == 10
    assert values["SESSION_COOKIE_AGE"] == 3600
    assert values["SECURITY_CONTACT"] == [
        "mailto:cert@venlo.example",
        "https://venlo.example/kwetsbaarheid",
    ]


@pytest.mark.parametrize(
    ("raw", "header"),
    [
        ("", None),
        ("HTTP_X_FORWARDED_PROTO", ("HTTP_X_FORWARDED_PROTO", "https")),
        ("x-forwarded-proto", ("HTTP_X_FORWARDED_PROTO", "https")),
        ("X-Forwarded-Ssl=on", ("HTTP_X_FORWARDED_SSL", "on")),
    ],
)
def test_the_proxy_header_variable(monkeypatch, raw, header):
    monkeypatch.setenv("SECURE_PROXY_SSL_HEADER", raw)
    assert env_proxy_ssl_header("SECURE_PROXY_SSL_HEADER") == header


def test_malformed_numbers_and_headers_are_refused(monkeypatch):
    monkeypatch.setenv("AXES_COOLOFF_MINUTES", "een half uur")
    with pytest.raises(ConfigurationError, match="AXES_COOLOFF_MINUTES"):
        env_int("AXES_COOLOFF_MINUTES", 30)
    monkeypatch.setenv("SECURE_PROXY_SSL_HEADER", "X Forwarded Proto")
    with pytest.raises(ConfigurationError, match="SECURE_PROXY_SSL_HEADER"):
        env_proxy_ssl_header("SECURE_PROXY_SSL_HEADER")
