"""Schools and their school years, and how a year is divided into periods."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from ..models import AcademicYear, Period, PeriodKind, School

# Russian school quarters, as (month, day) of start and end; the year starts on 1 September.
DEFAULT_QUARTERS = [
    ((9, 1), (10, 25)),
    ((11, 5), (12, 28)),
    ((1, 9), (3, 21)),
    ((4, 1), (5, 31)),
]

# Trimesters follow the Russian "modular" calendar (5–6 weeks of study, then a week off):
# the periods themselves are contiguous, 1 Sep–30 Nov, 1 Dec–28 (29) Feb and 1 Mar–31 May,
# and the breaks fall inside them — usually the first week of October, the middle of
# November, 31 Dec–8 Jan, the middle of February and the middle of April. Those breaks
# are the school's holidays (journal.Holiday), entered by the curator; they are not periods.
# The end of February is computed, so a leap year's trimester ends on the 29th.
DEFAULT_TRIMESTERS = [
    ((9, 1), (11, 30)),
    ((12, 1), (2, 28)),
    ((3, 1), (5, 31)),
]

# Halves: the autumn half ends with the quarters' second one (28 Dec), the spring half
# starts after the winter holidays (9 Jan), as the third quarter does.
DEFAULT_HALVES = [
    ((9, 1), (12, 28)),
    ((1, 9), (5, 31)),
]

PERIOD_CALENDARS: dict[str, list[tuple[tuple[int, int], tuple[int, int]]]] = {
    PeriodKind.QUARTER: DEFAULT_QUARTERS,
    PeriodKind.TRIMESTER: DEFAULT_TRIMESTERS,
    PeriodKind.HALF: DEFAULT_HALVES,
}


def school_year_start(today: dt.date) -> int:
    """The calendar year in which the school year containing `today` began."""
    return today.year if today.month >= 8 else today.year - 1


def period_dates(kind: str, start_year: int) -> list[tuple[dt.date, dt.date]]:
    """The (first day, last day) of each period of a `kind` year that starts in `start_year`."""
    if kind not in PERIOD_CALENDARS:
        raise ValueError(f"Unknown period kind: {kind!r}")
    dates = []
    for (m1, d1), (m2, d2) in PERIOD_CALENDARS[kind]:
        first = _date(start_year, m1, d1)
        last = _date(start_year, m2, d2)
        dates.append((first, last))
    return dates


def _date(start_year: int, month: int, day: int) -> dt.date:
    """A school year's date: September–December of `start_year`, January–August of the next;
    28 February stands for the end of February (the 29th in a leap year)."""
    year = start_year if month >= 8 else start_year + 1
    if (month, day) == (2, 28):
        return dt.date(year, 3, 1) - dt.timedelta(days=1)
    return dt.date(year, month, day)


def periods_create(*, year: AcademicYear, kind: str) -> list[Period]:
    """The year's periods of `kind`; the year must have none yet."""
    return [
        Period.objects.create(
            school_id=year.school_id,
            year=year,
            kind=kind,
            number=number,
            starts_on=first,
            ends_on=last,
        )
        for number, (first, last) in enumerate(period_dates(kind, year.starts_on.year), start=1)
    ]


def academic_year_create(
    *, school: School, start_year: int, kind: str | None = None
) -> AcademicYear:
    """A school year from 1 September to 31 May, divided into the school's periods
    (`school.period_kind`, or `kind` if given): quarters, trimesters or halves."""
    with transaction.atomic():
        year = AcademicYear(
            school=school,
            starts_on=dt.date(start_year, 9, 1),
            ends_on=dt.date(start_year + 1, 5, 31),
        )
        year.full_clean()
        year.save()
        periods_create(year=year, kind=kind or school.period_kind)
    return year


def school_create(
    *,
    number: str,
    name: str,
    domain: str | None = None,
    timezone_name: str = "Europe/Moscow",
    period_kind: str = PeriodKind.QUARTER,
    close_periods_after_days: int | None = None,
) -> School:
    """A school with its current academic year and its periods (quarters unless told), each
    closed `close_periods_after_days` after its end (None: only by the curator)."""
    with transaction.atomic():
        school = School(
            number=number.lower(),
            name=name,
            domain=domain or None,
            timezone=timezone_name,
            period_kind=period_kind,
            close_periods_after_days=close_periods_after_days,
        )
        school.full_clean()
        school.save()
        academic_year_create(school=school, start_year=school_year_start(school.today()))
    return school
