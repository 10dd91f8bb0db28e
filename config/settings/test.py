"""The test suite: SQLite in memory unless DATABASE_URL points at PostgreSQL."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-insecure-key")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("EJOURNAL_BASE_DOMAIN", "testserver.local")
os.environ.setdefault("EJOURNAL_SCHEME", "http")
os.environ.setdefault("EMAIL_URL", "memorymail://")

from .base import *  # noqa: F403

# Fast hashing keeps the suite quick; production uses PBKDF2 (base.py).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True

if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":  # noqa: F405
    # One test database per run, so that concurrent runs on one server don't collide.
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}  # noqa: F405
    # Threads (the live server, concurrency tests) close their connections when done, so
    # the test database can be dropped at the end of the run.
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

if not REDIS_URL:  # noqa: F405
    # Each test starts with clean counters (conftest clears every cache), which the
    # database cache table would only allow in tests that use the database.
    CACHES["throttle"] = {  # noqa: F405
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "throttle",
    }
