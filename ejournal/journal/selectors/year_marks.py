"""A student's school year on one page ("Итоговые"): every subject × every period of the class's
year, with the period's marks, weighted average and final mark, as the marks page shows each
period, and the year's average.

The year has no final mark of its own: `FinalMark` belongs to a period, and the year is not one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from ejournal.core.freshness import cached_read
from ejournal.schools.models import Period, Student, Subject
from ejournal.schools.selectors import period_is_closed, year_periods

from ..models import ControlType, FinalMark, Lesson, Mark
from .averages import mean, weighted_average

# A lesson's control type as the marks page names it ("Контрольная работа"); none is "".
CONTROL_NAMES = {str(value): str(label) for value, label in ControlType.choices if value}


@dataclass(frozen=True)
class YearPeriod:
    period: Period
    closed: bool  # its marks and final mark can no longer change (Period.is_closed, today)


@dataclass(frozen=True)
class YearMark:
    """A mark as the year's table shows it, read as plain values: building a whole year's (~400)
    as Mark and Lesson instances took the selector from 9 to 44 ms, more than the template."""

    value: int
    weight: int
    date: dt.date  # the lesson's
    control: str  # the lesson's control type, as named ("Контрольная работа"); "" for none
    comment: str


@dataclass(frozen=True)
class PeriodCell:
    """One subject in one period: what the marks page shows for it."""

    marks: list[YearMark]  # by date and lesson number
    average: Decimal | None
    final: FinalMark | None


@dataclass(frozen=True)
class SubjectYear:
    subject: Subject
    cells: list[PeriodCell]  # one per period, in the year's order
    average: Decimal | None  # the weighted average of all the marks in `cells`


@dataclass(frozen=True)
class YearMarks:
    periods: list[YearPeriod]  # the year's, in order; none if the school has not divided it
    subjects: list[SubjectYear]  # by name
    averages: list[Decimal | None]  # per period: the mean of the subjects' averages
    average: Decimal | None  # the mean of the subjects' year averages


def marks_for_year(*, student: Student) -> YearMarks:
    """The year of the student's class, subject by subject and period by period: four queries
    (periods, subjects with lessons, marks, finals), whatever the year holds.

    A subject is listed if the student has lessons, marks or a final mark in any period. A
    period's cell holds exactly what `marks_for_period` gives for that period (its marks, their
    weighted average, its final); marks outside every period (a vacation) are in none.
    `student` comes with `school` and `school_class__year` loaded (access_student_for_diary).
    No query while nothing it shows has changed (core.freshness).
    """
    return cached_read(
        "year-marks",
        school_id=student.school_id,
        student_id=student.pk,
        # today: which periods are closed
        parts=[student.school_class_id, student.school.today()],
        read=lambda: _marks_for_year(student),
    )


def _marks_for_year(student: Student) -> YearMarks:
    school = student.school
    periods = year_periods(year=student.school_class.year)
    if not periods:
        return YearMarks(periods=[], subjects=[], averages=[], average=None)
    columns = [
        YearPeriod(period=period, closed=period_is_closed(period=period, school=school))
        for period in periods
    ]

    marks = Mark.objects.filter(school_id=school.pk, student=student).filter(
        _within(periods, "lesson__date")
    )
    finals = FinalMark.objects.filter(
        school_id=school.pk, student=student, period__in=[p.pk for p in periods]
    )
    # Subjects with lessons, marks or finals: one query. (A mark's lesson may be of a group the
    # student has left, so the marks' subjects are asked for too.)
    subjects = Subject.objects.filter(
        Q(
            pk__in=Lesson.objects.for_student(student)
            .filter(_within(periods, "date"))
            .values("subject_id")
        )
        | Q(pk__in=marks.values("lesson__subject_id"))
        | Q(pk__in=finals.values("subject_id")),
        school_id=school.pk,
    ).order_by()  # sorted below; the model's ordering would join the school
    by_cell: dict[tuple[int, int], list[YearMark]] = {}
    for subject_id, day, control, value, weight, comment in marks.order_by(
        "lesson__date", "lesson__number"
    ).values_list(
        "lesson__subject_id", "lesson__date", "lesson__control_type", "value", "weight", "comment"
    ):
        by_cell.setdefault((subject_id, _period_of(periods, day)), []).append(
            YearMark(
                value=value,
                weight=weight,
                date=day,
                control=CONTROL_NAMES.get(control, ""),
                comment=comment,
            )
        )
    final_of = {(f.subject_id, f.period_id): f for f in finals}

    rows = []
    for subject in sorted(subjects, key=lambda s: (s.name.lower(), s.pk)):
        cells = []
        for period in periods:
            own = by_cell.get((subject.pk, period.pk), [])
            cells.append(
                PeriodCell(
                    marks=own,
                    average=weighted_average(own),
                    final=final_of.get((subject.pk, period.pk)),
                )
            )
        rows.append(
            SubjectYear(
                subject=subject,
                cells=cells,
                average=weighted_average(mark for cell in cells for mark in cell.marks),
            )
        )
    return YearMarks(
        periods=columns,
        subjects=rows,
        averages=[mean(row.cells[i].average for row in rows) for i in range(len(periods))],
        average=mean(row.average for row in rows),
    )


def _within(periods: list[Period], field: str) -> Q:
    """`field` (a date) in any of the periods, as one condition of one query."""
    condition = Q()
    for period in periods:
        condition |= Q(**{f"{field}__gte": period.starts_on, f"{field}__lte": period.ends_on})
    return condition


def _period_of(periods: list[Period], day: dt.date) -> int:
    """The id of the period holding `day` (the query asked only for such days)."""
    return next(p.pk for p in periods if p.holds(day))
