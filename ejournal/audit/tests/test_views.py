"""The curator's "Журнал действий": the school's events, newest first, with filters."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from ejournal.audit.models import AuditAction, AuditEvent
from ejournal.audit.services import audit_record
from ejournal.core.testing.factories import (
    SchoolClassFactory,
    StudentFactory,
    TeacherFactory,
    UserFactory,
)
from ejournal.schools.roles import Role

pytestmark = pytest.mark.django_db

URL = reverse("audit:events")
MSK = dt.timezone(dt.timedelta(hours=3))


def _rows(response):
    return [
        (row.event.action, row.event.actor.login if row.event.actor else None, row.target)
        for row in response.context["rows"]
    ]


@pytest.fixture
def six_a(school):
    return SchoolClassFactory(school=school, grade=6, letter="А")


@pytest.fixture
def pupil(six_a):
    return StudentFactory(school_class=six_a, last_name="Николаев", first_name="Василий")


@pytest.fixture
def account(school):
    return UserFactory(school=school, role=Role.STUDENT, login="vasya")


@pytest.fixture
def history(school, curator, six_a, pupil, account):
    """Three events on three days: a class, a student moved, a password set."""
    with time_machine.travel(dt.datetime(2026, 9, 1, 10, 0, tzinfo=MSK), tick=False):
        audit_record(
            school=school,
            actor=None,
            action=AuditAction.CLASS_CREATED,
            target=six_a,
            after={"label": "6А"},
        )
    with time_machine.travel(dt.datetime(2026, 9, 2, 10, 0, tzinfo=MSK), tick=False):
        audit_record(
            school=school,
            actor=curator,
            action=AuditAction.STUDENT_MOVED,
            target=pupil,
            before={"class_id": 1, "class": "5А"},
            after={"class_id": six_a.pk, "class": "6А"},
        )
    with time_machine.travel(dt.datetime(2026, 9, 3, 23, 30, tzinfo=MSK), tick=False):
        audit_record(
            school=school,
            actor=curator,
            action=AuditAction.PASSWORD_SET_BY_CURATOR,
            target=account,
            before={"must_change_password": False},
            after={"must_change_password": True, "temporary": True, "notice_sent": False},
        )


def test_the_audit_page_lists_the_schools_events_newest_first(curator_client, history, account):
    response = curator_client.get(URL)

    assert response.status_code == 200
    assert len(re.findall(r"<h1[ >]", response.content.decode())) == 1
    assert _rows(response) == [
        (AuditAction.PASSWORD_SET_BY_CURATOR, "kurator", "Пользователь vasya"),
        (AuditAction.STUDENT_MOVED, "kurator", "Ученик Николаев Василий"),
        (AuditAction.CLASS_CREATED, None, "Класс 6А"),
    ]
    content = response.content.decode()
    for text in (
        "Куратор сменил пароль",
        "Ученик переведён в другой класс",
        "03.09.2026 23:30",  # the school's time
        "система",
        '<span class="before">5А</span> → 6А',
        "Сменить пароль при входе",
        reverse("accounts:support_user", args=[account.pk]),
    ):
        assert text in content
    changes = response.context["rows"][0].changes
    assert changes == [
        ("Сменить пароль при входе", "нет", "да"),
        ("Временный пароль", "", "да"),
        ("Уведомление на почту", "", "нет"),
    ]


def test_another_schools_events_never_show(curator_client, history, other_school, other_curator):
    audit_record(
        school=other_school,
        actor=other_curator,
        action=AuditAction.CLASS_CREATED,
        after={"label": "11Я"},
    )
    response = curator_client.get(URL)
    assert len(response.context["rows"]) == 3
    assert "11Я" not in response.content.decode()


def test_a_target_of_another_school_is_not_named(curator_client, school, curator, other_school):
    foreign = UserFactory(school=other_school, role=Role.STUDENT, login="foreign-login")
    audit_record(
        school=school, actor=curator, action=AuditAction.PASSWORD_SET_BY_CURATOR, target=foreign
    )
    response = curator_client.get(URL)
    assert _rows(response) == [
        (AuditAction.PASSWORD_SET_BY_CURATOR, "kurator", f"Пользователь №{foreign.pk}")
    ]
    assert "foreign-login" not in response.content.decode()


@pytest.mark.parametrize(
    ("params", "actions"),
    [
        ({"action": AuditAction.STUDENT_MOVED}, [AuditAction.STUDENT_MOVED]),
        (
            {"actor": "KURATOR"},
            [AuditAction.PASSWORD_SET_BY_CURATOR, AuditAction.STUDENT_MOVED],
        ),
        ({"actor": "nobody"}, []),
        ({"target_type": "schoolclass"}, [AuditAction.CLASS_CREATED]),
        (
            {"date_from": "2026-09-02"},
            [AuditAction.PASSWORD_SET_BY_CURATOR, AuditAction.STUDENT_MOVED],
        ),
        ({"date_to": "02.09.2026"}, [AuditAction.STUDENT_MOVED, AuditAction.CLASS_CREATED]),
        # 23:30 in Moscow is 20:30 UTC: the day is the school's
        (
            {"date_from": "2026-09-03", "date_to": "2026-09-03"},
            [AuditAction.PASSWORD_SET_BY_CURATOR],
        ),
        ({"action": AuditAction.STUDENT_MOVED, "target_type": "user"}, []),
    ],
)
def test_the_filters(curator_client, history, params, actions):
    response = curator_client.get(URL, params)
    assert [row.event.action for row in response.context["rows"]] == actions


def test_an_invalid_filter_is_reported_and_left_out(curator_client, history):
    response = curator_client.get(URL, {"date_from": "31.02.2026", "action": "no.such"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Введите дату в виде ДД.ММ.ГГГГ" in content
    assert len(response.context["rows"]) == 3
    response = curator_client.get(URL, {"date_from": "2026-09-03", "date_to": "2026-09-01"})
    assert "Конец периода раньше его начала." in response.content.decode()


def test_the_audit_page_is_paginated(school, curator, curator_client):
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(school=school, actor=curator, action=AuditAction.CLASS_CREATED)
            for _ in range(55)
        ]
    )
    assert len(curator_client.get(URL).context["rows"]) == 50
    response = curator_client.get(URL, {"page": 2, "actor": "kurator"})
    assert len(response.context["rows"]) == 5
    assert "actor=kurator" in response.content.decode()  # the filters stay in the page links


@pytest.mark.parametrize("count", [3, 30])
def test_the_query_count_does_not_grow_with_events(
    school, curator, curator_client, six_a, count, django_assert_num_queries
):
    for n in range(count):
        target = [
            UserFactory(school=school),
            StudentFactory(school_class=six_a),
            TeacherFactory(school=school),
            six_a,
        ][n % 4]
        audit_record(
            school=school,
            actor=curator,
            action=AuditAction.STUDENT_UPDATED,
            target=target,
            before={"last_name": "А"},
            after={"last_name": "Б"},
        )
    # host → school, curator, unread messages, count, the page with actors and target names
    with django_assert_num_queries(5):
        response = curator_client.get(URL)
    assert len(response.context["rows"]) == count
    assert all(row.target.split(" ", 1)[1][:1] != "№" for row in response.context["rows"])


@pytest.mark.parametrize("role", [Role.STUDENT, Role.PARENT, Role.TEACHER])
def test_only_the_curator_sees_the_audit_page(school, client_for, history, role):
    client = client_for(school, UserFactory(school=school, role=role))
    assert client.get(URL).status_code == 404


def test_a_visitor_is_sent_to_log_in(school, client_for):
    response = client_for(school).get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
