"""The ЭлЖур protocol's cast, with fixed ids so that whole answers can be recorded.

School 1399 on Thursday 26 November 2026 (the journal's frozen school day). 6А: class
teacher Иванова (Русский язык), Петров (Математика); pupils Николаев and Ершова, both
children of Николаева (one parent, two children); 6Б: Борисов, another family's child
(parent Борисова). The week of 23 November holds three lessons with marks, an absence,
homework due on Thursday, and Николаева's signature; quarter 1 has a final mark.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from ejournal.accounts.api_tokens import api_token_create
from ejournal.accounts.models import User
from ejournal.core.testing.factories import (
    SchoolClassFactory,
    StudentFactory,
    SubjectFactory,
    TeacherFactory,
    UserFactory,
)
from ejournal.core.testing.journal_factories import (
    AttendanceFactory,
    FinalMarkFactory,
    HomeworkFactory,
    LessonFactory,
    MarkFactory,
)
from ejournal.journal.models import AbsenceReason, ControlType, WeekSignature
from ejournal.journal.services import bells_set_default
from ejournal.journal.tests.conftest import _school_day  # noqa: F401 -- autouse: the school day
from ejournal.schools.models import Guardianship, School, Student
from ejournal.schools.roles import Role

DEVKEY = "0123456789abcdef0123456789abcdef"


def _teacher(school: School, pk: int, user_pk: int, login: str, *names: str) -> Any:
    user = UserFactory(pk=user_pk, school=school, role=Role.TEACHER, login=login)
    last, first, middle = names
    return TeacherFactory(
        pk=pk, school=school, user=user, last_name=last, first_name=first, middle_name=middle
    )


def _pupil(school_class: Any, pk: int, last: str, first: str, user: User | None) -> Student:
    return StudentFactory(
        pk=pk,
        school_class=school_class,
        last_name=last,
        first_name=first,
        middle_name="",
        user=user,
    )


def _parent(school: School, pk: int, login: str, *children: Student) -> User:
    parent = UserFactory(
        pk=pk, school=school, role=Role.PARENT, login=login, last_name=login.capitalize()
    )
    for child in children:
        Guardianship.objects.create(school=school, parent=parent, student=child)
    return parent


@pytest.fixture
def cast(school: School) -> dict[str, Any]:
    bells_set_default(school=school)
    ivanova = _teacher(school, 900301, 900201, "ivanova", "Иванова", "Мария", "Петровна")
    petrov = _teacher(school, 900302, 900202, "petrov", "Петров", "Олег", "Николаевич")
    class_6a = SchoolClassFactory(pk=900601, school=school, grade=6, letter="А")
    class_6a.class_teacher = ivanova
    class_6a.save(update_fields=["class_teacher"])
    class_6b = SchoolClassFactory(pk=900602, school=school, grade=6, letter="Б")
    math = SubjectFactory(pk=900401, school=school, name="Математика")
    russian = SubjectFactory(pk=900402, school=school, name="Русский язык")
    nikolaev = _pupil(
        class_6a,
        900101,
        "Николаев",
        "Василий",
        UserFactory(
            pk=900211,
            school=school,
            role=Role.STUDENT,
            login="nikolaev",
            last_name="Николаев",
            first_name="Василий",
        ),
    )
    ershova = _pupil(
        class_6a,
        900102,
        "Ершова",
        "Дарья",
        UserFactory(pk=900212, school=school, role=Role.STUDENT, login="ershova"),
    )
    borisov = _pupil(class_6b, 900103, "Борисов", "Пётр", None)
    nikolaeva = _parent(school, 900221, "nikolaeva", nikolaev, ershova)
    borisova = _parent(school, 900222, "borisova", borisov)
    tuesday = LessonFactory(
        pk=900501,
        school_class=class_6a,
        subject=math,
        teacher=petrov,
        date=dt.date(2026, 11, 24),
        number=2,
        topic="Дроби",
        control_type=ControlType.TEST,
    )
    wednesday = LessonFactory(
        pk=900502,
        school_class=class_6a,
        subject=russian,
        teacher=ivanova,
        date=dt.date(2026, 11, 25),
        number=1,
        room="105",
    )
    thursday = LessonFactory(
        pk=900503,
        school_class=class_6a,
        subject=math,
        teacher=petrov,
        date=dt.date(2026, 11, 26),
        number=3,
    )
    HomeworkFactory(pk=900701, lesson=tuesday, due_lesson=thursday, text="№ 1, 2")
    MarkFactory(lesson=tuesday, student=nikolaev, value=5, weight=2, comment="Молодец")
    MarkFactory(lesson=thursday, student=nikolaev, value=3)
    MarkFactory(lesson=wednesday, student=ershova, value=4)
    AttendanceFactory(lesson=tuesday, student=ershova, reason=AbsenceReason.ILLNESS)
    FinalMarkFactory(
        student=nikolaev, subject=math, period=class_6a.year.periods.get(number=1), value=5
    )
    WeekSignature.objects.create(
        school=school, parent=nikolaeva, student=nikolaev, week_start=dt.date(2026, 11, 23)
    )
    return {
        "nikolaev": nikolaev,
        "ershova": ershova,
        "borisov": borisov,
        "nikolaeva": nikolaeva,
        "borisova": borisova,
        "petrov": petrov,
    }


@pytest.fixture
def token_for() -> Callable[[User], str]:
    def make(user: User) -> str:
        return api_token_create(user=user, device="test")[1]

    return make


@pytest.fixture
def eljur(school: School) -> Callable[..., Any]:
    """GET /apiv3/<method> at the school's host (or `host`) with the common parameters;
    returns the response (its `.json()` is the envelope)."""

    def call(method: str, *, host: str | None = None, prefix: str = "apiv3", **args: Any) -> Any:
        client = Client(HTTP_HOST=host or f"{school.number}.{settings.EJOURNAL_BASE_DOMAIN}")
        query = {"devkey": DEVKEY, "out_format": "json", **args}
        return client.get(f"/{prefix}/{method}", query)

    return call
