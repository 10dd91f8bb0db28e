"""The password rule of the help page, and the weaknesses it warns about.

"Пароль должен содержать не менее 8 символов, в числе которых не должно быть специальных
знаков (точек, кавычек и проч.)" — and "несовпадающий с логином, датой вашего рождения,
вашими ФИО". Every refusal says why; all reasons are given at once.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError

if TYPE_CHECKING:
    from .models import User

# Longer input is refused before any hashing: a megabyte "password" costs nothing.
MAX_LENGTH = 128
_LETTERS_AND_DIGITS = re.compile(r"^[0-9A-Za-zА-Яа-яЁё]+$")
_SEPARATORS = re.compile(r"[\s./\-_,]")
_common = CommonPasswordValidator()

# Passwords are mostly typed in Latin letters, so "Vasiliy2026" hides "Василий" from a
# check of the Cyrillic names alone: the names are checked as three common spellings too.
_TRANSLIT = str.maketrans(
    {
        **dict(zip("абвгдезиклмнопрстуфыэ", "abvgdeziklmnoprstufye", strict=True)),
        **{"ё": "e", "ж": "zh", "й": "i", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh"},
        **{"щ": "shch", "ъ": "", "ь": "", "ю": "iu", "я": "ia"},
    }
)
_VARIANTS: tuple[dict[str, str | int | None], ...] = (
    {},
    {"й": "y", "х": "h", "ц": "c", "щ": "sch", "ю": "yu", "я": "ya", "ё": "yo"},
    {"й": "j", "х": "h", "ю": "ju", "я": "ja"},
)
_VARIANT_TABLES = tuple(str.maketrans(variant) for variant in _VARIANTS)


def name_spellings(names: tuple[str, ...]) -> tuple[str, ...]:
    """The names as written and as commonly spelt in Latin letters ("Василий", "vasilii",
    "vasiliy"...), for the rule against passwords containing them."""
    spelt = []
    for name in names:
        folded = name.casefold()
        spelt.append(folded)
        spelt.extend(folded.translate(variant).translate(_TRANSLIT) for variant in _VARIANT_TABLES)
    return tuple(dict.fromkeys(n for n in spelt if n))


def _date_forms(birth_date: dt.date) -> set[str]:
    """12052010, 120510, 20100512, 100512, 05122010: a birth date as people type it."""
    d, m, y, yy = f"{birth_date:%d}", f"{birth_date:%m}", f"{birth_date:%Y}", f"{birth_date:%y}"
    return {d + m + y, d + m + yy, y + m + d, yy + m + d, m + d + y}


def password_problems(
    password: str,
    *,
    login: str = "",
    names: tuple[str, ...] = (),
    birth_date: dt.date | None = None,
) -> list[str]:
    """The reasons this password is refused, in Russian; empty when it is acceptable."""
    if len(password) > MAX_LENGTH:
        return [f"Пароль слишком длинный: не больше {MAX_LENGTH} символов."]
    problems = []
    min_length = settings.EJOURNAL_PASSWORD_MIN_LENGTH
    if len(password) < min_length:
        problems.append(f"Пароль должен содержать не менее {min_length} символов.")
    if not _LETTERS_AND_DIGITS.match(password):
        problems.append(
            "В пароле не должно быть специальных знаков (точек, кавычек, пробелов и проч.): "
            "только буквы и цифры."
        )
    folded = password.casefold()
    if login and login.casefold() in folded:
        problems.append("Пароль не должен совпадать с логином или содержать его.")
    if any(len(name) >= 3 and name in folded for name in name_spellings(names)):
        problems.append("Пароль не должен содержать ваши фамилию, имя или отчество.")
    if birth_date and any(
        form in _SEPARATORS.sub("", password) for form in _date_forms(birth_date)
    ):
        problems.append("Пароль не должен содержать дату рождения.")
    if folded in _common.passwords:
        problems.append("Этот пароль слишком распространён: его легко подобрать.")
    return problems


def password_validate(
    password: str,
    *,
    login: str = "",
    names: tuple[str, ...] = (),
    birth_date: dt.date | None = None,
) -> None:
    """Raises ValidationError listing every reason the password is refused."""
    problems = password_problems(password, login=login, names=names, birth_date=birth_date)
    if problems:
        raise ValidationError(problems, code="password_refused")


def password_validate_for_user(password: str, user: User) -> None:
    """The rule for an existing account: its login, names and (for a student) birth date."""
    student = getattr(user, "student", None)
    names: tuple[str, ...] = (user.last_name, user.first_name, user.middle_name)
    if student is not None:
        names += (student.last_name, student.first_name, student.middle_name)
    password_validate(
        password,
        login=user.login,
        names=names,
        birth_date=student.birth_date if student is not None else None,
    )


class SchoolPasswordValidator:
    """Django's AUTH_PASSWORD_VALIDATORS hook, so that its password forms apply the same rule."""

    def validate(self, password: str, user: Any = None) -> None:
        if user is not None and hasattr(user, "login") and user.login:
            password_validate_for_user(password, user)
        else:
            password_validate(password)

    def get_help_text(self) -> str:
        return (
            f"Не менее {settings.EJOURNAL_PASSWORD_MIN_LENGTH} символов, только буквы и цифры; "
            "не совпадающий с логином, датой рождения, вашими ФИО."
        )
