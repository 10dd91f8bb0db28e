"""Services lock the rows they check and judge them as they are now, not as a page saw them.

Two curators at once: one marks a teacher as left while the other appoints the same teacher
class teacher. Each service re-reads its rows under SELECT … FOR UPDATE inside its
transaction, so whichever comes second sees the first one's change. Here the "page's" stale
object stands in for the other request: the row changed after it was read.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ejournal.audit.models import AuditAction, AuditEvent
from ejournal.core.testing.factories import SchoolClassFactory, StudentFactory, TeacherFactory
from ejournal.schools.models import SchoolClass, Student, Teacher
from ejournal.schools.selectors import current_year
from ejournal.schools.services import (
    class_create,
    class_update,
    student_archive,
    student_move,
    student_update,
    teacher_archive,
)

pytestmark = pytest.mark.django_db


def _left_meanwhile(record: Student | Teacher) -> None:
    """Another request marks the person as left after this one read them."""
    type(record).objects.filter(pk=record.pk).update(archived_at=timezone.now())


@pytest.fixture
def six_a(school):
    return SchoolClassFactory(school=school, grade=6, letter="А")


def test_a_teacher_who_left_meanwhile_cant_be_appointed_class_teacher(school, curator, six_a):
    teacher = TeacherFactory(school=school)  # as the edit form's choice loaded it
    _left_meanwhile(teacher)

    with pytest.raises(ValidationError, match="выбыл\\(а\\) из школы"):
        class_update(school_class=six_a, class_teacher=teacher, actor=curator)
    with pytest.raises(ValidationError, match="выбыл\\(а\\) из школы"):
        class_create(
            school=school,
            year=current_year(school=school),
            grade=7,
            letter="А",
            class_teacher=teacher,
            actor=curator,
        )

    assert SchoolClass.objects.get(pk=six_a.pk).class_teacher is None
    assert not SchoolClass.objects.filter(grade=7).exists()


def test_a_teacher_appointed_meanwhile_cant_be_marked_as_left(school, curator, six_a):
    teacher = TeacherFactory(school=school)
    SchoolClass.objects.filter(pk=six_a.pk).update(class_teacher=teacher)

    with pytest.raises(ValidationError, match="классный руководитель \\(6А\\)"):
        teacher_archive(teacher=teacher, actor=curator)

    assert Teacher.objects.get(pk=teacher.pk).archived_at is None


def test_a_person_marked_as_left_meanwhile_is_not_archived_twice(school, curator, six_a):
    student = StudentFactory(school_class=six_a)
    teacher = TeacherFactory(school=school)
    _left_meanwhile(student)
    _left_meanwhile(teacher)

    with pytest.raises(ValidationError, match="уже отмечен\\(а\\) как выбывший"):
        student_archive(student=student, actor=curator)
    with pytest.raises(ValidationError, match="уже отмечен\\(а\\) как выбывший"):
        teacher_archive(teacher=teacher, actor=curator)

    assert not AuditEvent.objects.exists()


def test_a_student_who_left_meanwhile_is_neither_moved_nor_edited(school, curator, six_a):
    six_b = SchoolClassFactory(school=school, grade=6, letter="Б")
    student = StudentFactory(school_class=six_a)
    _left_meanwhile(student)

    with pytest.raises(ValidationError, match="перевод невозможен"):
        student_move(student=student, to_class=six_b, actor=curator)
    with pytest.raises(ValidationError, match="запись не изменяется"):
        student_update(
            student=student,
            last_name="Новиков",
            first_name=student.first_name,
            middle_name=student.middle_name,
            birth_date=student.birth_date,
            parent_email="",
            actor=curator,
        )

    assert Student.objects.get(pk=student.pk).school_class == six_a
    assert not AuditEvent.objects.filter(action=AuditAction.STUDENT_MOVED).exists()


def test_the_services_select_their_rows_for_update(school, curator, six_a):
    """On PostgreSQL the re-read rows are locked; SQLite locks the whole file for a write."""
    six_b = SchoolClassFactory(school=school, grade=6, letter="Б")
    teacher = TeacherFactory(school=school)
    student = StudentFactory(school_class=six_a)

    with CaptureQueriesContext(connection) as queries:
        class_update(school_class=six_a, class_teacher=teacher, actor=curator)
        student_move(student=student, to_class=six_b, actor=curator)
        student_archive(student=student, actor=curator)
        teacher_archive(teacher=TeacherFactory(school=school), actor=curator)

    locked = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"]]
    expected = 5 if connection.features.has_select_for_update else 0
    assert len(locked) == expected, [q["sql"] for q in queries]
