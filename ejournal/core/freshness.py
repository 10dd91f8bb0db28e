"""Cached reads of a pupil's journal, exact to the last change: version-keyed, not timed.

The diary, the marks and the year's marks (the pages and both APIs call the same selectors)
are read far more often than they change, and at the morning peak a whole city reads them at
once. `cached_read` keeps a selector's result in the shared cache with the two versions it
was read under: the school's and the pupil's. It is served only while both are current (the
versions and the value come in one round trip). Every change a cached read could show moves
one of them on, so a changed page is never served from the cache; nothing expires by time to
be correct (the timeout only frees memory).

- **The pupil's version** moves with a row of that pupil: a mark, an absence, a final mark, a
  remark, a parent's signature, a group membership. These are the changes of every lesson
  (thirty marks between lessons); each clears one pupil's pages.
- **The school's version** moves with any other row the reads show: a lesson (its topic,
  room, cancellation), homework and its files, holidays, bells, periods, subjects, classes,
  teachers, a pupil's own record, a user's name, the school's own settings. These are rarer,
  and clear the school.
- **A user's version** moves when a parent is linked to a child or unlinked: what the user
  sees of the school (the family, a teacher's right to a journal, `cached_user_read`) is
  kept under it and the school's.

The same versions keep a class's grid (`cached_class_read`: the school's and every pupil's
of the roster) and the school's own rows (`cached_school_read`: the periods, the groups). A
miss read inside a transaction of the code is not kept: a rollback would outlive it.

What moves them: the apps connect `row_changed` / `student_changed` to `post_save` and
`post_delete` of each model the reads show (journal/apps.py, schools/apps.py,
accounts/apps.py), and the services that write in bulk (`bulk_create`, `update`, which send
no signal) call `journal_changed` themselves. A test holds the list of models against the
models that carry a school (journal/tests/test_freshness.py), and another compares each
cached read with a fresh one after every kind of write.

A version moves at once and again when the transaction commits: a read that ran between
the two (and saw the old rows) was kept under the first new version, which the second
retires. What the cache keeps is read on the primary (`primary_reads`): a replica a moment
behind would otherwise put an old page under the new version.

On only with a cache every process shares (`EJOURNAL_JOURNAL_CACHE`, on when REDIS_URL is
set; the tests turn it on, with one process): a process's own memory would keep a version
other processes have moved on.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model

from .db_router import primary_reads
from .versions import new_version, version_added

T = TypeVar("T")

SCHOOL_KEY = "journal:v:school:{}"
STUDENT_KEY = "journal:v:student:{}"
USER_KEY = "journal:v:user:{}"
# In every kept value's key: moved on when what is kept changes shape (a deploy must not read
# values an older release kept).
FORMAT = "f3"
# Only frees memory: a key's versions retire it as soon as anything it shows changes.
TIMEOUT = 6 * 60 * 60
# A version unused this long is forgotten (a miss, never a wrong hit): revoked tokens and
# archived pupils leave no keys for ever.
VERSION_TIMEOUT = 7 * 24 * 60 * 60
# A user's saves that change nothing a cached read shows (a login, a password, an address).
USER_FIELDS_NOT_SHOWN = frozenset(
    {
        "last_login",
        "password",
        "must_change_password",
        "email",
        "email_confirmed_at",
        "message_letters",
        "updated_at",
    }
)


def _bump(keys: list[str]) -> None:
    cache.set_many({key: new_version() for key in keys}, timeout=VERSION_TIMEOUT)


def versions_moved(keys: list[str], *, using: str | None = None) -> None:
    """Move these versions on now and again when the transaction commits."""
    _bump(keys)
    transaction.on_commit(lambda: _bump(keys), using=using)


def journal_changed(
    *,
    school_id: int,
    student_ids: Iterable[int] = (),
    user_ids: Iterable[int] = (),
    using: str | None = None,
) -> None:
    """Rows of the school changed: of these pupils or users only, or (nobody named) of the
    school. Moves the versions now and when the transaction commits."""
    keys = [STUDENT_KEY.format(pk) for pk in student_ids]
    keys += [USER_KEY.format(pk) for pk in user_ids]
    versions_moved(keys or [SCHOOL_KEY.format(school_id)], using=using)


def row_changed(sender: type, instance: Any, using: str | None = None, **kwargs: Any) -> None:
    """`post_save`/`post_delete` of a model the reads show: a row of a pupil (it has
    `student_id`) moves the pupil's version, any other the school's."""
    student_id = getattr(instance, "student_id", None)
    school_id = getattr(instance, "school_id", None)
    if school_id is None:
        return
    journal_changed(
        school_id=school_id, student_ids=[student_id] if student_id else [], using=using
    )


def student_changed(sender: type, instance: Any, using: str | None = None, **kwargs: Any) -> None:
    """A pupil's own record (name, class, archive) shows beyond the pupil's pages: in the
    family's child switcher, in the class's grids. Rare (the curator's edits, a sign-up):
    the school's version."""
    journal_changed(school_id=instance.school_id, using=using)


def guardianship_changed(
    sender: type, instance: Any, using: str | None = None, **kwargs: Any
) -> None:
    """A parent linked to a child or unlinked: the parent's family (students_for_user)."""
    journal_changed(school_id=instance.school_id, user_ids=[instance.parent_id], using=using)


def user_changed(
    sender: type,
    instance: Any,
    using: str | None = None,
    update_fields: Iterable[str] | None = None,
    **kwargs: Any,
) -> None:
    """A user of a school: names show in the diary (a teacher's, a signing parent's); a login
    or a new password shows nowhere, and must not clear a school's pages every morning."""
    if update_fields is not None and set(update_fields) <= USER_FIELDS_NOT_SHOWN:
        return
    if instance.school_id is not None:
        journal_changed(school_id=instance.school_id, using=using)


def school_changed(sender: type, instance: Any, using: str | None = None, **kwargs: Any) -> None:
    """The school's own settings (its mark scale colours the marks)."""
    journal_changed(school_id=instance.pk, using=using)


def watch(*models: type[Model], receiver: Callable[..., None] = row_changed) -> None:
    """Move the versions whenever a row of these models is saved or deleted."""
    from django.db.models.signals import post_delete, post_save

    for model in models:
        uid = f"freshness:{model._meta.label}:{receiver.__qualname__}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(receiver, sender=model, dispatch_uid=uid, weak=False)


def _version_keys(
    school_id: int, student_ids: Sequence[int] = (), user_ids: Sequence[int] = ()
) -> list[str]:
    return [
        SCHOOL_KEY.format(school_id),
        *(STUDENT_KEY.format(pk) for pk in student_ids),
        *(USER_KEY.format(pk) for pk in user_ids),
    ]


def _joined(keys: list[str], found: dict[str, Any]) -> tuple[str, list[str]]:
    """The versions of `keys` as one string, from what the cache answered, and the keys it
    lacked, given a new version now (core/versions.py)."""
    given = []
    for key in keys:
        if key not in found:
            found[key], added = version_added(key, timeout=VERSION_TIMEOUT)
            if added:
                given.append(key)
    return ".".join(str(found[key]) for key in keys), given


def _in_transaction() -> bool:
    """Inside a transaction of the code (a service's), not only a test's own (Django marks
    those as it does for `durable`)."""
    return any(
        not getattr(block, "_from_testcase", False)
        for block in transaction.get_connection().atomic_blocks
    )


def kept_read(
    key: str, version_keys: list[str], read: Callable[[], T], *, keep_none: bool = True
) -> T:
    """The value kept under `key` if it was read under the versions now current, else
    `read()`, kept with them (a None only if `keep_none`). One round trip to the cache: the
    versions and the value are asked for together (a key holds one value, the one of the
    latest versions it was read under)."""
    if not settings.EJOURNAL_JOURNAL_CACHE:
        return read()
    found = cache.get_many([*version_keys, key])
    versions, given = _joined(version_keys, found)
    kept = found.get(key)
    if kept is not None and kept[0] == versions:
        return kept[1]  # type: ignore[no-any-return]
    with primary_reads():
        value = read()
    # A read inside a transaction may see its own writes, which a rollback undoes after the
    # version has moved: kept, it would outlive them. Only what is committed is kept.
    if not _in_transaction() and (keep_none or value is not None):
        cache.set(key, (versions, value), timeout=TIMEOUT)
    elif given:  # nothing kept under them (a guessed token): leave no versions behind
        cache.delete_many(given)
    return value


def cached_read(
    name: str, *, school_id: int, student_id: int, parts: Iterable[object], read: Callable[[], T]
) -> T:
    """`read()`, kept for the pupil under `name` and `parts` (everything else the result
    depends on: the dates, the period, today) until a version moves."""
    return kept_read(
        ":".join(["journal", FORMAT, name, str(student_id), *map(str, parts)]),
        _version_keys(school_id, [student_id]),
        read,
    )


def cached_school_read(
    name: str, *, school_id: int, parts: Iterable[object], read: Callable[[], T]
) -> T:
    """`read()` of the school's own rows (its periods, a class's groups), kept until the
    school's version moves."""
    return kept_read(
        ":".join(["journal", FORMAT, name, *map(str, parts)]), _version_keys(school_id), read
    )


def cached_user_read(
    name: str, *, school_id: int, user_id: int, parts: Iterable[object], read: Callable[[], T]
) -> T:
    """`read()` of what a user sees of the school (a parent's children), kept until the
    school's version or the user's moves."""
    return kept_read(
        ":".join(["journal", FORMAT, name, f"u{user_id}", *map(str, parts)]),
        _version_keys(school_id, user_ids=[user_id]),
        read,
    )


def cached_class_read(
    name: str,
    *,
    school_id: int,
    student_ids: Sequence[int],
    parts: Iterable[object],
    read: Callable[[], T],
) -> T:
    """`read()` of many pupils at once (a class's grid), kept until the school's version or
    any of theirs moves. The key carries the pupils (hashed, it would be long): a pupil who
    joins or leaves them makes another key."""
    ids = ",".join(map(str, student_ids))
    digest = hashlib.sha256("|".join([ids, *map(str, parts)]).encode()).hexdigest()
    key = f"journal:{FORMAT}:{name}:{digest}"
    return kept_read(key, _version_keys(school_id, student_ids), read)
