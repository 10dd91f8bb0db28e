from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from ejournal.core.throttle import format_wait

from ..email_confirmation import confirmation_letter_wait
from ..flows.login import current_password_check
from ..models import User


class EmailUpdateForm(forms.Form):
    """ "Обновление информации о пользователе": the address, behind the current password."""

    current_password = forms.CharField(
        label="Текущий пароль",
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    email = forms.EmailField(
        label="Электронная почта",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    error_messages = {
        "throttled": (
            "Письмо для подтверждения уже отправлено. Новое можно отправить через %(wait)s"
        ),
        "already_confirmed": "Этот адрес уже подтверждён.",
    }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_current_password(self) -> str:
        password: str = self.cleaned_data["current_password"]
        current_password_check(user=self.user, password=password)
        return password

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        email = cleaned.get("email")
        if email is None or self.has_error("current_password"):
            return cleaned
        user = self.user
        unchanged = User.objects.normalize_email(email) == user.email
        if unchanged and user.email_confirmed_at is not None:
            raise ValidationError(self.error_messages["already_confirmed"], code="confirmed")
        wait = confirmation_letter_wait(user)
        if wait:
            raise ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"wait": format_wait(wait)},
            )
        return cleaned
