"""How the teacher's grid shows a cell, a column and a row: the same HTML on the page and in
the JSON answer to a saved cell, so that a cell looks the same before and after a reload."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from typing import Any

from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from ejournal.schools.models import School

from ...models import (
    AbsenceReason,
    Attendance,
    AttendanceStatus,
    ControlType,
    FinalMark,
    Lesson,
    LessonStatus,
    Mark,
)
from ...services.marks import mark_default_weight

# A letter over the column of a lesson with a control work.
CONTROL_LETTERS = {
    ControlType.TEST: "К",
    ControlType.QUIZ: "С",
    ControlType.DICTATION: "Д",
    ControlType.LAB: "Л",
}
MONTHS = (
    "Январь",
    "Февраль",
    "Март",
    "Апрель",
    "Май",
    "Июнь",
    "Июль",
    "Август",
    "Сентябрь",
    "Октябрь",
    "Ноябрь",
    "Декабрь",
)
ATTENDANCE_WORDS = {AttendanceStatus.ABSENT: "Не был на уроке", AttendanceStatus.LATE: "Опоздание"}
WEEKDAYS = ("Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс")

LOCKED_CANCELLED = "Урок отменён: оценки и отметки на нём не ставятся."
LOCKED_FUTURE = "Урок ещё не прошёл: оценку можно поставить в день урока."
LOCKED_OTHER_TEACHER = "Этот урок ведёт другой учитель: его клетки изменить нельзя."
LOCKED_READ_ONLY = "Журнал открыт только для просмотра."
LOCKED_FINAL = "Итоговую оценку ставит учитель, который ведёт предмет в классе."


def homework_parts(lesson: Lesson) -> list[str]:
    """["Д/з: № 12", "Задано на 8 декабря"] for a grid lesson with homework set at it (its
    `homework_text`/`homework_due_on` annotations); [] without."""
    text = getattr(lesson, "homework_text", None)
    if text is None:
        return []
    due_on: dt.date | None = getattr(lesson, "homework_due_on", None)
    due = f"Задано на {date_format(due_on, 'j E')}" if due_on else "Срок не назначен"
    return [f"Д/з: {text or 'файлы'}", due]


def average_text(average: Decimal | None) -> str:
    """4.67 → "4,67", as a Russian reader writes it; no marks → ""."""
    return "" if average is None else f"{average:.2f}".replace(".", ",")


def mark_css(value: int, school: School) -> str:
    """ "lo" for the lower half of the school's scale, "hi" for its top mark."""
    if value == school.mark_max:
        return "hi"
    if value < school.mark_min + (school.mark_max - school.mark_min) / 2:
        return "lo"
    return ""


@dataclass(frozen=True)
class CellView:
    """One cell: its HTML, the text the teacher would type to make it, and its details."""

    html: SafeString
    text: str  # "оп 5*2": what the cell's editor starts from
    title: str  # weight, comment, reason: the cell's hover text
    css: str  # " absent", " late", " has-comment": appended to the cell's classes
    mark: int | None = None
    weight: int | None = None
    comment: str = ""
    status: str = ""
    reason: str = ""

    def attrs(self) -> SafeString:
        """The cell's data attributes for the editor (none for an empty cell)."""
        if not self.text:
            return mark_safe("")
        data: list[tuple[str, Any]] = [("text", self.text)]
        if self.mark is not None:
            data += [("mark", self.mark), ("weight", self.weight)]
        if self.comment:
            data.append(("comment", self.comment))
        if self.status:
            data += [("status", self.status), ("reason", self.reason)]
        result = "".join(f' data-{name}="{escape(str(value))}"' for name, value in data)
        if self.title:
            result += f' title="{escape(self.title)}"'
        return mark_safe(result)  # noqa: S308 -- every value escaped above

    def td(self) -> SafeString:
        """The whole cell. A grid has some 600 of them, and the template language spent most
        of the page's time on them; html.escape escapes what Django's escape does."""
        return mark_safe(f'<td class="c{self.css}"{self.attrs()}>{self.html}</td>')  # noqa: S308

    def as_json(self) -> dict[str, Any]:
        return {
            "html": str(self.html),
            "text": self.text,
            "title": self.title,
            "css": self.css.strip(),
            "mark": self.mark,
            "weight": self.weight,
            "comment": self.comment,
            "status": self.status,
            "reason": self.reason,
        }


def cell_view(
    *,
    mark: Mark | None,
    attendance: Attendance | None,
    lesson: Lesson,
    school: School,
    column_css: str = "",
) -> CellView:
    """`column_css`: the classes of the cell's column (" today", " off"), kept with the cell's."""
    html: list[str] = []
    text: list[str] = []
    title: list[str] = []
    css = column_css
    status = reason = ""
    if attendance is not None:
        status, reason = attendance.status, attendance.reason
        label = AttendanceStatus(status).label
        html.append(f'<span class="g-att">{escape(label)}</span>')
        text.append(label)
        css += f" {status}"
        words = ATTENDANCE_WORDS[AttendanceStatus(status)]
        title.append(f"{words}: {AbsenceReason(reason).label}" if reason else words)
    if mark is not None:
        css_class = mark_css(mark.value, school)
        html.append(
            f'<span class="g-mark{" " + css_class if css_class else ""}">{mark.value}</span>'
        )
        typed = str(mark.value)
        if mark.weight != 1:
            html.append(f'<sup class="g-weight">×{mark.weight}</sup>')
            title.append(f"Вес {mark.weight}")
        if mark.weight != mark_default_weight(lesson):
            typed += f"*{mark.weight}"
        text.append(typed)
        if mark.comment:
            css += " has-comment"
            title.append(mark.comment)
    return CellView(
        html=mark_safe("".join(html)),  # noqa: S308 -- the parts' text is escaped
        text=" ".join(text),
        title=" · ".join(title),
        css=css,
        mark=mark.value if mark is not None else None,
        weight=mark.weight if mark is not None else None,
        comment=mark.comment if mark is not None else "",
        status=status,
        reason=reason,
    )


def final_view(final: FinalMark | None, school: School) -> CellView:
    if final is None:
        return CellView(html=mark_safe(""), text="", title="", css="")
    css_class = mark_css(final.value, school)
    return CellView(
        html=format_html(
            '<span class="g-mark{}">{}</span>', f" {css_class}" if css_class else "", final.value
        ),
        text=str(final.value),
        title="",
        css="",
        mark=final.value,
    )


@dataclass(frozen=True)
class Column:
    """A lesson's column: whether this user may fill it, and if not, why."""

    lesson: Lesson
    locked: str  # "" when the user may fill it
    today: bool

    @property
    def control_letter(self) -> str:
        return CONTROL_LETTERS.get(ControlType(self.lesson.control_type), "")

    @property
    def cancelled(self) -> bool:
        return self.lesson.status == LessonStatus.CANCELLED

    @property
    def css(self) -> str:
        return column_css(today=self.today, cancelled=self.cancelled)

    @property
    def title(self) -> str:
        lesson = self.lesson
        parts = [f"{WEEKDAYS[lesson.date.weekday()]} {lesson.date:%d.%m}, {lesson.number}-й урок"]
        if lesson.topic:
            parts.append(lesson.topic)
        if lesson.control_type:
            parts.append(lesson.get_control_type_display())
        if self.cancelled:
            parts.append("урок отменён")
        parts += homework_parts(lesson)
        return " · ".join(parts)

    def th(self, lesson_url: str) -> SafeString:
        """The column's head: the day (a link to the lesson) and its control letter; the
        lesson's details in the title; for grid.js, the lesson and why it is locked. Written
        with html.escape, like the cells (format_html costs a grid some milliseconds)."""
        lesson = self.lesson
        letter = self.control_letter
        attrs = ' data-weight="2"' if lesson.control_type else ""
        control = f'<span class="g-control">{letter}</span>' if letter else ""
        if self.locked:
            attrs += f' data-locked="{escape(self.locked)}"'
        return mark_safe(  # noqa: S308 -- every value escaped
            f'<th scope="col" class="g-day{" today" if self.today else ""}'
            f'{" cancelled" if self.cancelled else ""}" data-lesson="{lesson.pk}"{attrs}'
            f' title="{escape(self.title)}"><a href="{escape(lesson_url)}">{lesson.date.day}</a>'
            f"{control}</th>"
        )


def column_css(*, today: bool, cancelled: bool) -> str:
    """The classes of a column's cells: today's, a cancelled lesson's (greyed)."""
    return (" today" if today else "") + (" off" if cancelled else "")


def column_lock(
    lesson: Lesson, *, editable: bool, read_only: bool, today: dt.date, closed: str = ""
) -> str:
    """Why a column's cells can't be filled by this user; "" when they can. `closed`: why the
    period is closed (selectors.period_closed_reason), "" while it is open."""
    if read_only:
        return LOCKED_READ_ONLY
    if closed:
        return closed
    if not editable:
        return LOCKED_OTHER_TEACHER
    if lesson.status == LessonStatus.CANCELLED:
        return LOCKED_CANCELLED
    if lesson.date > today:
        return LOCKED_FUTURE
    return ""


@dataclass(frozen=True)
class Month:
    name: str
    span: int


def months_of(columns: list[Column]) -> list[Month]:
    """The header row above the dates: each month over its lessons."""
    months: list[Month] = []
    for column in columns:
        name = MONTHS[column.lesson.date.month - 1]
        if months and months[-1].name == name:
            months[-1] = Month(name=name, span=months[-1].span + 1)
        else:
            months.append(Month(name=name, span=1))
    return months
