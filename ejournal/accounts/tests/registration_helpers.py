"""What the registration tests share: plain codes issued the curator's way, and the steps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth.hashers import get_hasher
from django.test import Client
from django.urls import reverse

from ejournal.core.testing.factories import SchoolClassFactory, StudentFactory, TeacherFactory
from ejournal.invitations.services import invitation_reissue, invitations_issue
from ejournal.schools.models import School, SchoolClass, Student, Teacher
from ejournal.schools.roles import Role

GENERIC = "Код не найден или уже недействителен. Проверьте код или обратитесь к куратору журнала."
GOOD_PASSWORD = "Zhurnal2026"


def codes_for(school: School, role: Role, person: Student | Teacher | None = None) -> list[str]:
    """Fresh plain codes, as the printed invitations carry them. A person's earlier unused
    codes of the role stop working (invitation_reissue); the curator's code is the school's."""
    if person is None:
        issued = invitations_issue(school=school, role=role, actor=None)
    else:
        issued = invitation_reissue(school=school, role=role, person=person, actor=None)
    return [i.code for i in issued]


def code_for(school: School, role: Role, person: Student | Teacher | None = None) -> str:
    return codes_for(school, role, person)[0]


def enter_code(client: Client, code: str, **extra: Any) -> Any:
    return client.post(reverse("accounts:hello"), {"code": code}, **extra)


def account_form(**fields: Any) -> dict[str, Any]:
    """A filled second step; `fields` override or add (extra_codes as a list)."""
    data: dict[str, Any] = {
        "login": "vasya",
        "password": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
        "email": "",
    }
    data.update(fields)
    return data


def register(client: Client, *, follow: bool = False, **fields: Any) -> Any:
    return client.post(reverse("accounts:register"), account_form(**fields), follow=follow)


def parent_form(**fields: Any) -> dict[str, Any]:
    return account_form(
        **{
            "login": "nikolaeva",
            "last_name": "Николаева",
            "first_name": "Елена",
            "middle_name": "Сергеевна",
            "email": "elena@example.org",
            **fields,
        }
    )


# Fixtures shared by the registration tests; each test module imports the ones it uses
# (as `*_fixture`, so that a test's argument doesn't shadow the imported name).
@pytest.fixture(name="six_a")
def six_a_fixture(school: School) -> SchoolClass:
    return SchoolClassFactory.create(school=school, grade=6, letter="А")


@pytest.fixture(name="three_b")
def three_b_fixture(school: School) -> SchoolClass:
    return SchoolClassFactory.create(school=school, grade=3, letter="Б")


@pytest.fixture(name="vasya")
def vasya_fixture(six_a: SchoolClass) -> Student:
    """Николаев Василий Петрович, 6А, born 12 May 2010."""
    return StudentFactory.create(
        school_class=six_a,
        last_name="Николаев",
        first_name="Василий",
        middle_name="Петрович",
        birth_date=dt.date(2010, 5, 12),
    )


@pytest.fixture(name="anna")
def anna_fixture(three_b: SchoolClass) -> Student:
    """Николаева Анна Петровна, 3Б: Василий's sister."""
    return StudentFactory.create(
        school_class=three_b,
        last_name="Николаева",
        first_name="Анна",
        middle_name="Петровна",
        birth_date=dt.date(2016, 9, 1),
    )


@pytest.fixture(name="teacher")
def teacher_fixture(school: School) -> Teacher:
    return TeacherFactory.create(
        school=school, last_name="Иванова", first_name="Мария", middle_name="Петровна"
    )


@pytest.fixture(name="hasher_calls")
def hasher_calls_fixture() -> Iterator[mock.MagicMock]:
    """Counts every password hashed with the configured hasher."""
    hasher_class = type(get_hasher())
    with mock.patch.object(
        hasher_class, "encode", autospec=True, side_effect=hasher_class.encode
    ) as encode:
        yield encode
