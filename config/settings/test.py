"""The test suite: SQLite (a file in memory-backed storage) unless DATABASE_URL points at
PostgreSQL."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-insecure-key")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("EJOURNAL_BASE_DOMAIN", "testserver.local")
os.environ.setdefault("EJOURNAL_SCHEME", "http")
os.environ.setdefault("EMAIL_URL", "memorymail://")

from .base import *  # noqa: F403

# Fast hashing keeps the suite quick; production uses Argon2id (base.py).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not SQLite's shared-cache memory database: there a second writer (the live
    # server's threads, the concurrency tests) is refused at once with "table is locked",
    # while a file's writers wait for each other (the busy timeout), as on a real server.
    _shm = Path("/dev/shm")  # noqa: S108 (a test database, named per process)
    _dir = _shm if _shm.is_dir() else Path(tempfile.gettempdir())
    DATABASES["default"]["TEST"] = {"NAME": str(_dir / f"ejournal-test-{os.getpid()}.sqlite3")}  # noqa: F405
else:
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

# Sessions as production reads them with Redis (base.py): from the cache, written through
# to the database. Without Redis the cache is this process's memory, which is right for a
# test process; the pinned query counts are then the same on both runs.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# The journal's cached reads on in every run (one process shares its memory cache): the
# pinned query counts are those of a cache miss, the first visit (conftest clears the caches).
# The replica's checks turn it off: they are about routing (core/tests/test_replica.py).
EJOURNAL_JOURNAL_CACHE = env.bool("EJOURNAL_JOURNAL_CACHE", default=True)  # noqa: F405
# A version is read from the cache at each request, never pushed: a message of one test's
# change must not arrive during the next test's pinned queries. core/tests/test_pushed.py
# listens on its own.
EJOURNAL_PUSHED_VERSIONS = False
