from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.utils.functional import lazy

from ..flows.login import current_password_check

# The school's rule in one line, read when shown (settings may change the length).
_rule_help_text = lazy(lambda: " ".join(password_validation.password_validators_help_texts()), str)


def _new_password_fields() -> tuple[forms.CharField, forms.CharField]:
    first = forms.CharField(
        label="Новый пароль",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_rule_help_text(),
    )
    second = forms.CharField(
        label="Новый пароль ещё раз",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    return first, second


class NewPasswordForm(auth_forms.SetPasswordForm):
    """A new password, twice; the school's rule applies (AUTH_PASSWORD_VALIDATORS)."""

    new_password1, new_password2 = _new_password_fields()
    error_messages = {"password_mismatch": "Пароли не совпадают."}


class PasswordChangeForm(NewPasswordForm):
    """ "Сменить пароль": the current password and the new one twice."""

    old_password = forms.CharField(
        label="Текущий пароль",
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    field_order = ["old_password", "new_password1", "new_password2"]

    def clean_old_password(self) -> str:
        password: str = self.cleaned_data["old_password"]
        current_password_check(user=self.user, password=password)
        return password

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        old, new = cleaned.get("old_password"), cleaned.get("new_password1")
        if old and new and old == new and not self.has_error("new_password2"):
            self.add_error("new_password1", "Новый пароль должен отличаться от текущего.")
        return cleaned
