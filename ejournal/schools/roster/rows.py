"""Checking roster rows, each on its own and against the earlier lines; what a check finds.

Every problem becomes a RowError with the file's line number and a reason in Russian.
Comparing the rows with the school's students is `compare.py`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from ..labels import parse_class_label
from ..people import PersonKey, person_key, validate_birth_date, validate_person_name
from .parse import Cell, RawRow

EMAIL_MAX_LENGTH = 254
_DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y")
# Excel's "CSV" may write a date cell as "01.09.2013 0:00:00".
_MIDNIGHT = re.compile(r"\s+0?0:00(:00)?$")


@dataclass(frozen=True)
class RosterRow:
    """A valid row, normalized: what will become a Student."""

    line: int
    grade: int
    letter: str
    last_name: str
    first_name: str
    middle_name: str
    birth_date: dt.date
    parent_email: str

    @property
    def class_label(self) -> str:
        return f"{self.grade}{self.letter}"

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    @property
    def person_key(self) -> PersonKey:
        """Who the row is: compared case-insensitively, as the database's unique constraint does."""
        return person_key(self.last_name, self.first_name, self.middle_name, self.birth_date)

    def to_json(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "grade": self.grade,
            "letter": self.letter,
            "last_name": self.last_name,
            "first_name": self.first_name,
            "middle_name": self.middle_name,
            "birth_date": self.birth_date.isoformat(),
            "parent_email": self.parent_email,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RosterRow:
        return cls(**{**data, "birth_date": dt.date.fromisoformat(data["birth_date"])})


@dataclass(frozen=True)
class RowError:
    """A reason the file can't be imported; `line` is None for the file as a whole."""

    line: int | None
    message: str
    # The student already in the school that the row collides with: the page links to them.
    student_id: int | None = None

    def __str__(self) -> str:
        return f"Строка {self.line}: {self.message}" if self.line is not None else self.message


@dataclass(frozen=True)
class SkippedRow:
    row: RosterRow
    reason: str


@dataclass(frozen=True)
class MovedRow:
    """A pupil still in a class of an earlier school year, who moves into the row's class."""

    row: RosterRow
    student_id: int
    from_class_id: int
    from_label: str
    from_year: str


@dataclass
class RosterCheck:
    """The verdict on a roster: what will be created, moved or skipped, and every error."""

    total: int = 0
    # The school year the roster is for, "2026/2027".
    year: str = ""
    rows: list[RosterRow] = field(default_factory=list)
    to_create: list[RosterRow] = field(default_factory=list)
    # Pupils of last year's classes moving into this year's: the September roster.
    to_move: list[MovedRow] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    new_classes: list[tuple[int, str]] = field(default_factory=list)
    # The year's existing classes, (grade, letter) → id: where the new students go.
    class_ids: dict[tuple[int, str], int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changes(self) -> int:
        """How many pupils applying the roster adds or moves."""
        return len(self.to_create) + len(self.to_move)

    @property
    def new_class_labels(self) -> list[str]:
        return [f"{grade}{letter}" for grade, letter in self.new_classes]


def _text(value: Cell) -> str:
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return " ".join(value.split())


def _name(value: Cell, label: str, *, required: bool, problems: list[str]) -> str:
    """The name by the rules the curator's forms follow too (people.validate_person_name)."""
    try:
        return validate_person_name(_text(value), label, required=required)
    except ValidationError as error:
        problems.extend(error.messages)
        return _text(value)


def _birth_date(value: Cell, today: dt.date, problems: list[str]) -> dt.date | None:
    birth_date = value if isinstance(value, dt.date) else None
    if birth_date is None:
        text = _MIDNIGHT.sub("", _text(value))
        if not text:
            problems.append("не указана дата рождения.")
            return None
        birth_date = _parse_date(text)
        if birth_date is None:
            problems.append(
                f"дата рождения «{text}» не распознана: нужна дата вида ДД.ММ.ГГГГ, "
                "например 14.03.2013."
            )
            return None
    try:
        return validate_birth_date(birth_date, today)
    except ValidationError as error:
        problems.extend(error.messages)
        return None


def _parse_date(text: str) -> dt.date | None:
    for date_format in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    return None


def _email(value: Cell, problems: list[str]) -> str:
    text = _text(value)
    if not text:
        return ""
    try:
        if len(text) > EMAIL_MAX_LENGTH:
            raise ValidationError("too long")
        validate_email(text)
    except ValidationError:
        problems.append(f"email родителя «{text}» указан с ошибкой.")
    return text


def normalize_rows(raw_rows: list[RawRow]) -> tuple[list[RosterRow], list[RowError]]:
    """Valid rows and the errors of the others; a repeat of an earlier line is an error."""
    today = timezone.localdate()
    rows: list[RosterRow] = []
    errors: list[RowError] = []
    first_line: dict[PersonKey, int] = {}
    for raw in raw_rows:
        problems: list[str] = []
        grade, letter = 0, ""
        label = _text(raw.get("class_label"))
        if not label:
            problems.append("не указан класс.")
        else:
            try:
                grade, letter = parse_class_label(label)
            except ValidationError as error:
                problems.extend(error.messages)
        last_name = _name(raw.get("last_name"), "Фамилия", required=True, problems=problems)
        first_name = _name(raw.get("first_name"), "Имя", required=True, problems=problems)
        middle_name = _name(raw.get("middle_name"), "Отчество", required=False, problems=problems)
        birth_date = _birth_date(raw.get("birth_date"), today, problems)
        parent_email = _email(raw.get("parent_email"), problems)
        if birth_date is not None and last_name and first_name:
            key = person_key(last_name, first_name, middle_name, birth_date)
            if key in first_line:
                who = " ".join(p for p in (last_name, first_name, middle_name) if p)
                problems.append(
                    f"повторяет строку {first_line[key]}: {who}, {birth_date:%d.%m.%Y}."
                )
            else:
                first_line[key] = raw.line
        if problems or birth_date is None:
            errors.append(RowError(raw.line, _sentence(problems)))
            continue
        rows.append(
            RosterRow(
                line=raw.line,
                grade=grade,
                letter=letter,
                last_name=last_name,
                first_name=first_name,
                middle_name=middle_name,
                birth_date=birth_date,
                parent_email=parent_email,
            )
        )
    return rows, errors


def _sentence(problems: list[str]) -> str:
    """The row's problems as one message, each starting with a capital letter."""
    return " ".join(p[:1].upper() + p[1:] for p in problems)
