"""The curator's setting of a user's password: generated or typed, audited, with a notice."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.views.decorators.debug import sensitive_variables

from ejournal.audit.models import AuditAction
from ejournal.audit.services import audit_record
from ejournal.schools.roles import Role

from ..api_tokens import api_tokens_revoke_all
from ..models import User
from ..passwords import password_validate_for_user
from .selectors import email_confirmed

# Lower-case letters and digits without the look-alikes (l/1, o/0): the curator reads the
# temporary password out or writes it down, and the user types it on a phone.
_TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_TEMPORARY_MIN_LENGTH = 10


def temporary_password(*, user: User) -> str:
    """A random password that passes the school's rule for this user: letters and digits."""
    length = max(settings.EJOURNAL_PASSWORD_MIN_LENGTH, _TEMPORARY_MIN_LENGTH)
    for _ in range(100):
        password = "".join(secrets.choice(_TEMPORARY_ALPHABET) for _ in range(length))
        if not (any(c.isdigit() for c in password) and any(c.isalpha() for c in password)):
            continue
        try:
            password_validate_for_user(password, user)
        except ValidationError:
            continue  # by chance it contains the login or a name: draw again
        return password
    raise RuntimeError("No temporary password passes the password rule: check its settings.")


@sensitive_variables("password")
def user_password_set_by_curator(*, curator: User, user: User, password: str | None) -> str:
    """Sets a new password for an account of the curator's school and returns it.

    With `password=None` a temporary one is generated; a typed one must pass the school's
    rule (ValidationError with every reason, in Russian). The user must change it at the
    next login; every session of theirs ends (the session auth hash follows the password
    hash) and so does every app token; the change is audited without the password; a
    notice goes to a confirmed address.
    """
    if curator.role != Role.CURATOR or curator.school_id is None:
        raise PermissionDenied
    if user.school_id != curator.school_id or user.role == Role.OPERATOR:
        raise PermissionDenied
    if user.pk == curator.pk:
        raise ValidationError(
            "Свой пароль куратор меняет на странице «Сменить пароль» в своём профиле.",
            code="own_password",
        )
    generated = password is None
    if password is None:
        password = temporary_password(user=user)
    else:
        password_validate_for_user(password, user)
    notify = email_confirmed(user)
    with transaction.atomic():
        before = {"must_change_password": user.must_change_password}
        user.set_password(password)
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password", "updated_at"])
        audit_record(
            school=user.school,  # type: ignore[arg-type]  # checked above: same as the curator's
            actor=curator,
            action=AuditAction.PASSWORD_SET_BY_CURATOR,
            target=user,
            before=before,
            after={"must_change_password": True, "temporary": generated, "notice_sent": notify},
        )
        api_tokens_revoke_all(user=user, actor=curator)
        if notify:
            password_set_notice(user=user)
    return password


def password_set_notice(*, user: User) -> None:
    """The letter "куратор установил временный пароль" to the user's confirmed address.

    It never holds the password. Queued in the password change's transaction, it is sent
    only if that commits.
    """
    # Imported here: the letters app sits above accounts (it imports the account models).
    from ejournal.notifications.services import letter_send

    letter_send(
        kind="password_set_by_curator",
        to=user.email,
        user=user,
        school=user.school,
        context={},
        language=user.language,
    )
