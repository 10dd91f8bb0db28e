"""A cell of the journal: one student's mark and attendance at one lesson, set together.

What a typed grid cell means ("5*2", "оп 4", "" to clear) and what the API's "set, change or
delete a mark or an absence" means is this one flow: the front ends parse, `cell_set` decides.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from ejournal.accounts.models import User
from ejournal.schools.models import Student

from ..models import Attendance, Lesson, Mark
from ._common import UNSET, Unset
from .marks import attendance_set, mark_delete, mark_set


@dataclass(frozen=True)
class Cell:
    """What a cell holds: a mark (None: no mark) and an attendance (None: present)."""

    mark: Mark | None
    attendance: Attendance | None


def cell_set(
    *,
    lesson: Lesson,
    student: Student,
    actor: User,
    mark: int | Unset | None = UNSET,
    weight: int | None = None,
    comment: str | Unset = UNSET,
    status: str | Unset | None = UNSET,
    reason: str | Unset = UNSET,
) -> Cell:
    """Make the cell hold `mark` (None: none) and `status` ("absent", "late"; None: present).
    What is not given is kept: the mark or the attendance as it is, the mark's comment, the
    absence's reason.

    A mark's weight is `weight`, else the lesson's default (`mark_default_weight`), never the
    one the cell had: retyping "4" over "5*3" means a 4 of the usual weight. `weight` and
    `comment` concern a mark being set, `reason` a status being set; otherwise they are unused.
    Clearing what is not there writes nothing. Both parts are one transaction: a refusal of
    either (ValidationError, with the rules of mark_set, mark_delete and attendance_set) writes
    neither. Returns what the cell holds now.
    """
    cell = {"school_id": lesson.school_id, "lesson": lesson, "student": student}
    with transaction.atomic(durable=True):
        held_mark = Mark.objects.select_for_update().filter(**cell).first()
        held_attendance = Attendance.objects.select_for_update().filter(**cell).first()
        if isinstance(mark, int):
            kept = held_mark.comment if held_mark is not None else ""
            held_mark = mark_set(
                lesson=lesson,
                student=student,
                value=mark,
                weight=weight,
                comment=kept if isinstance(comment, Unset) else comment,
                actor=actor,
            )
        elif mark is None and held_mark is not None:
            mark_delete(lesson=lesson, student=student, actor=actor)
            held_mark = None
        if isinstance(status, str):
            kept = held_attendance.reason if held_attendance is not None else ""
            held_attendance = attendance_set(
                lesson=lesson,
                student=student,
                status=status,
                reason=kept if isinstance(reason, Unset) else reason,
                actor=actor,
            )
        elif status is None and held_attendance is not None:
            attendance_set(lesson=lesson, student=student, status=None, actor=actor)
            held_attendance = None
    return Cell(mark=held_mark, attendance=held_attendance)
