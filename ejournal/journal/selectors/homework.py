"""Homework: which lesson it is due at, and what a lesson's page shows of it.

The rule, written once (`due_lessons`): homework set at a lesson is due at a later lesson of
the same subject for the same class that its pupils attend (a group's homework: the group's
lessons and the whole class's; a whole class's: the whole class's), on a later date (so the
second half of a double lesson is not "the next lesson"), and not cancelled. By default the
first of them; the teacher may choose a later one by its date. The mobile API calls the same
functions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from ..models import Homework, HomeworkFile, Lesson, LessonStatus
from ..querysets import LessonQuerySet

# How many later lessons the lesson page offers to choose from.
DUE_CHOICES = 40


def due_lessons(
    *,
    school_id: Any,
    school_class_id: Any,
    subject_id: Any,
    group_id: Any,
    after: Any,
) -> LessonQuerySet:
    """The lessons homework set at such a lesson may be due at, in order. The arguments may be
    values or OuterRef()s (for the set-based updates of services.homework).

    A whole class's lesson has `group_id` None: `group_id = NULL` matches nothing in SQL, so
    only the whole class's lessons remain.
    """
    return (
        Lesson.objects.filter(
            school_id=school_id,
            school_class_id=school_class_id,
            subject_id=subject_id,
            date__gt=after,
        )
        .exclude(status=LessonStatus.CANCELLED)
        .filter(Q(group__isnull=True) | Q(group_id=group_id))
        .order_by("date", "number", "pk")
    )


def due_lessons_for(lesson: Lesson, *, after: dt.date | None = None) -> LessonQuerySet:
    """The lessons homework set at `lesson` may be due at (after its date, or `after`)."""
    return due_lessons(
        school_id=lesson.school_id,
        school_class_id=lesson.school_class_id,
        subject_id=lesson.subject_id,
        group_id=lesson.group_id,
        after=after or lesson.date,
    )


def default_due_lesson(*, lesson: Lesson) -> Lesson | None:
    """The next lesson the homework set at `lesson` is due at; None at the end of the year (or
    before later lessons are made). One query."""
    return due_lessons_for(lesson).first()


def due_lesson_on(*, lesson: Lesson, day: dt.date) -> Lesson | None:
    """The lesson on `day` that homework set at `lesson` may be due at (the first, for a double
    lesson); None when there is none that day. One query."""
    return due_lessons_for(lesson).filter(date=day).first()


def due_choices(*, lesson: Lesson) -> list[Lesson]:
    """The next lessons homework set at `lesson` may be due at, for the lesson page's choice
    (one per date): one query."""
    days: dict[dt.date, Lesson] = {}
    for later in due_lessons_for(lesson)[: DUE_CHOICES * 2]:
        days.setdefault(later.date, later)
    return list(days.values())[:DUE_CHOICES]


@dataclass(frozen=True)
class LessonHomework:
    """What the lesson page shows of the homework set at it (`homework` None: none yet)."""

    homework: Homework | None
    files: list[HomeworkFile]


def lesson_homework(*, lesson: Lesson) -> LessonHomework:
    """The homework set at the lesson, with its due lesson, and its files: two queries."""
    homework = (
        Homework.objects.filter(school_id=lesson.school_id, lesson=lesson)
        .select_related("due_lesson")
        .first()
    )
    files = HomeworkFile.objects.filter(school_id=lesson.school_id, homework__lesson=lesson)
    return LessonHomework(homework=homework, files=list(files.order_by("created_at", "pk")))
