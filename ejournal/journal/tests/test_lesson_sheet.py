"""A lesson's sheet: its pupils as the grid has them, each with the mark and attendance."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ejournal.core.testing.factories import StudentFactory
from ejournal.core.testing.journal_factories import (
    AttendanceFactory,
    GroupFactory,
    LessonFactory,
    MarkFactory,
)
from ejournal.journal.models import AttendanceStatus
from ejournal.journal.selectors import lesson_sheet

pytestmark = pytest.mark.django_db


def _rows(sheet):
    return [
        (
            row.student.last_name,
            (row.mark.value, row.mark.weight) if row.mark else None,
            row.attendance.status if row.attendance else None,
        )
        for row in sheet.rows
    ]


def test_the_sheet_has_the_classs_active_pupils_by_name_with_their_cells(
    math_lesson, nikolaev, ershova, borisov
):
    StudentFactory(
        school_class=math_lesson.school_class, last_name="Ушедший", archived_at=timezone.now()
    )
    MarkFactory(lesson=math_lesson, student=nikolaev, value=5, weight=2)
    AttendanceFactory(lesson=math_lesson, student=ershova, status=AttendanceStatus.LATE)
    other_day = LessonFactory(
        school_class=math_lesson.school_class,
        subject=math_lesson.subject,
        teacher=math_lesson.teacher,
        date=math_lesson.date + dt.timedelta(days=1),
        number=1,
    )
    MarkFactory(lesson=other_day, student=ershova, value=2)
    sheet = lesson_sheet(lesson=math_lesson)
    assert (sheet.lesson, sheet.starts_at, sheet.ends_at) == (
        math_lesson,
        dt.time(9, 25),
        dt.time(10, 10),
    )
    # Borisov is of 6Б; another lesson's mark is not this one's.
    assert _rows(sheet) == [("Ершова", None, "late"), ("Николаев", (5, 2), None)]


def test_a_group_lessons_sheet_has_the_groups_pupils_only(
    school, class_6a, math, petrov, nikolaev, ershova, bells
):
    group = GroupFactory(school_class=class_6a, subject=math, members=[nikolaev])
    lesson = LessonFactory(
        school_class=class_6a,
        subject=math,
        teacher=petrov,
        group=group,
        date=dt.date(2026, 11, 24),
        number=1,
    )
    sheet = lesson_sheet(lesson=lesson)
    assert _rows(sheet) == [("Николаев", None, None)]
    assert sheet.starts_at == dt.time(8, 30)  # the first bell


@pytest.mark.parametrize("pupils", [2, 25])
def test_the_sheet_runs_four_queries_whatever_the_number_of_pupils(
    math_lesson, django_assert_num_queries, pupils
):
    for n in range(pupils):
        student = StudentFactory(school_class=math_lesson.school_class)
        MarkFactory(lesson=math_lesson, student=student, value=4)
        if n % 2:
            AttendanceFactory(lesson=math_lesson, student=student)
    # The bell times, the roster, the marks, the attendance.
    with django_assert_num_queries(4):
        sheet = lesson_sheet(lesson=math_lesson)
    assert len(sheet.rows) == pupils
