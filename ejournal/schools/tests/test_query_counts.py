"""The curator's writes run a fixed number of SQL queries (STYLE: pin query counts).

Every request starts with two: the school by host and the user (sessions are read from the
cache, config/settings/test.py).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from ejournal.core.testing.factories import (
    SchoolClassFactory,
    StudentFactory,
    TeacherFactory,
    UserFactory,
)
from ejournal.schools.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def school_data(school):
    """6А and 6Б with a few students, a registered student, a registered teacher."""
    six_a = SchoolClassFactory(school=school, grade=6, letter="А")
    six_b = SchoolClassFactory(school=school, grade=6, letter="Б")
    StudentFactory.create_batch(5, school_class=six_a)
    student = StudentFactory(school_class=six_a, user=UserFactory(school=school, role=Role.STUDENT))
    teacher = TeacherFactory(school=school, user=UserFactory(school=school, role=Role.TEACHER))
    return {"6А": six_a, "6Б": six_b, "student": student, "teacher": teacher}


def _post(client, django_assert_num_queries, queries, url, data=None):
    with django_assert_num_queries(queries):
        response = client.post(url, data or {})
    assert response.status_code == 302, response.content.decode()[:2000]


def test_student_create(curator_client, school_data, django_assert_num_queries):
    # the year, the class chosen; savepoint, duplicate check, savepoint, insert, release,
    # audit, release
    data = {
        "school_class": school_data["6А"].pk,
        "last_name": "Петрова",
        "first_name": "Анна",
        "birth_date": "12.03.2014",
    }
    _post(curator_client, django_assert_num_queries, 11, reverse("schools:student_create"), data)


def test_student_edit(curator_client, school_data, django_assert_num_queries):
    # the student; savepoint, lock (with class and account), duplicate check, savepoint,
    # update, release, the account's name, audit, release
    student = school_data["student"]
    data = {"last_name": "Новиков", "first_name": "Лев", "birth_date": "12.03.2014"}
    url = reverse("schools:student_edit", args=[student.pk])
    _post(curator_client, django_assert_num_queries, 12, url, data)


def test_student_move(curator_client, school_data, django_assert_num_queries):
    # the student, the class chosen; savepoint, lock, update, audit, release
    url = reverse("schools:student_move", args=[school_data["student"].pk])
    _post(curator_client, django_assert_num_queries, 9, url, {"to_class": school_data["6Б"].pk})


def test_student_archive(curator_client, school_data, django_assert_num_queries):
    # the student; savepoint, lock, update; savepoint, revoke codes, release; close the
    # account, audit, release
    url = reverse("schools:student_archive", args=[school_data["student"].pk])
    _post(curator_client, django_assert_num_queries, 12, url)


def test_teacher_create(curator_client, school_data, django_assert_num_queries):
    # savepoint, insert, audit, release
    data = {"last_name": "Петрова", "first_name": "Анна"}
    _post(curator_client, django_assert_num_queries, 6, reverse("schools:teacher_create"), data)


def test_teacher_edit(curator_client, school_data, django_assert_num_queries):
    # the teacher; savepoint, lock (with account), update, the account's name, audit, release
    url = reverse("schools:teacher_edit", args=[school_data["teacher"].pk])
    data = {"last_name": "Петрова", "first_name": "Анна"}
    _post(curator_client, django_assert_num_queries, 9, url, data)


def test_teacher_archive(curator_client, school_data, django_assert_num_queries):
    # the teacher; savepoint, lock, the year, the classes led, update; savepoint, revoke
    # codes, release; close the account, audit, release
    url = reverse("schools:teacher_archive", args=[school_data["teacher"].pk])
    _post(curator_client, django_assert_num_queries, 14, url)
