"""The year's frame as pages need it: groups, a teacher's journals and day. (The year's periods,
and which one is current: schools.selectors.)"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ejournal.core.freshness import cached_school_read
from ejournal.schools.models import AcademicYear, SchoolClass, Subject, Teacher

from ..models import Group, Lesson, TeachingAssignment


def class_groups(*, school_class: SchoolClass, subject: Subject) -> list[Group]:
    """The groups the class is split into for the subject, by name: one query, kept under the
    school's version (core.freshness)."""
    return cached_school_read(
        "groups",
        school_id=school_class.school_id,
        parts=[school_class.pk, subject.pk],
        read=lambda: list(
            Group.objects.filter(
                school_id=school_class.school_id, school_class=school_class, subject=subject
            ).order_by("name")
        ),
    )


@dataclass(frozen=True)
class TeacherJournal:
    school_class: SchoolClass
    subject: Subject
    group: Group | None


def teacher_journals(*, teacher: Teacher, year: AcademicYear) -> list[TeacherJournal]:
    """What the teacher is assigned to teach in the year, by class and subject: one query."""
    assignments = (
        TeachingAssignment.objects.filter(
            school_id=teacher.school_id, teacher=teacher, school_class__year=year
        )
        .select_related("school_class", "subject", "group")
        .order_by("school_class__grade", "school_class__letter", "subject__name", "group__name")
    )
    return [
        TeacherJournal(school_class=a.school_class, subject=a.subject, group=a.group)
        for a in assignments
    ]


def teacher_day(*, teacher: Teacher, day: dt.date) -> list[Lesson]:
    """The teacher's lessons on a day (substitutions included), with class, subject, group and
    bell times (`starts_at`, `ends_at`): one query."""
    return list(
        Lesson.objects.filter(school_id=teacher.school_id, teacher=teacher, date=day)
        .with_bell_times()
        .select_related("school_class", "subject", "group")
        .order_by("number", "pk")
    )
