"""The cells of the journal: marks, attendance and final marks. Every change is audited.

Each cell is its own row (one per lesson and student, or per student, subject and period), so
two teachers editing the same journal lose nothing; see `lock_or_create` for the same cell.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction

from ejournal.accounts.models import User
from ejournal.audit.models import AuditAction
from ejournal.audit.services import audit_record
from ejournal.schools.models import Period, School, Student, Subject

from ..access import can_set_final
from ..models import AbsenceReason, Attendance, AttendanceStatus, FinalMark, Lesson, Mark
from ._common import (
    apply_changes,
    check_lesson_period_open,
    check_lesson_takes_marks,
    check_period_open,
    check_scale,
    check_student_of_lesson,
    lock_or_create,
    require,
    require_lesson_editor,
)

WEIGHT_MIN, WEIGHT_MAX = 1, 5


def mark_default_weight(lesson: Lesson) -> int:
    """The weight of a mark given without one: marks at a lesson with a control work count
    twice."""
    return 2 if lesson.control_type else 1


def _mark_state(mark: Mark, lesson: Lesson) -> dict[str, Any]:
    return {
        "lesson_id": lesson.pk,
        "subject_id": lesson.subject_id,
        "value": mark.value,
        "weight": mark.weight,
        "comment": mark.comment,
    }


def _attendance_state(row: Attendance, lesson: Lesson) -> dict[str, Any]:
    return {
        "lesson_id": lesson.pk,
        "subject_id": lesson.subject_id,
        "status": row.status,
        "reason": row.reason,
    }


def _final_state(row: FinalMark) -> dict[str, Any]:
    return {"subject_id": row.subject_id, "period_id": row.period_id, "value": row.value}


def _cell(lesson: Lesson, student: Student) -> dict[str, Any]:
    return {"school_id": lesson.school_id, "lesson": lesson, "student": student}


Row = TypeVar("Row", Mark, Attendance, FinalMark)


@dataclass(frozen=True)
class _AuditedCell(Generic[Row]):
    """One cell of the journal (a mark, an attendance, a final), written under a row lock
    and audited with before and after. Used inside the caller's transaction."""

    model: type[Row]
    lookup: dict[str, Any]
    state: Callable[[Row], dict[str, Any]]
    school: School
    student: Student
    actor: User

    def upsert(self, values: dict[str, Any], action: AuditAction) -> Row:
        """Create or change the cell; nothing is written or recorded when unchanged."""
        stamp = {"author": self.actor}
        row, created = lock_or_create(self.model, lookup=self.lookup, values={**values, **stamp})
        before = {} if created else self.state(row)
        if not created and not apply_changes(row, values, stamp=stamp):
            return row
        self._audit(action, before=before, after=self.state(row))
        return row

    def delete(self, action: AuditAction) -> bool:
        """Remove the cell and record what it held; False when it was empty."""
        row = self.model.objects.select_for_update().filter(**self.lookup).first()
        if row is None:
            return False
        before = self.state(row)
        row.delete()
        self._audit(action, before=before)
        return True

    def _audit(self, action: AuditAction, **change: dict[str, Any]) -> None:
        audit_record(
            school=self.school, actor=self.actor, action=action, target=self.student, **change
        )


def _mark_cell(lesson: Lesson, student: Student, actor: User) -> _AuditedCell[Mark]:
    return _AuditedCell(
        Mark,
        lookup=_cell(lesson, student),
        state=lambda mark: _mark_state(mark, lesson),
        school=lesson.school,
        student=student,
        actor=actor,
    )


def mark_set(
    *,
    lesson: Lesson,
    student: Student,
    value: int,
    weight: int | None = None,
    comment: str = "",
    actor: User,
) -> Mark:
    """Put a mark (or change it) for the student at the lesson; audited with before and after.
    Without a weight, the lesson's default (`mark_default_weight`).

    Refused with the reason: a value off the school's scale, a weight outside 1–5, a student
    not of the lesson's class or group, a cancelled or future lesson, a closed period. Setting
    the same mark again changes and records nothing.
    """
    require_lesson_editor(actor, lesson)
    check_lesson_period_open(lesson)
    check_lesson_takes_marks(lesson, what="оценка")
    check_student_of_lesson(lesson, student)
    check_scale(lesson.school, value)
    if weight is None:
        weight = mark_default_weight(lesson)
    if not WEIGHT_MIN <= weight <= WEIGHT_MAX:
        raise ValidationError({"weight": f"Вес оценки — от {WEIGHT_MIN} до {WEIGHT_MAX}."})
    with transaction.atomic():
        return _mark_cell(lesson, student, actor).upsert(
            {"value": value, "weight": weight, "comment": comment.strip()}, AuditAction.MARK_SET
        )


def mark_delete(*, lesson: Lesson, student: Student, actor: User) -> bool:
    """Remove the student's mark for the lesson; False when there was none. Audited.
    Refused in a closed period."""
    require_lesson_editor(actor, lesson)
    check_lesson_period_open(lesson)
    with transaction.atomic():
        return _mark_cell(lesson, student, actor).delete(AuditAction.MARK_DELETED)


def attendance_set(
    *,
    lesson: Lesson,
    student: Student,
    status: str | None,
    reason: str = "",
    actor: User,
) -> Attendance | None:
    """Mark the student absent ("absent", н) or late ("late", оп) with a reason; None clears.

    Audited with before and after; returns the row, or None once cleared. Refused (set or
    cleared) in a closed period.
    """
    require_lesson_editor(actor, lesson)
    check_lesson_period_open(lesson)
    if status is not None and status not in AttendanceStatus.values:
        raise ValidationError({"status": "Отметка о посещаемости: «н» или «оп»."})
    if reason not in AbsenceReason.values:
        raise ValidationError({"reason": "Неизвестная причина отсутствия."})
    cell = _AuditedCell(
        Attendance,
        lookup=_cell(lesson, student),
        state=lambda row: _attendance_state(row, lesson),
        school=lesson.school,
        student=student,
        actor=actor,
    )
    with transaction.atomic():
        if status is None:
            cell.delete(AuditAction.ATTENDANCE_CLEARED)
            return None
        check_lesson_takes_marks(lesson, what="отметка о посещаемости")
        check_student_of_lesson(lesson, student)
        return cell.upsert({"status": status, "reason": reason}, AuditAction.ATTENDANCE_SET)


def final_mark_set(
    *,
    student: Student,
    subject: Subject,
    period: Period,
    value: int | None,
    actor: User,
) -> FinalMark | None:
    """The student's final mark for the subject over the period; None clears it. Audited.

    Only a teacher assigned to the student's class and subject may set it, and not in a closed
    period.
    """
    require(can_set_final(actor, student, subject))
    if period.school_id != student.school_id or subject.school_id != student.school_id:
        raise ValidationError("Период или предмет другой школы.")
    if period.year_id != student.school_class.year_id:
        raise ValidationError("Период не относится к учебному году класса.")
    school = student.school
    check_period_open(period, school)
    lookup = {
        "school_id": student.school_id,
        "student": student,
        "subject": subject,
        "period": period,
    }
    cell = _AuditedCell(
        FinalMark, lookup=lookup, state=_final_state, school=school, student=student, actor=actor
    )
    with transaction.atomic():
        if value is None:
            cell.delete(AuditAction.FINAL_MARK_DELETED)
            return None
        check_scale(school, value)
        return cell.upsert({"value": value}, AuditAction.FINAL_MARK_SET)
