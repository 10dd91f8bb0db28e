"""The rules the database itself holds, whatever code writes to it.

Each refused write is made with the ORM's plain create(), bypassing the services' checks, so
that only the constraint can stop it. Case-insensitive rules are shown with Latin letters: SQLite's
lower() folds ASCII only (PostgreSQL's folds Cyrillic too), which is why the services also check
Cyrillic names in Python.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from ejournal.accounts.models import User
from ejournal.core.testing.factories import (
    SchoolClassFactory,
    StudentFactory,
    SubjectFactory,
    TeacherFactory,
    UserFactory,
)
from ejournal.invitations.models import Invitation
from ejournal.schools.models import (
    AcademicYear,
    Guardianship,
    Period,
    SchoolClass,
    Student,
    Subject,
)
from ejournal.schools.roles import Role
from ejournal.schools.selectors import current_year

pytestmark = pytest.mark.django_db


# Classes and years


@pytest.mark.parametrize("grade", [0, 12])
def test_a_class_grade_is_between_1_and_11(school, grade):
    with pytest.raises(IntegrityError), transaction.atomic():
        SchoolClass.objects.create(
            school=school, year=current_year(school=school), grade=grade, letter="А"
        )


def test_a_class_label_is_unique_per_school_and_year(school, other_school):
    year = current_year(school=school)
    SchoolClass.objects.create(school=school, year=year, grade=6, letter="А")

    with pytest.raises(IntegrityError), transaction.atomic():
        SchoolClass.objects.create(school=school, year=year, grade=6, letter="А")

    next_year = AcademicYear.objects.create(
        school=school,
        starts_on=year.starts_on.replace(year=year.starts_on.year + 1),
        ends_on=year.ends_on.replace(year=year.ends_on.year + 1),
    )
    SchoolClass.objects.create(school=school, year=next_year, grade=6, letter="А")
    SchoolClass.objects.create(
        school=other_school, year=current_year(school=other_school), grade=6, letter="А"
    )
    assert SchoolClass.objects.filter(grade=6, letter="А").count() == 3


def test_a_year_ends_after_it_starts(school):
    with pytest.raises(IntegrityError), transaction.atomic():
        AcademicYear.objects.create(
            school=school, starts_on=dt.date(2030, 9, 1), ends_on=dt.date(2030, 9, 1)
        )


@pytest.mark.parametrize("number", [0, 5])
def test_a_period_number_is_between_1_and_4(school, number):
    year = current_year(school=school)

    with pytest.raises(IntegrityError), transaction.atomic():
        Period.objects.create(
            school=school, year=year, number=number, starts_on=year.starts_on, ends_on=year.ends_on
        )


def test_a_subject_name_is_unique_per_school_whatever_the_case(school, other_school):
    SubjectFactory(school=school, name="English")

    with pytest.raises(IntegrityError), transaction.atomic():
        SubjectFactory(school=school, name="ENGLISH")

    SubjectFactory(school=other_school, name="English")
    assert Subject.objects.filter(name="English").count() == 2


# Students and parents


def _person(school_class, **fields):
    values = {
        "school": school_class.school,
        "school_class": school_class,
        "last_name": "Ivanov",
        "first_name": "Petr",
        "middle_name": "",
        "birth_date": dt.date(2014, 3, 12),
    }
    return Student.objects.create(**{**values, **fields})


def test_an_active_student_record_is_unique_per_person_whatever_the_case(school):
    school_class = SchoolClassFactory(school=school)
    _person(school_class)

    with pytest.raises(IntegrityError), transaction.atomic():
        _person(school_class, last_name="IVANOV", first_name="petr")


def test_an_archived_record_of_the_same_person_is_allowed(school):
    school_class = SchoolClassFactory(school=school)
    _person(school_class, archived_at=timezone.now())
    _person(school_class, archived_at=timezone.now())

    _person(school_class)

    assert Student.objects.filter(last_name="Ivanov").count() == 3


def test_the_same_person_may_be_a_student_of_two_schools(school, other_school):
    _person(SchoolClassFactory(school=school))
    _person(SchoolClassFactory(school=other_school))

    assert Student.objects.filter(last_name="Ivanov").count() == 2


def test_a_parent_is_linked_to_a_student_once(school):
    student = StudentFactory(school_class=SchoolClassFactory(school=school))
    parent = UserFactory(school=school, role=Role.PARENT)
    Guardianship.objects.create(school=school, parent=parent, student=student)

    with pytest.raises(IntegrityError), transaction.atomic():
        Guardianship.objects.create(school=school, parent=parent, student=student)


# Accounts


def test_a_login_is_unique_per_school_whatever_the_case(school):
    UserFactory(school=school, login="Ivanova")

    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(school=school, login="iVANOVA")


def test_the_same_login_may_be_used_in_two_schools(school, other_school):
    UserFactory(school=school, login="ivanova")
    UserFactory(school=other_school, login="ivanova")

    assert User.objects.filter(login="ivanova").count() == 2


def test_the_platform_operator_has_no_school_and_everyone_else_has_one(school):
    User.objects.create(school=None, role=Role.OPERATOR, login="support")

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(school=school, role=Role.OPERATOR, login="support2")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(school=None, role=Role.CURATOR, login="nobody")


def test_operator_logins_are_unique_whatever_the_case(db):
    User.objects.create(school=None, role=Role.OPERATOR, login="support")

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(school=None, role=Role.OPERATOR, login="SUPPORT")


# Invitations


def _invitation(school, **fields):
    return Invitation.objects.create(
        school=school, expires_at=timezone.now() + dt.timedelta(days=30), **fields
    )


def test_an_invitation_names_the_person_its_role_calls_for(school):
    student = StudentFactory(school_class=SchoolClassFactory(school=school))
    teacher = TeacherFactory(school=school)
    _invitation(school, role=Role.STUDENT, student=student, code_hash="s")
    _invitation(school, role=Role.PARENT, student=student, code_hash="p")
    _invitation(school, role=Role.TEACHER, teacher=teacher, code_hash="t")
    _invitation(school, role=Role.CURATOR, code_hash="c")

    refused = [
        {"role": Role.STUDENT, "code_hash": "x1"},
        {"role": Role.PARENT, "teacher": teacher, "code_hash": "x2"},
        {"role": Role.TEACHER, "student": student, "code_hash": "x3"},
        {"role": Role.TEACHER, "code_hash": "x4"},
        {"role": Role.CURATOR, "student": student, "code_hash": "x5"},
        {"role": Role.STUDENT, "student": student, "teacher": teacher, "code_hash": "x6"},
    ]
    for fields in refused:
        with pytest.raises(IntegrityError), transaction.atomic():
            _invitation(school, **fields)
    assert Invitation.objects.count() == 4


def test_an_invitation_is_never_both_redeemed_and_revoked(school):
    with pytest.raises(IntegrityError), transaction.atomic():
        _invitation(
            school,
            role=Role.CURATOR,
            code_hash="c",
            redeemed_at=timezone.now(),
            revoked_at=timezone.now(),
        )


def test_an_invitation_code_is_unique_per_school(school, other_school):
    _invitation(school, role=Role.CURATOR, code_hash="same")

    with pytest.raises(IntegrityError), transaction.atomic():
        _invitation(school, role=Role.CURATOR, code_hash="same")

    _invitation(other_school, role=Role.CURATOR, code_hash="same")
    assert Invitation.objects.filter(code_hash="same").count() == 2
