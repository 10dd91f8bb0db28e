"""Browsers an account has logged in from: OWASP's "device cookie" against lockouts.

A pupil who knows a teacher's login can make the account wait by failing its password
on purpose, again and again. The teacher's own browser — one where the teacher has
logged in before — is not held up by that: it carries a signed cookie naming the
accounts that logged in there, its failures are counted apart (per account and
browser), and the account-wide and address-wide waits do not apply to it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse

COOKIE_NAME = "ejournal_device"
_SALT = "ejournal.accounts.devices"
_MAX_AGE = 180 * 24 * 3600
_MAX_ACCOUNTS = 8  # a family computer: a few accounts, the latest kept


def _digest(account_key: str) -> str:
    return hashlib.sha256(account_key.encode()).hexdigest()[:20]


@dataclass(frozen=True)
class Device:
    id: str
    accounts: tuple[str, ...]  # digests of "school:login" keys, newest last

    def knows(self, account_key: str) -> bool:
        return _digest(account_key) in self.accounts

    def throttle_key(self, account_key: str) -> str:
        return f"{account_key}:{self.id}"

    def with_account(self, account_key: str) -> Device:
        """This browser, known to this account from now on (the latest few kept)."""
        digest = _digest(account_key)
        others = [a for a in self.accounts if a != digest][-(_MAX_ACCOUNTS - 1) :]
        return Device(id=self.id, accounts=(*others, digest))


def device_from(request: HttpRequest) -> Device | None:
    """The browser's device cookie, if it carries a valid signature and is not too old."""
    value = request.get_signed_cookie(COOKIE_NAME, default=None, salt=_SALT, max_age=_MAX_AGE)
    if not value or ":" not in value:
        return None
    device_id, _, accounts = value.partition(":")
    return Device(id=device_id, accounts=tuple(a for a in accounts.split(",") if a))


def device_remember(request: HttpRequest, response: HttpResponse, account_key: str) -> None:
    """After a successful login: this browser is known to this account from now on."""
    device = device_from(request) or Device(id=secrets.token_urlsafe(12), accounts=())
    device = device.with_account(account_key)
    response.set_signed_cookie(
        COOKIE_NAME,
        f"{device.id}:{','.join(device.accounts)}",
        salt=_SALT,
        max_age=_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
