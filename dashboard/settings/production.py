"""Production: everything that differs comes from the environment (see README)."""

from .base import *  # noqa: F403
from .env import env_bool, env_list, env_str

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
SECURE_HSTS_SECONDS = 31536000 if env_bool("SECURE_HSTS", False) else 0
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Background work (PDF bundles) runs in a real worker: `python manage.py db_worker`.
TASKS = {"default": {"BACKEND": TASK_BACKENDS[env_str("TASKS_BACKEND", "db")]}}  # noqa: F405
