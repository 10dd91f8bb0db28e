"""The journal's audit events (marks, attendance, finals, lessons) and the lesson as a target.

A cell's event points at the student; the lesson, subject and period it holds are named
as where the change happened.
"""

from __future__ import annotations

from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat, Substr

from ejournal.audit.models import AuditAction
from ejournal.audit.registry import (
    Field,
    Fields,
    actions_register,
    choices,
    date,
    record_name,
    target_register,
)
from ejournal.schools.audit_events import period_name, teacher_name
from ejournal.schools.models import Subject

from .models import (
    AbsenceReason,
    AttendanceStatus,
    ControlType,
    Holiday,
    HolidayKind,
    Lesson,
    LessonStatus,
)


def _date(field: str) -> Concat:
    """A date column as "24.11.2026" (from its ISO text, which SQLite and PostgreSQL share)."""
    iso = Cast(field, CharField())
    return Concat(
        Substr(iso, 9, 2), Value("."), Substr(iso, 6, 2), Value("."), Substr(iso, 1, 4),
        output_field=CharField(),
    )  # fmt: skip


# "Математика, 6А, 24.11.2026, 2-й урок".
lesson_name = record_name(
    Lesson,
    Concat(
        "subject__name", Value(", "),
        Cast("school_class__grade", CharField()), "school_class__letter", Value(", "),
        _date("date"), Value(", "), Cast("number", CharField()), Value("-й урок"),
        output_field=CharField(),
    ),
)  # fmt: skip


LESSON = Field("Урок", name=lesson_name, place=True)
SUBJECT = Field("Предмет", name=record_name(Subject, F("name")), place=True)
PERIOD = Field("Период", name=period_name, place=True)
MARK: Fields = {"lesson_id": LESSON, "subject_id": SUBJECT, "value": "Оценка", "weight": "Вес"}
MARK_FIELDS: Fields = {**MARK, "comment": "Комментарий"}
ATTENDANCE: Fields = {
    "lesson_id": LESSON,
    "subject_id": SUBJECT,
    "status": Field("Посещаемость", choices(dict(AttendanceStatus.choices))),
    "reason": Field("Причина", choices(dict(AbsenceReason.choices))),
}
FINAL: Fields = {"subject_id": SUBJECT, "period_id": PERIOD, "value": "Оценка"}

HOLIDAY: Fields = {
    "name": "Название",
    "kind": Field("Вид", choices(dict(HolidayKind.choices))),
    "starts_on": Field("С", date),
    "ends_on": Field("По", date),
}

target_register("lesson", "Урок", name=lesson_name)
target_register("holiday", "Каникулы или праздник", name=record_name(Holiday, F("name")))
actions_register(
    (AuditAction.MARK_SET, MARK_FIELDS),
    (AuditAction.MARK_DELETED, MARK_FIELDS),
    (AuditAction.ATTENDANCE_SET, ATTENDANCE),
    (AuditAction.ATTENDANCE_CLEARED, ATTENDANCE),
    (AuditAction.FINAL_MARK_SET, FINAL),
    (AuditAction.FINAL_MARK_DELETED, FINAL),
    (AuditAction.REMARK_ADDED, {"lesson_id": LESSON, "subject_id": SUBJECT, "text": "Замечание"}),
    (
        AuditAction.HOLIDAY_CREATED,
        {
            **HOLIDAY,
            "lessons_cancelled": "Уроков отменено",
            "lessons_kept": "Уроков с оценками оставлено",
        },
    ),
    (
        AuditAction.HOLIDAY_DELETED,
        {**HOLIDAY, "lessons_replanned": "Уроков возвращено в расписание"},
    ),
    (
        AuditAction.LESSON_UPDATED,
        {
            "topic": "Тема урока",
            "homework": "Домашнее задание",
            "homework_due": Field("Срок домашнего задания", date),
            "homework_file": "Файл к домашнему заданию",
            "control_type": Field("Вид работы", choices(dict(ControlType.choices))),
            "room": "Кабинет",
            "status": Field("Состояние урока", choices(dict(LessonStatus.choices))),
            "teacher_id": Field("Учитель", name=teacher_name),
        },
    ),
)
