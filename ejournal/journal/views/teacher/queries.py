"""Reads the teacher's pages need besides the journal's selectors, each in a fixed number of
queries. (Page-shaped, so they live by the views; candidates for selectors/ if reused.)"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ejournal.core.freshness import cached_class_read
from ejournal.schools.models import (
    AcademicYear,
    School,
    SchoolClass,
    Student,
    Subject,
    Teacher,
)

from ...models import GroupMembership, Lesson, TeachingAssignment


@dataclass
class ClassJournals:
    """A class and the subjects it has lessons of: links to their journals."""

    school_class_id: int
    label: str
    subjects: list[tuple[int, str]] = field(default_factory=list)


def class_journals(
    *, school: School, year: AcademicYear, class_teacher: Teacher | None = None
) -> list[ClassJournals]:
    """Every class × subject with lessons in the year (for a class teacher: their classes'),
    by class and subject name: one query."""
    lessons = Lesson.objects.filter(school=school, school_class__year=year)
    if class_teacher is not None:
        lessons = lessons.filter(school_class__class_teacher=class_teacher)
    pairs = (
        lessons.values_list(
            "school_class_id",
            "school_class__grade",
            "school_class__letter",
            "subject_id",
            "subject__name",
        )
        .distinct()
        .order_by("school_class__grade", "school_class__letter", "subject__name", "subject_id")
    )
    result: list[ClassJournals] = []
    for class_id, grade, letter, subject_id, subject_name in pairs:
        if not result or result[-1].school_class_id != class_id:
            result.append(ClassJournals(school_class_id=class_id, label=f"{grade}{letter}"))
        result[-1].subjects.append((subject_id, subject_name))
    return result


def final_setters(
    *,
    teacher: Teacher | None,
    school_class: SchoolClass,
    subject: Subject,
    students: Iterable[Student],
) -> set[int]:
    """The ids of those students whose final mark in the subject the teacher may set (the rule
    of access.can_set_final, for a whole grid): one query, two for a teacher of groups; kept
    under the school's version (the assignments) and the students' (their groups)."""
    if teacher is None:
        return set()
    ids = [student.pk for student in students]
    return cached_class_read(
        "final-setters",
        school_id=school_class.school_id,
        student_ids=ids,
        parts=[teacher.pk, school_class.pk, subject.pk],
        read=lambda: _final_setters(teacher, school_class, subject, set(ids)),
    )


def _final_setters(
    teacher: Teacher, school_class: SchoolClass, subject: Subject, ids: set[int]
) -> set[int]:
    groups = set(
        TeachingAssignment.objects.filter(
            school_id=school_class.school_id,
            teacher=teacher,
            school_class=school_class,
            subject=subject,
        ).values_list("group_id", flat=True)
    )
    if not groups or not ids:
        return set()
    if None in groups:
        return ids
    members = GroupMembership.objects.filter(
        school_id=school_class.school_id, group_id__in=groups, student_id__in=ids
    ).values_list("student_id", flat=True)
    return set(members)
