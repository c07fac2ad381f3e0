"""Several app servers on one installation: the cache, the sessions and the generated files are
shared when the environment says so (docs/deployment.md); without it the embedded default
(local memory, a folder in the project) stays. And the logs are JSON lines on stdout."""

import json

import pytest

from django.core.management.utils import get_random_secret_key

from dashboard.settings.env import ConfigurationError, env_cache
from tests.core.test_deploy import production_env, run


def settings_of(env: dict[str, str], *names: str) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, default=str))"
    )
    result = run(["-c", code], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_embedded_default_is_local_memory_a_folder_and_database_sessions(tmp_path):
    values = settings_of(production_env(tmp_path), "CACHES", "SESSION_ENGINE", "STORAGES")
    assert values["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"  # shared database
    default = values["STORAGES"]["default"]
    assert default["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert default["OPTIONS"]["location"].endswith("/media")
    assert values["STORAGES"]["staticfiles"]["BACKEND"].startswith("whitenoise.")


def test_a_shared_redis_cache_a_shared_folder_and_cached_sessions(tmp_path):
    env = production_env(
        tmp_path,
        CACHE_URL="redis://127.0.0.1:6379/3",
        CACHE_KEY_PREFIX="provincie",
        MEDIA_ROOT=str(tmp_path / "gedeeld"),
    )
    values = settings_of(env, "CACHES", "SESSION_ENGINE", "STORAGES")
    cache = values["CACHES"]["default"]
    assert cache == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/3",
        "KEY_PREFIX": "provincie",
    }
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
    assert values["STORAGES"]["default"]["OPTIONS"]["location"] == str(tmp_path / "gedeeld")


def test_s3_compatible_storage_when_a_bucket_is_named(tmp_path):
    env = production_env(
        tmp_path,
        S3_BUCKET="samenwerking",
        S3_ENDPOINT_URL="https://s3.gemeente.example",
        S3_PREFIX="/venlo/",
        S3_ACCESS_KEY_ID="sleutel",
        S3_SECRET_ACCESS_KEY="geheim",
    )
    code = (
        "import django; django.setup(); from django.core.files.storage import storages;"
        " s = storages['default'];"
        " print(type(s).__module__, s.bucket_name, s.endpoint_url, s.location, s.default_acl,"
        " s.querystring_auth)"
    )
    result = run(["-c", code], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "storages.backends.s3",
        "samenwerking",
        "https://s3.gemeente.example",
        "venlo",
        "private",
        "True",
    ]


def test_a_malformed_cache_url_is_refused(monkeypatch):
    monkeypatch.setenv("CACHE_URL", "memcached://127.0.0.1:11211")
    with pytest.raises(ConfigurationError, match="CACHE_URL"):
        env_cache("CACHE_URL", key_prefix="x")


def test_production_logs_json_lines_on_stdout_at_the_configured_level(tmp_path):
    env = production_env(tmp_path, LOG_LEVEL="INFO", SECRET_KEY=get_random_secret_key())
    code = (
        "import django, logging; django.setup(); log = logging.getLogger('reports.tasks');"
        " log.debug('niet te zien'); log.info('bundel %s klaar', 7, extra={'gemeente': 'venlo'})\n"
        "try:\n    1 / 0\nexcept ZeroDivisionError:\n    log.exception('mislukt')"
    )
    result = run(["-c", code], env)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]  # every line is JSON
    lines = [line for line in lines if line["logger"] == "reports.tasks"]
    assert [(line["level"], line["message"]) for line in lines] == [
        ("INFO", "bundel 7 klaar"),
        ("ERROR", "mislukt"),
    ]
    assert lines[0]["logger"] == "reports.tasks" and lines[0]["gemeente"] == "venlo"
    assert lines[0]["time"].endswith("+00:00")
    assert "ZeroDivisionError" in lines[1]["exception"]
    text = run(["-c", code], {**env, "LOG_FORMAT": "text", "LOG_LEVEL": "ERROR"})
    assert text.stdout.strip().splitlines()[0].endswith("ERROR reports.tasks: mislukt")
    assert "bundel 7 klaar" not in text.stdout
