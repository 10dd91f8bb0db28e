"""The shapes of the teacher's part of /api/v1: the day's lessons, a lesson's sheet, a cell."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field, StrictInt

from ejournal.journal.models import AbsenceReason, AttendanceStatus, LessonStatus

from .schemas import CellAttendance, CellMark, ClassRef, ClockTime, SubjectRef


class TeacherLessonOut(Schema):
    id: int
    date: dt.date
    number: int = Field(description="The lesson's number in the day (the bell's).")
    starts_at: ClockTime | None = Field(description="From the bell schedule; null without a bell.")
    ends_at: ClockTime | None
    school_class: ClassRef
    subject: SubjectRef
    group: str | None = Field(description="The group's name for a group lesson; null otherwise.")
    room: str
    status: LessonStatus
    topic: str
    control_type: str | None = Field(description="test, quiz, dictation or lab; null: none.")
    can_edit: bool = Field(description="Whether the user may set its marks and attendance.")


class PupilOut(Schema):
    id: int = Field(description="The student's id, as in PUT /lessons/{id}/students/{id}.")
    last_name: str
    first_name: str
    middle_name: str
    mark: CellMark | None = Field(description="Null: no mark at this lesson.")
    attendance: CellAttendance | None = Field(description="Null: present.")


class HomeworkOut(Schema):
    text: str
    due_on: dt.date | None = Field(
        description="The date of the lesson it is due at; null when there is no later lesson."
    )


class LessonSheetOut(TeacherLessonOut):
    period_closed: bool = Field(
        description="The lesson's period is closed: nobody changes its marks or attendance "
        "until the curator reopens it."
    )
    homework: HomeworkOut | None = Field(description="The homework set at this lesson; null: none.")
    pupils: list[PupilOut] = Field(
        description="The class's active students (the group's for a group lesson), by name."
    )


class CellIn(Schema):
    """Each field left out keeps what the cell holds; null clears it."""

    mark: StrictInt | None = Field(
        default=None, description="The mark, on the school's scale; null deletes it."
    )
    weight: StrictInt | None = Field(
        default=None,
        description="With `mark`: its weight, 1–5; left out or null: the lesson's default "
        "weight (heavier at a control work), as the grid sets it, never the one the cell had.",
    )
    comment: str = Field(
        default="", max_length=300, description='With `mark`: its comment; "" clears it.'
    )
    attendance: AttendanceStatus | None = Field(
        default=None, description='"absent" (н) or "late" (оп); null: present.'
    )
    reason: AbsenceReason = Field(
        default=AbsenceReason.NONE, description='With `attendance`: why; "" for not given.'
    )


class CellOut(Schema):
    student_id: int
    mark: CellMark | None
    attendance: CellAttendance | None
    average: str | None = Field(
        description="The student's weighted average for the lesson's period in the subject, "
        'as "4.67", as the lesson\'s grid counts it; null without marks.'
    )
