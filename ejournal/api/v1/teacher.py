"""The teacher's part: the day's lessons, a lesson's pupils with their marks and attendance,
and one cell set, changed or cleared through the grid's own service (journal.services.cell_set:
the same rules, the same audit).

Whatever the user may not see or change is a 404, as everywhere in the journal."""

# No `from __future__ import annotations`: Ninja reads the endpoints' annotations at import.
import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Query, Router, Schema
from pydantic import Field

from ejournal.core.errors import ErrorCode, ErrorItem, error_list
from ejournal.core.http import SchoolRequest
from ejournal.journal.access import (
    access_lesson_for_edit,
    access_lesson_for_view,
    access_student_of_class,
    can_edit_lesson,
    lessons_editable_by,
    teacher_of,
)
from ejournal.journal.models import Lesson
from ejournal.journal.selectors import lesson_sheet, row_average, teacher_day
from ejournal.journal.selectors.homework import lesson_homework
from ejournal.journal.services import UNSET, cell_set
from ejournal.schools.selectors import closed_period_on

from .errors import ApiError
from .schemas import ClassRef, Errors, SubjectRef, cell_attendance, cell_mark
from .teacher_schemas import (
    CellIn,
    CellOut,
    HomeworkOut,
    LessonSheetOut,
    PupilOut,
    TeacherLessonOut,
)

router = Router(tags=["teacher"])

# The service's names for the cell's parts, as the body names them.
BODY_FIELDS = {"value": "mark", "status": "attendance"}
WITH_MARK = "Вес и комментарий ставятся вместе с оценкой: передайте и mark."
WITH_ATTENDANCE = "Причина ставится вместе с отметкой о посещаемости: передайте и attendance."


class DayQuery(Schema):
    date: dt.date | None = Field(
        default=None, description="YYYY-MM-DD; the school's today if left out."
    )


def _lesson_fields(
    lesson: Lesson, *, starts_at: dt.time | None, ends_at: dt.time | None, can_edit: bool
) -> dict[str, Any]:
    return {
        "id": lesson.pk,
        "date": lesson.date,
        "number": lesson.number,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "school_class": ClassRef(id=lesson.school_class_id, label=lesson.school_class.label),
        "subject": SubjectRef(id=lesson.subject_id, name=lesson.subject.name),
        "group": lesson.group.name if lesson.group is not None else None,
        "room": lesson.room,
        "status": lesson.status,
        "topic": lesson.topic,
        "control_type": lesson.control_type or None,
        "can_edit": can_edit,
    }


@router.get(
    "/teacher/lessons",
    response={200: list[TeacherLessonOut], 401: Errors, 404: Errors, 422: Errors},
    summary="The teacher's lessons on a day",
)
def teacher_lessons(request: SchoolRequest, query: Query[DayQuery]) -> list[TeacherLessonOut]:
    """The lessons the user gives that day (substitutions included), by number, with their bell
    times. Only a teacher has lessons: any other user (a student, a parent, the curator) gets
    404, as for a page that is not theirs."""
    teacher = teacher_of(request.user)
    if teacher is None:
        raise Http404
    day = query.date or request.school.today()
    lessons = teacher_day(teacher=teacher, day=day)
    editable = lessons_editable_by(user=request.user, lessons=lessons)
    return [
        TeacherLessonOut(
            **_lesson_fields(
                lesson,
                # teacher_day's annotations
                starts_at=getattr(lesson, "starts_at", None),
                ends_at=getattr(lesson, "ends_at", None),
                can_edit=lesson.pk in editable,
            )
        )
        for lesson in lessons
    ]


@router.get(
    "/lessons/{id:lesson_id}",
    response={200: LessonSheetOut, 401: Errors, 404: Errors},
    summary="A lesson with its pupils' marks and attendance",
)
def lesson_detail(request: SchoolRequest, lesson_id: int) -> LessonSheetOut:
    """Whoever sees the lesson's journal sees it: its teachers, a substitute who gave a lesson of
    it, the class teacher and the curator (`can_edit`: whether they may change its cells). Anyone
    else, and a lesson of nobody: 404."""
    lesson = access_lesson_for_view(user=request.user, lesson_id=lesson_id)
    sheet = lesson_sheet(lesson=lesson)
    closed = closed_period_on(
        school=lesson.school, school_class_id=lesson.school_class_id, day=lesson.date
    )
    homework = lesson_homework(lesson=lesson).homework
    due = homework.due_lesson if homework is not None else None
    return LessonSheetOut(
        **_lesson_fields(
            lesson,
            starts_at=sheet.starts_at,
            ends_at=sheet.ends_at,
            can_edit=can_edit_lesson(request.user, lesson),
        ),
        period_closed=closed is not None,
        homework=(
            HomeworkOut(text=homework.text, due_on=due.date if due is not None else None)
            if homework is not None
            else None
        ),
        pupils=[
            PupilOut(
                id=row.student.pk,
                last_name=row.student.last_name,
                first_name=row.student.first_name,
                middle_name=row.student.middle_name,
                mark=cell_mark(row.mark),
                attendance=cell_attendance(row.attendance),
            )
            for row in sheet.rows
        ],
    )


def _given_alone(payload: CellIn) -> list[ErrorItem]:
    """The parts of a mark or an absence sent without it: the service would leave them unused."""
    given = payload.model_fields_set
    errors: list[ErrorItem] = []
    if "mark" not in given and given & {"weight", "comment"}:
        errors.append({"param": "payload.mark", "code": ErrorCode.INVALID, "message": WITH_MARK})
    if "attendance" not in given and "reason" in given:
        errors.append(
            {"param": "payload.attendance", "code": ErrorCode.INVALID, "message": WITH_ATTENDANCE}
        )
    return errors


def _body_param(item: ErrorItem) -> ErrorItem:
    param = item["param"]
    if param is None:
        return item
    return {**item, "param": f"payload.{BODY_FIELDS.get(param, param)}"}


@router.put(
    "/lessons/{id:lesson_id}/students/{id:student_id}",
    response={200: CellOut, 400: Errors, 401: Errors, 404: Errors, 422: Errors},
    summary="Set, change or clear a pupil's mark and attendance at a lesson",
)
def cell_put(request: SchoolRequest, lesson_id: int, student_id: int, payload: CellIn) -> CellOut:
    """The grid's cell: the lesson's teacher or a teacher assigned to its class and subject
    (anyone else, and a pupil not of the lesson's class: 404). A field left out keeps what the
    cell holds; `mark: null` deletes the mark, `attendance: null` marks the pupil present. A
    mark set without `weight` gets the lesson's default weight, as typed in the grid. Refused
    with 422 and the reason: a mark off the school's scale, a closed period, a cancelled or
    future lesson, a pupil not in the lesson's group. Every change is in the audit log."""
    lesson = access_lesson_for_edit(user=request.user, lesson_id=lesson_id)
    student = access_student_of_class(
        user=request.user, school_class_id=lesson.school_class_id, student_id=student_id
    )
    alone = _given_alone(payload)
    if alone:
        raise ApiError(422, alone)
    given = payload.model_fields_set
    try:
        cell = cell_set(
            lesson=lesson,
            student=student,
            actor=request.user,
            mark=payload.mark if "mark" in given else UNSET,
            weight=payload.weight,
            comment=payload.comment if "comment" in given else UNSET,
            status=payload.attendance if "attendance" in given else UNSET,
            reason=payload.reason if "reason" in given else UNSET,
        )
    except ValidationError as error:
        raise ApiError(422, [_body_param(item) for item in error_list(error)]) from error
    average = row_average(lesson=lesson, student=student, group_id=lesson.group_id)
    return CellOut(
        student_id=student.pk,
        mark=cell_mark(cell.mark),
        attendance=cell_attendance(cell.attendance),
        average=str(average) if average is not None else None,
    )
