"""A school of two classes: 6А (class teacher Иванова, mathematics by Петров) and 7Б (its own
class teacher and teacher); a pupil and a parent in each, a parent with children in both."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from ejournal.accounts.models import User
from ejournal.core.testing.factories import SchoolClassFactory, StudentFactory, UserFactory
from ejournal.core.testing.journal_factories import (
    TeachingAssignmentFactory,
    parent_of,
    teacher_with_account,
)
from ejournal.schools.models import School, Student, Teacher
from ejournal.schools.roles import Role


@dataclass
class Cast:
    curator: User
    ivanova: Teacher  # 6А's class teacher
    petrov: Teacher  # teaches 6А mathematics
    sidorov: Teacher  # 7Б's class teacher and teacher
    vasya: Student  # 6А
    petya: Student  # 6А
    kolya: Student  # 7Б
    mama_vasi: User  # Vasya's parent
    mama_koli: User  # Kolya's parent
    two_children: User  # parent of Petya (6А) and Kolya (7Б)


def _pupil(school_class, login: str, last_name: str) -> Student:
    user = UserFactory(
        school=school_class.school, role=Role.STUDENT, login=login, last_name=last_name
    )
    return StudentFactory(school_class=school_class, user=user, last_name=last_name)


@pytest.fixture
def cast(school: School, curator: User) -> Cast:
    six_a = SchoolClassFactory(school=school, grade=6, letter="А")
    seven_b = SchoolClassFactory(school=school, grade=7, letter="Б")
    ivanova = teacher_with_account(school, "ivanova", last_name="Иванова")
    petrov = teacher_with_account(school, "petrov", last_name="Петров")
    sidorov = teacher_with_account(school, "sidorov", last_name="Сидоров")
    six_a.class_teacher = ivanova
    six_a.save()
    seven_b.class_teacher = sidorov
    seven_b.save()
    TeachingAssignmentFactory(school_class=six_a, teacher=petrov)
    TeachingAssignmentFactory(school_class=seven_b, teacher=sidorov)
    vasya = _pupil(six_a, "vasya", "Васильев")
    petya = _pupil(six_a, "petya", "Петин")
    kolya = _pupil(seven_b, "kolya", "Колин")
    return Cast(
        curator=curator,
        ivanova=ivanova,
        petrov=petrov,
        sidorov=sidorov,
        vasya=vasya,
        petya=petya,
        kolya=kolya,
        mama_vasi=parent_of(vasya, login="mama-vasi"),
        mama_koli=parent_of(kolya, login="mama-koli"),
        two_children=parent_of(petya, kolya, login="two-children"),
    )
