"""The shapes of the diary part of /api/v1: periods, the diary, marks, finals, signatures."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from .schemas import CellAttendance, CellMark, ClockTime, SubjectRef


class PeriodRef(Schema):
    id: int
    number: int
    name: str = Field(description='As the site names it: "2 четверть".')


class PeriodOut(PeriodRef):
    starts_on: dt.date
    ends_on: dt.date
    closed: bool = Field(
        description="Its marks and finals are locked (by the curator or the rule)."
    )
    current: bool = Field(
        description="The period the diary opens at today: the one under way (in a vacation, "
        "the one before it). One of the year's periods at most."
    )


class HomeworkFileOut(Schema):
    id: int
    name: str = Field(description="The name it was uploaded with.")
    size: int | None = Field(description="In bytes; null if the stored file is missing.")
    url: str = Field(
        description="GET it with the same token (GET /homework-files/{id}): the file itself."
    )


class DiaryHomeworkOut(Schema):
    id: int
    text: str
    set_on: dt.date = Field(description="The date of the lesson it was set at.")
    undated: bool = Field(
        description="No later lesson to be due at: listed under the lesson it was set at."
    )
    files: list[HomeworkFileOut]


class DiaryLessonOut(Schema):
    id: int
    number: int = Field(description="The lesson's number in the day.")
    subject: SubjectRef
    teacher: str = Field(description="The teacher's full name.")
    group: str | None = Field(description="The group of a split subject; null: the whole class.")
    room: str
    starts_at: ClockTime | None = Field(description="From the bell schedule; null without a bell.")
    ends_at: ClockTime | None
    status: str = Field(description="planned or cancelled (the journal's lesson status).")
    topic: str
    control_type: str | None = Field(description="test, quiz, dictation or lab; null: none.")
    mark: CellMark | None = Field(description="The student's mark at this lesson.")
    attendance: CellAttendance | None = Field(description="null: present.")
    homework: list[DiaryHomeworkOut] = Field(description="What is due at this lesson.")


class DiaryDayOut(Schema):
    date: dt.date
    holiday: str | None = Field(description="The vacation's or holiday's name; null: a school day.")
    lessons: list[DiaryLessonOut]


class RemarkOut(Schema):
    text: str
    author: str | None = Field(
        description="The author's full name; null if the account is gone or has no name."
    )
    created_at: dt.datetime
    subject: SubjectRef | None = Field(description="The lesson's subject; null: not at a lesson.")


class DiaryOut(Schema):
    student_id: int
    first: dt.date = Field(description="The range's first day (`from`).")
    last: dt.date = Field(description="Its last day (`to`).")
    days: list[DiaryDayOut] = Field(description="Every day of the range but Sundays.")
    signed_weeks: list[dt.date] = Field(description="The Mondays of the weeks a parent signed.")
    remarks: list[RemarkOut] | None = Field(
        description="Teachers' remarks of the range, newest first, for the parents, the class "
        "teacher and the curator; null for anyone else (the student): not shown to them."
    )


class PeriodMark(Schema):
    value: int
    weight: int
    comment: str
    date: dt.date
    lesson_id: int
    control_type: str | None = Field(description="test, quiz, dictation or lab; null: none.")


class SubjectMarksOut(Schema):
    subject: SubjectRef
    marks: list[PeriodMark] = Field(description="By date.")
    average: str | None = Field(
        description='The weighted average to two decimals, as "4.67"; null without marks.'
    )
    final: int | None = Field(description="The final mark for the period; null: not yet.")


class MarksOut(Schema):
    period: PeriodRef | None = Field(description="null: the year has no periods.")
    subjects: list[SubjectMarksOut] = Field(description="Every subject of the period, by name.")
    average: str | None = Field(
        description='The plain mean of the subjects\' averages, as "4.50"; null without marks.'
    )


class FinalOut(Schema):
    period: PeriodRef
    value: int


class SubjectFinalsOut(Schema):
    subject: SubjectRef
    finals: list[FinalOut] = Field(description="By period.")


class SignatureOut(Schema):
    week_start: dt.date
    signed_at: dt.datetime = Field(description="When the parent first signed the week.")
