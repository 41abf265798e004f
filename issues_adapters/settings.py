"""Django settings, all chosen by environment (docs/configuration.md names each).

With nothing set: SQLite under var/, event handlers in-process after commit, mail written to
files under var/mail/, DEBUG on. Production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and
usually DATABASE_URL and CELERY_BROKER_URL.
"""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HELPDESK_VAR_DIR", BASE_DIR / "var"))


def env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_flag("DEBUG", True)
_DEVELOPMENT_SECRET = "development-only-secret-key-never-use-in-production-0123456789abcdef"
SECRET_KEY = os.environ.get("SECRET_KEY") or (_DEVELOPMENT_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("Set SECRET_KEY in the environment when DEBUG is off.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
CSRF_FAILURE_VIEW = "issues_adapters.web.error_pages.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "issues_adapters.accounts",
    "issues_adapters.persistence",
    "issues_adapters.eventing",
    "issues_adapters.api",
    "issues_adapters.web",
    "issues_adapters.canned_replies",
    "issues_adapters.sla",
    "issues_adapters.reports",
    "issues_adapters.attachments",
]

MIDDLEWARE = [
    # First, so that every response carries X-Request-ID, even one a later middleware made.
    "issues_adapters.http.request_id.RequestIdInAndOut",
    "django.middleware.security.SecurityMiddleware",
    "issues_adapters.http.content_security_policy.ContentSecurityPolicy",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "issues_adapters.http.nul_characters.RefuseNulCharacters",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The browser's language (Accept-Language), after the session and before CommonMiddleware.
    "django.middleware.locale.LocaleMiddleware",
    # Before CommonMiddleware, the first to ask for the host (web/error_pages.py).
    "issues_adapters.web.error_pages.RefuseUnknownHosts",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A staff member's chosen language wins over their browser's (on /staff/settings/).
    "issues_adapters.accounts.languages.StaffLanguage",
    # After the session, the user and their language, before anything reads the body.
    "issues_adapters.http.oversized_requests.RefuseOversizedRequests",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "issues_adapters.web.error_pages.ProductErrorPages",
]

ROOT_URLCONF = "issues_adapters.urls"
WSGI_APPLICATION = "issues_adapters.wsgi.application"

_CONTEXT_PROCESSORS = [
    "django.template.context_processors.request",
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
    "issues_adapters.attachments.context.attachment_limits",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": _CONTEXT_PROCESSORS,
        },
    },
    {
        # The issue page and the queue (jinja_templates/), compiled to Python by Jinja2: the
        # reason and the figures are in issues_adapters/web/jinja.py.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "jinja_templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "issues_adapters.web.jinja.environment",
            "context_processors": [
                *_CONTEXT_PROCESSORS,
                "issues_adapters.web.jinja.csrf_input_once",
            ],
        },
    },
]

# -- database -----------------------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'helpdesk.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # The same SQLite, with writers queueing on a lock rather than in SQLite's busy handler.
    DATABASES["default"]["ENGINE"] = "issues_adapters.sqlite"
    # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock when a
    # transaction starts, so two writers queue up instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests: a file, as in production, not Django's shared in-memory database, whose table
    # locks make a second connection (the delivery thread, a live server) fail at once.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get(
            "TEST_DATABASE_NAME", str(VAR_DIR / f"test-helpdesk-{os.getpid()}.sqlite3")
        )
    }
else:
    # Each test run gets its own database, so that parallel runs on one server never collide.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("TEST_DATABASE_NAME", f"test_helpdesk_{os.getpid()}")
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# -- people -------------------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Failed logins lock the account and the address out for a while (accounts/failed_logins.py).
AUTHENTICATION_BACKENDS = [
    "issues_adapters.accounts.backends.RefuseLockedOutLogins",
    # Django's ModelBackend, its read of the session's user compiled once (kept_statements.py).
    "issues_adapters.accounts.backends.ModelBackend",
]
# Django's database sessions, their read compiled once (accounts/sessions.py).
SESSION_ENGINE = "issues_adapters.accounts.sessions"
HELPDESK_LOGIN_FAILURES_PER_ACCOUNT = int(
    os.environ.get("HELPDESK_LOGIN_FAILURES_PER_ACCOUNT", "5")
)
HELPDESK_LOGIN_FAILURES_PER_ADDRESS = int(
    os.environ.get("HELPDESK_LOGIN_FAILURES_PER_ADDRESS", "20")
)
HELPDESK_LOGIN_LOCKOUT_SECONDS = int(os.environ.get("HELPDESK_LOGIN_LOCKOUT_SECONDS", "900"))
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/staff/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# The languages pages and mail speak (docs/configuration.md: adding one). A reporter's is
# taken from their browser and kept with the issue; a staff member chooses theirs.
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("English")), ("de", _("German"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# -- static files -------------------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns at every start without it
# -- attachments --------------------------------------------------------------------------

# Where attachments' bytes go: a folder (the default) or S3-compatible storage (django-storages).
HELPDESK_ATTACHMENTS_STORAGE = os.environ.get("HELPDESK_ATTACHMENTS_STORAGE", "filesystem")
HELPDESK_ATTACHMENTS_DIR = Path(os.environ.get("HELPDESK_ATTACHMENTS_DIR", VAR_DIR / "attachments"))
if HELPDESK_ATTACHMENTS_STORAGE == "s3":
    _ATTACHMENTS_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("HELPDESK_S3_BUCKET", ""),
            "endpoint_url": os.environ.get("HELPDESK_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("HELPDESK_S3_REGION") or None,
            "access_key": os.environ.get("HELPDESK_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("HELPDESK_S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("HELPDESK_S3_PREFIX", "attachments"),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _ATTACHMENTS_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": HELPDESK_ATTACHMENTS_DIR, "base_url": None},
    }
HELPDESK_ATTACHMENTS_MAX_FILES = int(os.environ.get("HELPDESK_ATTACHMENTS_MAX_FILES", "10"))
HELPDESK_ATTACHMENTS_MAX_FILE_BYTES = int(
    os.environ.get("HELPDESK_ATTACHMENTS_MAX_FILE_BYTES", str(10_000_000))
)
HELPDESK_ATTACHMENTS_MAX_MESSAGE_BYTES = int(
    os.environ.get("HELPDESK_ATTACHMENTS_MAX_MESSAGE_BYTES", str(25_000_000))
)
# Files stored by a request that then failed (or crashed) are swept after this long.
HELPDESK_ORPHAN_FILE_GRACE_SECONDS = int(
    os.environ.get("HELPDESK_ORPHAN_FILE_GRACE_SECONDS", str(24 * 3600))
)
# Public mail carries attachments up to this total; larger ones are links.
HELPDESK_MAIL_ATTACHMENTS_MAX_BYTES = int(
    os.environ.get("HELPDESK_MAIL_ATTACHMENTS_MAX_BYTES", str(10_000_000))
)
# clamd's socket (a path, or host:port): every upload is scanned; unset, none is.
HELPDESK_CLAMD_SOCKET = os.environ.get("HELPDESK_CLAMD_SOCKET", "")
# Uploads above this go to a temporary file as they arrive, not memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 1_100_000

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "attachments": _ATTACHMENTS_STORAGE,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# -- mail ---------------------------------------------------------------------------------

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_flag("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Helpdesk <helpdesk@localhost>")


def base_url(environ) -> str:
    """Where links in mail point: HELPDESK_BASE_URL, else the address `make run` serves on
    (its HOST and PORT), so that `PORT=8101 make run` mails links that work."""
    if environ.get("HELPDESK_BASE_URL"):
        return environ["HELPDESK_BASE_URL"].rstrip("/")
    host = environ.get("HOST") or "127.0.0.1"
    if host in {"0.0.0.0", "::", "[::]"}:  # listening everywhere: this machine answers too
        host = "127.0.0.1"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{environ.get('PORT') or '8000'}"


HELPDESK_BASE_URL = base_url(os.environ)
# The domain of mail's Message-IDs; empty: DEFAULT_FROM_EMAIL's.
HELPDESK_MAIL_DOMAIN = os.environ.get("HELPDESK_MAIL_DOMAIN", "")

# -- events -------------------------------------------------------------------------------

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "helpdesk")
# After a commit: "thread" hands the new events to a delivery thread in the same process (which
# delivers them, or publishes them to Celery), "inline" makes the committing request do it
# before it answers (the tests), "none" leaves every event to the relay (eventing/dispatch.py).
HELPDESK_DELIVER_AFTER_COMMIT = os.environ.get("HELPDESK_DELIVER_AFTER_COMMIT", "thread")
HELPDESK_DELIVERY_BATCH = int(os.environ.get("HELPDESK_DELIVERY_BATCH", "100"))
HELPDESK_DELIVERY_QUEUE = int(os.environ.get("HELPDESK_DELIVERY_QUEUE", "10000"))
# How long the delivery thread waits for more events to deliver with the first (a batch).
HELPDESK_DELIVERY_LINGER_SECONDS = float(os.environ.get("HELPDESK_DELIVERY_LINGER_SECONDS", "0.02"))
HELPDESK_DELIVERY_DRAIN_SECONDS = float(os.environ.get("HELPDESK_DELIVERY_DRAIN_SECONDS", "10"))
# A request whose process has more events than this waiting for its delivery thread waits (up
# to a second) for it to catch up: under overload reporting slows to delivery's pace instead of
# mail lagging without bound. 0: never wait.
HELPDESK_DELIVERY_BACKLOG = int(os.environ.get("HELPDESK_DELIVERY_BACKLOG", "200"))
# Deliveries: quick tries right after commit (embedded mode), then retries with exponential back-off
# from the relay loop or the Celery workers, parked after the last one (see eventing/relay.py).
HELPDESK_INLINE_ATTEMPTS = int(os.environ.get("HELPDESK_INLINE_ATTEMPTS", "3"))
HELPDESK_DELIVERY_MAX_ATTEMPTS = int(os.environ.get("HELPDESK_DELIVERY_MAX_ATTEMPTS", "8"))
HELPDESK_RETRY_BASE_SECONDS = float(os.environ.get("HELPDESK_RETRY_BASE_SECONDS", "5"))
HELPDESK_RETRY_MAX_SECONDS = float(os.environ.get("HELPDESK_RETRY_MAX_SECONDS", "3600"))
# A delivery transaction takes up to this many events, and starts no new one after this long.
HELPDESK_DELIVERY_TRANSACTION_EVENTS = int(
    os.environ.get("HELPDESK_DELIVERY_TRANSACTION_EVENTS", "50")
)
HELPDESK_DELIVERY_TRANSACTION_SECONDS = float(
    os.environ.get("HELPDESK_DELIVERY_TRANSACTION_SECONDS", "0.05")
)
# A started delivery is its worker's for this long (renewed while it sends); then the relay may
# take it over. Events younger than the grace are left to after-commit delivery.
HELPDESK_RELAY_LEASE_SECONDS = float(os.environ.get("HELPDESK_RELAY_LEASE_SECONDS", "60"))
HELPDESK_RELAY_GRACE_SECONDS = float(os.environ.get("HELPDESK_RELAY_GRACE_SECONDS", "5"))
# Reporter comments within this many seconds of the first reach the assignee in one mail.
HELPDESK_REPORTER_COMMENT_COALESCE_SECONDS = float(
    os.environ.get("HELPDESK_REPORTER_COMMENT_COALESCE_SECONDS", "120")
)
# A rebuild whose worker has not reported for this long is taken for dead and may start again.
HELPDESK_REBUILD_STALE_SECONDS = float(os.environ.get("HELPDESK_REBUILD_STALE_SECONDS", "60"))
HELPDESK_SWEEP_SECONDS = float(os.environ.get("HELPDESK_SWEEP_SECONDS", "30"))
# /health/ answers 503 once an event handler is this far behind (issues_adapters/http/health.py).
# SLA (issues_adapters/sla): the share of a target spent that makes it "breaching soon" (and
# mails a warning); how often Celery beat runs the timers; how many times a timer's command
# is tried before it is parked; days after which a resolved issue is closed (0: never).
HELPDESK_SLA_WARNING_RATIO = float(os.environ.get("HELPDESK_SLA_WARNING_RATIO", "0.8"))
HELPDESK_SLA_TIMER_SECONDS = float(os.environ.get("HELPDESK_SLA_TIMER_SECONDS", "30"))
HELPDESK_SLA_TIMER_ATTEMPTS = int(os.environ.get("HELPDESK_SLA_TIMER_ATTEMPTS", "5"))
HELPDESK_AUTO_CLOSE_DAYS = float(os.environ.get("HELPDESK_AUTO_CLOSE_DAYS", "7"))
HELPDESK_HEALTH_MAX_LAG_SECONDS = float(os.environ.get("HELPDESK_HEALTH_MAX_LAG_SECONDS", "300"))
# Inbound mail over IMAP (manage.py fetch_mail --imap); Maildir/mbox paths need none of these.
HELPDESK_IMAP_HOST = os.environ.get("HELPDESK_IMAP_HOST", "")
HELPDESK_IMAP_PORT = int(os.environ.get("HELPDESK_IMAP_PORT", "993"))
HELPDESK_IMAP_USER = os.environ.get("HELPDESK_IMAP_USER", "")
HELPDESK_IMAP_PASSWORD = os.environ.get("HELPDESK_IMAP_PASSWORD", "")
HELPDESK_IMAP_MAILBOX = os.environ.get("HELPDESK_IMAP_MAILBOX", "INBOX")
HELPDESK_IMAP_SSL = env_flag("HELPDESK_IMAP_SSL", True)

# -- API ----------------------------------------------------------------------------------

# The cache holds the rate limits' counts and the failed logins. Unset: each
# process keeps its own (fine for one process); with several web processes set CACHE_URL
# (e.g. redis://127.0.0.1:6379/1) so they all count against the same limits.
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "helpdesk",
        }
    }
elif CACHE_URL:
    raise ImproperlyConfigured(f"CACHE_URL must be a redis:// URL, not {CACHE_URL!r}")
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Which reverse proxies stand in front, so that the client's address may be read from
# X-Forwarded-For (issues_adapters/http/client_address.py): a number of proxies, or a list of
# their addresses and networks. Unset: nobody is trusted, the socket's address is the client's.
_TRUSTED_PROXIES = os.environ.get("HELPDESK_TRUSTED_PROXIES", "").strip()
HELPDESK_TRUSTED_PROXIES: int | list[str] = (
    int(_TRUSTED_PROXIES)
    if _TRUSTED_PROXIES.isdigit()
    else [
        str(ipaddress.ip_network(entry, strict=False))
        for entry in env_list("HELPDESK_TRUSTED_PROXIES", "")
    ]
)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAdminUser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "issues_adapters.api.errors.api_exception_handler",
    "DEFAULT_PARSER_CLASSES": ["issues_adapters.api.parsers.NestingLimitedJSONParser"],
    # Per client address, tracking token or email; see issues_adapters/api/throttling.py.
    # Raise them for benchmarks.
    "DEFAULT_THROTTLE_RATES": {
        "report": os.environ.get("HELPDESK_API_REPORT_RATE", "30/minute"),
        "token": os.environ.get("HELPDESK_API_TOKEN_RATE", "20/minute"),
        "reporter_comment": os.environ.get("HELPDESK_REPORTER_COMMENT_RATE", "10/hour"),
        "password_reset": os.environ.get("HELPDESK_PASSWORD_RESET_RATE", "3/hour"),
        "password_reset_address": os.environ.get("HELPDESK_PASSWORD_RESET_ADDRESS_RATE", "20/hour"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Helpdesk API",
    "DESCRIPTION": "Report, triage, assign or pick, comment on, resolve, reopen and close issues.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ActorRoleEnum": "issues_adapters.api.serializers.ACTOR_ROLES",
        "IssueStatusEnum": "issues_adapters.api.serializers.ISSUE_STATUSES",
        "RebuildStatusEnum": "issues_adapters.api.projections.REBUILD_STATUSES",
        "HandlerKindEnum": "issues_adapters.api.projections.HANDLER_KINDS",
        "LinkKindEnum": "issues_adapters.api.serializers.LINK_KINDS",
    },
    # Separate request and response components: request fields keep minLength and the like.
    "COMPONENT_SPLIT_REQUEST": True,
}

# -- security -----------------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", True)
    # Health probes come over plain HTTP from inside (a load balancer, a container's check).
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Pages run only this site's own scripts and styles, from files (no inline script or style,
# no eval), and cannot be framed or post forms elsewhere.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}

# One line a record, with the request's or inbound mail's id (issues_adapters/tracing.py):
# 2026-01-31 12:00:00,123 level=INFO logger=issues_adapters.eventing.inbound correlation_id=...
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"correlation_id": {"()": "issues_adapters.logs.CorrelationIdFilter"}},
    "formatters": {
        "key_value": {
            "format": "%(asctime)s level=%(levelname)s logger=%(name)s "
            "correlation_id=%(correlation_id)s %(message)s"
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["correlation_id"],
            "formatter": "key_value",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Django's records go to the console above (its own handlers would print them without the id).
    "loggers": {"django": {"handlers": [], "level": "INFO"}},
}
