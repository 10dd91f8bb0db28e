"""A lived-in journal for a demo school: bells, vacations, the timetable, lessons since
1 September with topics and homework, marks, absences, final marks of past quarters.

Idempotent and deterministic: the frame is made once; lessons come from `lessons_generate`;
a past lesson is filled (topic, homework, marks, attendance) only while it has no topic, from
a random generator seeded by the lesson itself, so a rerun adds only the days since. Today's
lessons already have their homework (set during the lesson), so that the diary shows this
evening what is due tomorrow. Homework is due at the next lesson, by the journal's own rule
(services.homework).
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import defaultdict
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.db.models import F, Sum

from ejournal.journal.dates import week_start_of
from ejournal.journal.models import (
    AbsenceReason,
    Attendance,
    AttendanceStatus,
    Bell,
    FinalMark,
    GroupMembership,
    Holiday,
    HolidayKind,
    Homework,
    Lesson,
    LessonStatus,
    Mark,
    Remark,
    TimetableEntry,
)
from ejournal.journal.selectors import average_of_sums
from ejournal.journal.services import (
    bells_set_default,
    holiday_create,
    lessons_generate,
    mark_default_weight,
)
from ejournal.journal.services.homework import homework_schedule_waiting
from ejournal.schools.models import AcademicYear, Period, School, SchoolClass, Student, Teacher
from ejournal.schools.selectors import current_year

from .curriculum import COMMENTS, CONTROL, LOW_COMMENTS, homework_for, topic_for
from .timetable import build_timetable

Progress = Callable[[str], None]
MARK_CHANCE = 0.33  # about one mark per student every three lessons
CONTROL_EVERY = 8  # every eighth lesson of a subject with control works is one (weight 2)


def seed_journal(
    school: School, *, progress: Progress, fixed: dict[tuple[str, str], Teacher] | None = None
) -> None:
    year = current_year(school=school)
    today = school.today()
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
            progress(f"  Расписание: {made} уроков в неделю")
    # Lessons up to the end of next week, so that the diary's next week has its timetable.
    end = min(year.ends_on, week_start_of(today) + dt.timedelta(days=13))
    with transaction.atomic():
        made = lessons_generate(school=school, start=year.starts_on, end=end)
    with transaction.atomic():
        filled = _fill_lessons(school, year, today)
        homework_schedule_waiting(school=school, classes=classes)
        finals = _seed_finals(school, year, today)
    progress(f"  Журнал: +{made} уроков, заполнено {filled}, итоговых оценок +{finals}")


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


def _student_key(student: Student) -> str:
    return f"{student.last_name}|{student.first_name}|{student.middle_name}|{student.birth_date}"


def _sick_days(student: Student, year: AcademicYear) -> set[dt.date]:
    """One to three illnesses of one to three days; the first within the first seven weeks."""
    rng = random.Random(f"{_student_key(student)}-sick")
    days: set[dt.date] = set()
    for spell in range(rng.randrange(1, 4)):
        span = 42 if spell == 0 else (year.ends_on - year.starts_on).days
        start = year.starts_on + dt.timedelta(days=7 + rng.randrange(span))
        days.update(start + dt.timedelta(days=n) for n in range(rng.randrange(1, 4)))
    return days


def _level(student: Student) -> float:
    """How well the student does: most between 3.5 and 4.8, a few weaker."""
    rng = random.Random(f"{_student_key(student)}-level")
    return min(4.9, max(2.7, rng.gauss(4.1, 0.55)))


def _fill_lessons(school: School, year: AcademicYear, today: dt.date) -> int:
    lessons = list(
        Lesson.objects.filter(school=school, school_class__year=year)
        .select_related("subject", "group", "teacher", "school_class")
        .order_by("date", "number", "pk")
    )
    students: dict[int, list[Student]] = defaultdict(list)
    for student in Student.objects.active().filter(school=school, school_class__year=year):
        students[student.school_class_id].append(student)
    members: dict[int, set[int]] = defaultdict(set)
    for group_id, student_id in GroupMembership.objects.filter(school=school).values_list(
        "group_id", "student_id"
    ):
        members[group_id].add(student_id)
    levels = {s.pk: _level(s) for group in students.values() for s in group}
    sick = {s.pk: _sick_days(s, year) for group in students.values() for s in group}
    ordinal: dict[tuple[int, int, int | None], int] = defaultdict(int)
    filled: list[Lesson] = []
    homework: list[Homework] = []
    marks: list[Mark] = []
    absences: list[Attendance] = []
    for lesson in lessons:
        key = (lesson.school_class_id, lesson.subject_id, lesson.group_id)
        index = ordinal[key]
        ordinal[key] += 1
        if lesson.topic or lesson.date > today or lesson.status != LessonStatus.PLANNED:
            continue
        rng = random.Random(
            f"{school.number}-{lesson.school_class.label}-{lesson.date}-{lesson.number}-"
            f"{lesson.group.name if lesson.group else ''}"
        )
        subject = lesson.subject.name
        text = homework_for(subject, index, rng)
        if text:
            # Due at the next lesson: homework_schedule_waiting finds it, for all at once.
            homework.append(Homework(school_id=lesson.school_id, lesson=lesson, text=text))
        if lesson.date == today:
            continue  # given today: topic and marks come with tomorrow's run
        lesson.topic = topic_for(subject, index)
        if subject in CONTROL and index % CONTROL_EVERY == CONTROL_EVERY - 1:
            lesson.control_type = CONTROL[subject]
        filled.append(lesson)
        for student in students[lesson.school_class_id]:
            if lesson.group_id is not None and student.pk not in members[lesson.group_id]:
                continue
            row = _student_at_lesson(lesson, student, rng, levels[student.pk], sick[student.pk])
            if isinstance(row, Attendance):
                absences.append(row)
            elif isinstance(row, Mark):
                marks.append(row)
    _save_content(filled)
    Homework.objects.bulk_create(homework, batch_size=1000, ignore_conflicts=True)
    Mark.objects.bulk_create(marks, batch_size=1000, ignore_conflicts=True)
    Attendance.objects.bulk_create(absences, batch_size=1000, ignore_conflicts=True)
    return len(filled)


def _save_content(lessons: list[Lesson]) -> None:
    """Topic and control type of the filled lessons. One UPDATE per lesson through
    executemany: several times quicker here than bulk_update's CASE over every row."""
    table = connection.ops.quote_name(Lesson._meta.db_table)
    # The table name is the model's own, not input.
    sql = f"UPDATE {table} SET topic = %s, control_type = %s WHERE id = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(x.topic, x.control_type, x.pk) for x in lessons])


def _student_at_lesson(
    lesson: Lesson, student: Student, rng: random.Random, level: float, sick: set[dt.date]
) -> Mark | Attendance | None:
    """Absent when ill; now and then late for the first lesson; else maybe a mark."""
    cell = {"school_id": lesson.school_id, "lesson": lesson, "student": student}
    author = {"author_id": lesson.teacher.user_id}
    if lesson.date in sick:
        return Attendance(**cell, **author, status=AttendanceStatus.ABSENT, reason="illness")
    late_chance = 0.03 if lesson.number == 1 else 0.003
    if rng.random() < late_chance:
        reason = rng.choice([AbsenceReason.NONE, AbsenceReason.UNEXCUSED])
        return Attendance(**cell, **author, status=AttendanceStatus.LATE, reason=reason)
    control = bool(lesson.control_type)
    if not control and rng.random() >= MARK_CHANCE:
        return None
    value = min(5, max(2, round(rng.gauss(level, 0.75))))
    comment = ""
    if value == 2 and rng.random() < 0.5:
        comment = rng.choice(LOW_COMMENTS)
    elif not control and rng.random() < 0.2:
        comment = rng.choice(COMMENTS)
    return Mark(**cell, **author, value=value, weight=mark_default_weight(lesson), comment=comment)


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
            finals.append(
                FinalMark(
                    school=school,
                    student_id=key[0],
                    subject_id=key[1],
                    period=period,
                    value=min(5, max(2, value)),
                )
            )
        FinalMark.objects.bulk_create(finals, batch_size=1000)
        made += len(finals)
    return made


REMARKS = {
    "petrov": "Разговаривал на уроке, отвлекал соседа по парте.",
    "ivanova": "Не принёс тетрадь для контрольных работ.",
}


def seed_remarks(school: School, student: Student) -> None:
    """A remark or two for the demo student, at recent lessons of the named teachers."""
    if Remark.objects.filter(school=school, student=student).exists():
        return
    today = school.today()
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
