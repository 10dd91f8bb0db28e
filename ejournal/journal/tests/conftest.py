"""The journal's test cast at school 1399, on Thursday 26 November 2026 (the 2026/27 year).

6А: class teacher Иванова (teaches Русский язык there), Петров teaches Математика;
6Б: Сидорова teaches Математика. Students: Николаев (account, parent Николаева) and
Ершова in 6А, Борисов in 6Б (another family's child, parent Борисова).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine

from ejournal.core.testing.factories import (
    SchoolClassFactory,
    StudentFactory,
    SubjectFactory,
    UserFactory,
)
from ejournal.core.testing.journal_factories import (
    LessonFactory,
    TeachingAssignmentFactory,
    parent_of,
    teacher_with_account,
)
from ejournal.journal.services import bells_set_default
from ejournal.schools.roles import Role

TODAY = dt.date(2026, 11, 26)  # a Thursday
MONDAY = dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Moscow"))


@pytest.fixture(autouse=True)
def _school_day():
    """Every journal test runs on the same school day, so that dates and periods are fixed."""
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def bells(school):
    return bells_set_default(school=school)


@pytest.fixture
def class_6a(school):
    return SchoolClassFactory(school=school, grade=6, letter="А")


@pytest.fixture
def class_6b(school):
    return SchoolClassFactory(school=school, grade=6, letter="Б")


@pytest.fixture
def math(school):
    return SubjectFactory(school=school, name="Математика")


@pytest.fixture
def russian(school):
    return SubjectFactory(school=school, name="Русский язык")


@pytest.fixture
def ivanova(school, class_6a, russian):
    teacher = teacher_with_account(
        school, "ivanova", last_name="Иванова", first_name="Мария", middle_name="Петровна"
    )
    class_6a.class_teacher = teacher
    class_6a.save(update_fields=["class_teacher"])
    TeachingAssignmentFactory(
        school=school, teacher=teacher, school_class=class_6a, subject=russian
    )
    return teacher


@pytest.fixture
def petrov(school, class_6a, math):
    teacher = teacher_with_account(
        school, "petrov", last_name="Петров", first_name="Олег", middle_name="Николаевич"
    )
    TeachingAssignmentFactory(school=school, teacher=teacher, school_class=class_6a, subject=math)
    return teacher


@pytest.fixture
def sidorova(school, class_6b, math):
    teacher = teacher_with_account(
        school, "sidorova", last_name="Сидорова", first_name="Анна", middle_name="Ивановна"
    )
    TeachingAssignmentFactory(school=school, teacher=teacher, school_class=class_6b, subject=math)
    return teacher


@pytest.fixture
def nikolaev(school, class_6a):
    user = UserFactory(school=school, role=Role.STUDENT, login="nikolaev")
    return StudentFactory(
        school_class=class_6a, last_name="Николаев", first_name="Василий", user=user
    )


@pytest.fixture
def ershova(school, class_6a):
    user = UserFactory(school=school, role=Role.STUDENT, login="ershova")
    return StudentFactory(school_class=class_6a, last_name="Ершова", first_name="Дарья", user=user)


@pytest.fixture
def borisov(school, class_6b):
    return StudentFactory(school_class=class_6b, last_name="Борисов", first_name="Пётр")


@pytest.fixture
def nikolaeva(nikolaev):
    return parent_of(nikolaev, login="nikolaeva")


@pytest.fixture
def borisova(borisov):
    return parent_of(borisov, login="borisova")


@pytest.fixture
def math_lesson(school, class_6a, math, petrov, bells):
    """Tuesday's second lesson in 6А: Математика with Петров."""
    return LessonFactory(
        school_class=class_6a,
        subject=math,
        teacher=petrov,
        date=dt.date(2026, 11, 24),
        number=2,
    )


@pytest.fixture
def quarter_1(class_6a):
    return class_6a.year.periods.get(number=1)  # 1 September – 25 October 2026


@pytest.fixture
def quarter_2(class_6a):
    return class_6a.year.periods.get(number=2)  # 5 November – 28 December: holds TODAY


# The parts the cast plays in the permission matrices, in the order they are reported.
ROLES = [
    "student",
    "another_student",
    "parent",
    "another_parent",
    "subject_teacher",
    "another_teacher",
    "class_teacher",
    "curator",
    "another_schools_curator",
    "anonymous",
]


@pytest.fixture
def role_users(
    nikolaev, ershova, nikolaeva, borisova, petrov, sidorova, ivanova, curator, other_curator
):
    """Each role's account (every role but "anonymous")."""
    return {
        "student": nikolaev.user,
        "another_student": ershova.user,  # nikolaev's classmate
        "parent": nikolaeva,
        "another_parent": borisova,  # of a pupil of 6Б
        "subject_teacher": petrov.user,  # teaches 6А, does not lead it
        "another_teacher": sidorova.user,  # teaches 6Б only
        "class_teacher": ivanova.user,
        "curator": curator,
        "another_schools_curator": other_curator,
    }


@pytest.fixture
def role_clients(client_for, school, role_users):
    """A client per role, each at its own school's address (another school's curator
    asks at school 1400's address for this school's ids)."""
    clients = {role: client_for(user.school, user) for role, user in role_users.items()}
    clients["anonymous"] = client_for(school)
    return clients
