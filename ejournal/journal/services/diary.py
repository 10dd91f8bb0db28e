"""What teachers and parents add around the diary: remarks and a parent's signature."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from ejournal.accounts.models import User
from ejournal.audit.models import AuditAction
from ejournal.audit.services import audit_record
from ejournal.schools.models import Guardianship, Student
from ejournal.schools.roles import Role

from ..access import can_edit_lesson, can_write_remark
from ..models import Lesson, Remark, WeekSignature
from ._common import check_student_of_lesson, require


def remark_add(*, student: Student, text: str, actor: User, lesson: Lesson | None = None) -> Remark:
    """A remark about the student, shown to the parents; audited as marks are (the student as
    the target, the lesson and subject it was written at, and the text).

    By the class teacher, a teacher of the student's class or the curator (anyone else: the
    404 of access.py); with a lesson, one they may edit, about one of its students.
    """
    require(can_write_remark(actor, student))  # before the lesson's check names the student
    if lesson is not None:
        require(can_edit_lesson(actor, lesson))
        check_student_of_lesson(lesson, student)
    text = " ".join(text.split())
    if not text:
        raise ValidationError({"text": "Напишите текст замечания."})
    remark = Remark(
        school_id=student.school_id, student=student, lesson=lesson, author=actor, text=text
    )
    at_lesson = (
        {"lesson_id": lesson.pk, "subject_id": lesson.subject_id} if lesson is not None else {}
    )
    with transaction.atomic():
        remark.full_clean()
        remark.save()
        audit_record(
            school=student.school,
            actor=actor,
            action=AuditAction.REMARK_ADDED,
            target=student,
            after={**at_lesson, "text": text},
        )
    return remark


def week_sign(*, parent: User, student: Student, week_start: dt.date) -> WeekSignature:
    """A linked parent's "read" on the student's week; signing twice keeps the first signature."""
    require(
        parent.role == Role.PARENT
        and parent.school_id == student.school_id
        and Guardianship.objects.filter(
            school_id=student.school_id, parent=parent, student=student
        ).exists()
    )
    if week_start.isoweekday() != 1:
        raise ValidationError({"week_start": "Неделя начинается с понедельника."})
    if week_start > student.school.today():
        raise ValidationError({"week_start": "Эта неделя ещё не началась."})
    with transaction.atomic():
        signature, _ = WeekSignature.objects.get_or_create(
            school_id=student.school_id, parent=parent, student=student, week_start=week_start
        )
    return signature
