"""The curator's account support: the search and "Сменить пароль". The services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from ejournal.schools.roles import Role

from ..support import SEARCH_MAX_LENGTH

GENERATE = "generate"
TYPED = "typed"


class UserSearchForm(forms.Form):
    q = forms.CharField(
        label="Поиск",
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": "Фамилия, имя, логин или класс, например 6А",
                "autocomplete": "off",
            }
        ),
    )
    role = forms.ChoiceField(
        label="Роль",
        required=False,
        choices=[("", "Все"), *((r.value, r.label) for r in Role if r != Role.OPERATOR)],
    )


class SupportPasswordForm(forms.Form):
    """A generated temporary password (mode=generate) or one the curator types (mode=typed)."""

    mode = forms.ChoiceField(
        choices=[(GENERATE, GENERATE), (TYPED, TYPED)], widget=forms.HiddenInput, initial=TYPED
    )
    password = forms.CharField(
        label="Новый пароль",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="Пароль ещё раз",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("mode") == TYPED:
            password, password2 = data.get("password", ""), data.get("password2", "")
            if not password:
                self.add_error("password", "Введите новый пароль.")
            elif password != password2:
                self.add_error("password2", "Пароли не совпадают.")
        return data

    def typed_password(self) -> str | None:
        """The password to set, or None for a generated one (after is_valid)."""
        if self.cleaned_data["mode"] == TYPED:
            return str(self.cleaned_data["password"])
        return None
