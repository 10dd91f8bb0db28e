"""Versions in the shared cache: random numbers that a change moves on, under which what was
read before the change is never served again (core/freshness.py, core/pushed.py).

A version is an int, which Django's Redis cache stores as digits rather than a pickle (a
grid reads some thirty of them a request). A version that is missing (a fresh cache, an
evicted or expired key) is any new one: nothing was kept under it.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.cache import cache


def new_version() -> int:
    return secrets.randbits(62)


def version_added(key: str, *, timeout: int | None) -> tuple[Any, bool]:
    """The version under `key`, given one if it has none; and whether it was given now."""
    added = cache.add(key, new_version(), timeout=timeout)
    return cache.get(key), added
