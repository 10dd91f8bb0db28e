"""Logging in with a login and a password, and checking a logged-in user's password.

`login_attempt` is the whole rule of the web login and of the APIs' token login: the
attempt is counted before the password is checked (`acquire_all`, so a burst of parallel
guesses gets the free failures and no more), per account and per client address — or,
from a browser where the account has logged in before (accounts.devices), per account and
browser only, so nobody can keep a teacher out of her own browser by failing her password.
While a count must wait even the right password is refused: otherwise the delay would
only slow down wrong guesses and confirm the right one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.views.decorators.debug import sensitive_variables

from ejournal.audit.models import AuditAction
from ejournal.audit.services import audit_record
from ejournal.core.throttle import LOGIN_ACCOUNT, LOGIN_ADDRESS, LOGIN_DEVICE, acquire_all
from ejournal.schools.models import School

from ..devices import Device
from ..models import User
from .throttled import Throttled

INVALID_LOGIN = "Неверный логин или пароль."
LOGIN_THROTTLED = "Слишком много неудачных попыток входа. Попробуйте снова через {wait}"
WRONG_CURRENT = "Неверный текущий пароль."
# The current password asked again (to change the password or the address), throttled.
RECHECK_THROTTLED = "Слишком много неудачных попыток. Попробуйте снова через {wait}"


def account_key(*, school_id: int | None, login: str) -> str:
    """The account a login names, whatever its case: what its failures are counted by."""
    return f"{school_id or 'platform'}:{login.casefold()}"


@dataclass(frozen=True)
class LoggedIn:
    """A successful login: the user, and the account key a front end remembers the
    browser by (`devices.device_remember`)."""

    user: User
    account_key: str


@sensitive_variables("password")
def login_attempt(
    *,
    school: School | None,
    login: str,
    password: str,
    client_address: str,
    device: Device | None = None,
) -> LoggedIn:
    """Logs in at a school (None: the platform's operators), or raises `Throttled` (code
    "throttled", with the wait) or a ValidationError with code "invalid_login": the same
    for an unknown login, a wrong password and a disabled account. The failure that makes
    an account of the school wait is audited for its curator.

    `device` is the browser's device cookie if it has one; a client without one (an API
    client, for now) is counted per account and per address.
    """
    school_id = school.pk if school else None
    account = account_key(school_id=school_id, login=login)
    known = device if device is not None and device.knows(account) else None
    if known is not None:
        attempts = [(LOGIN_DEVICE, known.throttle_key(account))]
    else:
        attempts = [(LOGIN_ACCOUNT, account), (LOGIN_ADDRESS, client_address)]
    wait = acquire_all(*attempts)
    if wait:
        raise Throttled(LOGIN_THROTTLED, wait=wait)
    user = User.objects.for_login(school_id=school_id, login=login)
    if user is None:
        User().set_password(password)  # an unknown login takes as long as a wrong password
        raise ValidationError(INVALID_LOGIN, code="invalid_login")
    if not (user.check_password(password) and user.is_active):
        if known is None and school is not None and LOGIN_ACCOUNT.wait(account):
            # This failure starts a wait: one event per wait, not one per refused try.
            audit_record(school=school, actor=None, action=AuditAction.LOGIN_THROTTLED, target=user)
        raise ValidationError(INVALID_LOGIN, code="invalid_login")
    # A success forgets the account's failures; at an address it only does not count.
    if known is not None:
        LOGIN_DEVICE.clear(known.throttle_key(account))
    else:
        LOGIN_ACCOUNT.clear(account)
        LOGIN_ADDRESS.release(client_address)
    return LoggedIn(user=user, account_key=account)


@sensitive_variables("password")
def current_password_check(*, user: User, password: str) -> None:
    """Refuses a wrong current password (code "password_incorrect"), or `Throttled`.

    Its failures count as failed logins of the account: otherwise a stolen session could
    guess the password here without the login's delays.
    """
    account = account_key(school_id=user.school_id, login=user.login)
    wait = LOGIN_ACCOUNT.acquire(account)
    if wait:
        raise Throttled(RECHECK_THROTTLED, wait=wait)
    if not user.check_password(password):
        raise ValidationError(WRONG_CURRENT, code="password_incorrect")
    LOGIN_ACCOUNT.release(account)
