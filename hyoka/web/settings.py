"""Django settings, all from the environment (12-factor) so one code base serves a laptop and production.

HYOKA_ENV=production turns on every transport protection and refuses to start without
HYOKA_SECRET_KEY and HYOKA_ALLOWED_HOSTS; otherwise a random key is kept in the data dir,
which is what `hyoka demo` needs on a fresh machine.
"""

from __future__ import annotations

import os
import re
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

WEB_DIR = Path(__file__).resolve().parent
PRODUCTION = os.environ.get("HYOKA_ENV", "development") == "production"
DATA_DIR = Path(os.environ.get("HYOKA_DATA_DIR", Path.cwd() / "var")).resolve()


def _secret_key() -> str:
    key = os.environ.get("HYOKA_SECRET_KEY", "")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("HYOKA_SECRET_KEY must be set in production")
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("HYOKA_DEBUG", "") == "1" and not PRODUCTION

_hosts = os.environ.get("HYOKA_ALLOWED_HOSTS", "")
ALLOWED_HOSTS = [h.strip() for h in _hosts.split(",") if h.strip()] or ([] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("HYOKA_ALLOWED_HOSTS must be set in production")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "hyoka.web.accounts",
    "hyoka.web.plans",
    "hyoka.web.workflow",
    "hyoka.web.history",
    "hyoka.web.audit",
    "hyoka.web.public",
    "hyoka.web.api",
    "django_tasks",
    "django_tasks_db",
    "hyoka.web.renders",  # after django_tasks_db: its admin takes the queue's admin pages away again
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "hyoka.web.accounts.headers.ContentSecurityPolicyMiddleware",
    "hyoka.web.staticfiles.StaticFilesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hyoka.web.audit.middleware.AuditMiddleware",
    "hyoka.web.accounts.language.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "hyoka.web.accounts.nul.RefuseNulMiddleware",  # innermost: its 400 still gets every header above
    "hyoka.web.errors.RefusalPages",  # a bare 405 or 429 becomes the site's page, which every middleware above then sees
    "axes.middleware.AxesMiddleware",  # answers a locked-out login (django-axes wants it last)
]

ROOT_URLCONF = "hyoka.web.urls"
WSGI_APPLICATION = "hyoka.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
            "builtins": ["hyoka.web.plans.templatetags.hyoka_tags"],
        },
    }
]

_database_url = os.environ.get("HYOKA_DATABASE_URL", "")
if _database_url:
    # Connections are kept a minute, and checked before reuse so that a database restart costs no failed request.
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": DATA_DIR / "hyoka.sqlite3"}}
# SQLite, the embedded default, serves several people at once by making them wait rather than fail:
# WAL lets readers go on beside the one writer, a writer waits up to 30 s for the lock instead of
# answering 「database is locked」, and a transaction that writes takes the lock when it begins
# (IMMEDIATE), not half-way through, where SQLite could only give up.
SQLITE_OPTIONS = {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE", "timeout": 30}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
# Several checkouts run their test suites side by side on one PostgreSQL server, so the test
# database is named after the checkout's folder (test_hyoka_web for a worktree called "web").
_checkout = re.sub(r"[^a-z0-9_]", "_", WEB_DIR.parent.parent.name.lower())
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("HYOKA_TEST_DATABASE", f"test_hyoka_{_checkout}")}


def _caches(url: str) -> dict[str, dict[str, object]]:
    """Django's cache from HYOKA_CACHE_URL: db://<table> (the database's cache table) or file:///<folder>.

    Without it each process has its own memory cache. With several workers or servers set it,
    so that they share the computed plans and count the API's rate limit together.
    """
    scheme, _sep, where = url.partition("://")
    if not url or scheme == "locmem":
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    backends = {"db": "django.core.cache.backends.db.DatabaseCache", "file": "django.core.cache.backends.filebased.FileBasedCache"}
    if scheme not in backends or not where:
        raise ImproperlyConfigured(f"HYOKA_CACHE_URL must be db://<table> or file:///<folder>, not {url!r}")
    # Every plan of the country, with room for old revisions until they expire (or are culled).
    return {"default": {"BACKEND": backends[scheme], "LOCATION": where, "OPTIONS": {"MAX_ENTRIES": 20000}}}


_cache_url = os.environ.get("HYOKA_CACHE_URL", "")
CACHES = _caches(_cache_url)
# Computed plans go into the cache only when it is shared: a memory cache per process already has them.
HYOKA_SHARED_RESULTS = not CACHES["default"]["BACKEND"].endswith("LocMemCache")
HYOKA_SHARED_RESULTS_SECONDS = int(os.environ.get("HYOKA_SHARED_RESULTS_SECONDS", "86400"))
# Computed plans each process keeps in memory (about 6 MB each for 300 indicators); the shared cache holds the rest.
HYOKA_PLANS_IN_MEMORY = int(os.environ.get("HYOKA_PLANS_IN_MEMORY", "16"))

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes, every login form): this many failures per user name and address
# lock that pair out for the window; the counts are in the database, so every worker shares them.
HYOKA_LOGIN_FAILURES = int(os.environ.get("HYOKA_LOGIN_FAILURES", "5"))
HYOKA_LOGIN_WINDOW_SECONDS = int(os.environ.get("HYOKA_LOGIN_WINDOW_SECONDS", "900"))
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = HYOKA_LOGIN_FAILURES
AXES_COOLOFF_TIME = timedelta(seconds=HYOKA_LOGIN_WINDOW_SECONDS)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "hyoka.web.accounts.login.axes_username"
AXES_CLIENT_IP_CALLABLE = "hyoka.web.accounts.views.client_address"  # REMOTE_ADDR, never X-Forwarded-For
AXES_LOCKOUT_CALLABLE = "hyoka.web.accounts.login.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # logins are in the audit log
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "hyoka"

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [WEB_DIR.parent / "locale"]  # one catalogue for the web app, the site and the charts (hyoka.translation)
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("HYOKA_STATIC_ROOT", DATA_DIR / "static"))
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise serves from the finders; it only wants the folder
STATICFILES_DIRS = [WEB_DIR / "static"]
WHITENOISE_USE_FINDERS = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "hyoka.web.audit.middleware.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("HYOKA_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS if not h.startswith(".")]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Reports are rendered by background tasks (renders.tasks) kept in the database: no other server.
# HYOKA_REPORTS=immediate renders inside the request instead (a script, or a test of the pages).
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if os.environ.get("HYOKA_REPORTS") == "immediate"
        else "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "reports"],
    }
}
# Worker processes `hyoka serve` and `hyoka demo` start: at most this many reports are rendered at once.
HYOKA_REPORT_WORKERS = int(os.environ.get("HYOKA_REPORT_WORKERS", "1"))

# Mail (workflow.mail): SMTP when HYOKA_EMAIL_HOST is set, else printed on the console (the demo).
EMAIL_HOST = os.environ.get("HYOKA_EMAIL_HOST", "")
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
EMAIL_PORT = int(os.environ.get("HYOKA_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("HYOKA_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("HYOKA_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("HYOKA_EMAIL_TLS", "1") == "1"
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("HYOKA_EMAIL_FROM", "hyoka@localhost")
# The address people open hyoka at, for the links in mail.
HYOKA_SITE_URL = os.environ.get("HYOKA_SITE_URL", "http://127.0.0.1:8000")

# Audit events of requests by nobody signed in, per address and hour (hyoka/web/audit/record.py).
HYOKA_AUDIT_ANONYMOUS_PER_HOUR = int(os.environ.get("HYOKA_AUDIT_ANONYMOUS_PER_HOUR", "100"))

# The public API's rate limit per client address (hyoka/web/api/limits.py).
HYOKA_API_RATE_PER_MINUTE = int(os.environ.get("HYOKA_API_RATE_PER_MINUTE", "120"))
HYOKA_API_BURST = int(os.environ.get("HYOKA_API_BURST", "60"))
