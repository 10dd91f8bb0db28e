"""Roster files for tests: CSV in any encoding and delimiter, XLSX built with openpyxl."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils import timezone

if TYPE_CHECKING:
    from ..models import School
    from .rows import RosterCheck

HEADER = ("Класс", "Фамилия", "Имя", "Отчество", "Дата рождения", "Email родителя")
LAST_NAMES = ("Иванов", "Петров", "Сидоров", "Кузнецов", "Смирнов", "Попов", "Волков", "Зайцев")
FIRST_NAMES = ("Алексей", "Борис", "Виктор", "Глеб", "Дмитрий", "Егор", "Иван", "Кирилл")

Row = Sequence[object]


def born_aged(age: int, *, days_earlier: int = 0) -> dt.date:
    """A birth date of someone `age` years (and two months, and `days_earlier` days) old today."""
    return timezone.localdate() - dt.timedelta(days=int(365.25 * age) + 60 + days_earlier)


def dmy(date: dt.date) -> str:
    return date.strftime("%d.%m.%Y")


def pupil(seed: int, class_label: str = "6А", *, email: str = "") -> tuple[str, ...]:
    """A distinct, valid pupil: the birth date alone differs from seed to seed."""
    return (
        class_label,
        LAST_NAMES[seed % len(LAST_NAMES)],
        FIRST_NAMES[seed // len(LAST_NAMES) % len(FIRST_NAMES)],
        "Петрович",
        dmy(born_aged(7, days_earlier=seed)),
        email,
    )


def pupils(count: int, class_labels: Sequence[str] = ("6А",)) -> list[tuple[str, ...]]:
    return [pupil(i, class_labels[i % len(class_labels)]) for i in range(count)]


def roster_csv(
    rows: Sequence[Row],
    *,
    header: Sequence[str] | None = HEADER,
    delimiter: str = ";",
    encoding: str = "utf-8",
    bom: bool = False,
) -> bytes:
    lines = [header] if header is not None else []
    text = "\r\n".join(delimiter.join(str(cell) for cell in line) for line in [*lines, *rows])
    content = (text + "\r\n").encode(encoding)
    return (b"\xef\xbb\xbf" + content) if bom else content


def roster_xlsx(rows: Sequence[Row], *, header: Sequence[str] | None = HEADER) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 - a new workbook has its sheet
    if header is not None:
        sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def check_rows(school: School, *rows: Row) -> RosterCheck:
    """roster_check() of a CSV with a header line and these rows: the first row is line 2."""
    from .services import roster_check

    return roster_check(school=school, filename="list.csv", content=roster_csv(list(rows)))
