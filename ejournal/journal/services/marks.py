"""The cells of the journal: marks, attendance and final marks. Every change is audited.

Each cell is its own row (one per lesson and student, or per student, subject and period), so
two teachers editing the same journal lose nothing; see `lock_or_create` for the same cell.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from ejournal.accounts.models import User
from ejournal.audit.models import AuditAction
from ejournal.audit.services import audit_record
from ejournal.schools.models import Period, Student, Subject

from ..access import can_set_final
from ..models import AbsenceReason, Attendance, AttendanceStatus, FinalMark, Lesson, Mark
from ._common import (
    apply_changes,
    check_lesson_takes_marks,
    check_scale,
    check_student_of_lesson,
    lock_or_create,
    require,
    require_lesson_editor,
)

WEIGHT_MIN, WEIGHT_MAX = 1, 5


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


def mark_set(
    *,
    lesson: Lesson,
    student: Student,
    value: int,
    weight: int = 1,
    comment: str = "",
    actor: User,
) -> Mark:
    """Put a mark (or change it) for the student at the lesson; audited with before and after.

    Refused with the reason: a value off the school's scale, a weight outside 1–5, a student
    not of the lesson's class or group, a cancelled or future lesson. Setting the same mark
    again changes and records nothing.
    """
    require_lesson_editor(actor, lesson)
    check_lesson_takes_marks(lesson, what="оценка")
    check_student_of_lesson(lesson, student)
    check_scale(lesson.school, value)
    if not WEIGHT_MIN <= weight <= WEIGHT_MAX:
        raise ValidationError({"weight": f"Вес оценки — от {WEIGHT_MIN} до {WEIGHT_MAX}."})
    values = {"value": value, "weight": weight, "comment": comment.strip()}
    with transaction.atomic():
        mark, created = lock_or_create(
            Mark, lookup=_cell(lesson, student), values={**values, "author": actor}
        )
        before = {} if created else _mark_state(mark, lesson)
        if not created and not apply_changes(mark, values, stamp={"author": actor}):
            return mark
        audit_record(
            school=lesson.school,
            actor=actor,
            action=AuditAction.MARK_SET,
            target=student,
            before=before,
            after=_mark_state(mark, lesson),
        )
    return mark


def mark_delete(*, lesson: Lesson, student: Student, actor: User) -> bool:
    """Remove the student's mark for the lesson; False when there was none. Audited."""
    require_lesson_editor(actor, lesson)
    with transaction.atomic():
        mark = Mark.objects.select_for_update().filter(**_cell(lesson, student)).first()
        if mark is None:
            return False
        before = _mark_state(mark, lesson)
        mark.delete()
        audit_record(
            school=lesson.school,
            actor=actor,
            action=AuditAction.MARK_DELETED,
            target=student,
            before=before,
        )
    return True


def attendance_set(
    *,
    lesson: Lesson,
    student: Student,
    status: str | None,
    reason: str = "",
    actor: User,
) -> Attendance | None:
    """Mark the student absent ("absent", н) or late ("late", оп) with a reason; None clears.

    Audited with before and after; returns the row, or None once cleared.
    """
    require_lesson_editor(actor, lesson)
    if status is not None and status not in AttendanceStatus.values:
        raise ValidationError({"status": "Отметка о посещаемости: «н» или «оп»."})
    if reason not in AbsenceReason.values:
        raise ValidationError({"reason": "Неизвестная причина отсутствия."})
    with transaction.atomic():
        if status is None:
            _attendance_clear(lesson, student, actor)
            return None
        check_lesson_takes_marks(lesson, what="отметка о посещаемости")
        check_student_of_lesson(lesson, student)
        values = {"status": status, "reason": reason}
        row, created = lock_or_create(
            Attendance, lookup=_cell(lesson, student), values={**values, "author": actor}
        )
        before = {} if created else _attendance_state(row, lesson)
        if not created and not apply_changes(row, values, stamp={"author": actor}):
            return row
        audit_record(
            school=lesson.school,
            actor=actor,
            action=AuditAction.ATTENDANCE_SET,
            target=student,
            before=before,
            after=_attendance_state(row, lesson),
        )
    return row


def _attendance_clear(lesson: Lesson, student: Student, actor: User) -> None:
    row = Attendance.objects.select_for_update().filter(**_cell(lesson, student)).first()
    if row is None:
        return
    before = _attendance_state(row, lesson)
    row.delete()
    audit_record(
        school=lesson.school,
        actor=actor,
        action=AuditAction.ATTENDANCE_CLEARED,
        target=student,
        before=before,
    )


def final_mark_set(
    *,
    student: Student,
    subject: Subject,
    period: Period,
    value: int | None,
    actor: User,
) -> FinalMark | None:
    """The student's final mark for the subject over the period; None clears it. Audited.

    Only a teacher assigned to the student's class and subject may set it.
    """
    require(can_set_final(actor, student, subject))
    if period.school_id != student.school_id or subject.school_id != student.school_id:
        raise ValidationError("Период или предмет другой школы.")
    if period.year_id != student.school_class.year_id:
        raise ValidationError("Период не относится к учебному году класса.")
    school = student.school
    lookup = {
        "school_id": student.school_id,
        "student": student,
        "subject": subject,
        "period": period,
    }
    with transaction.atomic():
        if value is None:
            row = FinalMark.objects.select_for_update().filter(**lookup).first()
            if row is None:
                return None
            before = _final_state(row)
            row.delete()
            audit_record(
                school=school,
                actor=actor,
                action=AuditAction.FINAL_MARK_DELETED,
                target=student,
                before=before,
            )
            return None
        check_scale(school, value)
        final, created = lock_or_create(
            FinalMark, lookup=lookup, values={"value": value, "author": actor}
        )
        before = {} if created else _final_state(final)
        if not created and not apply_changes(final, {"value": value}, stamp={"author": actor}):
            return final
        audit_record(
            school=school,
            actor=actor,
            action=AuditAction.FINAL_MARK_SET,
            target=student,
            before=before,
            after=_final_state(final),
        )
    return final
