"""Hosts: the base domain, a host without its port, a school's own address.

Which school a host names is the schools app's (`schools.hosts.school_for_host`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from ejournal.schools.models import School


def split_host(host: str) -> str:
    """The host name without the port, lowercased and without a trailing dot."""
    if host.startswith("["):  # IPv6 literal
        return host.split("]")[0] + "]"
    return host.rsplit(":", 1)[0].lower().rstrip(".") if ":" in host else host.lower().rstrip(".")


def base_hostname() -> str:
    return split_host(settings.EJOURNAL_BASE_DOMAIN)


# A generic host: the platform's own, with no school in its name. `api.` under the base
# domain is one, for the ЭлЖур protocol's clients (api.eljur), which name the school by
# `vendor` instead.
GENERIC_PREFIXES = ("", "api.")


def is_generic_host(host: str) -> bool:
    """The bare base domain or `api.` under it: served with request.school = None."""
    hostname = split_host(host)
    return any(hostname == prefix + base_hostname() for prefix in GENERIC_PREFIXES)


def school_base_url(school: School) -> str:
    """The school's own address, from configuration only: never from a request's Host."""
    host = school.domain or f"{school.number}.{settings.EJOURNAL_BASE_DOMAIN}"
    return f"{settings.EJOURNAL_SCHEME}://{host}"
