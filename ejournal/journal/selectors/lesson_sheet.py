"""One lesson's sheet: its pupils, each with the mark and the attendance at it (the mobile
API's lesson; the grid shows the same cells as one of its columns)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ejournal.schools.models import Student

from ..models import Attendance, Lesson, Mark
from .grid import class_roster


@dataclass(frozen=True)
class SheetRow:
    student: Student
    mark: Mark | None
    attendance: Attendance | None  # None: present


@dataclass(frozen=True)
class LessonSheet:
    lesson: Lesson
    starts_at: dt.time | None  # from the bell schedule; None without a bell
    ends_at: dt.time | None
    rows: list[SheetRow]  # the pupils by name


def lesson_sheet(*, lesson: Lesson) -> LessonSheet:
    """The pupils of the lesson as the grid has them (the class's active students, the group's
    for a group lesson), by name, each with their mark and attendance at it; the lesson's bell
    times. Four queries, whatever the number of pupils."""
    timed = Lesson.objects.with_bell_times().only("pk").get(pk=lesson.pk)
    roster = class_roster(
        school_id=lesson.school_id,
        school_class_id=lesson.school_class_id,
        group_id=lesson.group_id,
    )
    cell = {"school_id": lesson.school_id, "lesson": lesson}
    marks = {mark.student_id: mark for mark in Mark.objects.filter(**cell)}
    attendance = {row.student_id: row for row in Attendance.objects.filter(**cell)}
    return LessonSheet(
        lesson=lesson,
        starts_at=getattr(timed, "starts_at", None),
        ends_at=getattr(timed, "ends_at", None),
        rows=[
            SheetRow(
                student=student,
                mark=marks.get(student.pk),
                attendance=attendance.get(student.pk),
            )
            for student in roster
        ],
    )
