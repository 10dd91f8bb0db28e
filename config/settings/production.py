"""Production: debug off, a real secret key required, HTTPS everywhere, gunicorn in front."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASE_REPLICA_URL, EJOURNAL_JOURNAL_CACHE, REDIS_URL, env

# Printed codes outlive a rotation of the secret key, so their key is separate and required.
EJOURNAL_INVITATION_KEY = env.str("EJOURNAL_INVITATION_KEY")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# The replica's pins (core.db_router) must be seen by every process: in Redis, not in one
# process's memory.
if DATABASE_REPLICA_URL and not REDIS_URL:
    raise ImproperlyConfigured("DATABASE_REPLICA_URL needs REDIS_URL: the pins live in Redis")
# The kept reads' versions (core.freshness: pages, users, tokens) likewise: in one process's
# memory a new password or a revoked token would go unseen by the other processes.
if EJOURNAL_JOURNAL_CACHE and not REDIS_URL:
    raise ImproperlyConfigured("EJOURNAL_JOURNAL_CACHE needs REDIS_URL: its versions live there")
