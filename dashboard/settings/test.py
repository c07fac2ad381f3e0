"""Tests: fast hashing, tasks inline; DATABASE_URL still selects SQLite or PostgreSQL."""

from .base import *  # noqa: F403
from .env import env_bool

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
ALLOWED_HOSTS = ["*"]
# The tests run with the page cache on (one process, local memory), as production with Redis.
PAGE_CACHE = env_bool("PAGE_CACHE", True)
