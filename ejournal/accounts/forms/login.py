from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from ejournal.core.http import client_address
from ejournal.core.throttle import (
    LOGIN_ACCOUNT,
    LOGIN_ADDRESS,
    LOGIN_DEVICE,
    acquire_all,
    format_wait,
)

from ..devices import device_from


class LoginForm(AuthenticationForm):
    """ "Вход в журнал", with growing delays after failed attempts.

    While an account or a client address must wait, even the right password is refused
    (otherwise the delay would only slow down wrong guesses and confirm the right one).
    A browser the account has logged in from before is counted on its own instead
    (accounts.devices), so nobody can keep a teacher out of her own browser.
    """

    account_key = ""

    username = forms.CharField(
        label="Логин",
        max_length=40,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label="Пароль",
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": "Неверный логин или пароль.",
        "throttled": "Слишком много неудачных попыток входа. Попробуйте снова через %(wait)s",
    }

    def clean(self) -> dict[str, Any]:
        login = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if login is None or not password:
            return self.cleaned_data
        school = getattr(self.request, "school", None)
        account = f"{school.id if school else 'platform'}:{login.casefold()}"
        self.account_key = account
        address = client_address(self.request) if self.request else ""
        device = device_from(self.request) if self.request else None
        known = device if device is not None and device.knows(account) else None
        if known is not None:
            attempts = [(LOGIN_DEVICE, known.throttle_key(account))]
        else:
            attempts = [(LOGIN_ACCOUNT, account), (LOGIN_ADDRESS, address)]
        # Counted before the password is checked: parallel guesses can't all pass as free.
        wait = acquire_all(*attempts)
        if wait:
            raise ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"wait": format_wait(wait)},
            )
        self.user_cache = authenticate(self.request, username=login, password=password)
        if self.user_cache is None:
            raise self.get_invalid_login_error()
        # A success forgets the account's failures; at an address it only does not count.
        if known is not None:
            LOGIN_DEVICE.clear(known.throttle_key(account))
        else:
            LOGIN_ACCOUNT.clear(account)
            LOGIN_ADDRESS.release(address)
        self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data
