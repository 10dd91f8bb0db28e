"""Local development: `make run`. Debug on, SQLite and letters in var/mail by default."""

import os

os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("DJANGO_SECRET_KEY", "dev-only-insecure-key-not-for-production")
os.environ.setdefault("EJOURNAL_SCHEME", "http")

from .base import *  # noqa: F403

WHITENOISE_AUTOREFRESH = True

# Letters are sent as soon as the change that queued them commits: no worker to start.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
