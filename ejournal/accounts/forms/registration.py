"""The forms of registration by invitation code and of adding a child by code.

They check what they can before the flow runs, so that every mistake on the page is
shown at once; the flow (accounts.flows) throttles the codes, and the service
(accounts.registration) checks again under lock and decides.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict

from ejournal.schools.models import School, Student
from ejournal.schools.roles import Role

from .. import logins, passwords
from ..flows.codes import Children, children_check
from ..registration import MAX_CODE_INPUT, MAX_EXTRA_CODES, Registrant

PASSWORDS_DIFFER = "Пароли не совпадают."
EMAIL_PRIVATE = "Эта информация не будет доступна другим пользователям."
# Said by the field's own length check, before any other: such input is never hashed.
TOO_LONG = f"Пароль слишком длинный: не больше {passwords.MAX_LENGTH} символов."


class CodeField(forms.CharField):
    """An invitation code as typed: any case, spaces and dashes. Overlong input is not
    refused by a length message of its own, so that it looks like any other wrong code."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Пригласительный код")
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "autocomplete": "off",
                    "autocapitalize": "none",
                    "spellcheck": "false",
                    "maxlength": MAX_CODE_INPUT,
                }
            ),
        )
        super().__init__(**kwargs)


class HelloForm(forms.Form):
    """ "Регистрация": the invitation code."""

    code = CodeField()


class CodeListWidget(forms.Widget):
    """Any number of inputs of one name, rendered by the template (the "Дети" list)."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        if isinstance(data, QueryDict):
            return data.getlist(name)
        value = data.get(name, [])
        return [value] if isinstance(value, str) else list(value)


class CodeListField(forms.Field):
    widget = CodeListWidget

    def to_python(self, value: Any) -> list[str]:
        return [str(v).strip() for v in value or []]


class RegisterForm(forms.Form):
    """The second step: login, password, contact details and, for parents, more codes."""

    last_name = forms.CharField(label="Фамилия", max_length=100)
    first_name = forms.CharField(label="Имя", max_length=100)
    middle_name = forms.CharField(label="Отчество", max_length=100, required=False)
    login = forms.CharField(
        label="Логин",
        help_text="Латинские буквы, цифры и знаки _ - . — от 3 до 40 символов.",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "username",
                "autocapitalize": "none",
                "spellcheck": "false",
                "maxlength": logins.MAX_LENGTH,
            }
        ),
    )
    password = forms.CharField(
        label="Пароль",
        strip=False,
        max_length=passwords.MAX_LENGTH,
        error_messages={"max_length": TOO_LONG},
        help_text=passwords.SchoolPasswordValidator().get_help_text(),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="Пароль ещё раз",
        strip=False,
        max_length=passwords.MAX_LENGTH,
        error_messages={"max_length": TOO_LONG},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    email = forms.EmailField(label="Электронная почта", max_length=254)
    extra_codes = CodeListField(required=False)

    def __init__(
        self, *args: Any, school: School, registrant: Registrant, address: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.school = school
        self.registrant = registrant
        self.address = address
        self.checked_children: Children | None = None
        role = registrant.role
        if registrant.names_from_school:
            for name in ("last_name", "first_name", "middle_name"):
                del self.fields[name]
        if role != Role.PARENT:
            del self.fields["extra_codes"]
        email = self.fields["email"]
        if role == Role.PARENT:
            email.help_text = EMAIL_PRIVATE
        else:
            email.required = False
            email.help_text = (
                "Можно оставить пустым, но без подтверждённой почты восстановить доступ "
                f"самостоятельно не получится. {EMAIL_PRIVATE}"
            )

    @property
    def is_parent(self) -> bool:
        return self.registrant.role == Role.PARENT

    def extra_code_inputs(self) -> list[dict[str, Any]]:
        """The extra code fields to render: what was typed, its number and its error."""
        typed = self.extra_codes_typed()
        return [{"number": i + 2, "value": value} for i, value in enumerate(typed)]

    def extra_codes_typed(self) -> list[str]:
        if "extra_codes" not in self.fields:
            return []
        field = self.fields["extra_codes"]
        raw = field.widget.value_from_datadict(
            self.data, self.files, self.add_prefix("extra_codes")
        )
        return [str(v).strip()[:MAX_CODE_INPUT] for v in raw][:MAX_EXTRA_CODES]

    def children(self) -> list[Student]:
        """The "Дети" list: the child of the registration's code, then those of good extra
        codes (known after validation)."""
        first = self.registrant.student
        extra = self.checked_children.students if self.checked_children else []
        return ([first] if first is not None else []) + extra

    def clean_login(self) -> str:
        login: str = self.cleaned_data["login"]
        problems = logins.login_problems(login)
        if problems:
            raise ValidationError(problems, code="login_refused")
        if logins.login_taken(school_id=self.school.pk, login=login):
            raise ValidationError(logins.TAKEN, code="login_taken")
        return login

    def clean_extra_codes(self) -> list[str]:
        typed: list[str] = self.cleaned_data.get("extra_codes") or []
        self.checked_children = children_check(
            school=self.school,
            first=self.registrant.invitation,
            codes=typed,
            client_address=self.address,
        )
        if self.checked_children.problems:
            raise ValidationError(self.checked_children.problems)
        return typed

    def _names(self) -> tuple[str, ...]:
        if self.registrant.names_from_school:
            return self.registrant.names
        return tuple(
            self.cleaned_data.get(name, "") for name in ("last_name", "first_name", "middle_name")
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password = cleaned.get("password")
        password2 = cleaned.get("password2")
        if password and password2 is not None and password != password2:
            self.add_error("password2", ValidationError(PASSWORDS_DIFFER, code="mismatch"))
        if password:
            # The login as typed, even if refused: a password containing it is weak anyway.
            login = cleaned.get("login") or str(self.data.get(self.add_prefix("login"), ""))
            problems = passwords.password_problems(
                password,
                login=login.strip(),
                names=self._names(),
                birth_date=self.registrant.birth_date,
            )
            for problem in problems:
                self.add_error("password", ValidationError(problem, code="password_refused"))
        return cleaned


class ChildAddForm(forms.Form):
    """ "Добавить ребёнка по пригласительному коду"."""

    code = CodeField(help_text="Код из приглашения для родителей ребёнка.")
