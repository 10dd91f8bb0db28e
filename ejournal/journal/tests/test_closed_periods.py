"""A closed period: no write of its marks, attendance or finals, by anyone, until the curator
reopens it; the teacher's grid says so and is read-only. Topics and homework stay editable."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from ejournal.audit.models import AuditEvent
from ejournal.core.testing.journal_factories import (
    AttendanceFactory,
    FinalMarkFactory,
    LessonFactory,
    MarkFactory,
)
from ejournal.journal.models import Attendance, AttendanceStatus, FinalMark, Mark
from ejournal.journal.services import (
    attendance_set,
    final_mark_set,
    lesson_update,
    mark_delete,
    mark_set,
)
from ejournal.schools.models import Period
from ejournal.schools.services import period_close, period_reopen

from .test_views_teacher import GRID_QUERIES

pytestmark = pytest.mark.django_db

CLOSED = "Период «1 четверть» закрыт: изменить оценки, посещаемость и итоговые оценки нельзя."
JSON = {"HTTP_ACCEPT": "application/json"}
DECEMBER_3 = dt.datetime(2026, 12, 3, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Moscow"))


@pytest.fixture
def q1_lesson(class_6a, math, petrov, bells):
    """Tuesday 20 October, Математика in 6А with Петров: the first quarter."""
    return LessonFactory(
        school_class=class_6a, subject=math, teacher=petrov, date=dt.date(2026, 10, 20), number=2
    )


@pytest.fixture
def closed_q1(school, quarter_1, curator) -> Period:
    return period_close(school=school, period=quarter_1, actor=curator)


def _close_after(school, days: int | None) -> None:
    school.close_periods_after_days = days
    school.save(update_fields=["close_periods_after_days"])


def _at(day: dt.date) -> time_machine.travel:
    moment = dt.datetime.combine(day, dt.time(10), tzinfo=zoneinfo.ZoneInfo("Europe/Moscow"))
    return time_machine.travel(moment, tick=False)


def _journal_writes() -> int:
    return AuditEvent.objects.filter(action__startswith="journal.").count()


# --- the services --------------------------------------------------------------------------


def test_a_new_mark_in_a_period_the_curator_closed_is_refused_and_nothing_is_written(
    closed_q1, q1_lesson, nikolaev, petrov
):
    with pytest.raises(ValidationError) as error:
        mark_set(lesson=q1_lesson, student=nikolaev, value=5, actor=petrov.user)

    assert error.value.messages[0].startswith(CLOSED)
    assert not Mark.objects.exists()
    assert _journal_writes() == 0


def test_an_existing_mark_of_a_closed_period_can_be_neither_changed_nor_deleted(
    school, quarter_1, q1_lesson, nikolaev, petrov, curator
):
    MarkFactory(lesson=q1_lesson, student=nikolaev, value=3)
    period_close(school=school, period=quarter_1, actor=curator)

    with pytest.raises(ValidationError, match="закрыт"):
        mark_set(lesson=q1_lesson, student=nikolaev, value=5, actor=petrov.user)
    with pytest.raises(ValidationError, match="закрыт"):
        mark_delete(lesson=q1_lesson, student=nikolaev, actor=petrov.user)

    assert Mark.objects.get().value == 3
    assert _journal_writes() == 0


def test_attendance_of_a_closed_period_can_be_neither_set_nor_cleared(
    closed_q1, q1_lesson, nikolaev, ershova, petrov
):
    AttendanceFactory(lesson=q1_lesson, student=ershova, status=AttendanceStatus.ABSENT)

    with pytest.raises(ValidationError, match="закрыт"):
        attendance_set(lesson=q1_lesson, student=nikolaev, status="absent", actor=petrov.user)
    with pytest.raises(ValidationError, match="закрыт"):
        attendance_set(lesson=q1_lesson, student=ershova, status=None, actor=petrov.user)

    assert list(Attendance.objects.values_list("student", flat=True)) == [ershova.pk]
    assert _journal_writes() == 0


def test_a_final_mark_of_a_closed_period_can_be_neither_set_changed_nor_cleared(
    school, quarter_1, math, nikolaev, ershova, petrov, curator
):
    FinalMarkFactory(student=ershova, subject=math, period=quarter_1, value=4)
    period_close(school=school, period=quarter_1, actor=curator)
    closed = Period.objects.get(pk=quarter_1.pk)

    for student, value in [(nikolaev, 5), (ershova, 5), (ershova, None)]:
        with pytest.raises(ValidationError, match="закрыт"):
            final_mark_set(
                student=student, subject=math, period=closed, value=value, actor=petrov.user
            )

    assert list(FinalMark.objects.values_list("student", "value")) == [(ershova.pk, 4)]
    assert _journal_writes() == 0


def test_the_schools_rule_closes_a_period_the_given_number_of_days_after_it_ends(
    school, quarter_1, q1_lesson, math, nikolaev, petrov
):
    _close_after(school, 10)  # the first quarter ends on 25 October
    with _at(dt.date(2026, 11, 4)):  # the 10th day after: still open
        mark_set(lesson=q1_lesson, student=nikolaev, value=4, actor=petrov.user)
        final_mark_set(student=nikolaev, subject=math, period=quarter_1, value=4, actor=petrov.user)
    with _at(dt.date(2026, 11, 5)):
        with pytest.raises(ValidationError, match="закрыт"):
            mark_set(lesson=q1_lesson, student=nikolaev, value=5, actor=petrov.user)
        with pytest.raises(ValidationError, match="закрыт"):
            final_mark_set(
                student=nikolaev, subject=math, period=quarter_1, value=5, actor=petrov.user
            )

    assert Mark.objects.get().value == 4
    assert FinalMark.objects.get().value == 4


def test_without_the_rule_a_period_stays_open_until_the_curator_closes_it(
    q1_lesson, nikolaev, petrov
):
    with _at(dt.date(2027, 5, 20)):
        mark_set(lesson=q1_lesson, student=nikolaev, value=4, actor=petrov.user)
    assert Mark.objects.get().value == 4


def test_a_reopened_period_takes_marks_again_though_the_rule_would_close_it(
    school, quarter_1, q1_lesson, math, nikolaev, petrov, curator
):
    _close_after(school, 0)
    with pytest.raises(ValidationError, match="закрыт"):
        mark_set(lesson=q1_lesson, student=nikolaev, value=5, actor=petrov.user)

    period_reopen(school=school, period=quarter_1, actor=curator)

    mark_set(lesson=q1_lesson, student=nikolaev, value=5, actor=petrov.user)
    reopened = Period.objects.get(pk=quarter_1.pk)
    final_mark_set(student=nikolaev, subject=math, period=reopened, value=5, actor=petrov.user)
    assert Mark.objects.get().value == 5
    assert FinalMark.objects.get().value == 5


def test_closing_the_first_quarter_leaves_the_second_and_the_vacation_open(
    closed_q1, class_6a, math, petrov, nikolaev, math_lesson
):
    vacation = LessonFactory(
        school_class=class_6a, subject=math, teacher=petrov, date=dt.date(2026, 10, 28), number=1
    )
    mark_set(lesson=math_lesson, student=nikolaev, value=5, actor=petrov.user)
    mark_set(lesson=vacation, student=nikolaev, value=4, actor=petrov.user)
    assert Mark.objects.count() == 2


def test_topic_and_homework_stay_editable_in_a_closed_period(closed_q1, q1_lesson, petrov):
    lesson_update(
        lesson=q1_lesson, actor=petrov.user, topic="Дроби", homework="№ 12, 14 на стр. 40"
    )
    q1_lesson.refresh_from_db()
    assert (q1_lesson.topic, q1_lesson.homework_given.get().text) == (
        "Дроби",
        "№ 12, 14 на стр. 40",
    )


# --- the grid ------------------------------------------------------------------------------


def _grid_url(class_6a, math, period: Period) -> str:
    return reverse("journal:grid", args=[class_6a.pk, math.pk]) + f"?period={period.pk}"


def _cell_url(lesson, student) -> str:
    return reverse("journal:cell", kwargs={"lesson_id": lesson.pk, "student_id": student.pk})


def _final_url(class_6a, math, student) -> str:
    return reverse(
        "journal:final",
        kwargs={"class_id": class_6a.pk, "subject_id": math.pk, "student_id": student.pk},
    )


@pytest.fixture
def petrov_client(school, petrov, client_for):
    return client_for(school, petrov.user)


def test_in_december_petrov_finds_the_closed_first_quarter_read_only_with_a_banner(
    closed_q1, class_6a, math, petrov_client, q1_lesson, nikolaev, django_assert_num_queries
):
    MarkFactory(lesson=q1_lesson, student=nikolaev, value=3)
    # The open grid's queries but one: nobody may set a final, so nobody is looked up for it.
    with time_machine.travel(DECEMBER_3, tick=False), django_assert_num_queries(GRID_QUERIES - 1):
        response = petrov_client.get(_grid_url(class_6a, math, closed_q1))

    page = response.content.decode()
    assert response.status_code == 200
    assert f'<p class="notice" role="status">{CLOSED}' in page
    assert "data-fill" not in page
    assert "js/grid.js" not in page
    assert 'id="cell-details"' not in page
    # Every column carries the reason; no final cell has a form or a URL to post to.
    heads = re.findall(r'<th scope="col" class="g-day[^"]*"[^>]*>', page)
    assert len(heads) == 1
    assert f'data-locked="{CLOSED}' in heads[0]
    assert 'class="c g-fin" data-url' not in page
    assert "g-final-form" not in page
    assert f'data-final-locked="{CLOSED}' in page


def test_the_open_second_quarter_is_still_editable_while_the_first_is_closed(
    closed_q1, class_6a, math, petrov_client, math_lesson, nikolaev
):
    quarter_2 = class_6a.year.periods.get(number=2)
    page = petrov_client.get(_grid_url(class_6a, math, quarter_2)).content.decode()
    assert "data-fill" in page
    assert "закрыт:" not in page


def test_the_curator_reading_a_closed_period_sees_the_banner_too(
    closed_q1, class_6a, math, curator, client_for, school, q1_lesson, nikolaev
):
    page = client_for(school, curator).get(_grid_url(class_6a, math, closed_q1)).content.decode()
    assert CLOSED in page


def test_saving_a_cell_of_a_closed_period_answers_400_with_the_reason_and_writes_nothing(
    closed_q1, petrov_client, q1_lesson, nikolaev, ershova
):
    MarkFactory(lesson=q1_lesson, student=ershova, value=3)
    for student, value in [(nikolaev, "5"), (nikolaev, "н"), (ershova, ""), (ershova, "4")]:
        response = petrov_client.post(_cell_url(q1_lesson, student), {"value": value}, **JSON)

        assert response.status_code == 400, value
        body = response.json()
        assert body["ok"] is False
        assert [e["code"] for e in body["errors"]] == ["refused"]
        assert body["errors"][0]["message"].startswith(CLOSED)
    assert list(Mark.objects.values_list("student", "value")) == [(ershova.pk, 3)]
    assert not Attendance.objects.exists()
    assert _journal_writes() == 0


def test_saving_a_final_of_a_closed_period_answers_400_and_writes_nothing(
    closed_q1, petrov_client, class_6a, math, nikolaev
):
    url = _final_url(class_6a, math, nikolaev)
    response = petrov_client.post(url, {"value": "5", "period": closed_q1.pk}, **JSON)

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].startswith(CLOSED)
    # The form without JavaScript: back to the grid with the reason.
    plain = petrov_client.post(url, {"value": "5", "period": closed_q1.pk}, follow=True)
    assert f"Николаев В.: {CLOSED}" in plain.content.decode()
    assert not FinalMark.objects.exists()
    assert _journal_writes() == 0
