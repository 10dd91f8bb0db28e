"""Schools and their school years."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from ..models import AcademicYear, Period, PeriodKind, School

# Russian school quarters, as (month, day) of start and end; the year starts on 1 September.
DEFAULT_QUARTERS = [
    ((9, 1), (10, 25)),
    ((11, 5), (12, 28)),
    ((1, 9), (3, 21)),
    ((4, 1), (5, 31)),
]


def school_year_start(today: dt.date) -> int:
    """The calendar year in which the school year containing `today` began."""
    return today.year if today.month >= 8 else today.year - 1


def academic_year_create(*, school: School, start_year: int) -> AcademicYear:
    """A school year from 1 September to 31 May with the four default quarters."""
    with transaction.atomic():
        year = AcademicYear(
            school=school,
            starts_on=dt.date(start_year, 9, 1),
            ends_on=dt.date(start_year + 1, 5, 31),
        )
        year.full_clean()
        year.save()
        for number, ((m1, d1), (m2, d2)) in enumerate(DEFAULT_QUARTERS, start=1):
            y1 = start_year if m1 >= 8 else start_year + 1
            y2 = start_year if m2 >= 8 else start_year + 1
            Period.objects.create(
                school=school,
                year=year,
                kind=PeriodKind.QUARTER,
                number=number,
                starts_on=dt.date(y1, m1, d1),
                ends_on=dt.date(y2, m2, d2),
            )
    return year


def school_create(
    *, number: str, name: str, domain: str | None = None, timezone_name: str = "Europe/Moscow"
) -> School:
    """A school with its current academic year and quarters."""
    with transaction.atomic():
        school = School(
            number=number.lower(), name=name, domain=domain or None, timezone=timezone_name
        )
        school.full_clean()
        school.save()
        academic_year_create(school=school, start_year=school_year_start(timezone.localdate()))
    return school
