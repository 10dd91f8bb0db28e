"""Reads that may lag go to the streaming replica; everything else goes to the primary.

Installed only when `DATABASE_REPLICA_URL` is set (config/settings/base.py): then the
`replica` alias is a hot standby and this router decides, query by query.

**Opt-in, per view.** A read goes to the replica only inside `replica_reads(school_id)` (or
a view wrapped in `replica_reads_view`, which opens it for GET and HEAD), and only for the
models of `REPLICA_APPS` (the journal and the school's people). Reads by default would send
every form's re-check, every service's read-before-write and every page written for the
primary to a copy that may be behind; a view that opts in is one whose page is allowed to be
a moment old (the diary, the marks, the API's reads). Always on the primary, even inside the
block: sessions, users and tokens (logging in and out must be exact), throttling, tasks,
anything read inside a transaction (`select_for_update`, the services' atomic blocks), and
every write.

**Read-your-writes, per school.** A teacher writes and a parent reads: pinning only the
writer would show the parent a diary without the mark the teacher has just saved. So a
request that writes to a table of `REPLICA_APPS` pins the school it wrote in:
`ReplicaPinMiddleware` stores the primary's WAL position after the request's writes
(`pg_current_wal_insert_lsn()`, one query) under the school's key in the cache (Redis). While
that key lives, `replica_reads` for that school first asks the replica whether it has
replayed that far (one query on the replica); if not, the block reads from the primary. So
the pin lasts exactly as long as the replica's lag for that write — milliseconds here — not a
fixed window that would keep a school busy entering marks on the primary all day.
`DATABASE_REPLICA_PIN_SECONDS` (60 by default) only bounds how long a key is kept: a replica
further behind than that serves stale pages again, so lag past it is an alarm.

Writes outside a request (management commands, task workers) set no pin: what they write
reaches the diary as fast as the replica replays it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
# The apps whose tables a page may read a moment old: lessons, marks, attendance, homework,
# finals; the school, its classes, periods, students, teachers and guardianships.
REPLICA_APPS = frozenset({"journal", "schools"})
PIN_KEY = "replica-pin:school:{}"

# True inside a replica_reads block that may use the replica (its school not pinned).
_replica_block: ContextVar[bool] = ContextVar("replica_block", default=False)
# The schools (None: unknown) that the current request's writes touched; None outside one.
_request_writes: ContextVar[set[int | None] | None] = ContextVar("request_writes", default=None)


def _replica_caught_up(lsn: str) -> bool:
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT coalesce(pg_last_wal_replay_lsn() >= %s::pg_lsn, false)", [lsn])
        row = cursor.fetchone()
    return bool(row and row[0])


def replica_usable(school_id: int | None) -> bool:
    """Whether reads for this school may go to the replica now: one is configured, and no
    write in the school is newer than what it has replayed (asked only while a pin lives)."""
    if school_id is None or REPLICA not in settings.DATABASES:
        return False
    pinned = cache.get(PIN_KEY.format(school_id))
    return pinned is None or _replica_caught_up(pinned)


@contextmanager
def replica_reads(school_id: int | None) -> Iterator[bool]:
    """Within the block the reads of REPLICA_APPS' models go to the replica, unless the
    school is pinned by a recent write (see the module's docstring). Yields whether they do."""
    usable = replica_usable(school_id)
    token = _replica_block.set(usable)
    try:
        yield usable
    finally:
        _replica_block.reset(token)


@contextmanager
def primary_reads() -> Iterator[None]:
    """Within the block every read goes to the primary, inside a `replica_reads` block too:
    what a cache keeps must not be a moment old (core/freshness.py)."""
    token = _replica_block.set(False)
    try:
        yield
    finally:
        _replica_block.reset(token)


V = TypeVar("V", bound=Callable[..., HttpResponse])


def replica_reads_view(view: V) -> V:
    """A view whose GET (and HEAD) may read a moment old: the request's school's
    `replica_reads`. Other methods, and requests without a school, read the primary."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        school = getattr(request, "school", None)
        if request.method not in ("GET", "HEAD") or school is None:
            return view(request, *args, **kwargs)
        with replica_reads(school.pk):
            return view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _school_written(model: type[Model], hints: dict[str, Any]) -> int | None:
    instance = hints.get("instance")
    if instance is None:
        return None
    if model._meta.label == "schools.School":
        return instance.pk
    return getattr(instance, "school_id", None)


class ReplicaRouter:
    """Django's database router: see the module's docstring."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        if (
            _replica_block.get()
            and model._meta.app_label in REPLICA_APPS
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        # Said outright: left to Django, a read through an object loaded from the replica
        # would follow that object back to the replica outside any block.
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        writes = _request_writes.get()
        if writes is not None and model._meta.app_label in REPLICA_APPS:
            writes.add(_school_written(model, hints))
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        # One database seen twice: an object read from the replica may point at one read
        # from the primary (a diary's student at the logged-in parent).
        return {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA} or None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if db == REPLICA else None  # a standby receives the primary's schema


def _pin(school_ids: set[int]) -> None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_insert_lsn()::text")
        lsn = cursor.fetchone()[0]
    cache.set_many(
        {PIN_KEY.format(school_id): lsn for school_id in school_ids},
        timeout=settings.DATABASE_REPLICA_PIN_SECONDS,
    )


class ReplicaPinMiddleware:
    """Pins the schools a request wrote in (see the module's docstring), after its writes and
    before its answer leaves: whoever reads next in that school reads them.

    Sits inside TenantMiddleware, so that `request.school` names the school of a request whose
    writes the router saw without an instance (a queryset's update, a bulk create)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        writes: set[int | None] = set()
        token = _request_writes.set(writes)
        try:
            response = self.get_response(request)
        finally:
            _request_writes.reset(token)
        if writes:
            school = getattr(request, "school", None)
            schools = {school_id for school_id in writes if school_id is not None}
            if school is not None:
                schools.add(school.pk)
            if schools:
                _pin(schools)
        return response
