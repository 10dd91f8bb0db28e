"""The rules for a person's name and birth date, the same wherever a person is entered.

The roster import, the curator's forms and the services all call these, so a name that one
of them accepts the others accept too, and a formula like "=HYPERLINK(…)" gets in nowhere
(a spreadsheet that later opens an export would run it).
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.core.exceptions import ValidationError

NAME_MAX_LENGTH = 100
# Pupils' ages: a first-former may be five and a half, a pupil of an evening school older.
MIN_AGE, MAX_AGE = 5, 22
# Besides letters: "Мамин-Сибиряк", "Д'Артаньян", "О’Коннор", "Мария Луиза", "Сент-Экзюпери".
_NAME_PUNCTUATION = frozenset(" -'’.")
# The fields of a Student's or Teacher's name: (field, label, required).
NAME_FIELDS = (
    ("last_name", "Фамилия", True),
    ("first_name", "Имя", True),
    ("middle_name", "Отчество", False),
)

PersonKey = tuple[str, str, str, dt.date]


def clean_text(value: str) -> str:
    """NFC, trimmed, inner runs of spaces collapsed: "Иванова  Анна " → "Иванова Анна".

    NFC because a Mac writes "й" as "и" and a combining breve, which is not a letter alone.
    """
    return " ".join(unicodedata.normalize("NFC", value).split())


def validate_person_name(value: str, label: str, *, required: bool = True) -> str:
    """The name tidied by clean_text(), or ValidationError saying in Russian what is wrong.

    Letters of any alphabet, spaces, hyphens, apostrophes and dots, starting with a letter.
    """
    text = clean_text(value)
    if not text:
        if required:
            raise ValidationError(f"Не указано поле «{label}».", code="required")
        return ""
    if len(text) > NAME_MAX_LENGTH:
        raise ValidationError(f"«{label}» длиннее {NAME_MAX_LENGTH} символов.", code="max_length")
    if not all(ch.isalpha() or ch in _NAME_PUNCTUATION for ch in text):
        raise ValidationError(
            f"«{label}»: «{text}» — допустимы только буквы, пробел, дефис и апостроф.",
            code="invalid",
        )
    if not any(ch.isalpha() for ch in text):
        raise ValidationError(f"«{label}»: «{text}» — нет ни одной буквы.", code="invalid")
    if not text[0].isalpha():
        raise ValidationError(f"«{label}»: «{text}» — должно начинаться с буквы.", code="invalid")
    return text


def age_on(birth_date: dt.date, today: dt.date) -> int:
    """Full years."""
    return (
        today.year
        - birth_date.year
        - ((today.month, today.day) < (birth_date.month, birth_date.day))
    )


def validate_birth_date(value: dt.date, today: dt.date) -> dt.date:
    """A pupil's birth date: from MIN_AGE to MAX_AGE years old on `today`."""
    if not MIN_AGE <= age_on(value, today) <= MAX_AGE:
        raise ValidationError(
            f"Дата рождения {value:%d.%m.%Y} не подходит ученику: "
            f"возраст должен быть от {MIN_AGE} до {MAX_AGE} лет.",
            code="age",
        )
    return value


def person_key(last: str, first: str, middle: str, birth_date: dt.date) -> PersonKey:
    """Who a pupil is: the names compared with casefold(), as people read them, and the date.

    casefold() in Python, not Lower() in SQL: SQLite lowercases ASCII letters only, so the
    database alone would let "николаев" and "Николаев" both in.
    """
    return (
        clean_text(last).casefold(),
        clean_text(first).casefold(),
        clean_text(middle).casefold(),
        birth_date,
    )
