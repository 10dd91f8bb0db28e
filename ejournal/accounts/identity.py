"""Who a request is: the user of a session and the token of an app, kept in the shared cache
until their row changes (core/freshness.py's `kept_read`, not timed).

Every page and every API call starts by loading its user, and at the morning peak that one
query was a fifth of a kept diary page and nearly half of an app's call. A user is kept under
the version of the row, which every save or delete of it moves (a login, a new password, a
deactivation: `user_row_changed`), as does the one UPDATE that bypasses the signals
(`email_confirmation.user_email_confirm`). A token is kept under its hash's version, which
its save and delete move (a revocation is felt at the next call); its expiry and its user's
state are checked at every call. An unknown token is not kept, nor a version for it: guesses
fill no cache.

What is kept is the row as the database has it, the password hash with it (Django checks a
session against the hash at every request): Redis already holds the sessions themselves,
which are worth more to an attacker than a hash that costs 19 MiB and 22 ms a guess.
"""

from __future__ import annotations

from typing import Any

from ejournal.core.freshness import FORMAT, kept_read, versions_moved

from .models import ApiToken, User

USER_VERSION = "accounts:v:user:{}"
TOKEN_VERSION = "accounts:v:token:{}"  # noqa: S105 (a cache key, not a secret)


def user_by_id(user_id: int) -> User | None:
    """The active user with this id (a session's), or None."""
    return kept_read(
        f"accounts:{FORMAT}:user:{user_id}",
        [USER_VERSION.format(user_id)],
        lambda: User.objects.filter(pk=user_id, is_active=True).first(),
    )


def token_by_hash(*, school_id: int, key_hash: str) -> ApiToken | None:
    """The school's token with this hash, expired or not, or None (not kept)."""
    return kept_read(
        f"accounts:{FORMAT}:token:{school_id}:{key_hash}",
        [TOKEN_VERSION.format(key_hash)],
        lambda: ApiToken.objects.filter(school_id=school_id, key_hash=key_hash).first(),
        keep_none=False,
    )


def user_row_changed(user_id: int, *, using: str | None = None) -> None:
    """The user's row was written: its kept copy is retired."""
    versions_moved([USER_VERSION.format(user_id)], using=using)


def user_saved(sender: type, instance: User, using: str | None = None, **kwargs: Any) -> None:
    user_row_changed(instance.pk, using=using)


def token_saved(sender: type, instance: ApiToken, using: str | None = None, **kwargs: Any) -> None:
    versions_moved([TOKEN_VERSION.format(instance.key_hash)], using=using)
