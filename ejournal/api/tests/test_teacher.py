"""/api/v1 for teachers: the day's lessons, a lesson's pupils, one cell set through the grid's
service. The journal's cast comes through api/tests/conftest.py; its frozen school day
(Thursday 26.11.2026) is imported here, for these tests only."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from ejournal.accounts.api_tokens import api_token_create
from ejournal.audit.models import AuditAction, AuditEvent
from ejournal.core.testing.journal_factories import (
    AttendanceFactory,
    GroupFactory,
    HomeworkFactory,
    LessonFactory,
    MarkFactory,
)
from ejournal.journal.models import Attendance, ControlType, LessonStatus, Mark
from ejournal.journal.tests.conftest import (
    MONDAY,
    TODAY,
    _school_day,  # noqa: F401  (autouse: the frozen day)
)
from ejournal.schools.services import period_close

pytestmark = pytest.mark.django_db

TUESDAY = MONDAY + dt.timedelta(days=1)
NOT_FOUND = {"errors": [{"param": None, "code": "not_found", "message": "Не найдено."}]}


def _client(api_client, user):
    _, key = api_token_create(user=user, device="Pixel 8")
    return api_client(user.school, key)


def _cell_url(lesson, student):
    return f"/api/v1/lessons/{lesson.pk}/students/{student.pk}"


@pytest.fixture
def as_petrov(api_client, petrov):
    return _client(api_client, petrov.user)


@pytest.fixture
def today_lessons(school, class_6a, class_6b, math, petrov, sidorova, bells):
    """Today: Петров's 3rd lesson in 6А (a control work, room 301) and his 1st, a substitution
    in 6Б; Сидорова's own lesson in 6Б; Петров's lesson tomorrow."""
    third = LessonFactory(
        school_class=class_6a,
        subject=math,
        teacher=petrov,
        date=TODAY,
        number=3,
        room="301",
        topic="Дроби",
        control_type=ControlType.TEST,
    )
    first = LessonFactory(school_class=class_6b, subject=math, teacher=petrov, date=TODAY, number=1)
    LessonFactory(school_class=class_6b, subject=math, teacher=sidorova, date=TODAY, number=2)
    LessonFactory(
        school_class=class_6a,
        subject=math,
        teacher=petrov,
        date=TODAY + dt.timedelta(days=1),
        number=1,
    )
    return first, third


def _day_lesson(lesson, *, starts_at, ends_at, **fields):
    return {
        "id": lesson.pk,
        "date": lesson.date.isoformat(),
        "number": lesson.number,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "school_class": {"id": lesson.school_class_id, "label": lesson.school_class.label},
        "subject": {"id": lesson.subject_id, "name": "Математика"},
        "group": None,
        "room": lesson.room,
        "status": "planned",
        "topic": lesson.topic,
        "control_type": lesson.control_type or None,
        "can_edit": True,
        **fields,
    }


# GET /teacher/lessons


def test_the_teachers_lessons_today_by_number_substitutions_included(
    as_petrov, today_lessons, django_assert_num_queries
):
    first, third = today_lessons
    # The school, the token, its user, its first use noted, the teacher record, the day's
    # lessons; whether he may edit them needs no query (they are his own).
    with django_assert_num_queries(6):
        response = as_petrov.get("/api/v1/teacher/lessons")
    assert response.status_code == 200
    assert response.json() == [
        _day_lesson(first, starts_at="08:30", ends_at="09:15"),
        _day_lesson(
            third,
            starts_at="10:30",
            ends_at="11:15",
            room="301",
            topic="Дроби",
            control_type="test",
        ),
    ]


def test_the_teachers_lessons_on_a_given_date(as_petrov, math_lesson, today_lessons):
    math_lesson.status = LessonStatus.CANCELLED
    math_lesson.save()
    response = as_petrov.get(f"/api/v1/teacher/lessons?date={TUESDAY.isoformat()}")
    assert response.json() == [
        _day_lesson(math_lesson, starts_at="09:25", ends_at="10:10", status="cancelled")
    ]
    assert as_petrov.get("/api/v1/teacher/lessons?date=2026-11-29").json() == []


def test_a_date_that_is_not_one_is_422_in_the_envelope(as_petrov):
    response = as_petrov.get("/api/v1/teacher/lessons?date=2026-02-30")
    assert response.status_code == 422
    assert response.json() == {
        "errors": [{"param": "date", "code": "invalid", "message": "Неверное значение."}]
    }


@pytest.mark.parametrize("who", ["nikolaev", "nikolaeva", "curator"])
def test_only_a_teacher_has_lessons_anyone_else_gets_404(request, api_client, today_lessons, who):
    user = request.getfixturevalue(who)
    user = getattr(user, "user", user)
    response = _client(api_client, user).get("/api/v1/teacher/lessons")
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


# GET /lessons/{id}


@pytest.fixture
def marked_lesson(math_lesson, nikolaev, ershova):
    """Tuesday's lesson: Николаев's 5 ×2 with a comment, Ершова absent through illness, the
    homework set there (due on Thursday)."""
    MarkFactory(lesson=math_lesson, student=nikolaev, value=5, weight=2, comment="Доклад")
    AttendanceFactory(lesson=math_lesson, student=ershova, reason="illness")
    thursday = LessonFactory(
        school_class=math_lesson.school_class,
        subject=math_lesson.subject,
        teacher=math_lesson.teacher,
        date=TODAY,
        number=3,
    )
    HomeworkFactory(lesson=math_lesson, due_lesson=thursday, text="№ 245")
    return math_lesson


def _sheet(lesson, *, can_edit, pupils, **fields):
    return {
        **_day_lesson(lesson, starts_at="09:25", ends_at="10:10", can_edit=can_edit),
        "period_closed": False,
        "homework": {"text": "№ 245", "due_on": "2026-11-26"},
        "pupils": pupils,
        **fields,
    }


def _pupil(student, mark=None, attendance=None):
    return {
        "id": student.pk,
        "last_name": student.last_name,
        "first_name": student.first_name,
        "middle_name": student.middle_name,
        "mark": mark,
        "attendance": attendance,
    }


def test_a_lesson_has_its_pupils_by_name_with_their_marks_and_attendance(
    as_petrov, marked_lesson, nikolaev, ershova, borisov, django_assert_num_queries
):
    # The school, the token, its user, its first use; the lesson and whether he sees its
    # journal (the teacher record and the assignment); the bell, pupils, marks, attendance;
    # whether he may edit it (his own: no query); the period; the homework and its files.
    with django_assert_num_queries(14):
        response = as_petrov.get(f"/api/v1/lessons/{marked_lesson.pk}")
    assert response.status_code == 200
    assert response.json() == _sheet(
        marked_lesson,
        can_edit=True,
        pupils=[
            _pupil(ershova, attendance={"status": "absent", "reason": "illness"}),
            _pupil(nikolaev, mark={"value": 5, "weight": 2, "comment": "Доклад"}),
        ],
    )


def test_a_group_lesson_has_the_groups_pupils_and_names_the_group(
    api_client, class_6a, math, petrov, nikolaev, ershova, bells
):
    group = GroupFactory(school_class=class_6a, subject=math, name="1 группа", members=[ershova])
    lesson = LessonFactory(
        school_class=class_6a, subject=math, teacher=petrov, group=group, date=TUESDAY, number=2
    )
    body = _client(api_client, petrov.user).get(f"/api/v1/lessons/{lesson.pk}").json()
    assert (body["group"], body["homework"], body["pupils"]) == (
        "1 группа",
        None,
        [_pupil(ershova)],
    )


def test_the_class_teacher_and_the_curator_see_the_lesson_read_only(
    api_client, marked_lesson, ivanova, curator, nikolaev, ershova
):
    for user in (ivanova.user, curator):
        response = _client(api_client, user).get(f"/api/v1/lessons/{marked_lesson.pk}")
        assert response.status_code == 200
        assert response.json()["can_edit"] is False
        assert [p["id"] for p in response.json()["pupils"]] == [ershova.pk, nikolaev.pk]


def test_a_lesson_in_a_closed_period_says_so(as_petrov, school, class_6a, math, petrov, quarter_1):
    lesson = LessonFactory(
        school_class=class_6a, subject=math, teacher=petrov, date=dt.date(2026, 10, 20), number=2
    )
    period_close(school=school, period=quarter_1, actor=None)
    body = as_petrov.get(f"/api/v1/lessons/{lesson.pk}").json()
    assert (body["period_closed"], body["can_edit"]) == (True, True)


@pytest.mark.parametrize("who", ["sidorova", "nikolaev", "nikolaeva", "other_curator"])
def test_a_lesson_of_a_journal_the_user_does_not_see_is_404(
    request, api_client, marked_lesson, who
):
    user = request.getfixturevalue(who)
    user = getattr(user, "user", user)
    response = _client(api_client, user).get(f"/api/v1/lessons/{marked_lesson.pk}")
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_a_lesson_of_nobody_is_404(as_petrov, math_lesson):
    response = as_petrov.get(f"/api/v1/lessons/{math_lesson.pk + 1000}")
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


# PUT /lessons/{id}/students/{id}


def _journal_writes():
    return AuditEvent.objects.filter(action__startswith="journal.").exists()


def _events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def _diary_text(client_for, school, parent, student) -> str:
    url = reverse("journal:diary_week", args=[student.pk])
    html = client_for(school, parent).get(f"{url}?week={MONDAY.isoformat()}").content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_mark_set_through_the_api_is_audited_as_the_grids_and_the_parent_sees_it(
    as_petrov,
    client_for,
    school,
    petrov,
    math_lesson,
    nikolaev,
    ershova,
    nikolaeva,
    django_assert_num_queries,
):
    assert "Оценка 4" not in _diary_text(client_for, school, nikolaeva, nikolaev)
    # The token, its user, its first use (the host's school is known since the diary's request); the
    # lesson, the teacher (his own lesson: no assignment to look up); the pupil; the cell's
    # mark and attendance under a lock, the period (closed?); the mark's insert with its lock
    # and savepoints, the audit; the row's average. The grid's cell_save runs as many (a
    # session instead of the token).
    with django_assert_num_queries(19):
        response = as_petrov.put(_cell_url(math_lesson, nikolaev), {"mark": 4})
    assert response.status_code == 200
    assert response.json() == {
        "student_id": nikolaev.pk,
        "mark": {"value": 4, "weight": 1, "comment": ""},
        "attendance": None,
        "average": "4.00",
    }
    # The grid's cell_save for the classmate records the same event.
    grid = client_for(school, petrov.user).post(
        reverse("journal:cell", args=[math_lesson.pk, ershova.pk]),
        {"value": "4"},
        HTTP_ACCEPT="application/json",
    )
    assert grid.json()["ok"] is True
    api_event, grid_event = _events(AuditAction.MARK_SET)
    assert [(e.actor, e.target_id, e.before, e.after) for e in (api_event, grid_event)] == [
        (petrov.user, nikolaev.pk, grid_event.before, grid_event.after),
        (petrov.user, ershova.pk, {}, api_event.after),
    ]
    assert api_event.after == {
        "lesson_id": math_lesson.pk,
        "subject_id": math_lesson.subject_id,
        "value": 4,
        "weight": 1,
        "comment": "",
    }
    assert "Оценка 4" in _diary_text(client_for, school, nikolaeva, nikolaev)


def test_a_weight_changes_with_the_mark_and_the_average_follows(
    as_petrov, math_lesson, nikolaev, petrov, bells
):
    earlier = LessonFactory(
        school_class=math_lesson.school_class,
        subject=math_lesson.subject,
        teacher=petrov,
        date=MONDAY,
        number=1,
    )
    MarkFactory(lesson=earlier, student=nikolaev, value=3, weight=1)
    as_petrov.put(_cell_url(math_lesson, nikolaev), {"mark": 5})
    response = as_petrov.put(_cell_url(math_lesson, nikolaev), {"mark": 5, "weight": 3})
    assert response.json()["mark"] == {"value": 5, "weight": 3, "comment": ""}
    assert response.json()["average"] == "4.50"  # (3 + 5·3) / 4
    change = _events(AuditAction.MARK_SET)[-1]
    assert (change.before["weight"], change.after["weight"]) == (1, 3)


def test_null_deletes_the_mark_and_the_deletion_is_audited(as_petrov, math_lesson, nikolaev):
    MarkFactory(lesson=math_lesson, student=nikolaev, value=5)
    response = as_petrov.put(_cell_url(math_lesson, nikolaev), {"mark": None})
    assert response.json() == {
        "student_id": nikolaev.pk,
        "mark": None,
        "attendance": None,
        "average": None,
    }
    assert not Mark.objects.exists()
    assert _events(AuditAction.MARK_DELETED)[0].before["value"] == 5


def test_an_absence_is_set_with_its_reason_and_the_mark_is_kept(as_petrov, math_lesson, nikolaev):
    MarkFactory(lesson=math_lesson, student=nikolaev, value=5, weight=2, comment="Доклад")
    response = as_petrov.put(
        _cell_url(math_lesson, nikolaev), {"attendance": "late", "reason": "family"}
    )
    assert response.json() == {
        "student_id": nikolaev.pk,
        "mark": {"value": 5, "weight": 2, "comment": "Доклад"},
        "attendance": {"status": "late", "reason": "family"},
        "average": "5.00",
    }
    assert _events(AuditAction.ATTENDANCE_SET)[0].after["status"] == "late"
    response = as_petrov.put(_cell_url(math_lesson, nikolaev), {"attendance": None})
    assert response.json()["attendance"] is None
    assert not Attendance.objects.exists()


def test_fields_left_out_keep_the_comment_and_the_reason(as_petrov, math_lesson, nikolaev):
    url = _cell_url(math_lesson, nikolaev)
    as_petrov.put(
        url, {"mark": 5, "comment": "Доклад", "attendance": "absent", "reason": "illness"}
    )
    body = as_petrov.put(url, {"mark": 4, "attendance": "late"}).json()
    assert (body["mark"], body["attendance"]) == (
        {"value": 4, "weight": 1, "comment": "Доклад"},
        {"status": "late", "reason": "illness"},
    )
    body = as_petrov.put(url, {"mark": 4, "comment": ""}).json()
    assert body["mark"]["comment"] == ""


def _refusal(param, message, code="refused"):
    return {"errors": [{"param": param, "code": code, "message": message}]}


def test_a_mark_off_the_scale_is_422_in_russian_and_writes_nothing(
    as_petrov, math_lesson, nikolaev
):
    response = as_petrov.put(_cell_url(math_lesson, nikolaev), {"mark": 6, "attendance": "late"})
    assert response.status_code == 422
    assert response.json() == _refusal("payload.mark", "Оценка — целое число от 1 до 5.")
    assert not Mark.objects.exists()
    assert not Attendance.objects.exists()
    assert not _journal_writes()


def test_a_weight_off_its_range_is_422_in_russian(as_petrov, math_lesson, nikolaev):
    response = as_petrov.put(_cell_url(math_lesson, nikolaev), {"mark": 5, "weight": 9})
    assert response.json() == _refusal("payload.weight", "Вес оценки — от 1 до 5.")


def test_a_mark_in_a_closed_period_is_422_with_the_reason(
    as_petrov, school, class_6a, math, petrov, nikolaev, quarter_1, bells
):
    lesson = LessonFactory(
        school_class=class_6a, subject=math, teacher=petrov, date=dt.date(2026, 10, 20), number=2
    )
    period_close(school=school, period=quarter_1, actor=None)
    response = as_petrov.put(_cell_url(lesson, nikolaev), {"mark": 5})
    assert response.status_code == 422
    assert response.json() == _refusal(
        None,
        "Период «1 четверть» закрыт: изменить оценки, посещаемость и итоговые оценки нельзя. "
        "Открыть период может куратор.",
    )
    assert not Mark.objects.exists()


def test_a_future_lesson_takes_no_mark(as_petrov, class_6a, math, petrov, nikolaev, bells):
    lesson = LessonFactory(
        school_class=class_6a, subject=math, teacher=petrov, date=TODAY + dt.timedelta(days=1)
    )
    response = as_petrov.put(_cell_url(lesson, nikolaev), {"mark": 5})
    assert response.json() == _refusal(
        None, "Урок ещё не прошёл: оценка можно поставить в день урока."
    )


def test_a_weight_or_a_reason_without_its_mark_or_absence_is_422(as_petrov, math_lesson, nikolaev):
    url = _cell_url(math_lesson, nikolaev)
    response = as_petrov.put(url, {"weight": 2, "reason": "illness"})
    assert response.status_code == 422
    assert response.json() == {
        "errors": [
            {
                "param": "payload.mark",
                "code": "invalid",
                "message": "Вес и комментарий ставятся вместе с оценкой: передайте и mark.",
            },
            {
                "param": "payload.attendance",
                "code": "invalid",
                "message": "Причина ставится вместе с отметкой о посещаемости: передайте и "
                "attendance.",
            },
        ]
    }
    assert not _journal_writes()


@pytest.mark.parametrize(
    "body",
    [
        {"mark": "5"},
        {"mark": 4.0},
        {"mark": True},
        {"attendance": "sick"},
        {"mark": 5, "weight": "2"},
    ],
)
def test_a_body_the_schema_refuses_is_422_and_writes_nothing(
    as_petrov, math_lesson, nikolaev, body
):
    response = as_petrov.put(_cell_url(math_lesson, nikolaev), body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "invalid"
    assert not _journal_writes()


def test_a_pupil_of_another_class_is_404(as_petrov, math_lesson, borisov):
    response = as_petrov.put(_cell_url(math_lesson, borisov), {"mark": 5})
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert not Mark.objects.exists()


@pytest.mark.parametrize(
    "who", ["sidorova", "ivanova", "curator", "nikolaev", "nikolaeva", "other_curator"]
)
def test_only_the_lessons_teachers_set_its_cells_anyone_else_gets_404(
    request, api_client, math_lesson, nikolaev, nikolaeva, who
):
    user = request.getfixturevalue(who)
    user = getattr(user, "user", user)
    response = _client(api_client, user).put(_cell_url(math_lesson, nikolaev), {"mark": 5})
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert not Mark.objects.exists()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/teacher/lessons"),
        ("GET", "/api/v1/lessons/1"),
        ("PUT", "/api/v1/lessons/1/students/1"),
    ],
)
def test_without_a_token_every_teacher_endpoint_is_401(api_client, school, method, path):
    response = api_client(school).request(method, path, {"mark": 5} if method == "PUT" else None)
    assert response.status_code == 401
