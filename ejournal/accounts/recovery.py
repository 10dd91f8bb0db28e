"""Password recovery by a confirmed address, and setting a password (recovery or change).

The help page: "введите адрес электронной почты, указанный при регистрации. На указанный
адрес будет отправлено письмо с инструкцией по смене пароля" — users forget their login
too, so each letter names its account's login.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from ejournal.audit.models import AuditAction
from ejournal.audit.services import audit_record
from ejournal.core.tenancy import school_base_url
from ejournal.core.throttle import RECOVERY_ADDRESS, RECOVERY_EMAIL, acquire_all
from ejournal.notifications.models import LetterKind
from ejournal.notifications.services import letter_send
from ejournal.schools.models import School

from .api_tokens import api_tokens_revoke_all
from .flows.throttled import Throttled
from .models import User
from .tokens import recovery_token_generator

RECOVERY_VALID_HOURS = recovery_token_generator.timeout // 3600
RECOVERY_THROTTLED = (
    "Слишком много запросов на восстановление пароля. Попробуйте снова через {wait}"
)


def _school(user: User) -> School:
    """The account's school: these flows exist only at a school's address."""
    if user.school is None:
        raise ValueError("a school account is required")
    return user.school


def recovery_link(user: User) -> str:
    """The one-time link to set a new password, at the school's configured address."""
    school = _school(user)
    path = reverse(
        "accounts:recovery_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": recovery_token_generator.make_token(user),
        },
    )
    return school_base_url(school) + path


def recovery_request(*, school: School, email: str, client_address: str) -> None:
    """Queues the search for accounts with this address and their letters (a task), or
    raises `Throttled`: requests count per client address and per address entered.

    The request itself does the same work whatever the address: whether it is known
    shows neither in the answer, nor in its throttling, nor in the time it takes.
    """
    email = email.strip()
    wait = acquire_all(
        (RECOVERY_ADDRESS, client_address), (RECOVERY_EMAIL, f"{school.pk}:{email.casefold()}")
    )
    if wait:
        raise Throttled(RECOVERY_THROTTLED, wait=wait)
    send_recovery_letters.enqueue(school.pk, email)


@task()
def send_recovery_letters(school_id: int, email: str) -> int:
    """The letters of a recovery request, looked up and queued by the worker."""
    school = School.objects.filter(pk=school_id).first()
    if school is None:
        return 0
    return recovery_letters_send(school=school, email=email)


def recovery_letters_send(*, school: School, email: str) -> int:
    """Sends a recovery letter to each active account of the school with this confirmed address.

    Unconfirmed addresses get nothing: anyone may type any address into a registration
    form. Returns the number of letters, which the requester is never told.
    """
    users = list(
        User.objects.filter(
            school=school,
            email__iexact=email,
            email_confirmed_at__isnull=False,
            is_active=True,
        ).select_related("school")
    )
    with transaction.atomic():
        for user in users:
            letter_send(
                kind=LetterKind.RECOVERY,
                to=user.email,
                user=user,
                school=school,
                language=user.language,
                context={
                    "recovery_url": recovery_link(user),
                    "valid_hours": RECOVERY_VALID_HOURS,
                },
            )
    return len(users)


def password_changed_letter_send(*, user: User) -> None:
    """ "Пароль изменён", to the account's address if it is confirmed."""
    if not (user.email and user.email_confirmed_at and user.school_id):
        return
    school = _school(user)
    letter_send(
        kind=LetterKind.PASSWORD_CHANGED,
        to=user.email,
        user=user,
        school=school,
        language=user.language,
        context={},
    )


def user_password_set(*, user: User, password: str, action: AuditAction) -> None:
    """A new password chosen by the user (a change or a recovery; already validated).

    Clears must_change_password. Every session of the user made before ends at its next
    request, since the session's auth hash derives from the password hash; the caller
    keeps its own session with update_session_auth_hash if it should stay. Every app token
    of the user is revoked.
    """
    school = _school(user)
    with transaction.atomic():
        user.set_password(password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password", "updated_at"])
        audit_record(school=school, actor=user, action=action, target=user)
        api_tokens_revoke_all(user=user, actor=user)
        password_changed_letter_send(user=user)
