"""A student's marks page: per subject, the period's (or a range's) marks, weighted average and
final mark."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from ejournal.core.freshness import cached_read
from ejournal.schools.models import Period, Student, Subject

from ..models import Attendance, AttendanceStatus, FinalMark, Lesson, Mark
from .averages import average_of_sums, weighted_average


@dataclass(frozen=True)
class ChartPoint:
    """One mark on the chart, with the weighted average of the marks up to it."""

    date: dt.date
    value: int
    weight: int
    average: Decimal


@dataclass(frozen=True)
class SubjectMarks:
    subject: Subject
    marks: list[Mark]  # by date; each with `lesson` loaded (date, topic, control type)
    average: Decimal | None
    final: FinalMark | None
    points: list[ChartPoint]

    @property
    def final_value(self) -> int | None:
        return self.final.value if self.final is not None else None


def chart_points(marks: list[Mark]) -> list[ChartPoint]:
    points = []
    total = weights = 0
    for mark in marks:
        total += mark.value * mark.weight
        weights += mark.weight
        average = average_of_sums(total, weights)
        assert average is not None  # noqa: S101 -- the weight is at least 1
        points.append(
            ChartPoint(date=mark.lesson.date, value=mark.value, weight=mark.weight, average=average)
        )
    return points


def marks_for_period(*, student: Student, period: Period) -> list[SubjectMarks]:
    """Every subject the student has in the period (lessons, marks or a final), by name:
    three queries, whatever the number of subjects and marks, or none while nothing they show
    has changed (core.freshness)."""
    return cached_read(
        "period-marks",
        school_id=student.school_id,
        student_id=student.pk,
        parts=[student.school_class_id, period.pk, period.starts_on, period.ends_on],
        read=lambda: _marks_for_period(student, period),
    )


def _marks_for_period(student: Student, period: Period) -> list[SubjectMarks]:
    finals = FinalMark.objects.filter(
        school_id=student.school_id, student=student, period=period
    ).select_related("subject")
    return _subject_marks(student, first=period.starts_on, last=period.ends_on, finals=finals)


def marks_between(*, student: Student, first: dt.date, last: dt.date) -> list[SubjectMarks]:
    """Every subject the student has lessons or marks of from `first` to `last` (inclusive),
    by name, with the range's marks and their weighted average; no final marks (they are a
    period's): two queries."""
    return _subject_marks(student, first=first, last=last, finals=None)


def absences_between(*, student: Student, first: dt.date, last: dt.date) -> list[Attendance]:
    """The student's absences (not lates) from `first` to `last`, by date and lesson number,
    each with `lesson` loaded: one query."""
    return list(
        Attendance.objects.filter(
            school_id=student.school_id, student=student, status=AttendanceStatus.ABSENT
        )
        .between(first, last)
        .select_related("lesson")
        .order_by("lesson__date", "lesson__number", "pk")
    )


def _subject_marks(
    student: Student,
    *,
    first: dt.date,
    last: dt.date,
    finals: QuerySet[FinalMark] | None,
) -> list[SubjectMarks]:
    school_id = student.school_id
    subjects = {
        s.pk: s
        for s in Subject.objects.filter(
            school_id=school_id,
            pk__in=Lesson.objects.for_student(student)
            .filter(school_id=school_id)
            .between(first, last)
            .values("subject_id"),
        )
    }
    marks: dict[int, list[Mark]] = {}
    for mark in (
        Mark.objects.filter(school_id=school_id, student=student)
        .between(first, last)
        .select_related("lesson__subject")
        .order_by("lesson__date", "lesson__number")
    ):
        subjects.setdefault(mark.lesson.subject_id, mark.lesson.subject)
        marks.setdefault(mark.lesson.subject_id, []).append(mark)
    by_subject: dict[int, FinalMark] = {}
    for final in finals if finals is not None else []:
        subjects.setdefault(final.subject_id, final.subject)
        by_subject[final.subject_id] = final
    result = []
    for subject in sorted(subjects.values(), key=lambda s: (s.name.lower(), s.pk)):
        own = marks.get(subject.pk, [])
        result.append(
            SubjectMarks(
                subject=subject,
                marks=own,
                average=weighted_average(own),
                final=by_subject.get(subject.pk),
                points=chart_points(own),
            )
        )
    return result


@dataclass(frozen=True)
class SubjectFinals:
    subject: Subject
    finals: list[FinalMark]  # by period; each with `period` loaded


def finals_for_year(*, student: Student) -> list[SubjectFinals]:
    """The student's final marks in the year of their class, per subject by name, each
    subject's by period: one query."""
    by_subject: dict[int, SubjectFinals] = {}
    for final in (
        FinalMark.objects.filter(
            school_id=student.school_id,
            student=student,
            period__year_id=student.school_class.year_id,
        )
        .select_related("subject", "period")
        .order_by("period__number")
    ):
        by_subject.setdefault(
            final.subject_id, SubjectFinals(subject=final.subject, finals=[])
        ).finals.append(final)
    return sorted(by_subject.values(), key=lambda s: (s.subject.name.lower(), s.subject.pk))
