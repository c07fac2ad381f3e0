"""Settings shared by every environment."""

from datetime import timedelta
from pathlib import Path

from .env import (
    cache_is_shared,
    env_bool,
    env_cache,
    env_database,
    env_int,
    env_list,
    env_str,
    storages,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY", "onveilig-alleen-voor-ontwikkeling")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_tables2",
    "django_filters",
    "import_export",
    "django_tasks_db",
    "simple_history",
    "axes",  # login throttling (see AXES_* below)
    # Our apps, in the one direction of their imports (docs/architecture.md):
    # reports → allocation → finance → collaborations → core.
    "core",
    "collaborations",
    "finance",
    "allocation",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # who made a change, for the history of every record (django-simple-history)
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # last: turns a locked-out login into the lockout page (django-axes)
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dashboard.urls"
WSGI_APPLICATION = "dashboard.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
            "builtins": ["core.templatetags.nl"],
        },
    }
]
FORM_RENDERER = "core.forms.NLDesignFormRenderer"

DATABASES = {"default": env_database(f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Passwords (BIO, OWASP ASVS V2.1): at least 12 characters, not like the user's name or e-mail,
# not one of the 20,000 most common passwords, not only digits. Django's messages are Dutch.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out username before any password is checked (it needs
# the request: tests log in with `client.force_login`, or `client.login(request=HttpRequest(),
# …)`).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "reports:my-municipality"  # Mijn gemeente
LOGOUT_REDIRECT_URL = "collaborations:home"

# Dutch first. USE_THOUSAND_SEPARATOR stays False: it would print the year 2017 as "2.017".
# Money and percentages are formatted explicitly (core/formatting.py).
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands")]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Generated files (published PDFs, bundles, kept imports; served through views, never directly):
# a folder every app server shares (MEDIA_ROOT: a network mount when there are several), or an
# S3-compatible bucket through django-storages when S3_BUCKET is set (docs/deployment.md).
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
S3_BUCKET = env_str("S3_BUCKET", "").strip()
STORAGES = storages(
    str(MEDIA_ROOT),
    {
        "bucket_name": S3_BUCKET,
        "endpoint_url": env_str("S3_ENDPOINT_URL", "").strip() or None,
        "region_name": env_str("S3_REGION", "").strip() or None,
        "access_key": env_str("S3_ACCESS_KEY_ID", "").strip() or None,
        "secret_key": env_str("S3_SECRET_ACCESS_KEY", "").strip() or None,
        "location": env_str("S3_PREFIX", "").strip("/ "),
        "default_acl": "private",
        "querystring_auth": True,  # never public: the site serves the files through views
        "file_overwrite": False,  # as in a folder: a name that exists gets a new one
    }
    if S3_BUCKET
    else None,
)

# The cache: shared by every app server when CACHE_URL names a Redis (Django's built-in
# RedisCache), else local memory per process (the embedded default). CACHE_KEY_PREFIX keeps
# installations apart that share one Redis.
CACHES = env_cache("CACHE_URL", key_prefix=env_str("CACHE_KEY_PREFIX", "samenwerking"))
# Sessions work across app servers: in the shared database, read through the shared cache when
# there is one ("cached_db": a write goes to both, a cache miss falls back to the database).
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if cache_is_shared(CACHES)
    else "django.contrib.sessions.backends.db"
)

# Published pages for the public from the cache (core/pagecache.py, docs/architecture.md): on by
# default only when the cache is shared — with local memory every process would keep its own
# pages and its own generation, and a write through one app server would not reach another's.
# PAGE_CACHE_SECONDS bounds how long a stored page lives (also after an upgrade of the code).
PAGE_CACHE = env_bool("PAGE_CACHE", cache_is_shared(CACHES))
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
# benchmarks/bench_cache.py only: a hello-world view at /bench/hallo/ to compare against.
BENCH_HELLO = env_bool("DASHBOARD_BENCH_HELLO", False)

# Security headers and a strict Content Security Policy (Django 6 built-in).
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Sessions end: at most 8 hours after logging in (the server forgets the session then, also when
# the browser stays open), and the cookie is dropped when the browser closes. The cookies are
# out of reach of scripts and not sent along with cross-site POSTs. `manage.py clearsessions`
# removes expired sessions from the database (run it daily).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # no script reads the CSRF cookie; forms carry the token
CSRF_COOKIE_SAMESITE = "Lax"

# Login throttling (django-axes) for /inloggen/ and /beheer/login/: after AXES_FAILURE_LIMIT
# failed logins for one username within the cool-off time that username is locked for the
# cool-off time, whatever the address the attempts come from. Locked per username, not per IP
# address: the staff of a municipality share one outgoing address, so an IP lock would let one
# mistyping colleague or one attacker behind that address lock out the whole municipality, and
# an attacker who rotates addresses would never be locked. The price is that someone who knows a
# username can lock that account for the cool-off time; the beheerder can unlock it (/beheer/ →
# Axes → Mislukte inlogpogingen, or `manage.py axes_reset_username <naam>`). Spraying one
# password over many usernames is limited by the password rules above and by a rate limit per
# address at the reverse proxy (docs/deployment.md). Attempts during a lock do not extend it,
# so "probeer het over 30 minuten opnieuw" stays true; a successful login clears the failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "core.security.lockout_response"  # the Dutch page, status 429
# Every failed login is also kept in a log (at most 1,000 per username) for the beheerder, next
# to the log of successful logins; `manage.py axes_reset_logs --age 365` and
# `axes_reset_failure_logs --age 365` prune them (docs/deployment.md).
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# axes.W006 warns about any lock without the IP address: a lock on the user agent or cookies
# alone is dodged by rotating them. Ours is on the username: every attempt for it counts, from
# any address or browser (tests/core/test_login_security.py proves it).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Login with the municipality's own identity provider over OpenID Connect (mozilla-django-oidc;
# docs/deployment.md). Off unless OIDC_ENABLED: then nothing of it is installed, mounted or shown
# and its other variables are not read. On, /inloggen/ gets a button to /oidc/authenticate/, the
# provider sends the browser back to /oidc/callback/, and a missing variable stops the start.
# The provider only says who someone is: core.oidc.OIDCBackend (after axes, which sees every
# attempt first) matches an existing login by one claim and makes a new one only with
# OIDC_CREATE_USERS, without any role. Roles and the beheerder's rights are granted in the site.
OIDC_ENABLED = env_bool("OIDC_ENABLED", False)
if OIDC_ENABLED:
    from urllib.parse import urlsplit

    from django.core.exceptions import ImproperlyConfigured

    OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID", "").strip()
    OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET", "").strip()
    OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT", "").strip()
    OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT", "").strip()
    OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT", "").strip()
    OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT", "").strip() or None
    OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256").strip().upper()
    _oidc_required = [
        "OIDC_RP_CLIENT_ID",
        "OIDC_RP_CLIENT_SECRET",
        "OIDC_OP_AUTHORIZATION_ENDPOINT",
        "OIDC_OP_TOKEN_ENDPOINT",
        "OIDC_OP_USER_ENDPOINT",
    ]
    if not OIDC_RP_SIGN_ALGO.startswith("HS"):  # RS/ES: the provider's public keys
        _oidc_required.append("OIDC_OP_JWKS_ENDPOINT")
    _oidc_missing = [name for name in _oidc_required if not globals()[name]]
    if _oidc_missing:
        raise ImproperlyConfigured(
            "OIDC_ENABLED is on, but these variables are missing: "
            f"{', '.join(_oidc_missing)} (docs/deployment.md)."
        )
    _oidc_algorithms = {
        f"{family}{bits}" for family in ("RS", "ES", "HS") for bits in (256, 384, 512)
    }
    if OIDC_RP_SIGN_ALGO not in _oidc_algorithms:
        raise ImproperlyConfigured(
            f"OIDC_RP_SIGN_ALGO must be one of {', '.join(sorted(_oidc_algorithms))}, "
            f"got {OIDC_RP_SIGN_ALGO!r}."
        )
    # The client secret and the tokens travel to these addresses: HTTPS only (plain HTTP is
    # allowed to this machine itself, for a provider stub in the tests).
    for _name in [name for name in _oidc_required if name.startswith("OIDC_OP_")]:
        _url = urlsplit(globals()[_name])
        if _url.scheme != "https" and not (
            _url.scheme == "http" and _url.hostname in {"127.0.0.1", "localhost", "::1"}
        ):
            raise ImproperlyConfigured(f"{_name} must be an https:// address.")
    OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid email profile")
    OIDC_USERNAME_CLAIM = env_str("OIDC_USERNAME_CLAIM", "preferred_username").strip()
    OIDC_CREATE_USER = env_bool("OIDC_CREATE_USERS", False)  # default: existing logins only
    OIDC_LOGIN_LABEL = env_str("OIDC_LOGIN_LABEL", "Inloggen met het account van uw gemeente")
    OIDC_USE_PKCE = True  # the code is worth nothing without this browser's secret (RFC 7636)
    OIDC_TIMEOUT = 10  # seconds per call to the provider, well within gunicorn's 30
    OIDC_CALLBACK_CLASS = "core.oidc.CallbackView"  # Dutch messages, back to /inloggen/
    INSTALLED_APPS = [*INSTALLED_APPS, "mozilla_django_oidc"]
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "core.oidc.OIDCBackend"]

# Translations of third-party labels (django-axes' admin) that have no Dutch of their own.
LOCALE_PATHS = [BASE_DIR / "locale"]

# /.well-known/security.txt (RFC 9116): where to report a vulnerability. A mailto: or https:
# address, several separated by commas. The default is a placeholder: set it in production.
SECURITY_CONTACT = env_list("SECURITY_CONTACT", ["mailto:security@gemeente.example"])
# The e-mail address for accessibility feedback on /toegankelijkheid/ (the model statement asks
# for one). The default is a placeholder: set it in production.
ACCESSIBILITY_CONTACT = env_str("ACCESSIBILITY_CONTACT", "toegankelijkheid@gemeente.example")

# Committee bundles are heavy work (a PDF of many pages): a bundle that exists is always
# served, but a new one is made at most this often per address (anonymous) or per login
# (django-ratelimit, counted in the default cache; "5/h" is five an hour).
BUNDLE_RATE_ANONYMOUS = env_str("BUNDLE_RATE_ANONYMOUS", "5/h")
BUNDLE_RATE_USER = env_str("BUNDLE_RATE_USER", "30/h")

# Background tasks (PDF bundles): "inline" runs them in the request (development, tests);
# "db" queues them in the database for `python manage.py db_worker` (django-tasks-db).
TASK_BACKENDS = {
    "inline": "django.tasks.backends.immediate.ImmediateBackend",
    "db": "django_tasks_db.DatabaseBackend",
}
TASKS = {"default": {"BACKEND": TASK_BACKENDS[env_str("TASKS_BACKEND", "inline")]}}

DJANGO_TABLES2_TEMPLATE = "partials/table.html"
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True

# Imports with preview (reports/imports, docs/formats.md): an uploaded file is at most
# IMPORT_MAX_BYTES, an xlsx unpacks to at most IMPORT_MAX_UNPACKED_BYTES (zip bombs), a sheet
# has at most IMPORT_MAX_ROWS rows. Between preview and confirmation the file is kept in the
# default storage (shared by the app servers) for IMPORT_KEEP_SECONDS, then removed.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 2 * 1024 * 1024)
IMPORT_MAX_UNPACKED_BYTES = env_int("IMPORT_MAX_UNPACKED_BYTES", 50 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 10_000)
IMPORT_KEEP_SECONDS = env_int("IMPORT_KEEP_SECONDS", 60 * 60)

# Logging to stdout: one JSON object a line (LOG_FORMAT=json, core.jsonlog) for a log collector,
# or plain text; LOG_LEVEL for everything, DJANGO_LOG_LEVEL for Django's own loggers.
LOG_FORMAT = env_str("LOG_FORMAT", "text").strip().lower()
LOG_LEVEL = env_str("LOG_LEVEL", "WARNING").strip().upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "core.jsonlog.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"level": env_str("DJANGO_LOG_LEVEL", LOG_LEVEL).strip().upper()},
    },
}
if LOG_FORMAT not in {"json", "text"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, got {LOG_FORMAT!r}.")

# PDF limits (core/pdf.py). Past one a PDF is refused with a Dutch message, never made at the
# cost of the worker: HTML above HTML_BYTES is refused before layout; the layout runs in a child
# process, stopped after SECONDS, with MEMORY_MB of address space, at most PAGES pages.
# Measured (docs/performance.md): about 10 pages of text a second, 2-3.5 MB of memory a page;
# the year PDF of ZVH 2017 is 39 KB of HTML, 5 pages, 0.6 s. A web request must end well within
# gunicorn's 30 s worker timeout; background tasks (bundles, a published version's PDF) have room.
PDF_MAX_SECONDS = 20
PDF_MAX_PAGES = 300
PDF_MAX_HTML_BYTES = 500_000
PDF_MAX_MEMORY_MB = 1536
PDF_TASK_MAX_SECONDS = 600
PDF_TASK_MAX_PAGES = 1000
PDF_TASK_MAX_HTML_BYTES = 5_000_000
PDF_TASK_MAX_MEMORY_MB = 4096
