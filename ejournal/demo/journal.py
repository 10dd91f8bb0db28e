"""A lived-in journal for a demo school: bells, vacations, the timetable, lessons since
1 September with topics and homework, marks, absences, final marks of past quarters.

Idempotent and deterministic: the frame is made once; the lessons the timetable lacks are made
up to the end of the week after the demo's today, and a lesson is filled (topic, homework,
marks, attendance) only while it has no topic, so a rerun adds only the days since. Today's
lessons already have their homework (set during the lesson), so that the diary shows this
evening what is due tomorrow. The big tables are written by `bulk.bulk_load` (COPY on
PostgreSQL) from rows generated as tuples (`lessons`, `marks`).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import F, Sum

from ejournal.journal.dates import week_start_of
from ejournal.journal.models import (
    Attendance,
    Bell,
    FinalMark,
    Holiday,
    HolidayKind,
    Homework,
    Lesson,
    Mark,
    Remark,
    TimetableEntry,
)
from ejournal.journal.selectors import average_of_sums
from ejournal.journal.services import bells_set_default, holiday_create
from ejournal.journal.services.homework import homework_schedule_waiting
from ejournal.schools.models import AcademicYear, Period, School, SchoolClass, Student, Teacher
from ejournal.schools.selectors import current_year

from .bulk import analyze, bulk_load
from .lessons import homework_lessons, lessons_missing, lessons_write, plan_work, year_lessons
from .marks import (
    ATTENDANCE_COLUMNS,
    HOMEWORK_COLUMNS,
    MARK_COLUMNS,
    Classroom,
    DueLessons,
    held_cells,
    journal_rows,
)
from .progress import Clock, Progress, figure
from .timetable import build_timetable


def seed_journal(
    school: School,
    *,
    today: dt.date,
    progress: Progress,
    fixed: dict[tuple[str, str], Teacher] | None = None,
) -> Counter[str]:
    """The school's journal as it stands on `today`; returns the rows added, by table."""
    clock = Clock()
    year = current_year(school=school)
    with transaction.atomic():
        if not Bell.objects.filter(school=school).exists():
            bells_set_default(school=school)
        if not Holiday.objects.filter(school=school, year=year).exists():
            _seed_holidays(school, year)
        classes = list(
            SchoolClass.objects.filter(school=school, year=year).order_by("grade", "letter")
        )
        if not TimetableEntry.objects.filter(school=school, school_class__year=year).exists():
            teachers = list(
                Teacher.objects.filter(school=school, archived_at__isnull=True).order_by("pk")
            )
            made = build_timetable(school, classes, teachers, fixed or {})
            progress(f"  Расписание: {made} уроков в неделю ({clock.lap()})")
    # Lessons up to the end of next week, so that the diary's next week has its timetable.
    end = min(year.ends_on, week_start_of(today) + dt.timedelta(days=13))
    added: Counter[str] = Counter()
    with transaction.atomic():
        have = year_lessons(school, year)
        new = lessons_missing(school, year, classes, have, end)
        lessons = have + new
        work = plan_work(school, lessons, today, with_homework=homework_lessons(school, year))
        refilled = [w.lesson for w in work if w.past and w.lesson.id is not None]
        lessons_write(school, new, refilled)
        added["lessons"] = len(new)
        progress(
            f"  Уроки: +{figure(len(new))}, заполнено {figure(sum(w.past for w in work))}"
            f" ({clock.lap()})"
        )
        absences: list[tuple[object, ...]] = []
        homework: list[tuple[object, ...]] = []
        rows = journal_rows(
            school,
            work,
            Classroom(school, year),
            held_cells(school, year, today),
            DueLessons(lessons),
            absences=absences,
            homework=homework,
        )
        added["marks"] = bulk_load(Mark, MARK_COLUMNS, rows)
        added["attendance"] = bulk_load(Attendance, ATTENDANCE_COLUMNS, absences)
        added["homework"] = bulk_load(Homework, HOMEWORK_COLUMNS, homework)
        analyze(Lesson, Mark, Attendance, Homework, Student)
        # Homework of earlier runs that had no later lesson gets one of the new ones.
        homework_schedule_waiting(school=school, classes=classes)
        progress(
            f"  Оценки: +{figure(added['marks'])}, посещаемость +{figure(added['attendance'])},"
            f" домашние задания +{figure(added['homework'])} ({clock.lap()})"
        )
        added["finals"] = _seed_finals(school, year, today)
        progress(f"  Итоговые оценки: +{figure(added['finals'])} ({clock.lap()})")
    # On PostgreSQL the foreign keys of every loaded row are checked now, at commit.
    progress(f"  Фиксация: {clock.lap()}")
    return added


def _seed_holidays(school: School, year: AcademicYear) -> None:
    """Vacations fill the gaps between the quarters; public holidays on school days."""
    periods = list(Period.objects.filter(school=school, year=year).order_by("number"))
    names = ["Осенние каникулы", "Зимние каникулы", "Весенние каникулы"]
    for name, (before, after) in zip(names, itertools.pairwise(periods), strict=False):
        first, last = before.ends_on + dt.timedelta(days=1), after.starts_on - dt.timedelta(days=1)
        if first <= last:
            holiday_create(
                school=school, year=year, name=name, starts_on=first, ends_on=last, actor=None
            )
    spring = year.ends_on.year
    for day, name in (
        (dt.date(spring, 2, 23), "День защитника Отечества"),
        (dt.date(spring, 3, 8), "Международный женский день"),
        (dt.date(spring, 5, 1), "Праздник Весны и Труда"),
        (dt.date(spring, 5, 9), "День Победы"),
    ):
        in_vacation = Holiday.objects.filter(
            school=school, year=year, starts_on__lte=day, ends_on__gte=day
        ).exists()
        if day.isoweekday() <= 5 and not in_vacation:
            holiday_create(
                school=school,
                year=year,
                name=name,
                starts_on=day,
                ends_on=day,
                kind=HolidayKind.HOLIDAY,
                actor=None,
            )


def _seed_finals(school: School, year: AcademicYear, today: dt.date) -> int:
    """Each ended quarter's final marks: the weighted average, rounded half up."""
    made = 0
    for period in Period.objects.filter(school=school, year=year, ends_on__lt=today):
        have = set(
            FinalMark.objects.filter(school=school, period=period).values_list(
                "student_id", "subject_id"
            )
        )
        sums = (
            Mark.objects.for_period(period)
            .filter(student__archived_at__isnull=True)
            .values("student_id", "lesson__subject_id")
            .annotate(total=Sum(F("value") * F("weight")), weights=Sum("weight"))
            .order_by()
        )
        finals = []
        for row in sums:
            key = (row["student_id"], row["lesson__subject_id"])
            average = average_of_sums(row["total"], row["weights"])
            if average is None or key in have:
                continue
            value = int(average.quantize(Decimal(1), rounding=ROUND_HALF_UP))
            finals.append((school.pk, *key, period.pk, min(5, max(2, value))))
        made += bulk_load(
            FinalMark, ("school_id", "student_id", "subject_id", "period_id", "value"), finals
        )
    return made


REMARKS = {
    "petrov": "Разговаривал на уроке, отвлекал соседа по парте.",
    "ivanova": "Не принёс тетрадь для контрольных работ.",
}


def seed_remarks(school: School, student: Student, *, today: dt.date) -> None:
    """A remark or two for the demo student, at recent lessons of the named teachers."""
    if Remark.objects.filter(school=school, student=student).exists():
        return
    for login, text in REMARKS.items():
        lesson = (
            Lesson.objects.filter(
                school=school,
                school_class_id=student.school_class_id,
                teacher__user__login=login,
                date__lt=today,
            )
            .order_by("-date", "-number")
            .first()
        )
        if lesson is not None:
            Remark.objects.create(
                school=school,
                student=student,
                lesson=lesson,
                author_id=lesson.teacher.user_id,
                text=text,
            )
