"""The class teacher's summary for a period: averages per subject and absences per student."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Sum

from ejournal.schools.models import Period, SchoolClass, Student, Subject

from ..models import Attendance, AttendanceStatus, FinalMark, Lesson, Mark
from .averages import average_of_sums, mean


@dataclass(frozen=True)
class SummaryRow:
    student: Student
    averages: list[Decimal | None]  # aligned with Summary.subjects
    finals: list[int | None]  # aligned with Summary.subjects
    absences: int  # lessons missed, "н"
    lates: int  # lessons come late to, "оп"

    @property
    def average(self) -> Decimal | None:
        """The mean of the student's subject averages."""
        return mean(self.averages)


@dataclass(frozen=True)
class Summary:
    school_class: SchoolClass
    period: Period
    subjects: list[Subject]  # those with lessons or marks in the period, by name
    rows: list[SummaryRow]  # active students by name
    class_averages: list[Decimal | None]  # per subject: the mean of the students' averages

    @property
    def absences(self) -> int:
        return sum(row.absences for row in self.rows)

    @property
    def lates(self) -> int:
        return sum(row.lates for row in self.rows)


def class_summary(*, school_class: SchoolClass, period: Period) -> Summary:
    """Five queries whatever the size of the class: the database sums the marks."""
    school_id = school_class.school_id
    students = list(
        Student.objects.active()
        .filter(school_id=school_id, school_class=school_class)
        .order_by("last_name", "first_name", "middle_name", "pk")
    )
    period_lessons = Lesson.objects.for_period(period).filter(school_class=school_class)
    sums = (
        Mark.objects.for_period(period)
        .filter(lesson__school_class=school_class)
        .values("student_id", "lesson__subject_id")
        .annotate(total=Sum(F("value") * F("weight")), weights=Sum("weight"))
        .order_by()
    )
    averages: dict[tuple[int, int], Decimal | None] = {}
    for row in sums:
        key = (row["student_id"], row["lesson__subject_id"])
        averages[key] = average_of_sums(row["total"], row["weights"])
    # Every mark is at a lesson of the period, so these subjects include those of the marks.
    subjects = sorted(
        Subject.objects.filter(school_id=school_id, pk__in=period_lessons.values("subject_id")),
        key=lambda s: (s.name.lower(), s.pk),
    )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for counted in (
        Attendance.objects.for_period(period)
        .filter(lesson__school_class=school_class)
        .values("student_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[counted["student_id"]][counted["status"]] = counted["n"]
    finals = {
        (f.student_id, f.subject_id): f.value
        for f in FinalMark.objects.filter(
            school_id=school_id, period=period, student__school_class=school_class
        )
    }
    rows = [
        SummaryRow(
            student=student,
            averages=[averages.get((student.pk, s.pk)) for s in subjects],
            finals=[finals.get((student.pk, s.pk)) for s in subjects],
            absences=counts[student.pk].get(AttendanceStatus.ABSENT, 0),
            lates=counts[student.pk].get(AttendanceStatus.LATE, 0),
        )
        for student in students
    ]
    class_averages = [mean(row.averages[i] for row in rows) for i in range(len(subjects))]
    return Summary(
        school_class=school_class,
        period=period,
        subjects=subjects,
        rows=rows,
        class_averages=class_averages,
    )
