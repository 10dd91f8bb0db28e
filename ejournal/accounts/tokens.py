"""One-time links: email confirmation (3 days) and password recovery (1 hour).

Neither token is stored: each is signed with the secret key over the account state it
is bound to, so changing that state kills every link issued before.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing
from django.utils.crypto import salted_hmac
from django.utils.http import base36_to_int

from .models import User

EMAIL_CONFIRMATION_MAX_AGE = dt.timedelta(days=3)
_EMAIL_CONFIRMATION_SALT = "ejournal.accounts.email-confirmation"


def _email_state(user: User) -> str:
    """A digest of the address and whether it is confirmed: the state a link is bound to."""
    confirmed = user.email_confirmed_at.isoformat() if user.email_confirmed_at else ""
    value = f"{user.pk}:{user.email.casefold()}:{confirmed}"
    return salted_hmac(_EMAIL_CONFIRMATION_SALT, value, algorithm="sha256").hexdigest()[:24]


def email_confirmation_token_make(user: User) -> str:
    """A token that confirms the user's current address, once, within three days.

    It names the account and a digest of the address (never the address itself, which
    would end up in server logs); confirming, or changing the address, changes the
    digest and so kills the token.
    """
    return signing.dumps(
        {"u": user.pk, "s": _email_state(user)}, salt=_EMAIL_CONFIRMATION_SALT, compress=False
    )


def email_confirmation_token_user(*, school_id: int, token: str) -> User | None:
    """The account of this school whose current address the token confirms, or None."""
    try:
        payload = signing.loads(
            token, salt=_EMAIL_CONFIRMATION_SALT, max_age=EMAIL_CONFIRMATION_MAX_AGE
        )
    except signing.BadSignature:  # tampered, or expired (SignatureExpired is a subclass)
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int):
        return None
    user = User.objects.filter(pk=payload["u"], school_id=school_id, is_active=True).first()
    if user is None or not user.email or user.email_confirmed_at is not None:
        return None
    if payload.get("s") != _email_state(user):
        return None
    return user


class RecoveryTokenGenerator(PasswordResetTokenGenerator):
    """Django's reset token, valid for one hour whatever PASSWORD_RESET_TIMEOUT says.

    Its hash covers the password hash, the last login and the address: the link dies
    once used, after any password change, after a later login, and when the address
    changes.
    """

    key_salt = "ejournal.accounts.tokens.RecoveryTokenGenerator"
    timeout = 60 * 60

    def check_token(self, user: User | None, token: str | None) -> bool:  # type: ignore[override]
        if not super().check_token(user, token):
            return False
        timestamp = base36_to_int(str(token).split("-")[0])
        return self._num_seconds(self._now()) - timestamp <= self.timeout


recovery_token_generator = RecoveryTokenGenerator()
