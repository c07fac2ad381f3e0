"""Production: everything that differs comes from the environment (docs/deployment.md).

`manage.py check --deploy --fail-level WARNING` passes with these settings and the variables
documented there (tests/core/test_deploy.py).
"""

from .base import *  # noqa: F403
from .env import env_bool, env_int, env_list, env_proxy_ssl_header, env_str

SECRET_KEY = env_str("SECRET_KEY")  # required: no default in production
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])  # old keys while rotating
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# HTTPS only. Behind a TLS-terminating reverse proxy Django sees plain HTTP: name the header by
# which the proxy says the request was HTTPS (SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO),
# or every request is redirected to https:// again and again.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = env_proxy_ssl_header("SECURE_PROXY_SSL_HEADER")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)

# HSTS: browsers use only HTTPS for a year, for this host and its subdomains. The preload list
# (hstspreload.org) is hard to leave again, so it is opt-in; without it Django's reminder
# security.W021 is silenced on purpose.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W021"]  # noqa: F405

# Generated files as base.py says (a shared folder, or S3); static files compressed by whitenoise.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Logs as JSON lines on stdout in production (LOG_FORMAT=text for plain lines).
LOG_FORMAT = env_str("LOG_FORMAT", "json").strip().lower()  # base.py refuses another value
LOGGING["handlers"]["stdout"]["formatter"] = LOG_FORMAT  # noqa: F405
# A load balancer asks /gezond/ over plain HTTP, behind the proxy that does TLS.
SECURE_REDIRECT_EXEMPT = [r"^gezond/$"]
# Background work (PDF bundles) runs in a real worker: `python manage.py db_worker`.
TASKS = {"default": {"BACKEND": TASK_BACKENDS[env_str("TASKS_BACKEND", "db")]}}  # noqa: F405
