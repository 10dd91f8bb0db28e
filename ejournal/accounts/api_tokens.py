"""The apps' tokens: issued at a login through the API, revoked by the user or by a new password.

A token is `secrets.token_urlsafe(32)` (256 random bits), shown once and stored only as its
SHA-256: it is random enough that a plain hash (no key, no salt) cannot be reversed, and the
lookup is one indexed query. It lasts API_TOKEN_LIFETIME; a revoked token is deleted. A new
password (a change, a recovery, a curator's reset) revokes all of the user's tokens in its
own transaction, as it ends the user's sessions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from ejournal.audit.models import AuditAction
from ejournal.audit.services import audit_record
from ejournal.core.pruning import delete_in_batches
from ejournal.schools.models import School

from .identity import token_by_hash, user_by_id
from .models import ApiToken, User

API_TOKEN_LIFETIME = dt.timedelta(days=90)
# How stale `last_used_at` may get: a read does not write on every request.
LAST_USED_PRECISION = dt.timedelta(minutes=5)


def token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(*, user: User, device: str) -> tuple[ApiToken, str]:
    """A new token for the user's app or device; returns it with the plain key, which is
    never stored and cannot be shown again."""
    school = user.school
    if school is None:
        raise ValueError("A platform operator has no API tokens.")
    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken(
            school=school,
            user=user,
            key_hash=token_hash(key),
            device=device.strip(),
            expires_at=timezone.now() + API_TOKEN_LIFETIME,
        )
        token.full_clean()
        token.save()
        audit_record(
            school=school,
            actor=user,
            action=AuditAction.API_TOKEN_CREATED,
            target=user,
            after={"device": token.device},
        )
    return token, key


def api_token_revoke(*, token: ApiToken, actor: User) -> None:
    """Ends one token (the user's own: fetch it with `access_api_token`)."""
    with transaction.atomic():
        token.delete()
        audit_record(
            school=token.school,
            actor=actor,
            action=AuditAction.API_TOKEN_REVOKED,
            target=token.user,
            before={"device": token.device},
        )


def api_tokens_revoke_all(*, user: User, actor: User) -> int:
    """Ends every token of the user (a new password, set by the user or the curator);
    audited when there were any."""
    with transaction.atomic():
        tokens = _of_user(user)
        devices = sorted(tokens.values_list("device", flat=True))
        if not devices:
            return 0
        tokens.delete()
        audit_record(
            school=user.school,  # type: ignore[arg-type]  # a user with tokens has a school
            actor=actor,
            action=AuditAction.API_TOKENS_REVOKED,
            target=user,
            before={"devices": devices},
        )
    return len(devices)


def api_tokens_prune() -> int:
    """Delete the expired tokens (for `manage.py prune`); returns how many."""
    return delete_in_batches(ApiToken.objects.filter(expires_at__lte=timezone.now()))


def api_token_user(*, school: School, key: str) -> User | None:
    """The user a token presented at this school logs in, or None: unknown, another
    school's, expired, or its user disabled. Notes the use, at most every few minutes."""
    now = timezone.now()
    token = token_by_hash(school_id=school.pk, key_hash=token_hash(key))
    if token is None or token.expires_at <= now:
        return None
    user = user_by_id(token.user_id)
    if user is None:  # disabled
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        token.last_used_at = now
        token.save(update_fields=["last_used_at"])
    return user


def api_tokens_for_user(user: User) -> QuerySet[ApiToken]:
    """The user's live tokens, newest first."""
    return _of_user(user).filter(expires_at__gt=timezone.now()).order_by("-created_at", "-pk")


def _of_user(user: User) -> QuerySet[ApiToken]:
    """All of the user's tokens, looked up by school first (its index); an operator has none."""
    if user.school_id is None:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(school_id=user.school_id, user=user)
