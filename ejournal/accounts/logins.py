"""The login rule: what a login may look like and that it is free at the school.

A login is typed on any keyboard, often a phone's with a Russian layout, so the letters
that look Latin but are Cyrillic ("о", "р", "с"...) get their own message naming them:
otherwise "ivanоv" with a Cyrillic "о" would be refused with no visible reason.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError

from .models import User

MIN_LENGTH = 3
MAX_LENGTH = 40
_ALLOWED = re.compile(r"[A-Za-z0-9_.\-]+")
# Anything longer is refused on its length alone, without looking at each character.
_INSPECTED_LENGTH = 200

TAKEN = "Этот логин уже занят."
REQUIRED = "Придумайте логин."


def _is_cyrillic(char: str) -> bool:
    return "CYRILLIC" in unicodedata.name(char, "")


def _quoted(chars: list[str]) -> str:
    return ", ".join(f"«{c}»" for c in chars)


def _distinct(chars: list[str]) -> list[str]:
    return list(dict.fromkeys(chars))


def login_problems(login: str) -> list[str]:
    """Why this login can't be used, in Russian; empty when its form is acceptable.

    Says nothing about whether it is taken: see `login_taken`.
    """
    if not login:
        return [REQUIRED]
    if len(login) > _INSPECTED_LENGTH:
        return [f"Логин должен содержать от {MIN_LENGTH} до {MAX_LENGTH} символов."]
    problems = []
    cyrillic = _distinct([c for c in login if _is_cyrillic(c)])
    if cyrillic:
        what = "русская буква" if len(cyrillic) == 1 else "русские буквы"
        problems.append(
            f"Логин нужно набрать латинскими буквами: {_quoted(cyrillic)} — {what}. "
            "Переключите клавиатуру на английскую раскладку."
        )
    other = _distinct([c for c in login if not _ALLOWED.fullmatch(c) and not _is_cyrillic(c)])
    if other:
        shown = ["пробел" if c.isspace() else c for c in other]
        problems.append(
            "В логине можно использовать только латинские буквы, цифры и знаки _ - . "
            f"(нельзя: {_quoted(shown)})."
        )
    if not MIN_LENGTH <= len(login) <= MAX_LENGTH:
        problems.append(f"Логин должен содержать от {MIN_LENGTH} до {MAX_LENGTH} символов.")
    return problems


def login_taken(*, school_id: int | None, login: str) -> bool:
    """Whether the school already has this login, whatever its case ("Ivan" takes "ivan")."""
    return User.objects.for_login(school_id=school_id, login=login) is not None


def login_validate(*, school_id: int | None, login: str) -> None:
    """Raises ValidationError with every reason the login can't be used at this school."""
    problems = login_problems(login)
    if problems:
        raise ValidationError(problems, code="login_refused")
    if login_taken(school_id=school_id, login=login):
        raise ValidationError(TAKEN, code="login_taken")
