"""Email confirmation: setting the address (current password required) and confirming it.

The help page: "Войдя в систему после регистрации, вам будет необходимо подтвердить свою
эл. почту" — without a confirmed address there is no self-service recovery.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from ejournal.audit.models import AuditAction
from ejournal.audit.services import audit_record
from ejournal.core.tenancy import school_base_url
from ejournal.core.throttle import CONFIRMATION_LETTER
from ejournal.notifications.models import Letter, LetterKind
from ejournal.notifications.services import letter_send
from ejournal.schools.models import School
from ejournal.schools.roles import Role

from .flows.login import current_password_check
from .flows.throttled import Throttled
from .identity import user_row_changed
from .models import User
from .tokens import EMAIL_CONFIRMATION_MAX_AGE, email_confirmation_token_make

ALREADY_CONFIRMED = "Этот адрес уже подтверждён."
LETTER_THROTTLED = "Письмо для подтверждения уже отправлено. Новое можно отправить через {wait}"


def _school(user: User) -> School:
    """The account's school: these flows exist only at a school's address."""
    if user.school is None:
        raise ValueError("a school account is required")
    return user.school


def email_confirmation_needed(user: User) -> bool:
    """An address waiting for confirmation, or a parent (for whom it is mandatory) without one."""
    if user.email:
        return user.email_confirmed_at is None
    return user.role == Role.PARENT


def email_mask(email: str) -> str:
    """ "ni***@example.com": enough for the owner to recognise, for the audit log."""
    local, _, domain = email.partition("@")
    return f"{local[:2]}***@{domain}" if domain else ""


def _throttle_key(user: User) -> str:
    return f"{user.school_id}:{user.pk}"


def confirmation_letter_send(*, user: User) -> Letter:
    """A letter with a link that confirms the account's current address."""
    school = _school(user)
    token = email_confirmation_token_make(user)
    url = school_base_url(school) + reverse("accounts:email_confirm", args=[token])
    return letter_send(
        kind=LetterKind.CONFIRMATION,
        to=user.email,
        user=user,
        school=school,
        language=user.language,
        context={
            "confirm_url": url,
            "valid_days": EMAIL_CONFIRMATION_MAX_AGE.days,
        },
    )


@sensitive_variables("current_password")
def user_email_update(*, user: User, email: str, current_password: str) -> None:
    """Sets the address, behind the current password, and sends a confirmation letter.

    A new address is unconfirmed, which kills every confirmation link sent before. Raises
    a ValidationError keyed "current_password" (wrong, or `Throttled` as a failed login),
    one with code "confirmed" for the address already confirmed, or `Throttled` when the
    account has had its letters for now (counted per account, before anything changes).
    """
    school = _school(user)
    try:
        current_password_check(user=user, password=current_password)
    except ValidationError as refusal:
        raise ValidationError({"current_password": refusal}) from refusal
    email = User.objects.normalize_email(email.strip())
    if email == user.email and user.email_confirmed_at is not None:
        raise ValidationError(ALREADY_CONFIRMED, code="confirmed")
    wait = CONFIRMATION_LETTER.acquire(_throttle_key(user))
    if wait:
        raise Throttled(LETTER_THROTTLED, wait=wait)
    with transaction.atomic():
        if email != user.email:
            before = {
                "email": email_mask(user.email),
                "confirmed": user.email_confirmed_at is not None,
            }
            user.email = email
            user.email_confirmed_at = None
            user.save(update_fields=["email", "email_confirmed_at", "updated_at"])
            audit_record(
                school=school,
                actor=user,
                action=AuditAction.EMAIL_CHANGED,
                target=user,
                before=before,
                after={"email": email_mask(email), "confirmed": False},
            )
        confirmation_letter_send(user=user)


def user_email_confirm(*, user: User) -> bool:
    """Marks the user's current address confirmed; False if it already was (a replayed link).

    One conditional UPDATE, so two concurrent confirmations of one link confirm once.
    """
    school = _school(user)
    now = timezone.now()
    with transaction.atomic():
        updated = User.objects.filter(
            pk=user.pk, email=user.email, email_confirmed_at__isnull=True
        ).update(email_confirmed_at=now, updated_at=now)
        if not updated:
            return False
        user_row_changed(user.pk)
        user.email_confirmed_at = now
        audit_record(
            school=school,
            actor=user,
            action=AuditAction.EMAIL_CONFIRMED,
            target=user,
            after={"email": email_mask(user.email), "confirmed": True},
        )
    return True
