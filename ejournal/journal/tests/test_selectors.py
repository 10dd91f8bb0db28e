"""Reads: weighted averages, the diary week, the marks page, the teacher's grid, the class
summary and the journal audit, each in a pinned number of queries whatever the data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from ejournal.core.testing.factories import StudentFactory, SubjectFactory
from ejournal.core.testing.journal_factories import (
    AttendanceFactory,
    FinalMarkFactory,
    GroupFactory,
    HolidayFactory,
    HomeworkFactory,
    LessonFactory,
    MarkFactory,
    RemarkFactory,
    TeachingAssignmentFactory,
)
from ejournal.journal.dates import DIARY_RANGE_MAX_DAYS, date_range_check
from ejournal.journal.models import AttendanceStatus, HomeworkFile, LessonStatus
from ejournal.journal.selectors import (
    class_summary,
    diary_week,
    finals_for_year,
    journal_audit,
    marks_for_period,
    teacher_day,
    teacher_grid,
    teacher_journals,
    weighted_average,
)
from ejournal.journal.services import attendance_set, final_mark_set, mark_set

from .conftest import MONDAY

pytestmark = pytest.mark.django_db


def _marks(*pairs):
    return [SimpleNamespace(value=v, weight=w) for v, w in pairs]


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([], None),
        ([(5, 1)], Decimal("5.00")),
        ([(4, 1), (5, 2)], Decimal("4.67")),
        ([(3, 1), (4, 1)], Decimal("3.50")),
        ([(5, 1)] + [(4, 1)] * 7, Decimal("4.13")),  # 4.125 rounds half up
        ([(2, 5), (5, 1)], Decimal("2.50")),
    ],
)
def test_the_weighted_average_is_the_sum_of_value_times_weight_over_the_weights(pairs, expected):
    assert weighted_average(_marks(*pairs)) == expected


def _lesson(class_6a, subject, teacher, day, number=1, **fields):
    return LessonFactory(
        school_class=class_6a, subject=subject, teacher=teacher, date=day, number=number, **fields
    )


# The diary


@pytest.fixture
def week(class_6a, math, russian, petrov, ivanova, nikolaev, ershova, bells):
    """Nikolaev's week of 23 November: math on Monday to Saturday, Russian on Wednesday, and
    English in two groups on Thursday (Nikolaev in the first)."""
    english = SubjectFactory(school=class_6a.school, name="Английский язык")
    one = GroupFactory(school_class=class_6a, subject=english, name="1 группа", members=[nikolaev])
    two = GroupFactory(school_class=class_6a, subject=english, name="2 группа", members=[ershova])
    lessons = [_lesson(class_6a, math, petrov, MONDAY + dt.timedelta(days=d)) for d in range(6)]
    lessons.append(_lesson(class_6a, russian, ivanova, MONDAY + dt.timedelta(days=2), number=2))
    for group in (one, two):
        lessons.append(
            _lesson(class_6a, english, petrov, MONDAY + dt.timedelta(days=3), 3, group=group)
        )
    return lessons


def test_the_diary_week_has_six_days_with_lessons_times_and_the_students_marks(
    week, nikolaev, petrov, ershova
):
    monday_math = week[0]
    monday_math.topic = "Дроби"
    monday_math.save()
    homework = HomeworkFactory(lesson=monday_math, text="№ 12, 14")  # no later lesson: undated
    MarkFactory(lesson=monday_math, student=nikolaev, value=4, comment="у доски")
    MarkFactory(lesson=monday_math, student=ershova, value=2)
    AttendanceFactory(lesson=week[1], student=nikolaev, status=AttendanceStatus.LATE)
    HomeworkFile.objects.create(
        school=nikolaev.school, homework=homework, name="карточка.pdf", file=ContentFile(b"x", "k")
    )
    diary = diary_week(student=nikolaev, week_start=MONDAY + dt.timedelta(days=3))
    assert diary.week_start == MONDAY
    assert [d.weekday_name for d in diary.days][0::5] == ["Понедельник", "Суббота"]
    monday = diary.days[0].lessons[0]
    assert monday.lesson.topic == "Дроби"
    [shown] = monday.homework
    assert (shown.homework.text, shown.undated, shown.set_on) == ("№ 12, 14", True, MONDAY)
    assert (monday.starts_at, monday.ends_at) == (dt.time(8, 30), dt.time(9, 15))
    assert (monday.mark.value, monday.mark.comment) == (4, "у доски")
    assert [f.name for f in shown.files] == ["карточка.pdf"]
    assert diary.days[1].lessons[0].attendance.status == AttendanceStatus.LATE
    assert monday.lesson.teacher == petrov
    assert [len(d.lessons) for d in diary.days] == [1, 1, 2, 2, 1, 1]
    thursday_english = diary.days[3].lessons[1].lesson
    assert thursday_english.group.name == "1 группа"
    assert diary.previous_week == MONDAY - dt.timedelta(days=7)


def test_a_student_sees_only_the_lessons_of_their_own_group(week, ershova):
    diary = diary_week(student=ershova, week_start=MONDAY)
    assert [dl.lesson.group.name for dl in diary.days[3].lessons if dl.lesson.group] == ["2 группа"]


def test_holidays_are_marked_in_the_diary(school, nikolaev):
    HolidayFactory(
        school=school,
        name="Осенние каникулы",
        starts_on=dt.date(2026, 10, 27),
        ends_on=dt.date(2026, 11, 4),
    )
    diary = diary_week(student=nikolaev, week_start=dt.date(2026, 11, 2))
    names = [d.holiday.name if d.holiday else None for d in diary.days]
    assert names == ["Осенние каникулы"] * 3 + [None] * 3


def test_the_diary_carries_the_weeks_remarks_and_cancelled_lessons(week, nikolaev, ivanova):
    RemarkFactory(student=nikolaev, text="Забыл тетрадь", lesson=week[0])
    RemarkFactory(
        student=nikolaev,
        text="Прошлая неделя",
        lesson=LessonFactory(
            date=MONDAY - dt.timedelta(days=7), school_class=nikolaev.school_class
        ),
    )
    week[4].status = LessonStatus.CANCELLED
    week[4].save()
    diary = diary_week(student=nikolaev, week_start=MONDAY)
    assert [r.text for r in diary.remarks] == ["Забыл тетрадь"]
    assert diary.days[4].lessons[0].cancelled


@pytest.mark.parametrize("many", [False, True])
def test_the_diary_week_runs_eight_queries_whatever_it_holds(
    week, nikolaev, django_assert_num_queries, many
):
    for lesson in week if many else week[:1]:
        if lesson.group is None or lesson.group.name == "1 группа":
            MarkFactory(lesson=lesson, student=nikolaev)
            AttendanceFactory(lesson=lesson, student=nikolaev)
            RemarkFactory(student=nikolaev, lesson=lesson)
            homework = HomeworkFactory(lesson=lesson)
            HomeworkFile.objects.create(
                school=nikolaev.school, homework=homework, name="f.pdf", file="homework/f.pdf"
            )
    with django_assert_num_queries(8):
        diary = diary_week(student=nikolaev, week_start=MONDAY)
        assert diary.days[0].lessons[0].lesson.subject.name
        assert diary.remarks[0].author is None or diary.remarks[0].author.login


# The marks page


def test_marks_for_a_period_per_subject_with_weighted_average_final_and_chart(
    class_6a, math, russian, petrov, ivanova, nikolaev, quarter_2
):
    before = _lesson(class_6a, math, petrov, dt.date(2026, 10, 20))
    first = _lesson(class_6a, math, petrov, dt.date(2026, 11, 9))
    second = _lesson(class_6a, math, petrov, dt.date(2026, 11, 16), control_type="test")
    _lesson(class_6a, russian, ivanova, dt.date(2026, 11, 10))
    MarkFactory(lesson=before, student=nikolaev, value=2)  # the first quarter: not counted
    MarkFactory(lesson=first, student=nikolaev, value=4, comment="устно")
    MarkFactory(lesson=second, student=nikolaev, value=5, weight=2)
    FinalMarkFactory(student=nikolaev, subject=math, period=quarter_2, value=5)
    result = marks_for_period(student=nikolaev, period=quarter_2)
    assert [s.subject.name for s in result] == ["Математика", "Русский язык"]
    maths, russian_marks = result
    assert [(m.lesson.date.day, m.value, m.weight) for m in maths.marks] == [(9, 4, 1), (16, 5, 2)]
    assert maths.average == Decimal("4.67")
    assert maths.final_value == 5
    assert [(p.value, p.average) for p in maths.points] == [
        (4, Decimal("4.00")),
        (5, Decimal("4.67")),
    ]
    assert (russian_marks.marks, russian_marks.average, russian_marks.final) == ([], None, None)


@pytest.mark.parametrize("count", [1, 12])
def test_the_marks_page_runs_three_queries(
    class_6a, math, petrov, nikolaev, quarter_2, django_assert_num_queries, count
):
    for n in range(count):
        lesson = _lesson(class_6a, math, petrov, dt.date(2026, 11, 9) + dt.timedelta(days=n))
        MarkFactory(lesson=lesson, student=nikolaev, value=3 + n % 3)
    FinalMarkFactory(student=nikolaev, subject=math, period=quarter_2)
    with django_assert_num_queries(3):
        marks_for_period(student=nikolaev, period=quarter_2)


# The teacher's grid


def test_the_grid_has_students_by_lessons_with_marks_attendance_average_and_final(
    class_6a, math, petrov, nikolaev, ershova, borisov, quarter_2
):
    lessons = [_lesson(class_6a, math, petrov, dt.date(2026, 11, d)) for d in (9, 16, 23)]
    MarkFactory(lesson=lessons[0], student=nikolaev, value=3)
    MarkFactory(lesson=lessons[2], student=nikolaev, value=5, weight=3)
    AttendanceFactory(lesson=lessons[1], student=ershova)
    FinalMarkFactory(student=nikolaev, subject=math, period=quarter_2, value=4)
    grid = teacher_grid(school_class=class_6a, subject=math, period=quarter_2)
    assert [row.student for row in grid.rows] == [ershova, nikolaev]
    assert [lesson.date.day for lesson in grid.lessons] == [9, 16, 23]
    ershova_row, nikolaev_row = grid.rows
    assert [c.mark.value if c.mark else None for c in nikolaev_row.cells] == [3, None, 5]
    assert nikolaev_row.average == Decimal("4.50")
    assert nikolaev_row.final.value == 4
    assert ershova_row.cells[1].attendance.status == AttendanceStatus.ABSENT
    assert ershova_row.average is None


def test_a_groups_grid_has_the_groups_students_and_lessons(
    school, class_6a, petrov, nikolaev, ershova, quarter_2
):
    english = SubjectFactory(school=school, name="Английский язык")
    one = GroupFactory(school_class=class_6a, subject=english, members=[nikolaev])
    two = GroupFactory(school_class=class_6a, subject=english, members=[ershova])
    _lesson(class_6a, english, petrov, dt.date(2026, 11, 9), group=one)
    _lesson(class_6a, english, petrov, dt.date(2026, 11, 10), group=two)
    grid = teacher_grid(school_class=class_6a, subject=english, period=quarter_2, group=one)
    assert [row.student for row in grid.rows] == [nikolaev]
    assert [lesson.date.day for lesson in grid.lessons] == [9]


@pytest.mark.parametrize("size", [1, 10])
def test_the_grid_runs_five_queries_whatever_its_size(
    class_6a, math, petrov, quarter_2, django_assert_num_queries, size
):
    students = [StudentFactory(school_class=class_6a) for _ in range(size)]
    for n in range(size):
        lesson = _lesson(class_6a, math, petrov, dt.date(2026, 11, 9) + dt.timedelta(days=n))
        for student in students:
            MarkFactory(lesson=lesson, student=student)
            AttendanceFactory(lesson=lesson, student=student)
    for student in students:
        FinalMarkFactory(student=student, subject=math, period=quarter_2)
    with django_assert_num_queries(5):
        grid = teacher_grid(school_class=class_6a, subject=math, period=quarter_2)
        assert grid.rows[0].cells[0].lesson.teacher.full_name
    assert sum(1 for row in grid.rows for c in row.cells if c.mark) == size * size


# The class summary


def test_the_class_summary_has_averages_absences_and_class_averages(
    class_6a, math, russian, petrov, ivanova, nikolaev, ershova, quarter_2
):
    m1 = _lesson(class_6a, math, petrov, dt.date(2026, 11, 9))
    m2 = _lesson(class_6a, math, petrov, dt.date(2026, 11, 10), control_type="test")
    r1 = _lesson(class_6a, russian, ivanova, dt.date(2026, 11, 11))
    MarkFactory(lesson=m1, student=nikolaev, value=3)
    MarkFactory(lesson=m2, student=nikolaev, value=5, weight=2)
    MarkFactory(lesson=m1, student=ershova, value=4)
    MarkFactory(lesson=r1, student=ershova, value=5)
    AttendanceFactory(lesson=r1, student=nikolaev, status=AttendanceStatus.ABSENT)
    AttendanceFactory(lesson=m2, student=nikolaev, status=AttendanceStatus.LATE)
    AttendanceFactory(lesson=m1, student=nikolaev, status=AttendanceStatus.ABSENT)
    summary = class_summary(school_class=class_6a, period=quarter_2)
    assert [s.name for s in summary.subjects] == ["Математика", "Русский язык"]
    ershova_row, nikolaev_row = summary.rows
    assert nikolaev_row.averages == [Decimal("4.33"), None]
    assert ershova_row.averages == [Decimal("4.00"), Decimal("5.00")]
    assert (nikolaev_row.absences, nikolaev_row.lates) == (2, 1)
    assert (ershova_row.absences, ershova_row.lates) == (0, 0)
    assert summary.class_averages == [Decimal("4.17"), Decimal("5.00")]
    assert ershova_row.average == Decimal("4.50")


@pytest.mark.parametrize("size", [1, 8])
def test_the_class_summary_runs_five_queries(
    class_6a, math, petrov, quarter_2, django_assert_num_queries, size
):
    students = [StudentFactory(school_class=class_6a) for _ in range(size)]
    for n in range(size):
        lesson = _lesson(class_6a, math, petrov, dt.date(2026, 11, 9) + dt.timedelta(days=n))
        for student in students:
            MarkFactory(lesson=lesson, student=student)
            AttendanceFactory(lesson=lesson, student=student)
    with django_assert_num_queries(5):
        class_summary(school_class=class_6a, period=quarter_2)


# The journal audit


def test_the_class_journal_audit_lists_mark_attendance_and_final_changes(
    class_6a, math, math_lesson, nikolaev, borisov, petrov, sidorova, quarter_2
):
    mark_set(lesson=math_lesson, student=nikolaev, value=4, actor=petrov.user)
    mark_set(lesson=math_lesson, student=nikolaev, value=5, weight=2, actor=petrov.user)
    attendance_set(
        lesson=math_lesson, student=nikolaev, status="absent", reason="illness", actor=petrov.user
    )
    final_mark_set(student=nikolaev, subject=math, period=quarter_2, value=5, actor=petrov.user)
    other = _lesson(borisov.school_class, math, sidorova, math_lesson.date)
    mark_set(lesson=other, student=borisov, value=3, actor=sidorova.user)  # another class
    entries = journal_audit(school_class=class_6a)
    assert [(e.kind, e.before, e.after) for e in entries] == [
        ("final", "", "5"),
        ("attendance", "", "н (Болезнь)"),
        ("mark", "4", "5 ×2"),
        ("mark", "", "4"),
    ]
    assert {e.student for e in entries} == {nikolaev}
    assert entries[0].period == quarter_2
    assert entries[2].lesson == math_lesson
    assert entries[2].subject == math
    assert entries[2].event.actor == petrov.user
    assert (
        journal_audit(school_class=class_6a, subject=SubjectFactory(school=class_6a.school)) == []
    )
    assert len(journal_audit(school_class=class_6a, student=nikolaev, subject=math)) == 4


@pytest.mark.parametrize("count", [1, 6])
def test_the_journal_audit_runs_five_queries(
    class_6a, math, petrov, django_assert_num_queries, count
):
    students = [StudentFactory(school_class=class_6a) for _ in range(count)]
    lesson = _lesson(class_6a, math, petrov, dt.date(2026, 11, 24))
    for student in students:
        mark_set(lesson=lesson, student=student, value=4, actor=petrov.user)
    with django_assert_num_queries(5):
        journal_audit(school_class=class_6a)


# The frame


def test_a_teachers_day_and_journals(
    class_6a, class_6b, math, petrov, sidorova, bells, django_assert_num_queries
):
    TeachingAssignmentFactory(
        school=class_6b.school, teacher=petrov, school_class=class_6b, subject=math
    )
    _lesson(class_6a, math, petrov, dt.date(2026, 11, 24), number=3)
    _lesson(class_6b, math, petrov, dt.date(2026, 11, 24), number=1)
    _lesson(class_6b, math, sidorova, dt.date(2026, 11, 24), number=2)
    with django_assert_num_queries(1):
        day = teacher_day(teacher=petrov, day=dt.date(2026, 11, 24))
        assert [(x.number, x.school_class.label, x.starts_at) for x in day] == [
            (1, "6Б", dt.time(8, 30)),
            (3, "6А", dt.time(10, 30)),
        ]
    with django_assert_num_queries(1):
        journals = teacher_journals(teacher=petrov, year=class_6a.year)
        assert [(j.school_class.label, j.subject.name) for j in journals] == [
            ("6А", "Математика"),
            ("6Б", "Математика"),
        ]


def test_a_diary_range_is_checked_once_for_both_apis():
    first = dt.date(2026, 9, 1)
    date_range_check(first, first)
    date_range_check(first, first + dt.timedelta(days=DIARY_RANGE_MAX_DAYS - 1))
    with pytest.raises(ValidationError) as backwards:
        date_range_check(first, first - dt.timedelta(days=1))
    assert backwards.value.message_dict == {"days": ["Начало периода позже его конца."]}
    with pytest.raises(ValidationError) as too_long:
        date_range_check(first, first + dt.timedelta(days=DIARY_RANGE_MAX_DAYS))
    assert too_long.value.message_dict == {"days": ["Можно запросить не больше 93 дней за раз."]}


def test_the_year_finals_are_per_subject_by_name_and_by_period_in_one_query(
    class_6a,
    math,
    russian,
    nikolaev,
    ershova,
    petrov,
    ivanova,
    quarter_1,
    quarter_2,
    django_assert_num_queries,
):
    final_mark_set(student=nikolaev, subject=math, period=quarter_2, value=5, actor=petrov.user)
    final_mark_set(student=nikolaev, subject=math, period=quarter_1, value=4, actor=petrov.user)
    final_mark_set(student=nikolaev, subject=russian, period=quarter_1, value=3, actor=ivanova.user)
    final_mark_set(student=ershova, subject=math, period=quarter_1, value=2, actor=petrov.user)
    with django_assert_num_queries(1):
        finals = finals_for_year(student=nikolaev)
    assert [(item.subject, [(f.period, f.value) for f in item.finals]) for item in finals] == [
        (math, [(quarter_1, 4), (quarter_2, 5)]),
        (russian, [(quarter_1, 3)]),
    ]
