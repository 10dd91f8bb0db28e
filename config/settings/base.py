"""Settings shared by every environment. Everything that varies comes from the environment."""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY")

# The school table is the allow-list of hosts: TenantMiddleware answers 404 to any
# host that is neither a school's address nor the platform's own domain.
ALLOWED_HOSTS = ["*"]

# Schools live at {number}.{EJOURNAL_BASE_DOMAIN}; the port, if any, is part of the
# addresses printed on invitations and in letters.
EJOURNAL_BASE_DOMAIN = env.str("EJOURNAL_BASE_DOMAIN", default="localhost:8000")
EJOURNAL_SCHEME = env.str("EJOURNAL_SCHEME", default="https")
# Each process keeps which school a host names while no school changes (schools/hosts.py).
EJOURNAL_TENANT_CACHE = True

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # its static files: Swagger UI for /api/v1/docs, served from here, not a CDN
    "ejournal.core",
    "ejournal.schools",
    "ejournal.accounts",
    "ejournal.invitations",
    "ejournal.journal",
    "ejournal.audit",
    "ejournal.demo",
    "ejournal.notifications",
    "ejournal.messaging",
    "ejournal.platform",
    "ejournal.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside the tenancy middleware, so that even its plain 404 carries the policies.
    "ejournal.core.middleware.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ejournal.schools.middleware.TenantMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ejournal.core.middleware.PrivatePagesMiddleware",
    "ejournal.core.middleware.SchoolUserMiddleware",
    "ejournal.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "ejournal" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # {% url %} with its answers kept per process (core/templatetags/kept_urls.py).
            "builtins": ["ejournal.core.templatetags.kept_urls"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ejournal.core.context_processors.school",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server and a command share the file.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # DATABASE_POOLED: the URLs lead to PgBouncer in transaction mode, where each transaction
    # may get another server connection, so a cursor cannot outlive its transaction (Django's
    # .iterator() would use a named one). Django's connections are kept (CONN_MAX_AGE): one
    # to PgBouncer costs it a client slot, not a server process.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool("DATABASE_POOLED", default=False)

# A streaming replica (a hot standby of the primary) serves the reads that may lag: the
# diary, the marks, the API's reads, by core.db_router's rules (docs/architecture.md,
# "Replica and pooler"). A request that writes pins its school to the primary until the
# replica has replayed the write, at most DATABASE_REPLICA_PIN_SECONDS.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
DATABASE_REPLICA_PIN_SECONDS = env.int("DATABASE_REPLICA_PIN_SECONDS", default=60)
if DATABASE_REPLICA_URL:
    _replica = env.db_url_config(DATABASE_REPLICA_URL)
    if _replica["ENGINE"] != "django.db.backends.postgresql" or (
        DATABASES["default"]["ENGINE"] != _replica["ENGINE"]
    ):
        raise ImproperlyConfigured("DATABASE_REPLICA_URL: a replica is a PostgreSQL standby")
    DATABASES["replica"] = {
        **{key: value for key, value in DATABASES["default"].items() if key != "TEST"},
        **_replica,
        # The test runner makes no database on a standby (it could not: it is read-only):
        # a suite run with a replica configured reads its test database through the alias,
        # which exercises the routing, not the replication. The checks on a real pair
        # (core/tests/test_replica.py) migrate the pair's own database instead.
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["ejournal.core.db_router.ReplicaRouter"]
    # Inside the tenancy middleware: a write's pin names request.school.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("ejournal.schools.middleware.TenantMiddleware") + 1,
        "ejournal.core.db_router.ReplicaPinMiddleware",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis when REDIS_URL is set. Without it, throttling counters live in the database
# (they must be shared by every process), the rest in local memory.
REDIS_URL = env.str("REDIS_URL", default="")
THROTTLE_DATABASE_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "ejournal_throttle",
    # Past MAX_ENTRIES (300 by default) Django deletes a third of the rows, live ones too:
    # failing 300 other logins would erase an account's count. Expired rows go first, so
    # the table stays at about a day of failures.
    "OPTIONS": {"MAX_ENTRIES": 10_000_000},
}
if REDIS_URL:
    _redis = {"BACKEND": "ejournal.core.cache.KeptClientRedisCache", "LOCATION": REDIS_URL}
    CACHES = {
        "default": {**_redis, "KEY_PREFIX": "ejournal"},
        "throttle": {**_redis, "KEY_PREFIX": "ejournal-throttle"},
    }
    # Sessions are read from Redis, and written through to the database, which keeps them
    # when Redis restarts: a request reads no session row.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "throttle": THROTTLE_DATABASE_CACHE,
    }

# Reads kept in the cache under versions that every change moves on (core/freshness.py: a
# pupil's diary and marks, grids, a request's user and token): only with a cache all
# processes share.
EJOURNAL_JOURNAL_CACHE = env.bool("EJOURNAL_JOURNAL_CACHE", default=bool(REDIS_URL))
# The schools' version pushed to each process over Redis instead of asked for on every
# request (core/pushed.py).
EJOURNAL_PUSHED_VERSIONS = bool(REDIS_URL)

# Background work (letters): Django's tasks API via the django-tasks backport. The
# database backend stores a task in the same transaction as the change that queued it;
# `python manage.py db_worker` runs them. `make run` runs them at once instead (dev.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["ejournal.accounts.backends.SchoolLoginBackend"]
# Logins are unique per school (a database constraint on (school, lower(login))),
# not globally, so Django's "USERNAME_FIELD must be unique" warning does not apply.
SILENCED_SYSTEM_CHECKS = ["auth.W004"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Argon2id (accounts/hashers.py says why these parameters); PBKDF2 still reads the hashes
# made before it, and a login rehashes them.
PASSWORD_HASHERS = [
    "ejournal.accounts.hashers.SchoolArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): only the site's own stylesheet, scripts and images;
# the templates hold no inline script, style or handler (a test scans them; a guard parses
# every page the tests fetch). A download also gets `sandbox` (core.middleware).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
# Browser features no page uses, refused to the site and to anything it might embed.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
# Stale forms and the like meet a Russian page in the site's layout (core.views).
CSRF_FAILURE_VIEW = "ejournal.core.views.csrf_failure"

# The UI is Russian whatever the browser asks for: its words are the help page's, and
# a half-translated page (English dates among Russian labels) helps nobody. Letters
# follow each user's `language` (notifications).
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "ejournal" / "locale"]
TIME_ZONE = "Europe/Moscow"
USE_I18N = True
USE_TZ = True

# Uploaded homework files. They are never served from MEDIA_URL: a view checks who may
# read each one (journal.views.files).
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=VAR_DIR / "media")

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "ejournal" / "static"]

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="filemail:///" + str(VAR_DIR / "mail"))
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="ejournal <noreply@localhost>")

# Non-file POST data cap; in-memory upload threshold; the roster file (cut off mid-upload) and rows.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
EJOURNAL_ROSTER_MAX_BYTES = 10 * 1024 * 1024
EJOURNAL_ROSTER_MAX_ROWS = 10_000

# Invitation codes: stored only as HMAC-SHA256 with this key.
EJOURNAL_INVITATION_KEY = env.str("EJOURNAL_INVITATION_KEY", default=SECRET_KEY)
EJOURNAL_INVITATION_DAYS = env.int("EJOURNAL_INVITATION_DAYS", default=180)
EJOURNAL_PARENT_CODES_PER_STUDENT = 2

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# How many reverse proxies stand in front of the app and append to X-Forwarded-For.
EJOURNAL_TRUSTED_PROXIES = env.int("EJOURNAL_TRUSTED_PROXIES", default=0)

# The school's password rule (the help page): at least this many letters and digits.
EJOURNAL_PASSWORD_MIN_LENGTH = env.int("EJOURNAL_PASSWORD_MIN_LENGTH", default=8)
AUTH_PASSWORD_VALIDATORS = [{"NAME": "ejournal.accounts.passwords.SchoolPasswordValidator"}]
