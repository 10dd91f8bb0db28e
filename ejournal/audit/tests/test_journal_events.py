"""The journal's events on the curator's "Журнал действий": readable fields and values.

Marks, attendance and finals are recorded with ids (lesson, subject, period) and stored
choices ("absent", "illness"); the page names them as the curator knows them.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from ejournal.audit.models import AuditAction
from ejournal.audit.services import audit_record
from ejournal.core.testing.factories import SchoolClassFactory, StudentFactory, SubjectFactory
from ejournal.core.testing.journal_factories import (
    LessonFactory,
    TeachingAssignmentFactory,
    teacher_with_account,
)
from ejournal.journal.services import (
    attendance_set,
    final_mark_set,
    lesson_update,
    mark_delete,
    mark_set,
)

pytestmark = pytest.mark.django_db

URL = reverse("audit:events")
LESSON = "Математика, 6А, 24.11.2026, 2-й урок"


@pytest.fixture(autouse=True)
def _school_day():
    moscow = zoneinfo.ZoneInfo("Europe/Moscow")
    with time_machine.travel(dt.datetime(2026, 11, 26, 10, 0, tzinfo=moscow), tick=True):
        yield


@pytest.fixture
def cast(school):
    six_a = SchoolClassFactory(school=school, grade=6, letter="А")
    math = SubjectFactory(school=school, name="Математика")
    petrov = teacher_with_account(school, "petrov", last_name="Петров", first_name="Олег")
    sidorova = teacher_with_account(school, "sidorova", last_name="Сидорова", first_name="Анна")
    TeachingAssignmentFactory(school=school, teacher=petrov, school_class=six_a, subject=math)
    lesson = LessonFactory(
        school_class=six_a, subject=math, teacher=petrov, date=dt.date(2026, 11, 24), number=2
    )
    student = StudentFactory(school_class=six_a, last_name="Николаев", first_name="Василий")
    quarter = six_a.year.periods.get(number=2)
    return {
        "petrov": petrov,
        "sidorova": sidorova,
        "lesson": lesson,
        "student": student,
        "math": math,
        "quarter": quarter,
    }


def _changes(response):
    """(action, target, changes) of each row, the action without its "journal." prefix."""
    rows = response.context["rows"]
    return [(row.event.action.split(".")[1], row.target, row.changes) for row in rows]


def _cell():
    """Where a mark or attendance change happened, as the page lists it."""
    return [("Урок", "", LESSON), ("Предмет", "", "Математика")]


def test_the_journals_events_show_names_and_choices_not_ids(curator_client, curator, cast):
    lesson, student, petrov = cast["lesson"], cast["student"], cast["petrov"].user
    mark_set(lesson=lesson, student=student, value=4, actor=petrov)
    mark_set(lesson=lesson, student=student, value=5, weight=2, comment="к/р", actor=petrov)
    attendance_set(lesson=lesson, student=student, status="late", reason="family", actor=petrov)
    final_mark_set(
        student=student, subject=cast["math"], period=cast["quarter"], value=5, actor=petrov
    )
    mark_delete(lesson=lesson, student=student, actor=petrov)
    lesson_update(lesson=lesson, topic="Дроби", control_type="test", actor=petrov)
    lesson_update(lesson=lesson, teacher=cast["sidorova"], room="305", actor=curator)

    response = curator_client.get(URL)

    cell = _cell()
    pupil = "Ученик Николаев Василий"
    assert _changes(response) == [
        (
            "lesson_updated",
            f"Урок {LESSON}",
            [("Кабинет", "201", "305"), ("Учитель", "Петров Олег", "Сидорова Анна")],
        ),
        (
            "lesson_updated",
            f"Урок {LESSON}",
            [("Тема урока", "", "Дроби"), ("Вид работы", "", "Контрольная работа")],
        ),
        (
            "mark_deleted",
            pupil,
            [*cell, ("Оценка", "5", ""), ("Вес", "2", ""), ("Комментарий", "к/р", "")],
        ),
        (
            "final_mark_set",
            pupil,
            [("Предмет", "", "Математика"), ("Период", "", "2 четверть"), ("Оценка", "", "5")],
        ),
        (
            "attendance_set",
            pupil,
            [*cell, ("Посещаемость", "", "оп"), ("Причина", "", "Семейные обстоятельства")],
        ),
        (
            "mark_set",
            pupil,
            [*cell, ("Оценка", "4", "5"), ("Вес", "1", "2"), ("Комментарий", "", "к/р")],
        ),
        ("mark_set", pupil, [*cell, ("Оценка", "", "4"), ("Вес", "", "1")]),
    ]
    content = response.content.decode()
    assert "<dt>Посещаемость</dt><dd>оп</dd>" in content
    assert '<dt>Учитель</dt><dd><span class="before">Петров Олег</span> → Сидорова Анна</dd>' in (
        content
    )
    for raw in ("lesson_id", "subject_id", "period_id", "teacher_id", "late", "family"):
        assert raw not in content


def test_attendance_cleared_and_a_lesson_cancelled_read_as_words(curator_client, curator, cast):
    lesson, student, petrov = cast["lesson"], cast["student"], cast["petrov"].user
    attendance_set(lesson=lesson, student=student, status="absent", reason="", actor=petrov)
    attendance_set(lesson=lesson, student=student, status=None, actor=petrov)
    lesson_update(lesson=lesson, status="cancelled", actor=curator)

    assert _changes(curator_client.get(URL)) == [
        ("lesson_updated", f"Урок {LESSON}", [("Состояние урока", "По расписанию", "Отменён")]),
        ("attendance_cleared", "Ученик Николаев Василий", [*_cell(), ("Посещаемость", "н", "")]),
        ("attendance_set", "Ученик Николаев Василий", [*_cell(), ("Посещаемость", "", "н")]),
    ]


def test_the_lesson_is_a_target_type_of_the_filter(curator_client, curator, cast):
    lesson_update(lesson=cast["lesson"], room="305", actor=curator)
    mark_set(lesson=cast["lesson"], student=cast["student"], value=4, actor=cast["petrov"].user)

    response = curator_client.get(URL, {"target_type": "lesson"})

    assert [row.target for row in response.context["rows"]] == [f"Урок {LESSON}"]
    assert '<option value="lesson" selected>Урок</option>' in response.content.decode()


def test_a_record_gone_or_of_another_school_is_shown_by_its_id(
    curator_client, school, curator, cast
):
    audit_record(
        school=school,
        actor=curator,
        action=AuditAction.MARK_SET,
        target=cast["student"],
        after={"lesson_id": 10**9, "subject_id": 10**9, "value": 3, "weight": 1, "comment": ""},
    )
    assert _changes(curator_client.get(URL))[0][2] == [
        ("Урок", "", f"№{10**9}"),
        ("Предмет", "", f"№{10**9}"),
        ("Оценка", "", "3"),
        ("Вес", "", "1"),
    ]


@pytest.mark.parametrize("count", [2, 12])
def test_naming_the_journals_records_adds_no_query(
    curator_client, curator, cast, count, django_assert_num_queries
):
    lesson, petrov = cast["lesson"], cast["petrov"].user
    for n in range(count):
        student = StudentFactory(school_class=lesson.school_class)
        mark_set(lesson=lesson, student=student, value=4, actor=petrov)
        attendance_set(lesson=lesson, student=student, status="late", actor=petrov)
        final_mark_set(
            student=student, subject=cast["math"], period=cast["quarter"], value=4, actor=petrov
        )
        lesson_update(lesson=lesson, room=f"{n}", actor=curator)
    # host → school, curator, unread messages, count, the page with actors, targets, names
    with django_assert_num_queries(5):
        response = curator_client.get(URL)
    assert all("№" not in str(row.changes) for row in response.context["rows"])
