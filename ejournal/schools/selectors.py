from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from ejournal.core.tenancy import base_hostname, split_host

from .models import AcademicYear, Period, School, SchoolClass, Student, Teacher


def school_for_host(host: str) -> School | None:
    """The school served at this host, or None for the platform's own domain or an unknown host."""
    hostname = split_host(host)
    suffix = "." + base_hostname()
    if hostname.endswith(suffix):
        number = hostname[: -len(suffix)]
        if number and "." not in number:
            return School.objects.filter(number__iexact=number).first()
        return None
    return School.objects.filter(domain__iexact=hostname).first()


def current_year(*, school: School) -> AcademicYear:
    """The school year in progress or, between years, the latest one."""
    today = timezone.localdate()
    years = AcademicYear.objects.filter(school=school)
    return years.filter(starts_on__lte=today).order_by("-starts_on").first() or years.latest(
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


# Closed periods: the one rule that every write of marks, attendance and finals asks.


def period_is_closed(*, period: Period, school: School) -> bool:
    """Whether the period's marks, attendance and final marks are locked today (the curator's
    decision, else the school's "close N days after the end"). No query."""
    return period.is_closed(today=school.today(), close_after_days=school.close_periods_after_days)


def closed_period_on(*, school: School, school_class_id: int, day: dt.date) -> Period | None:
    """The closed period of the class's year that contains the day; None when the day's
    period is open or the day falls in none (a vacation). One query."""
    period = (
        Period.objects.filter(
            school=school, year__classes=school_class_id, starts_on__lte=day, ends_on__gte=day
        )
        .order_by("starts_on")
        .first()
    )
    if period is not None and period_is_closed(period=period, school=school):
        return period
    return None


def period_closed_reason(period: Period) -> str:
    """What a refused write and the grid say about a closed period."""
    return (
        f"Период «{period}» закрыт: изменить оценки, посещаемость и итоговые оценки нельзя. "
        "Открыть период может куратор."
    )
