"""Reusable filters of lessons, marks and attendance: `Lesson.objects.for_student(s).in_week(d)`."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import OuterRef, Q, Subquery

if TYPE_CHECKING:
    from ejournal.schools.models import Period, Student

    from .models import Attendance, Lesson, Mark  # noqa: F401 -- named in the generics below


def week_bounds(week_start: dt.date) -> tuple[dt.date, dt.date]:
    """Monday to Saturday of the week that starts on `week_start`."""
    return week_start, week_start + dt.timedelta(days=5)


def student_groups(student: Student) -> models.QuerySet[Any]:
    """The ids of the student's groups, as a subquery (no query of its own)."""
    from .models import GroupMembership

    return GroupMembership.objects.filter(school_id=student.school_id, student=student).values(
        "group_id"
    )


class LessonQuerySet(models.QuerySet["Lesson"]):
    def between(self, start: dt.date, end: dt.date) -> LessonQuerySet:
        return self.filter(date__gte=start, date__lte=end)

    def for_period(self, period: Period) -> LessonQuerySet:
        return self.filter(school_id=period.school_id).between(period.starts_on, period.ends_on)

    def for_student(self, student: Student) -> LessonQuerySet:
        """The lessons of the student's class that the student attends: the whole class's and
        those of the student's own groups."""
        return self.filter(
            school_id=student.school_id, school_class_id=student.school_class_id
        ).filter(Q(group__isnull=True) | Q(group_id__in=student_groups(student)))

    def with_bell_times(self) -> LessonQuerySet:
        """`starts_at`/`ends_at` from the school's bell schedule (None without a bell), in the
        same query."""
        from .models import Bell

        bell = Bell.objects.filter(school_id=OuterRef("school_id"), number=OuterRef("number"))
        return self.annotate(
            starts_at=Subquery(bell.values("starts_at")[:1]),
            ends_at=Subquery(bell.values("ends_at")[:1]),
        )


class MarkQuerySet(models.QuerySet["Mark"]):
    def between(self, start: dt.date, end: dt.date) -> MarkQuerySet:
        return self.filter(lesson__date__gte=start, lesson__date__lte=end)

    def for_period(self, period: Period) -> MarkQuerySet:
        return self.filter(school_id=period.school_id).between(period.starts_on, period.ends_on)


class AttendanceQuerySet(models.QuerySet["Attendance"]):
    def between(self, start: dt.date, end: dt.date) -> AttendanceQuerySet:
        return self.filter(lesson__date__gte=start, lesson__date__lte=end)

    def for_period(self, period: Period) -> AttendanceQuerySet:
        return self.filter(school_id=period.school_id).between(period.starts_on, period.ends_on)
