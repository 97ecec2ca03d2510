"""One settings file, driven by environment variables (see README, "Operasi")."""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", False)
# Sessions, password-reset links and signed values all rest on SECRET_KEY: with DEBUG off and no
# key, it stays empty, never a key published in this file. Django then refuses every use of it,
# and the web application refuses to start (satupintu/wsgi.py, with SECRET_KEY_MISSING); commands
# that sign nothing (migrate, makemigrations --check, load_reference) still run. The test suite
# (pytest-django imports these settings with DEBUG off) gets a key of its own; development
# (`make run` sets DEBUG=1) gets the fixed development key.
TESTING = "pytest" in sys.modules
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "dev-only-insecure-key-change-me"
    elif TESTING:
        SECRET_KEY = "test-only-insecure-key-never-deployed"
SECRET_KEY_MISSING = (
    ""
    if SECRET_KEY
    else (
        "SECRET_KEY belum diisi. Dengan DEBUG mati (produksi) Satu Pintu tidak mau berjalan "
        "tanpa kunci rahasia: isi variabel lingkungan SECRET_KEY dengan nilai acak yang "
        "panjang, mis. dari `python -c 'import secrets; print(secrets.token_urlsafe(50))'`, "
        "atau untuk pengembangan setel DEBUG=1 (make run melakukannya)."
    )
)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "regions",
    "accounts",
    "registry",
    "jobs",
    "imports",
    "framework",
    "distribution",
    "incentives",
    "competency",
    "collaboration",
    "logbook",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files from the application itself, compressed (gzip and Brotli) and, under their
    # content-hashed names, cached for a year: no proxy needed, light on slow links.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "satupintu.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "satupintu.middleware.SessionRefreshMiddleware",
    "satupintu.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "satupintu.middleware.AnonymousThrottleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "satupintu.urls"
WSGI_APPLICATION = "satupintu.wsgi.application"

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
                "django.template.context_processors.i18n",
                "satupintu.context_processors.navigation",
            ],
        },
    },
]

# SQLite (WAL) is the embedded default; production sets DATABASE_URL=postgres://...
(BASE_DIR / "var").mkdir(exist_ok=True)
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'satupintu.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("CONN_MAX_AGE", 0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server read while the worker writes; the timeout rides out short locks.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
else:
    # One test database per test process, so that parallel runs on one server never collide.
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "registry:home"  # a landing page by role
LOGOUT_REDIRECT_URL = "login"

# Sign-in sessions expire after a working day of inactivity and when the browser closes.
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Idle sessions end after SESSION_COOKIE_AGE; a signed-in session is written again at most
# every SESSION_REFRESH_SECONDS while it is used (satupintu.middleware.SessionRefreshMiddleware),
# not on every request.
SESSION_REFRESH_SECONDS = envint("SESSION_REFRESH_SECONDS", 300)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", not DEBUG and "SECRET_KEY" in os.environ)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
API_TOKEN_LIFETIME = timedelta(hours=envint("API_TOKEN_HOURS", 24))
# Live API tokens per user: asking for one more ends the oldest.
API_TOKEN_MAX_ACTIVE = envint("API_TOKEN_MAX_ACTIVE", 5)
# Throttles on anonymous endpoints (accounts/throttle.py, api/throttling.py; issue 22). Wrong
# passwords are counted per account and per address over the window, on the sign-in page and
# the token endpoint together; past the limit no password is checked until the window ends.
SIGN_IN_FAILURES_PER_ACCOUNT = envint("SIGN_IN_FAILURES_PER_ACCOUNT", 10)
SIGN_IN_FAILURES_PER_ADDRESS = envint("SIGN_IN_FAILURES_PER_ADDRESS", 50)
SIGN_IN_WINDOW_SECONDS = envint("SIGN_IN_WINDOW_SECONDS", 15 * 60)
# Requests per address per minute to pages open without sign-in (public verification, the
# sign-in page, the API's anonymous endpoints).
ANONYMOUS_REQUESTS_PER_MINUTE = envint("ANONYMOUS_REQUESTS_PER_MINUTE", 120)

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end libraries come from the npm registry at install time (package.json) and are
# served from here: nothing is loaded from a CDN, so the UI works on closed networks.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
    ("vendor/swagger-ui", BASE_DIR / "node_modules" / "swagger-ui-dist"),
]
# In production (DEBUG off) collectstatic writes each file under a content-hashed name with
# .gz and .br beside it (WhiteNoise), so pages ask for files a browser may keep for a year.
# STATIC_MANIFEST=0 keeps plain names (development; the test suite, which has no
# collectstatic; tests/satupintu/test_static_files.py checks the production storage).
STATIC_MANIFEST = envbool("STATIC_MANIFEST", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Source maps are for developers: kept, not compressed (most of collectstatic's time).
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [
    "map",
    "png",
    "jpg",
    "jpeg",
    "gif",
    "webp",
    "woff",
    "woff2",
    "zip",
    "gz",
    "br",
    "pdf",
]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "satupintu@localhost")
# Where the file-based backend writes (make run keeps the demo's notification e-mails there
# instead of printing thousands of lines).
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))

# Background jobs: a database queue by default (a worker beside the server, no extra
# service); with REDIS_URL, an RQ queue that several workers on several machines share.
REDIS_URL = os.environ.get("REDIS_URL", "")
if os.environ.get("TASKS_IMMEDIATE"):
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
elif REDIS_URL:
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonymousAddressThrottle"],
    # One error body for every endpoint: {"code", "detail", "errors": [{field, code, message}]}.
    "EXCEPTION_HANDLER": "satupintu.api_errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Satu Pintu API",
    "DESCRIPTION": "API registri pendamping pembangunan (v1). Autentikasi: header "
    "`Authorization: Token <kunci>` dari /api/v1/auth/token/.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "satupintu.api_errors.schema_error_responses",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Verifiable certificates (competency.credentials): an Ed25519 key generated on first use into
# var/keys (never committed; back it up with the database). The public key is at
# /.well-known/jwks.json.
COMPETENCY_SIGNING_KEY_PATH = Path(
    os.environ.get(
        "COMPETENCY_SIGNING_KEY_PATH", BASE_DIR / "var" / "keys" / "credential-signing-ed25519.pem"
    )
)
# The public address printed in QR codes and links (certificates); `check --deploy` warns when
# it is unset.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "").rstrip("/")
COMPETENCY_PUBLIC_BASE_URL = PUBLIC_BASE_URL or "http://127.0.0.1:8000"
COMPETENCY_ISSUER_NAME = os.environ.get(
    "COMPETENCY_ISSUER_NAME", "Satu Pintu — Registri Pendamping Pembangunan"
)
# Activity logbook (logbook app): the largest attachment accepted, in megabytes, and how many
# days back an activity may be dated (older months are closed for reporting).
LOGBOOK_MAX_ATTACHMENT_MB = envint("LOGBOOK_MAX_ATTACHMENT_MB", 5)
LOGBOOK_BACKDATE_DAYS = envint("LOGBOOK_BACKDATE_DAYS", 92)
# Uploaded spreadsheets (satupintu.workbooks): the largest file accepted (CSV or workbook), and
# for a workbook (a zip) the most its parts may unpack to and the highest compression ratio
# before it counts as a zip bomb. Checked from the zip directory and while streaming, before any
# spreadsheet reader opens the file.
IMPORT_MAX_FILE_MB = envint("IMPORT_MAX_FILE_MB", 100)
WORKBOOK_MAX_UNCOMPRESSED_MB = envint("WORKBOOK_MAX_UNCOMPRESSED_MB", 512)
WORKBOOK_MAX_COMPRESSION_RATIO = envint("WORKBOOK_MAX_COMPRESSION_RATIO", 100)
# A merge of two registry records can be undone (by an approved request) for this many days.
MERGE_UNDO_DAYS = envint("MERGE_UNDO_DAYS", 30)
# A referral's e-mail link to a receiving unit of another agency stays valid this many days.
REFERRAL_UNIT_LINK_DAYS = envint("REFERRAL_UNIT_LINK_DAYS", 14)
