"""The forms of registration by invitation code and of adding a child by code.

They check what they can before the service runs, so that every mistake on the page is
shown at once; the service (accounts.registration) checks again under lock and decides.
Wrong codes count towards INVITATION_CODE per client address wherever a code is typed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict

from ejournal.core.throttle import INVITATION_CODE, format_wait
from ejournal.schools.models import School, Student

from .. import logins, passwords
from ..models import Role
from ..registration import (
    CODE_UNUSABLE,
    MAX_CODE_INPUT,
    MAX_EXTRA_CODES,
    ChildrenList,
    Registrant,
    parent_invitation_find,
    registrant_find,
)

THROTTLED = "Слишком много попыток ввода кода. Попробуйте снова через {wait}"
PASSWORDS_DIFFER = "Пароли не совпадают."
EMAIL_PRIVATE = "Эта информация не будет доступна другим пользователям."
# Said by the field's own length check, before any other: such input is never hashed.
TOO_LONG = f"Пароль слишком длинный: не больше {passwords.MAX_LENGTH} символов."


def _throttled(address: str) -> ValidationError | None:
    """Counts a code attempt before the code is checked (INVITATION_CODE.acquire), or says
    how long to wait. The caller releases the attempt when the code is right."""
    wait = INVITATION_CODE.acquire(address)
    if wait:
        return ValidationError(THROTTLED.format(wait=format_wait(wait)), code="throttled")
    return None


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

    def __init__(self, *args: Any, school: School, address: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.school = school
        self.address = address
        self.registrant: Registrant | None = None

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        throttled = _throttled(self.address)
        if throttled:
            raise throttled
        self.registrant = registrant_find(school=self.school, code=code)
        if self.registrant is None:
            raise ValidationError(CODE_UNUSABLE, code="invitation_unusable")
        # A right code doesn't clear the count: whoever holds one code could otherwise
        # type it between guesses and guess forever.
        INVITATION_CODE.release(self.address)
        return code


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
        self.extra_children: list[Student] = []
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
        return ([first] if first is not None else []) + self.extra_children

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
        if len(typed) > MAX_EXTRA_CODES:
            raise ValidationError(f"Не больше {MAX_EXTRA_CODES} дополнительных кодов за раз.")
        errors: list[ValidationError] = []
        children = ChildrenList(self.registrant.invitation)
        for index, code in enumerate(typed):
            if not code:
                continue
            throttled = _throttled(self.address)
            if throttled:
                errors.append(throttled)
                break
            invitation = parent_invitation_find(school=self.school, code=code)
            if invitation is not None:
                INVITATION_CODE.release(self.address)
            problem = children.add(index + 2, invitation)
            if problem:
                errors.append(ValidationError(problem, code="extra_code"))
        self.extra_children = [i.student for i in children.invitations if i.student]
        if errors:
            raise ValidationError(errors)
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

    def __init__(self, *args: Any, address: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.address = address

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        throttled = _throttled(self.address)
        if throttled:
            raise throttled
        return code
