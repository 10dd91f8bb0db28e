from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from ejournal.core.http import client_address
from ejournal.core.throttle import RECOVERY_ADDRESS, RECOVERY_EMAIL, acquire_all, format_wait


class RecoveryForm(forms.Form):
    """ "Восстановление пароля". Requests count per client address and per address entered,
    known or not, so the answer says nothing about whether the address exists."""

    email = forms.EmailField(
        label="Введите ваш E-mail",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    error_messages = {
        "throttled": (
            "Слишком много запросов на восстановление пароля. Попробуйте снова через %(wait)s"
        ),
    }

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        self.request = request
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        email = cleaned.get("email")
        if email is None:
            return cleaned
        school = getattr(self.request, "school", None)
        address = client_address(self.request)
        email_key = f"{school.id if school else ''}:{email.strip().casefold()}"
        wait = acquire_all((RECOVERY_ADDRESS, address), (RECOVERY_EMAIL, email_key))
        if wait:
            raise ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"wait": format_wait(wait)},
            )
        return cleaned
