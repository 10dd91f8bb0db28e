"""The bare Django project `make bench` compares every page with: one view, no middleware,
no database, served by the same gunicorn in the same run. What is left of a request here is
Django's own floor and the server's: a page's ratio to it is what the page itself costs."""

SECRET_KEY = "bench-bare-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "bench.bare.urls"
MIDDLEWARE: list[str] = []
INSTALLED_APPS: list[str] = []
DATABASES: dict[str, dict[str, str]] = {}
USE_TZ = True
