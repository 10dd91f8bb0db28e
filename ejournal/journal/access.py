"""Who may see and edit which part of the journal; fetching by id with that check.

Anything a user may not see is a 404 (`JournalAccessError` is an Http404): another family's
child, another class's lesson and another school's record all look like records that do not
exist, so a URL never confirms that something is there.

The rules:
- edit a lesson (marks, attendance, topic, homework): the lesson's teacher, or a teacher with a
  teaching assignment for the lesson's class and subject (for the whole class, or for the
  lesson's group);
- set final marks: a teacher assigned to the student's class and subject (the whole class or a
  group the student is in);
- view a class's journal for a subject: those teachers, a teacher who has given a lesson of it
  (a substitute), the class teacher and the curator;
- view a student's diary and marks: the student, a parent linked by guardianship, the class
  teacher, the teachers assigned to the student's class and the curator;
- read the remarks in a student's diary: the parents, the class teacher and the curator (not the
  student: remarks are addressed to the family);
- write a remark about a student: the class teacher, the teachers assigned to the student's
  class and the curator;
- download a lesson's homework files: whoever sees the lesson in a journal or in a diary: the
  students who attend it (the class, or the lesson's group), their parents, the lesson's teacher,
  teachers assigned to the class, the class teacher and the curator.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, Q
from django.http import Http404

from ejournal.accounts.models import User
from ejournal.core.freshness import cached_school_read, cached_user_read
from ejournal.schools.models import Guardianship, SchoolClass, Student, Subject, Teacher
from ejournal.schools.roles import Role

from .models import GroupMembership, HomeworkFile, Lesson, TeachingAssignment


class JournalAccessError(Http404):
    """The user may not see or change this part of the journal; answered as a 404."""


@dataclass(frozen=True)
class Journal:
    """A class's journal for one subject, as one user may use it."""

    school_class: SchoolClass
    subject: Subject
    can_edit: bool  # assigned to teach it: may edit every lesson (a substitute: only their own)


def _school_id(user: User) -> int | None:
    """The user's school; None for the anonymous user and the platform operator."""
    if not user.is_authenticated or not user.is_active:
        return None
    return user.school_id


def _user_school_id(user: User) -> int:
    """The school whose records the user may fetch at all; nobody's: 404."""
    school_id = _school_id(user)
    if school_id is None:
        raise JournalAccessError
    return school_id


def _in_school(user: User, school_id: int) -> bool:
    return _school_id(user) == school_id


def is_curator(user: User, school_id: int) -> bool:
    return _in_school(user, school_id) and user.role == Role.CURATOR


def teacher_of(user: User) -> Teacher | None:
    """The active teacher record of a teacher's account; None for anyone else.

    Kept under the school's version (a teacher record and a user's role move it), and cached
    on the user object as Django caches the reverse one-to-one, found or not: the
    checks of one request ask the cache once.
    """
    school_id = _school_id(user)
    if school_id is None or user.role != Role.TEACHER:
        return None
    relation = User.teacher.related  # type: ignore[attr-defined]
    if not relation.is_cached(user):
        relation.set_cached_value(
            user,
            cached_school_read(
                "teacher-record",
                school_id=school_id,
                parts=[user.pk],
                read=lambda: Teacher.objects.filter(school_id=school_id, user=user).first(),
            ),
        )
    teacher: Teacher | None = relation.get_cached_value(user)  # type: ignore[assignment]
    if teacher is None or teacher.archived_at is not None:
        return None
    return teacher


def _assignments(teacher: Teacher, school_class_id: int) -> Q:
    return Q(school_id=teacher.school_id, teacher=teacher, school_class_id=school_class_id)


# Predicates: what views and services ask about an object they already hold.


def can_edit_lesson(user: User, lesson: Lesson) -> bool:
    if not _in_school(user, lesson.school_id):
        return False
    teacher = teacher_of(user)
    if teacher is None:
        return False
    if lesson.teacher_id == teacher.id:
        return True
    group = Q(group__isnull=True)
    if lesson.group_id is not None:
        group |= Q(group_id=lesson.group_id)
    return (
        TeachingAssignment.objects.filter(_assignments(teacher, lesson.school_class_id))
        .filter(group, subject_id=lesson.subject_id)
        .exists()
    )


def can_set_final(user: User, student: Student, subject: Subject) -> bool:
    if not _in_school(user, student.school_id) or student.archived_at is not None:
        return False
    teacher = teacher_of(user)
    if teacher is None:
        return False
    groups = GroupMembership.objects.filter(school_id=student.school_id, student=student)
    return (
        TeachingAssignment.objects.filter(_assignments(teacher, student.school_class_id))
        .filter(subject_id=subject.pk)
        .filter(Q(group__isnull=True) | Q(group_id__in=groups.values("group_id")))
        .exists()
    )


def can_view_journal(user: User, school_class: SchoolClass, subject: Subject) -> bool:
    if not _in_school(user, school_class.school_id) or subject.school_id != school_class.school_id:
        return False
    if user.role == Role.CURATOR:
        return True
    teacher = teacher_of(user)
    if teacher is None:
        return False
    if school_class.class_teacher_id == teacher.id:
        return True
    return _teaches(teacher, school_class, subject)


def _teaches(teacher: Teacher, school_class: SchoolClass, subject: Subject) -> bool:
    """Assigned to the class and subject, or has given one of its lessons: one query."""
    assigned = TeachingAssignment.objects.filter(
        _assignments(teacher, school_class.pk), subject_id=subject.pk
    )
    substituted = Lesson.objects.filter(
        school_id=teacher.school_id,
        school_class_id=school_class.pk,
        subject_id=subject.pk,
        teacher=teacher,
    )
    return (
        SchoolClass.objects.filter(pk=school_class.pk)
        .filter(Exists(assigned) | Exists(substituted))
        .exists()
    )


def can_view_student(user: User, student: Student) -> bool:
    if not _in_school(user, student.school_id) or student.archived_at is not None:
        return False
    if student.user_id is not None and student.user_id == user.pk:
        return True
    if user.role == Role.CURATOR:
        return True
    if user.role == Role.PARENT:
        return Guardianship.objects.filter(
            school_id=student.school_id, parent=user, student=student
        ).exists()
    teacher = teacher_of(user)
    if teacher is None:
        return False
    # The class teacher, or a teacher assigned to the class: one query.
    assigned = TeachingAssignment.objects.filter(_assignments(teacher, student.school_class_id))
    return (
        SchoolClass.objects.filter(pk=student.school_class_id)
        .filter(Q(class_teacher=teacher) | Exists(assigned))
        .exists()
    )


def can_read_remarks(user: User, student: Student) -> bool:
    """Whether the diary's remarks are shown too, to a user already let in by
    access_student_for_diary (a parent's link is not checked again here).

    No query of its own after that check (the teacher record is cached on the user).
    """
    if not _in_school(user, student.school_id):
        return False
    if user.role == Role.PARENT:
        return True
    return is_class_teacher_or_curator(user, student.school_class)


def can_write_remark(user: User, student: Student) -> bool:
    """A teacher of the student's class, its class teacher or the curator (one query)."""
    return user.role in (Role.TEACHER, Role.CURATOR) and can_view_student(user, student)


def can_view_lesson_homework(user: User, lesson: Lesson) -> bool:
    """Whether the user sees the lesson in some journal or diary: one query at most (two for a
    teacher whose record is not cached yet)."""
    if not _in_school(user, lesson.school_id):
        return False
    if user.role == Role.CURATOR:
        return True
    if user.role in (Role.STUDENT, Role.PARENT):
        attendees = Student.objects.active().filter(
            school_id=lesson.school_id, school_class_id=lesson.school_class_id
        )
        if lesson.group_id is not None:
            attendees = attendees.filter(
                pk__in=GroupMembership.objects.filter(
                    school_id=lesson.school_id, group_id=lesson.group_id
                ).values("student_id")
            )
        if user.role == Role.STUDENT:
            return attendees.filter(user=user).exists()
        return attendees.filter(
            pk__in=Guardianship.objects.filter(school_id=lesson.school_id, parent=user).values(
                "student_id"
            )
        ).exists()
    teacher = teacher_of(user)
    if teacher is None:
        return False
    if lesson.teacher_id == teacher.id:
        return True
    # The class teacher, a teacher of the class (in any subject: the diary shows them the
    # homework), or a substitute who gave a lesson of this subject there.
    assigned = TeachingAssignment.objects.filter(_assignments(teacher, lesson.school_class_id))
    substituted = Lesson.objects.filter(
        school_id=lesson.school_id,
        school_class_id=lesson.school_class_id,
        subject_id=lesson.subject_id,
        teacher=teacher,
    )
    return (
        SchoolClass.objects.filter(pk=lesson.school_class_id)
        .filter(Q(class_teacher=teacher) | Exists(assigned) | Exists(substituted))
        .exists()
    )


def is_class_teacher_or_curator(user: User, school_class: SchoolClass) -> bool:
    if not _in_school(user, school_class.school_id):
        return False
    if user.role == Role.CURATOR:
        return True
    teacher = teacher_of(user)
    return teacher is not None and school_class.class_teacher_id == teacher.id


# Fetching by id: what views call with ids from the URL.


def _require(allowed: bool) -> None:
    if not allowed:
        raise JournalAccessError


def _active_student(
    user: User, student_id: int, *, related: str, allowed: Callable[[Student], bool], **lookup: Any
) -> Student:
    """An active student of the user's school with `related` loaded, if `allowed`; else the
    404 an id of nobody gets."""
    student = (
        Student.objects.active()
        .select_related("school", related)
        .filter(school_id=_user_school_id(user), pk=student_id, **lookup)
        .first()
    )
    if student is None or not allowed(student):
        raise JournalAccessError
    return student


def access_student_for_diary(
    *, user: User, student_id: int, family: list[Student] | None = None
) -> Student:
    """An active student whose diary and marks the user may see, with school, class and year.

    A parent or a pupil may see exactly their `students_for_user`: the student is picked from
    that list (`family`, when the caller has it already for a parent's switcher: then no
    query), which is the same rule as `can_view_student`'s for them."""
    if getattr(user, "role", None) in (Role.PARENT, Role.STUDENT):
        family = students_for_user(user) if family is None else family
        student = next((s for s in family if s.pk == student_id), None)
        _require(student is not None)
        assert student is not None  # noqa: S101 -- narrowed by _require
        return student
    return _active_student(
        user,
        student_id,
        related="school_class__year",
        allowed=lambda student: can_view_student(user, student),
    )


def access_student_for_remark(*, user: User, student_id: int) -> Student:
    """An active student the user may write a remark about, with school and class: a pupil of
    a class the teacher leads or teaches (the curator: any). The same 404 for anyone else as
    for an id that does not exist, so the answer never names another class's pupil."""
    return _active_student(
        user,
        student_id,
        related="school_class",
        allowed=lambda student: can_write_remark(user, student),
    )


def access_student_of_class(*, user: User, school_class_id: int, student_id: int) -> Student:
    """An active student of the class (a grid's row: a cell's or a final mark's), with school
    and class; a student of another class is never in the grid, and the same 404 as for an id
    that does not exist. Whether the user may write the cell is the lesson's or journal's
    check."""
    return _active_student(
        user,
        student_id,
        related="school_class",
        allowed=lambda student: True,
        school_class_id=school_class_id,
    )


def _lesson(user: User, lesson_id: int) -> Lesson:
    lesson = (
        Lesson.objects.select_related("school", "school_class__year", "subject", "teacher", "group")
        .filter(school_id=_user_school_id(user), pk=lesson_id)
        .first()
    )
    if lesson is None:
        raise JournalAccessError
    return lesson


def access_lesson_for_edit(*, user: User, lesson_id: int) -> Lesson:
    """A lesson whose marks, attendance, topic and homework the user may change."""
    lesson = _lesson(user, lesson_id)
    _require(can_edit_lesson(user, lesson))
    return lesson


def access_lesson_for_view(*, user: User, lesson_id: int) -> Lesson:
    """A lesson of a journal the user may see (its page, its homework files)."""
    lesson = _lesson(user, lesson_id)
    _require(can_view_journal(user, lesson.school_class, lesson.subject))
    return lesson


def access_homework_file(*, user: User, file_id: int) -> HomeworkFile:
    """A homework file that the user may download: whoever attends (or teaches) the lesson the
    homework was set at."""
    homework_file = (
        HomeworkFile.objects.select_related("homework__lesson")
        .filter(school_id=_user_school_id(user), pk=file_id)
        .first()
    )
    _require(
        homework_file is not None and can_view_lesson_homework(user, homework_file.homework.lesson)
    )
    assert homework_file is not None  # noqa: S101 -- narrowed by _require
    return homework_file


def access_journal(*, user: User, class_id: int, subject_id: int) -> Journal:
    """A class's journal for a subject that the user may see, and whether they may edit it.

    Five queries, kept for the user under the school's and the user's versions
    (core.freshness): everything the answer rests on (the class, its class teacher, the
    subject, the teacher's record, assignments and lessons, the user's role) moves one of
    them, so the answer is the one those rows give now."""
    school_id = _user_school_id(user)
    journal = cached_user_read(
        "journal-access",
        school_id=school_id,
        user_id=user.pk,
        parts=[class_id, subject_id],
        read=lambda: _journal(user, school_id, class_id, subject_id),
    )
    if journal is None:
        raise JournalAccessError
    return journal


def _journal(user: User, school_id: int, class_id: int, subject_id: int) -> Journal | None:
    school_class = (
        SchoolClass.objects.select_related("school", "year")
        .filter(school_id=school_id, pk=class_id)
        .first()
    )
    subject = Subject.objects.filter(school_id=school_id, pk=subject_id).first()
    if school_class is None or subject is None:
        return None
    if not can_view_journal(user, school_class, subject):
        return None
    teacher = teacher_of(user)
    can_edit = (
        teacher is not None
        and TeachingAssignment.objects.filter(
            _assignments(teacher, school_class.pk), subject_id=subject.pk
        ).exists()
    )
    return Journal(school_class=school_class, subject=subject, can_edit=can_edit)


def access_class_for_class_teacher(*, user: User, class_id: int) -> SchoolClass:
    """A class whose summary and journal audit the user may see: its class teacher, the curator."""
    school_class = (
        SchoolClass.objects.select_related("school", "year", "class_teacher")
        .filter(school_id=_user_school_id(user), pk=class_id)
        .first()
    )
    _require(school_class is not None and is_class_teacher_or_curator(user, school_class))
    assert school_class is not None  # noqa: S101 -- narrowed by _require
    return school_class


def students_for_user(user: User) -> list[Student]:
    """Whose diary the user reads: a parent's children, a student's own record; else nobody.

    For the child switcher and the APIs; active students of the user's school with school, class
    and year, by name, in one query; kept under the school's and the user's versions
    (core.freshness: a link made or removed moves the user's, a pupil's record the school's).
    """
    school_id = _school_id(user)
    if school_id is None or user.role not in (Role.PARENT, Role.STUDENT):
        return []
    return cached_user_read(
        "family",
        school_id=school_id,
        user_id=user.pk,
        parts=[user.role],
        read=lambda: _family(user, school_id),
    )


def _family(user: User, school_id: int) -> list[Student]:
    students = (
        Student.objects.active()
        .select_related("school", "school_class__year")
        .filter(school_id=school_id)
    )
    if user.role == Role.PARENT:
        students = students.filter(guardianships__parent=user, guardianships__school_id=school_id)
    else:
        students = students.filter(user=user)
    return list(students.order_by("last_name", "first_name", "middle_name", "pk"))


def lessons_editable_by(*, user: User, lessons: Iterable[Lesson]) -> set[int]:
    """The ids of those lessons the user may edit, in at most one query (for a grid's columns)."""
    lessons = list(lessons)
    teacher = teacher_of(user)
    if teacher is None or not lessons:
        return set()
    own = {lesson.pk for lesson in lessons if lesson.teacher_id == teacher.id}
    rest = [
        lesson
        for lesson in lessons
        if lesson.pk not in own and lesson.school_id == teacher.school_id
    ]
    if not rest:
        return own
    assigned = set(
        TeachingAssignment.objects.filter(
            school_id=teacher.school_id,
            teacher=teacher,
            school_class_id__in={lesson.school_class_id for lesson in rest},
        ).values_list("school_class_id", "subject_id", "group_id")
    )
    return own | {
        lesson.pk
        for lesson in rest
        if (lesson.school_class_id, lesson.subject_id, None) in assigned
        or (
            lesson.group_id is not None
            and (lesson.school_class_id, lesson.subject_id, lesson.group_id) in assigned
        )
    }
