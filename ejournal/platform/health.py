"""System health for the operator: the database, the caches, the task queue, the letters."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.db.models import Count
from django_tasks_db.models import DBTaskResult

from ejournal.notifications.models import Letter, LetterStatus


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def database_check() -> Check:
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return Check("База данных", ok=False, detail=type(error).__name__)
    elapsed = (time.monotonic() - started) * 1000
    return Check("База данных", ok=True, detail=f"{connection.vendor}, {elapsed:.1f} мс")


def cache_checks() -> list[Check]:
    """Each configured cache answers a write and a read of a throwaway key."""
    checks = []
    for alias in settings.CACHES:
        cache = caches[alias]
        key = f"platform-health:{uuid.uuid4().hex}"
        backend = type(cache).__name__
        try:
            cache.set(key, "ok", timeout=10)
            ok = cache.get(key) == "ok"
            cache.delete(key)
        except Exception as error:  # whatever the backend raises, the cache is not usable
            checks.append(Check(f"Кэш «{alias}»", ok=False, detail=type(error).__name__))
            continue
        checks.append(Check(f"Кэш «{alias}»", ok=ok, detail=backend))
    return checks


@dataclass(frozen=True)
class TaskQueue:
    backend: str
    queued: int
    running: int
    failed: int
    succeeded: int


def task_queue() -> TaskQueue:
    """Counts of django_tasks_db's results by status, in one grouped query."""
    counts = {
        row["status"]: row["n"]
        for row in DBTaskResult.objects.values("status").annotate(n=Count("pk")).order_by()
    }
    return TaskQueue(
        backend=settings.TASKS["default"]["BACKEND"].rsplit(".", 1)[-1],
        queued=counts.get("READY", 0),
        running=counts.get("RUNNING", 0),
        failed=counts.get("FAILED", 0),
        succeeded=counts.get("SUCCESSFUL", 0),
    )


@dataclass(frozen=True)
class Outbox:
    queued: int
    sent: int
    failed: int


def letters_outbox() -> Outbox:
    """Letters by status, in one grouped query: counts only, never an address."""
    counts = {
        row["status"]: row["n"]
        for row in Letter.objects.values("status").annotate(n=Count("pk")).order_by()
    }
    return Outbox(
        queued=counts.get(LetterStatus.QUEUED, 0),
        sent=counts.get(LetterStatus.SENT, 0),
        failed=counts.get(LetterStatus.FAILED, 0),
    )
