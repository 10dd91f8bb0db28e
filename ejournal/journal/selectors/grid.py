"""The teacher's journal: a class's students by the period's lessons of one subject."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, OuterRef, Q, Subquery, Sum

from ejournal.core.freshness import cached_school_read
from ejournal.schools.models import Period, SchoolClass, Student, Subject
from ejournal.schools.selectors import periods_holding

from ..models import Attendance, FinalMark, Group, GroupMembership, Homework, Lesson, Mark
from .averages import average_of_sums, weighted_average


@dataclass(frozen=True)
class GridCell:
    lesson: Lesson
    mark: Mark | None
    attendance: Attendance | None


@dataclass(frozen=True)
class GridRow:
    student: Student
    cells: list[GridCell]  # one per lesson, in the grid's column order
    average: Decimal | None
    final: FinalMark | None


@dataclass(frozen=True)
class Grid:
    school_class: SchoolClass
    subject: Subject
    period: Period
    group: Group | None
    # The columns: date, number, topic, control type, status; `teacher` loaded; the homework
    # set there as `homework_text` and `homework_due_on` (the date it is due at; None).
    lessons: list[Lesson]
    rows: list[GridRow]


def class_roster(*, school_id: int, school_class_id: int, group_id: int | None) -> list[Student]:
    """Who a grid or a lesson has rows for: the class's active students (a group's: its members
    among them), by name. One query; a whole class's is kept under the school's version (a
    pupil's record moves it), a group's is not (a membership moves only its pupil's)."""
    if group_id is None:
        return cached_school_read(
            "roster",
            school_id=school_id,
            parts=[school_class_id],
            read=lambda: _roster(school_id=school_id, school_class_id=school_class_id),
        )
    return _roster(school_id=school_id, school_class_id=school_class_id, group_id=group_id)


def _roster(*, school_id: int, school_class_id: int, group_id: int | None = None) -> list[Student]:
    students = Student.objects.active().filter(school_id=school_id, school_class_id=school_class_id)
    if group_id is not None:
        students = students.filter(
            pk__in=GroupMembership.objects.filter(school_id=school_id, group_id=group_id).values(
                "student_id"
            )
        )
    return list(students.order_by("last_name", "first_name", "middle_name", "pk"))


def grid_lessons(
    *, school_class: SchoolClass, subject: Subject, period: Period, group: Group | None
) -> list[Lesson]:
    """The columns: the period's lessons of the subject for the class (group=None: the whole
    class's lessons; a group: its lessons and the whole class's), with the homework set at
    each (in the same query)."""
    which = Q(group__isnull=True)
    if group is not None:
        which |= Q(group=group)
    homework = Homework.objects.filter(school_id=OuterRef("school_id"), lesson=OuterRef("pk"))
    return list(
        Lesson.objects.for_period(period)
        .filter(which, school_class=school_class, subject=subject)
        .annotate(
            homework_text=Subquery(homework.values("text")[:1]),
            homework_due_on=Subquery(homework.values("due_lesson__date")[:1]),
        )
        .select_related("teacher")
        .order_by("date", "number", "pk")
    )


def teacher_grid(
    *,
    school_class: SchoolClass,
    subject: Subject,
    period: Period,
    group: Group | None = None,
    roster: list[Student] | None = None,
) -> Grid:
    """Rows: the class's active students (the group's, for a group) by name; columns: the
    lessons; cells: mark and attendance; per row the weighted average and the final mark.
    Five queries, whatever the number of students and lessons (four when the caller has read
    the `roster` with class_roster already)."""
    school_id = school_class.school_id
    if roster is None:
        roster = class_roster(
            school_id=school_id,
            school_class_id=school_class.pk,
            group_id=group.pk if group is not None else None,
        )
    lessons = grid_lessons(school_class=school_class, subject=subject, period=period, group=group)
    in_grid = Q(
        school_id=school_id,
        lesson__school_class=school_class,
        lesson__subject=subject,
        lesson__date__gte=period.starts_on,
        lesson__date__lte=period.ends_on,
    )
    marks = {(m.lesson_id, m.student_id): m for m in Mark.objects.filter(in_grid)}
    attendance = {(a.lesson_id, a.student_id): a for a in Attendance.objects.filter(in_grid)}
    finals = {
        f.student_id: f
        for f in FinalMark.objects.filter(
            school_id=school_id,
            subject=subject,
            period=period,
            student__school_class=school_class,
        )
    }
    rows = []
    for student in roster:
        cells = [
            GridCell(
                lesson=lesson,
                mark=marks.get((lesson.pk, student.pk)),
                attendance=attendance.get((lesson.pk, student.pk)),
            )
            for lesson in lessons
        ]
        rows.append(
            GridRow(
                student=student,
                cells=cells,
                average=weighted_average(c.mark for c in cells if c.mark is not None),
                final=finals.get(student.pk),
            )
        )
    return Grid(
        school_class=school_class,
        subject=subject,
        period=period,
        group=group,
        lessons=lessons,
        rows=rows,
    )


def row_average(*, lesson: Lesson, student: Student, group_id: int | None) -> Decimal | None:
    """The student's weighted average in the grid the lesson is shown in: the lesson's period,
    its class and subject, and the grid's lessons (the whole class's, and a group's if the grid
    is a group's), as teacher_grid counts it. One query."""
    period = periods_holding(
        school=lesson.school, school_class_id=lesson.school_class_id, day=lesson.date
    )
    in_grid = Q(lesson__group__isnull=True)
    if group_id is not None:
        in_grid |= Q(lesson__group_id=group_id)
    sums = Mark.objects.filter(
        in_grid,
        school_id=lesson.school_id,
        student=student,
        lesson__school_class_id=lesson.school_class_id,
        lesson__subject_id=lesson.subject_id,
        lesson__date__gte=Subquery(period.values("starts_on")[:1]),
        lesson__date__lte=Subquery(period.values("ends_on")[:1]),
    ).aggregate(total=Sum(F("value") * F("weight")), weights=Sum("weight"))
    return average_of_sums(sums["total"] or 0, sums["weights"] or 0)
