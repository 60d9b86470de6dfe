"""One settings module, configured by the environment.

Variables (all optional): ``PURPOSEFUL_DATA_DIR``, ``DATABASE_URL``, ``SECRET_KEY``,
``ALLOWED_HOSTS``, ``DEBUG``, ``PURPOSEFUL_BASE_URL``, ``EMAIL_URL`` settings
(``EMAIL_HOST`` and friends), ``PURPOSEFUL_SECURE`` (behind HTTPS).
See the README's "Configuration" section for what each one does.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from purposeful.datadir import DATABASE_FILE, SECRET_KEY_FILE, default_data_dir


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    return [item.strip() for item in value.split(",") if item.strip()] or default


PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("PURPOSEFUL_DATA_DIR") or default_data_dir()).resolve()


def _secret_key() -> str:
    """Use SECRET_KEY, or the key the CLI keeps in the data directory.

    Settings never write: the CLI creates the key file when it prepares the data
    directory, so sessions survive restarts. Without either (tests, checks) an
    ephemeral key is fine.
    """
    if key := os.environ.get("SECRET_KEY"):
        return key
    try:
        return (DATA_DIR / SECRET_KEY_FILE).read_text().strip()
    except OSError:
        return secrets.token_urlsafe(50)


SECRET_KEY = _secret_key()
DEBUG = _bool("DEBUG")
ALLOWED_HOSTS = _list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
BASE_URL = os.environ.get("PURPOSEFUL_BASE_URL", "").rstrip("/")
CSRF_TRUSTED_ORIGINS = [BASE_URL] if BASE_URL else []

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    # ninja's own static Swagger UI, so the API docs work offline and under the CSP
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "auditlog",
    # shared templates (base, registration/), static files and middleware
    "purposeful.core",
    "purposeful.home",
    "purposeful.people",
    "purposeful.organisation",
    "purposeful.audit",
    "purposeful.offers",
    "purposeful.relationships",
    "purposeful.feedback",
    "purposeful.targets",
    "purposeful.outreach",
    "purposeful.webhooks",
    "purposeful.sensing",
    "purposeful.operations",
    "purposeful.notifications",
    "purposeful.exchange",
    "purposeful.privacy",
    "purposeful.drafts",
    # last, so the site's registration/ templates (password reset, signed out)
    # are found before the admin's of the same names
    "django.contrib.admin",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # every page asks for signing in unless its view is marked @login_not_required
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "purposeful.core.request_size.RequestBodyLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "purposeful.drafts.middleware.DraftKeepingMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "purposeful.core.middleware.DatabaseUnavailableMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
]

# A form whose token went stale gets a page that keeps its words (drafts app).
CSRF_FAILURE_VIEW = "purposeful.drafts.views.csrf_failure"

ROOT_URLCONF = "purposeful.urls"
WSGI_APPLICATION = "purposeful.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "purposeful.home.context_processors.organisation",
            ],
        },
    },
]


def _read_only() -> bool:
    # PURPOSEFUL_READ_ONLY=1 opens the database read-only: pages and the API
    # read, every write is refused with a clear error (a copy kept for reading;
    # also how the tests prove a read-only installation fails clearly).
    return _bool("PURPOSEFUL_READ_ONLY")


def _databases() -> dict:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": DATA_DIR / DATABASE_FILE,
                "OPTIONS": {
                    # WAL lets readers continue while one writer writes; IMMEDIATE
                    # transactions take the write lock up front instead of failing
                    # half way with "database is locked".
                    "init_command": (
                        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                        " PRAGMA foreign_keys=ON;"
                        + (" PRAGMA query_only=ON;" if _read_only() else "")
                    ),
                    "transaction_mode": "IMMEDIATE",
                    "timeout": 20,
                },
                # Connections are kept for the life of each thread: SQLite removes
                # the WAL and shared-memory files when the last connection closes,
                # and a full disk then cannot recreate them, which takes reads
                # down too. Kept open, reads go on when the disk fills up.
                "CONN_MAX_AGE": None,
                "CONN_HEALTH_CHECKS": True,
            }
        }
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except Exception as error:  # dj-database-url raises several kinds
        raise ImproperlyConfigured(f"DATABASE_URL is not valid: {error}") from None
    if not config.get("ENGINE"):
        raise ImproperlyConfigured("DATABASE_URL is not valid: unknown database scheme")
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config.setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
        if _read_only():
            config["OPTIONS"]["init_command"] = "PRAGMA query_only=ON;"
    if "postgresql" in config["ENGINE"]:
        # a server that accepts the connection but never answers (starting up,
        # a network that drops packets) is given up on, not waited on for ever
        config.setdefault("OPTIONS", {}).setdefault("connect_timeout", 10)
    if _read_only() and "postgresql" in config["ENGINE"]:
        config.setdefault("OPTIONS", {})["options"] = (
            "-c default_transaction_read_only=on"
        )
    return {"default": config}


DATABASES = _databases()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.Member"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "purposeful.people.backends.StewardAdminBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home:start"
LOGOUT_REDIRECT_URL = "home:home"

# Failed sign-ins are throttled per username and address: five failures lock
# that pair out for a quarter of an hour.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "en"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
HASHED_STATIC = _bool("PURPOSEFUL_HASHED_STATIC") and not DEBUG
# Static files are collected only by `serve`, once per version of the code into
# a folder shared by every data directory (purposeful.core.staticcache), which
# it names here; elsewhere they are served straight from the installed package.
STATIC_ROOT = (
    (os.environ.get("PURPOSEFUL_STATIC_ROOT") or None) if HASHED_STATIC else None
)
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"


def _uploads() -> dict:
    # Uploaded files (offer pictures) stay in the data directory, unless an
    # S3-compatible object store is named: then every app server, on whichever
    # machine, reads and writes the same files. Credentials are boto3's own
    # (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or its other sources).
    bucket = os.environ.get("PURPOSEFUL_S3_BUCKET", "").strip()
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options = {
        "bucket_name": bucket,
        "endpoint_url": os.environ.get("PURPOSEFUL_S3_ENDPOINT_URL", "").strip()
        or None,
        "region_name": os.environ.get("PURPOSEFUL_S3_REGION", "").strip() or None,
        "location": os.environ.get("PURPOSEFUL_S3_PREFIX", "").strip().strip("/"),
        # Pictures are served by the app, which checks who may see them; the
        # bucket stays private and its objects are never linked to directly.
        "default_acl": None,
        "querystring_auth": True,
        # a new upload never replaces another file of the same name
        "file_overwrite": False,
    }
    if options["endpoint_url"]:
        # bucket names in the path: what MinIO and other self-hosted stores
        # understand without a DNS name per bucket
        options["addressing_style"] = "path"
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": _uploads(),
    "staticfiles": {
        # `purposeful serve` collects static files with content-hashed names at
        # start-up, so browsers may cache them for good; elsewhere (tests,
        # management commands) plain names are served from the package.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if HASHED_STATIC
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Serve static files straight from the installed package: no collectstatic
# step is needed to try Purposeful, and WhiteNoise still sets caching headers.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# A cache in the database is shared by every worker process and app server, so
# limits such as the public form's rate limit hold across all of them.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "purposeful_cache",
    }
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A worker's heartbeat, and how long it may stay silent before the task it was
# running is taken back and queued again (at most TASK_MAX_ATTEMPTS starts);
# work waiting longer than TASKS_STUCK_MINUTES is reported to stewards.
WORKER_HEARTBEAT_SECONDS = float(
    os.environ.get("PURPOSEFUL_WORKER_HEARTBEAT_SECONDS") or 5
)
TASK_LEASE_SECONDS = float(os.environ.get("PURPOSEFUL_TASK_LEASE_SECONDS") or 60)
TASK_MAX_ATTEMPTS = int(os.environ.get("PURPOSEFUL_TASK_MAX_ATTEMPTS") or 3)
TASKS_STUCK_MINUTES = float(os.environ.get("PURPOSEFUL_TASKS_STUCK_MINUTES") or 5)

# The purpose dashboard's figures are computed again at most this often when
# nothing they count changed (changes make them due at once).
DASHBOARD_REFRESH_MINUTES = float(
    os.environ.get("PURPOSEFUL_DASHBOARD_REFRESH_MINUTES") or 10
)

# Sensing groups signals by meaning with the lens's sentence embeddings when the
# `semantic` extra is installed ("auto"), or by shared words ("tfidf").
SENSING_METHOD = os.environ.get("PURPOSEFUL_SENSING_METHOD", "auto")

# webhooks: attempts per event (with exponential backoff from the base pause),
# consecutive failures before an endpoint is switched off, and whether endpoints
# may point at loopback, private or link-local addresses (never in production).
WEBHOOKS_MAX_ATTEMPTS = int(os.environ.get("PURPOSEFUL_WEBHOOKS_MAX_ATTEMPTS") or 5)
WEBHOOKS_RETRY_BASE_SECONDS = float(
    os.environ.get("PURPOSEFUL_WEBHOOKS_RETRY_BASE_SECONDS") or 30
)
WEBHOOKS_DISABLE_AFTER = int(os.environ.get("PURPOSEFUL_WEBHOOKS_DISABLE_AFTER") or 10)
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = _bool("PURPOSEFUL_WEBHOOKS_ALLOW_PRIVATE")

# Request bodies over these sizes are refused with 413 before they are read: a
# visitor who is not signed in sends forms of a few kilobytes; members upload
# site reviews (up to 100 MB) and CSV imports (up to 50 MB).
MAX_PUBLIC_REQUEST_BYTES = int(
    os.environ.get("PURPOSEFUL_MAX_PUBLIC_REQUEST_BYTES") or 1024 * 1024
)
MAX_REQUEST_BYTES = int(
    os.environ.get("PURPOSEFUL_MAX_REQUEST_BYTES") or 110 * 1024 * 1024
)

# API writes sent with an Idempotency-Key: how long the key and its answer are
# kept, so the same request sent again is answered, not repeated.
IDEMPOTENCY_HOURS = float(os.environ.get("PURPOSEFUL_IDEMPOTENCY_HOURS") or 24)

# The public "write to us" form: a submission faster than this many seconds after
# the form was shown is refused (the time trap), and one network or e-mail address
# may send this many messages an hour.
FEEDBACK_MIN_SECONDS = float(os.environ.get("PURPOSEFUL_FEEDBACK_MIN_SECONDS") or 3)
FEEDBACK_RATE_LIMIT = (int(os.environ.get("PURPOSEFUL_FEEDBACK_PER_HOUR") or 5), 3600)
# Password-reset e-mails: at most this many an hour to one address, and asked
# for from one client address (the answer is the same either way).
PASSWORD_RESET_RATE_LIMIT = (
    int(os.environ.get("PURPOSEFUL_PASSWORD_RESETS_PER_HOUR") or 3),
    3600,
)


def _trusted_proxies() -> list[str]:
    # Reverse proxies whose X-Forwarded-For is believed (addresses or networks);
    # see purposeful.core.ratelimit.client_address, which every rate limit and axes use.
    proxies = _list("PURPOSEFUL_TRUSTED_PROXIES", [])
    try:
        for proxy in proxies:
            ipaddress.ip_network(proxy, strict=False)
    except ValueError as error:
        raise ImproperlyConfigured(
            f"PURPOSEFUL_TRUSTED_PROXIES is not valid: {error}"
        ) from None
    return proxies


TRUSTED_PROXIES = _trusted_proxies()
AXES_CLIENT_IP_CALLABLE = "purposeful.core.ratelimit.client_address"

# Without a mail server, e-mails are kept in the outbox (a page members open,
# and this mbox file) instead of being printed in full on the terminal.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "purposeful.notifications.outbox.OutboxBackend",
)
OUTBOX_FILE = DATA_DIR / "outbox.mbox"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25") or 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "purposeful@localhost")

# Security headers. Behind HTTPS set PURPOSEFUL_SECURE=1 for secure cookies,
# HSTS and the redirect to https.
SECURE = _bool("PURPOSEFUL_SECURE")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

INVITATION_VALID_FOR = timedelta(days=7)

# The audit log records every write to every model: who, when, what changed.
AUDITLOG_INCLUDE_ALL_MODELS = True
AUDITLOG_EXCLUDE_TRACKING_MODELS = (
    "sessions",
    "axes",
    "contenttypes",
    "admin",
    "django_tasks_database",
    "auth.permission",
    # webhook deliveries are a log of their own, on the endpoint's page
    "webhooks.delivery",
    # unsent words, saved as they are typed, are their writer's alone
    "drafts.draft",
    # answers kept a day for API retries (Idempotency-Key), not changes
    "core.idempotencykey",
)
# Secrets never reach the log: passwords, token and private-link digests,
# webhook signing secrets.
AUDITLOG_EXCLUDE_TRACKING_FIELDS = (
    "password",
    "digest",
    "follow_digest",
    "confirm_digest",
    "submission_digest",
    "last_login",
    "secret",
)
# Restoring a backup replays records; it must not add log entries of its own.
AUDITLOG_DISABLE_ON_RAW_SAVE = True
AUDITLOG_DISABLE_REMOTE_ADDR = True

# The terminal shows warnings and real errors only (see purposeful.core.logs): a
# refused or missing page is the visitor's answer, not a server problem.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"quiet": {"()": "purposeful.core.logs.QuietFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["quiet"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"axes": {"level": "ERROR"}},
}

if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY is empty")
