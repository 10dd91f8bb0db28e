"""A class 6А with three students, one of them already registered, and a class 6Б."""

from __future__ import annotations

import pytest

from ejournal.core.testing.factories import (
    SchoolClassFactory,
    StudentFactory,
    TeacherFactory,
    UserFactory,
)
from ejournal.schools.models import School, SchoolClass, Student, Teacher
from ejournal.schools.roles import Role


@pytest.fixture
def six_a(school: School) -> SchoolClass:
    return SchoolClassFactory.create(school=school, grade=6, letter="А")


@pytest.fixture
def six_b(school: School) -> SchoolClass:
    return SchoolClassFactory.create(school=school, grade=6, letter="Б")


@pytest.fixture
def pupils(six_a: SchoolClass) -> list[Student]:
    """6А: Николаев and Петрова without accounts, Сидоров with one."""
    return [
        StudentFactory.create(school_class=six_a, last_name="Николаев", first_name="Василий"),
        StudentFactory.create(school_class=six_a, last_name="Петрова", first_name="Анна"),
        StudentFactory.create(
            school_class=six_a,
            last_name="Сидоров",
            first_name="Илья",
            user=UserFactory.create(school=six_a.school, role=Role.STUDENT),
        ),
    ]


@pytest.fixture
def teacher(school: School) -> Teacher:
    return TeacherFactory.create(school=school, last_name="Иванова", first_name="Мария")
