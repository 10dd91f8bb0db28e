"""Which school a host names, without a query per request.

Each process keeps what its lookups found (a school's row, or that a host names none) and
keeps it while the schools' version in the shared cache (Redis in production) is the one
it was found under; Redis pushes the version to each process when it moves
(core/pushed.py), so a request does not ask for it. Saving or deleting a school moves the
version on, at once and again after its transaction commits: a process that read the old
row between the two finds it stale once the second move reaches it (in this process at once,
in the others when Redis delivers the message: a fraction of a millisecond here, a few
seconds at most if a message is lost). The school is rebuilt from the kept
row for each request, so a view that changes `request.school` changes no other request's.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction

from ejournal.core.pushed import PushedVersion
from ejournal.core.tenancy import base_hostname, split_host

from .models import School

VERSION_KEY = "schools:version"
_FIELDS = [field.attname for field in School._meta.concrete_fields]
# hostname → (the version it was found under, the school's row or None)
_found: dict[str, tuple[str, tuple[Any, ...] | None]] = {}


# Pushed to every process when it moves, so a request asks Redis nothing (core/pushed.py).
_version = PushedVersion(VERSION_KEY)


def schools_version() -> str:
    return _version.current()


def schools_changed() -> None:
    """A school was saved or deleted: every process looks its hosts up again."""
    _version.move()


def hosts_forget() -> None:
    """This process forgets what it found (the tests start each from nothing)."""
    _found.clear()


def school_changed_receiver(**kwargs: Any) -> None:
    schools_changed()
    transaction.on_commit(schools_changed, using=kwargs.get("using"))


def _lookup(hostname: str) -> School | None:
    suffix = "." + base_hostname()
    if hostname.endswith(suffix):
        number = hostname[: -len(suffix)]
        if number and "." not in number:
            return School.objects.filter(number__iexact=number).first()
        return None
    return School.objects.filter(domain__iexact=hostname).first()


def school_for_host(host: str) -> School | None:
    """The school served at this host, or None for the platform's own domain or an unknown
    host; a query only the first time a process sees the host under the current version
    (`EJOURNAL_TENANT_CACHE` off: a query every time)."""
    hostname = split_host(host)
    if not settings.EJOURNAL_TENANT_CACHE:
        return _lookup(hostname)
    version = schools_version()
    kept = _found.get(hostname)
    if kept is None or kept[0] != version:
        school = _lookup(hostname)
        row = None if school is None else tuple(getattr(school, name) for name in _FIELDS)
        _found[hostname] = kept = (version, row)
    return None if kept[1] is None else School.from_db("default", _FIELDS, kept[1])
