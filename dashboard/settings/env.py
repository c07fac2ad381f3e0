"""Typed access to the environment: every setting that production may change is read here."""

import os

import dj_database_url


class ConfigurationError(RuntimeError):
    """An environment variable is missing or malformed."""


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ConfigurationError(f"Environment variable {name} is required.")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on", "ja"}:
        return True
    if lowered in {"0", "false", "no", "off", "nee"}:
        return False
    raise ConfigurationError(f"Environment variable {name} must be a boolean, got {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw.strip())
    except ValueError:
        raise ConfigurationError(
            f"Environment variable {name} must be a whole number, got {raw!r}."
        ) from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_proxy_ssl_header(name: str) -> tuple[str, str] | None:
    """The header by which a TLS-terminating reverse proxy tells Django the request was HTTPS.

    ``HTTP_X_FORWARDED_PROTO`` (or ``X-Forwarded-Proto``) gives ``("HTTP_X_FORWARDED_PROTO",
    "https")``; ``HTTP_X_FORWARDED_SSL=on`` names another value. Unset or empty: None, Django
    then trusts no header. Set it only when the proxy always sets (or strips) that header.
    """
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    header, _, value = raw.partition("=")
    header = header.strip().upper().replace("-", "_")
    if not header.startswith("HTTP_"):
        header = f"HTTP_{header}"
    if header == "HTTP_" or " " in header:
        raise ConfigurationError(f"Environment variable {name} must name a header, got {raw!r}.")
    return (header, value.strip() or "https")


def env_database(default_url: str) -> dict:
    """DATABASE_URL selects the database: sqlite:///path or postgres://user@host:port/name."""
    url = os.environ.get("DATABASE_URL") or default_url
    config = dj_database_url.parse(url, conn_max_age=60)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
    return config


def env_cache(name: str, key_prefix: str) -> dict:
    """CACHE_URL selects the cache every app server shares: ``redis://host:6379/0`` (or
    ``rediss://`` over TLS) is Django's built-in Redis cache; unset or ``locmem://`` is local
    memory, one per process (the embedded default: fine for one process, not for several)."""
    url = os.environ.get(name, "").strip()
    if not url or url == "locmem://":
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigurationError(
            f"Environment variable {name} must be a redis://, rediss:// or unix:// address "
            f"(or locmem://), got {url!r}."
        )
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": key_prefix,
        }
    }


def cache_is_shared(caches: dict) -> bool:
    return caches["default"]["BACKEND"].endswith("RedisCache")


def storages(media_root: str, s3: dict | None) -> dict:
    """Where generated files (published PDFs, bundles, kept imports) live: a folder every app
    server shares (MEDIA_ROOT, e.g. a network mount), or an S3-compatible bucket through
    django-storages (`s3`: the options of its S3Storage) when S3_BUCKET is set."""
    if s3 is None:
        default = {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": media_root},
        }
    else:
        default = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": s3}
    return {
        "default": default,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
