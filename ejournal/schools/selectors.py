"""The schools' reads. "Today" is always the school's own (`School.today()`, in its time zone),
never the server's.

The current year and the current period are rules of this module, asked by every page and
API that opens "now": `current_year`, `period_current`; the period a day (a lesson) belongs
to is `periods_holding`; whether a period is closed is `period_is_closed`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count, Prefetch, Q, QuerySet

from ejournal.core.freshness import cached_school_read

from .models import AcademicYear, Period, School, SchoolClass, Student, Teacher


def years_begun(*, school: School) -> QuerySet[AcademicYear]:
    """The school's years that have begun by the school's today, the latest first: the first
    of them is the year in progress (or, in the summer, the one just ended)."""
    return AcademicYear.objects.filter(school=school, starts_on__lte=school.today()).order_by(
        "-starts_on"
    )


def current_year(*, school: School) -> AcademicYear:
    """The school year in progress or, between years, the latest begun; before the first has
    begun, the latest one."""
    return years_begun(school=school).first() or AcademicYear.objects.filter(school=school).latest(
        "starts_on"
    )


def classes_for_year(*, school: School, year: AcademicYear) -> QuerySet[SchoolClass]:
    """The year's classes with their active student counts and class teachers, in one query."""
    return (
        SchoolClass.objects.filter(school=school, year=year)
        .select_related("class_teacher")
        .annotate(student_count=Count("students", filter=Q(students__archived_at__isnull=True)))
        .order_by("grade", "letter")
    )


def class_roster(*, school: School, school_class: SchoolClass) -> QuerySet[Student]:
    """The class's active students with `parent_count` (linked parent accounts), in one query.

    Whether a student has an account of their own is `student.user_id is not None`.
    """
    return (
        Student.objects.active()
        .filter(school=school, school_class=school_class)
        .annotate(parent_count=Count("guardianships", filter=Q(guardianships__school=school)))
        .order_by("last_name", "first_name", "middle_name", "pk")
    )


def active_teachers(*, school: School) -> QuerySet[Teacher]:
    """The school's teachers who have not left, by name."""
    return Teacher.objects.filter(school=school, archived_at__isnull=True).order_by(
        "last_name", "first_name", "middle_name", "pk"
    )


def teachers_with_homerooms(*, school: School, year: AcademicYear) -> QuerySet[Teacher]:
    """Active teachers with the classes they lead in `year` (`year_homerooms`), in two queries."""
    homerooms = SchoolClass.objects.filter(school=school, year=year).order_by("grade", "letter")
    return active_teachers(school=school).prefetch_related(
        Prefetch("homerooms", queryset=homerooms, to_attr="year_homerooms")
    )


def year_classes(*, school: School, year: AcademicYear) -> QuerySet[SchoolClass]:
    """The year's classes in label order, for a choice of class."""
    return SchoolClass.objects.filter(school=school, year=year).order_by("grade", "letter")


def classes_to_move_to(*, student: Student) -> QuerySet[SchoolClass]:
    """The classes of the student's school and year other than the student's own."""
    current = student.school_class
    return (
        SchoolClass.objects.filter(school_id=student.school_id, year_id=current.year_id)
        .exclude(pk=current.pk)
        .order_by("grade", "letter")
    )


# Periods: which one is current, which one a day belongs to, and which are closed.


def year_periods(*, year: AcademicYear) -> list[Period]:
    """The year's quarters (trimesters, halves) in order: one query, kept under the school's
    version (core.freshness: a period or a year changed moves it)."""
    return cached_school_read(
        "periods",
        school_id=year.school_id,
        parts=[year.pk],
        read=lambda: list(
            Period.objects.filter(school_id=year.school_id, year=year).order_by("number")
        ),
    )


def period_current(*, periods: Sequence[Period], day: dt.date) -> Period | None:
    """The period a page opens at on `day`, among one year's periods in order (year_periods):
    the one under way; in a vacation, the one before it; before the year, its first; after
    it, its last. None for a year without periods. No query."""
    begun = [period for period in periods if period.starts_on <= day]
    if begun:
        return begun[-1]
    return periods[0] if periods else None


def periods_holding(*, school: School, school_class_id: int, day: dt.date) -> QuerySet[Period]:
    """The period of the class's year that holds the day, as a query of at most one row (none
    for a day of a vacation), to fetch or to use as a subquery: the period of a lesson."""
    return Period.objects.filter(
        school=school, year__classes=school_class_id, starts_on__lte=day, ends_on__gte=day
    ).order_by("starts_on")


def period_is_closed(*, period: Period, school: School) -> bool:
    """Whether the period's marks, attendance and final marks are locked today (the curator's
    decision, else the school's "close N days after the end"). No query."""
    return period.is_closed(today=school.today(), close_after_days=school.close_periods_after_days)


def closed_period_on(*, school: School, school_class_id: int, day: dt.date) -> Period | None:
    """The closed period of the class's year that contains the day; None when the day's
    period is open or the day falls in none (a vacation). One query."""
    period = periods_holding(school=school, school_class_id=school_class_id, day=day).first()
    if period is not None and period_is_closed(period=period, school=school):
        return period
    return None


def period_closed_reason(period: Period) -> str:
    """What a refused write and the grid say about a closed period."""
    return (
        f"Период «{period}» закрыт: изменить оценки, посещаемость и итоговые оценки нельзя. "
        "Открыть период может куратор."
    )
