"""The permission matrix at the function level: who reaches which student, lesson and journal.

Whatever a user may not see is a 404 (JournalAccessError is an Http404), never a 403.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from ejournal.core.testing.factories import StudentFactory, SubjectFactory, UserFactory
from ejournal.core.testing.journal_factories import (
    GroupFactory,
    HomeworkFactory,
    LessonFactory,
    TeachingAssignmentFactory,
)
from ejournal.journal.access import (
    JournalAccessError,
    access_class_for_class_teacher,
    access_homework_file,
    access_journal,
    access_lesson_for_edit,
    access_lesson_for_view,
    access_student_for_diary,
    access_student_of_class,
    can_read_remarks,
    lessons_editable_by,
    students_for_user,
)
from ejournal.journal.models import HomeworkFile
from ejournal.schools.models import Guardianship
from ejournal.schools.roles import Role

from .conftest import ROLES as MATRIX_ROLES

pytestmark = pytest.mark.django_db

ROLES = [*MATRIX_ROLES, "operator"]


@pytest.fixture
def users(role_users):
    return {
        **role_users,
        "operator": UserFactory(school=None, role=Role.OPERATOR, login="support"),
        "anonymous": AnonymousUser(),
    }


def _allowed(fetch) -> bool:
    try:
        fetch()
    except JournalAccessError:
        return False
    return True


def _matrix(users, fetch) -> set[str]:
    return {role for role in ROLES if _allowed(lambda role=role: fetch(users[role]))}


def test_access_errors_are_404s():
    assert issubclass(JournalAccessError, Http404)


def test_a_students_diary(users, nikolaev):
    allowed = _matrix(users, lambda u: access_student_for_diary(user=u, student_id=nikolaev.pk))
    assert allowed == {"student", "parent", "subject_teacher", "class_teacher", "curator"}


def test_editing_a_lesson(users, math_lesson):
    allowed = _matrix(users, lambda u: access_lesson_for_edit(user=u, lesson_id=math_lesson.pk))
    assert allowed == {"subject_teacher"}


def test_viewing_a_lesson(users, math_lesson):
    allowed = _matrix(users, lambda u: access_lesson_for_view(user=u, lesson_id=math_lesson.pk))
    assert allowed == {"subject_teacher", "class_teacher", "curator"}


def test_a_classs_journal_for_a_subject(users, class_6a, math):
    found = {}

    def fetch(user):
        found[user.pk] = access_journal(user=user, class_id=class_6a.pk, subject_id=math.pk)

    assert _matrix(users, fetch) == {"subject_teacher", "class_teacher", "curator"}
    assert found[users["subject_teacher"].pk].can_edit is True
    assert found[users["class_teacher"].pk].can_edit is False
    assert found[users["curator"].pk].can_edit is False


def test_the_class_summary_and_audit(users, class_6a):
    allowed = _matrix(users, lambda u: access_class_for_class_teacher(user=u, class_id=class_6a.pk))
    assert allowed == {"class_teacher", "curator"}


def test_ids_that_do_not_exist_are_404_like_forbidden_ones(users):
    with pytest.raises(JournalAccessError):
        access_student_for_diary(user=users["curator"], student_id=10**9)
    with pytest.raises(JournalAccessError):
        access_lesson_for_edit(user=users["subject_teacher"], lesson_id=10**9)


def test_a_student_who_left_is_404_even_to_the_parent(users, nikolaev):
    nikolaev.archived_at = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    nikolaev.save(update_fields=["archived_at"])
    with pytest.raises(JournalAccessError):
        access_student_for_diary(user=users["parent"], student_id=nikolaev.pk)


def test_a_teacher_who_left_loses_the_journal(users, petrov, math_lesson):
    petrov.archived_at = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    petrov.save(update_fields=["archived_at"])
    with pytest.raises(JournalAccessError):
        access_lesson_for_edit(user=users["subject_teacher"], lesson_id=math_lesson.pk)


def test_a_substitute_edits_their_lesson_and_sees_that_journal(
    users, class_6a, math, sidorova, petrov
):
    lesson = LessonFactory(
        school_class=class_6a, subject=math, teacher=sidorova, date=dt.date(2026, 11, 25)
    )
    assert access_lesson_for_edit(user=sidorova.user, lesson_id=lesson.pk) == lesson
    journal = access_journal(user=sidorova.user, class_id=class_6a.pk, subject_id=math.pk)
    assert journal.can_edit is False


def test_a_group_teacher_edits_the_groups_lessons_only(school, class_6a, sidorova, petrov):
    english = SubjectFactory(school=school, name="Английский язык")
    one = GroupFactory(school_class=class_6a, subject=english, name="1 группа")
    two = GroupFactory(school_class=class_6a, subject=english, name="2 группа")
    TeachingAssignmentFactory(
        school=school, teacher=sidorova, school_class=class_6a, subject=english, group=one
    )
    lessons = [
        LessonFactory(school_class=class_6a, subject=english, teacher=petrov, group=group)
        for group in (one, two)
    ]
    assert access_lesson_for_edit(user=sidorova.user, lesson_id=lessons[0].pk) == lessons[0]
    with pytest.raises(JournalAccessError):
        access_lesson_for_edit(user=sidorova.user, lesson_id=lessons[1].pk)
    assert lessons_editable_by(user=sidorova.user, lessons=lessons) == {lessons[0].pk}
    assert lessons_editable_by(user=petrov.user, lessons=lessons) == {
        lesson.pk for lesson in lessons
    }


def test_the_child_switcher_lists_a_parents_children_and_a_students_self(users, nikolaev, class_6b):
    sister = StudentFactory(school_class=class_6b, last_name="Николаева", first_name="Анна")
    Guardianship.objects.create(school=sister.school, parent=users["parent"], student=sister)
    assert students_for_user(users["parent"]) == [nikolaev, sister]
    assert students_for_user(users["student"]) == [nikolaev]
    for role in ("subject_teacher", "curator", "another_schools_curator", "anonymous"):
        assert students_for_user(users[role]) == []


def test_the_access_checks_cost_a_fixed_few_queries(
    users, nikolaev, math_lesson, django_assert_num_queries
):
    parent = users["parent"]
    with django_assert_num_queries(1):  # the parent's children, the one asked for among them
        access_student_for_diary(user=parent, student_id=nikolaev.pk)
    teacher = type(users["subject_teacher"]).objects.get(pk=users["subject_teacher"].pk)
    with django_assert_num_queries(2):  # the lesson, the teacher record: the lesson's own
        access_lesson_for_edit(user=teacher, lesson_id=math_lesson.pk)


def test_a_lessons_homework_file(users, math_lesson):
    homework = HomeworkFactory(lesson=math_lesson)
    homework_file = HomeworkFile.objects.create(
        school=math_lesson.school, homework=homework, file="homework/x.pdf", name="x.pdf"
    )
    allowed = _matrix(users, lambda u: access_homework_file(user=u, file_id=homework_file.pk))
    # Whoever sees the lesson in a journal or a diary: its class (the classmate too), the
    # parents, its teachers, the class teacher, the curator.
    assert allowed == {
        "student",
        "another_student",
        "parent",
        "subject_teacher",
        "class_teacher",
        "curator",
    }


def test_remarks_are_for_the_parents_the_class_teacher_and_the_curator(users, nikolaev):
    # Asked once the diary is open to the user (access_student_for_diary), at no query.
    viewers = _matrix(users, lambda u: access_student_for_diary(user=u, student_id=nikolaev.pk))
    readers = {role for role in viewers if can_read_remarks(users[role], nikolaev)}
    assert readers == {"parent", "class_teacher", "curator"}


def test_a_grid_row_is_an_active_student_of_that_class_and_anyone_else_is_a_404(
    petrov, class_6a, nikolaev, borisov, other_school
):
    def row(student_id):
        return access_student_of_class(
            user=petrov.user, school_class_id=class_6a.pk, student_id=student_id
        )

    assert row(nikolaev.pk) == nikolaev
    other_schools = StudentFactory(school=other_school)
    for stranger in (borisov.pk, other_schools.pk, 2**63 - 1):  # 6Б, another school, nobody
        with pytest.raises(Http404):
            row(stranger)
    nikolaev.archived_at = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    nikolaev.save(update_fields=["archived_at"])
    with pytest.raises(Http404):
        row(nikolaev.pk)
