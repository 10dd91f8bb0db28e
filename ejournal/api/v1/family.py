"""A student's diary for the student and the parents: periods, days, marks, finals, signatures.

Each endpoint fetches the student through `access_student_for_diary`, as the web diary does:
the student, a linked parent, and the staff who may see the student (the class teacher, the
class's teachers, the curator); another family's child or another class's pupil is the 404
of an id that does not exist.
"""

# No `from __future__ import annotations`: Ninja reads the endpoints' annotations at import.
import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.urls import reverse
from ninja import Query, Router, Status

from ejournal.core.errors import ErrorCode, ErrorItem, error_list
from ejournal.core.http import SchoolRequest
from ejournal.journal import selectors, services
from ejournal.journal.access import (
    access_homework_file,
    access_student_for_diary,
    can_read_remarks,
)
from ejournal.journal.dates import EARLIEST, LATEST, date_range_check, diary_week_start
from ejournal.journal.models import HomeworkFile, Mark, Remark
from ejournal.journal.selectors import DiaryLesson
from ejournal.journal.views.files import homework_file_response
from ejournal.schools.models import Period, Student, Subject
from ejournal.schools.selectors import period_current, period_is_closed, year_periods

from .errors import ApiError
from .family_schemas import (
    DiaryDayOut,
    DiaryHomeworkOut,
    DiaryLessonOut,
    DiaryOut,
    FinalOut,
    HomeworkFileOut,
    MarksOut,
    PeriodMark,
    PeriodOut,
    PeriodRef,
    RemarkOut,
    SignatureOut,
    SubjectFinalsOut,
    SubjectMarksOut,
)
from .rendering import kept_answer
from .schemas import Errors, SubjectRef, cell_attendance, cell_mark

router = Router(tags=["diary"])

TO_SATURDAY = dt.timedelta(days=5)  # Monday to Saturday: the school week the diary opens at
OUT_OF_RANGE = f"Дата должна быть между {EARLIEST:%d.%m.%Y} и {LATEST:%d.%m.%Y}."
BINARY = {
    "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}
}


def _period_ref(period: Period) -> PeriodRef:
    return PeriodRef(id=period.pk, number=period.number, name=str(period))


def _subject(subject: Subject) -> SubjectRef:
    return SubjectRef(id=subject.pk, name=subject.name)


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


@router.get(
    "/students/{id:student_id}/periods",
    response={200: list[PeriodOut], 401: Errors, 404: Errors},
    summary="The periods of the student's school year",
)
def periods(request: SchoolRequest, student_id: int) -> list[PeriodOut]:
    """The quarters (trimesters, halves) of the year of the student's class, in order."""
    student = access_student_for_diary(user=request.user, student_id=student_id)
    school = student.school
    year = year_periods(year=student.school_class.year)
    current = period_current(periods=year, day=school.today())
    return [
        PeriodOut(
            **_period_ref(period).model_dump(),
            starts_on=period.starts_on,
            ends_on=period.ends_on,
            closed=period_is_closed(period=period, school=school),
            current=period == current,
        )
        for period in year
    ]


def _outside(**days: dt.date | None) -> list[ErrorItem]:
    """The dates given outside the years a diary holds (as the web diary bounds its weeks, so
    that date arithmetic stays safe)."""
    return [
        {"param": name, "code": ErrorCode.INVALID, "message": OUT_OF_RANGE}
        for name, day in days.items()
        if day is not None and not EARLIEST <= day <= LATEST
    ]


def _file(homework_file: HomeworkFile) -> HomeworkFileOut:
    try:
        size: int | None = homework_file.file.size
    except FileNotFoundError:
        size = None
    return HomeworkFileOut(
        id=homework_file.pk,
        name=homework_file.name,
        size=size,
        url=reverse("api-v1:homework_file", kwargs={"file_id": homework_file.pk}),
    )


def _lesson(entry: DiaryLesson) -> DiaryLessonOut:
    lesson = entry.lesson
    return DiaryLessonOut(
        id=lesson.pk,
        number=lesson.number,
        subject=_subject(lesson.subject),
        teacher=lesson.teacher.full_name,
        group=lesson.group.name if lesson.group is not None else None,
        room=lesson.room,
        starts_at=entry.starts_at,
        ends_at=entry.ends_at,
        status=lesson.status,
        topic=lesson.topic,
        control_type=lesson.control_type or None,
        mark=cell_mark(entry.mark),
        attendance=cell_attendance(entry.attendance),
        homework=[
            DiaryHomeworkOut(
                id=item.homework.pk,
                text=item.homework.text,
                set_on=item.set_on,
                undated=item.undated,
                files=[_file(f) for f in item.files],
            )
            for item in entry.homework
        ],
    )


def _remark(remark: Remark) -> RemarkOut:
    return RemarkOut(
        text=remark.text,
        author=(remark.author.full_name or None) if remark.author is not None else None,
        created_at=remark.created_at,
        subject=_subject(remark.lesson.subject) if remark.lesson is not None else None,
    )


@router.get(
    "/students/{id:student_id}/diary",
    response={200: DiaryOut, 401: Errors, 404: Errors, 422: Errors},
    summary="The student's diary, day by day",
)
def diary(
    request: SchoolRequest,
    student_id: int,
    first: Annotated[
        dt.date | None,
        Query(
            alias="from",
            description="The first day (default: this diary week's Monday, or `to` − 5).",
        ),
    ] = None,
    last: Annotated[
        dt.date | None,
        Query(alias="to", description="The last day, at most 93 days on (default: `from` + 5)."),
    ] = None,
) -> HttpResponse:
    """Lessons with the student's mark, attendance and the homework due at each, from `from`
    to `to` (inclusive, Sundays left out). Without dates: this diary week, Monday to Saturday
    (on Sunday, the next one). Remarks: for the parents (and the class teacher, the curator)
    only, null for the student."""
    student = access_student_for_diary(user=request.user, student_id=student_id)
    outside = _outside(**{"from": first, "to": last})
    if outside:
        raise ApiError(422, outside)
    # One date alone: the six days that start or end there.
    if first is None:
        first = last - TO_SATURDAY if last is not None else diary_week_start(student.school.today())
    if last is None:
        last = first + TO_SATURDAY
    try:
        date_range_check(first, last)
    except ValidationError as refusal:  # about the pair, not one of the dates
        errors = error_list(refusal, code=ErrorCode.INVALID)
        raise ApiError(422, [{**item, "param": None} for item in errors]) from refusal
    with_remarks = can_read_remarks(request.user, student)
    return kept_answer(
        request,
        name="diary",
        student=student,
        parts=[first, last, with_remarks],
        build=lambda: _diary(student, first, last, with_remarks=with_remarks),
    )


def _diary(student: Student, first: dt.date, last: dt.date, *, with_remarks: bool) -> DiaryOut:
    diary = selectors.diary_between(student=student, first=first, last=last)
    return DiaryOut(
        student_id=student.pk,
        first=diary.first,
        last=diary.last,
        days=[
            DiaryDayOut(
                date=day.date,
                holiday=day.holiday.name if day.holiday is not None else None,
                lessons=[_lesson(entry) for entry in day.lessons],
            )
            for day in diary.days
        ],
        signed_weeks=sorted(diary.signed_weeks()),
        remarks=[_remark(r) for r in diary.remarks] if with_remarks else None,
    )


@router.get(
    "/homework-files/{id:file_id}",
    response={401: Errors, 404: Errors},
    openapi_extra={"responses": {200: {"description": "The file, as an attachment", **BINARY}}},
    url_name="homework_file",
    summary="Download a homework file",
)
def homework_file(request: SchoolRequest, file_id: int) -> FileResponse:
    """The file as the site gives it: an attachment under its uploaded name, for whoever sees
    the lesson it was set at (its students, their parents, its teachers)."""
    return homework_file_response(access_homework_file(user=request.user, file_id=file_id))


def _mark(mark: Mark) -> PeriodMark:
    return PeriodMark(
        value=mark.value,
        weight=mark.weight,
        comment=mark.comment,
        date=mark.lesson.date,
        lesson_id=mark.lesson_id,
        control_type=mark.lesson.control_type or None,
    )


@router.get(
    "/students/{id:student_id}/marks",
    response={200: MarksOut, 401: Errors, 404: Errors, 422: Errors},
    summary="The student's marks in a period",
)
def marks(
    request: SchoolRequest,
    student_id: int,
    period: Annotated[
        int | None,
        Query(description="A period of the student's year (default: the current one)."),
    ] = None,
) -> MarksOut:
    """Each subject's marks, weighted average and final mark, as the site's "Оценки" page;
    a period of another year: 404. A year without periods: `period` null, no subjects."""
    student = access_student_for_diary(user=request.user, student_id=student_id)
    year = year_periods(year=student.school_class.year)
    if period is None:
        chosen = period_current(periods=year, day=student.school.today())
    else:
        chosen = next((p for p in year if p.pk == period), None)
        if chosen is None:
            raise Http404
    subjects = selectors.marks_for_period(student=student, period=chosen) if chosen else []
    return MarksOut(
        period=_period_ref(chosen) if chosen is not None else None,
        subjects=[
            SubjectMarksOut(
                subject=_subject(item.subject),
                marks=[_mark(m) for m in item.marks],
                average=_decimal(item.average),
                final=item.final_value,
            )
            for item in subjects
        ],
        average=_decimal(selectors.mean(item.average for item in subjects)),
    )


@router.get(
    "/students/{id:student_id}/finals",
    response={200: list[SubjectFinalsOut], 401: Errors, 404: Errors},
    summary="The student's final marks in the year",
)
def finals(request: SchoolRequest, student_id: int) -> list[SubjectFinalsOut]:
    """Per subject by name, its final marks by period, in the year of the student's class."""
    student = access_student_for_diary(user=request.user, student_id=student_id)
    return [
        SubjectFinalsOut(
            subject=_subject(item.subject),
            finals=[FinalOut(period=_period_ref(f.period), value=f.value) for f in item.finals],
        )
        for item in selectors.finals_for_year(student=student)
    ]


@router.post(
    "/students/{id:student_id}/weeks/{monday}/signature",
    response={201: SignatureOut, 401: Errors, 404: Errors, 422: Errors},
    summary="Sign a week of a child's diary as read",
)
def week_sign(request: SchoolRequest, student_id: int, monday: dt.date) -> Status:
    """A linked parent's "read" on the week that starts on `monday`; signing again keeps the
    first signature. Anyone else (the student too): 404. Not a Monday, a week not begun: 422."""
    student = access_student_for_diary(user=request.user, student_id=student_id)
    outside = _outside(monday=monday)
    if outside:
        raise ApiError(422, outside)
    try:
        signature = services.week_sign(parent=request.user, student=student, week_start=monday)
    except ValidationError as refusal:
        errors = error_list(refusal)
        raise ApiError(422, [{**item, "param": "monday"} for item in errors]) from refusal
    return Status(201, SignatureOut(week_start=signature.week_start, signed_at=signature.signed_at))
