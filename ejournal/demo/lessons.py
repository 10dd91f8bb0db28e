"""The year's lessons as plain rows: those the timetable still lacks, made by COPY with their
topic already written when they lie before the demo's today, and the work left for the journal
(homework, marks, attendance) lesson by lesson.

Lessons are made by `lessons_generate`'s rule (the timetable's lessons on every school day of
the year outside the holidays, a slot that has a lesson left alone), here as tuples so that a
district's 600,000 lessons cost no model instances; a test holds the two to the same lessons.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection

from ejournal.journal.models import (
    Group,
    Holiday,
    Homework,
    Lesson,
    LessonStatus,
    TimetableEntry,
)
from ejournal.schools.models import AcademicYear, School, SchoolClass, Subject

from .bulk import bulk_load
from .curriculum import CONTROL, topic_for

CONTROL_EVERY = 8  # every eighth lesson of a subject with control works is one (weight 2)
# (class, date, number, group): a lesson's place in the journal; unique by the constraints.
Slot = tuple[int, dt.date, int, int | None]


@dataclass(slots=True)
class LessonRow:
    id: int | None
    school_class_id: int
    subject_id: int
    teacher_id: int
    group_id: int | None
    date: dt.date
    number: int
    room: str = ""
    status: str = LessonStatus.PLANNED.value  # a plain string, as COPY writes it
    topic: str = ""
    control_type: str = ""

    @property
    def slot(self) -> Slot:
        return (self.school_class_id, self.date, self.number, self.group_id)


@dataclass(slots=True)
class Work:
    """A lesson the journal still has to fill: homework (given on the day) and, once the lesson
    is over (`past`), marks and attendance. `index` counts the subject's lessons so far."""

    lesson: LessonRow
    index: int
    subject: str
    group: str
    past: bool
    has_homework: bool


_COLUMNS = ("id", "school_class_id", "subject_id", "teacher_id", "group_id", "date", "number")
_COLUMNS_MORE = ("room", "status", "topic", "control_type")


def year_lessons(school: School, year: AcademicYear) -> list[LessonRow]:
    """Every lesson of the year's classes, in the journal's order."""
    rows = (
        Lesson.objects.filter(school=school, school_class__year=year)
        .order_by("date", "number", "pk")
        .values_list(*_COLUMNS, *_COLUMNS_MORE)
    )
    return [LessonRow(*row) for row in rows]


def _days_off(school: School, year: AcademicYear) -> set[dt.date]:
    days: set[dt.date] = set()
    for first, last in Holiday.objects.filter(school=school, year=year).values_list(
        "starts_on", "ends_on"
    ):
        days.update(first + dt.timedelta(days=n) for n in range((last - first).days + 1))
    return days


def lessons_missing(
    school: School,
    year: AcademicYear,
    classes: list[SchoolClass],
    have: list[LessonRow],
    end: dt.date,
) -> list[LessonRow]:
    """The timetable's lessons from the year's start to `end` that are not there yet, by
    `lessons_generate`'s rule: a slot that has a lesson (of the group, or of the whole class)
    is left alone, and a whole-class entry takes only an empty slot."""
    weekly: dict[tuple[int, int], list[tuple[int, int, int, int | None, str]]] = defaultdict(list)
    entries = TimetableEntry.objects.filter(school=school, school_class__in=classes)
    for class_id, weekday, *entry in entries.values_list(
        "school_class_id", "weekday", "number", "subject_id", "teacher_id", "group_id", "room"
    ):
        weekly[(class_id, weekday)].append(tuple(entry))  # type: ignore[arg-type]
    exact = {row.slot for row in have}
    taken = {slot[:3] for slot in exact}
    whole_class = {slot[:3] for slot in exact if slot[3] is None}
    days_off = _days_off(school, year)
    new: list[LessonRow] = []
    day, last = year.starts_on, min(end, year.ends_on)
    while day <= last:
        if day not in days_off:
            for school_class in classes:
                for number, subject_id, teacher_id, group_id, room in weekly.get(
                    (school_class.pk, day.isoweekday()), ()
                ):
                    place = (school_class.pk, day, number)
                    if (
                        (*place, group_id) in exact
                        or place in whole_class
                        or (group_id is None and place in taken)
                    ):
                        continue
                    new.append(
                        LessonRow(
                            None,
                            school_class.pk,
                            subject_id,
                            teacher_id,
                            group_id,
                            day,
                            number,
                            room=room,
                        )
                    )
        day += dt.timedelta(days=1)
    return new


def plan_work(
    school: School, lessons: list[LessonRow], today: dt.date, *, with_homework: set[int]
) -> list[Work]:
    """What each lesson up to `today` still needs, and the topic (and control work) of those
    before it. A lesson is filled only while it has no topic, so a rerun adds only the days
    since; today's lessons get their homework only (set during the lesson)."""
    subjects = dict(Subject.objects.filter(school=school).values_list("pk", "name"))
    groups = dict(Group.objects.filter(school=school).values_list("pk", "name"))
    ordinal: dict[tuple[int, int, int | None], int] = defaultdict(int)
    work: list[Work] = []
    for lesson in sorted(lessons, key=lambda row: (row.date, row.number)):
        key = (lesson.school_class_id, lesson.subject_id, lesson.group_id)
        index = ordinal[key]
        ordinal[key] += 1
        if lesson.topic or lesson.date > today or lesson.status != LessonStatus.PLANNED:
            continue
        has_homework = lesson.id in with_homework
        if lesson.date == today and has_homework:
            continue
        subject = subjects[lesson.subject_id]
        past = lesson.date < today
        if past:
            lesson.topic = topic_for(subject, index)
            if subject in CONTROL and index % CONTROL_EVERY == CONTROL_EVERY - 1:
                lesson.control_type = CONTROL[subject]
        group = groups[lesson.group_id] if lesson.group_id else ""
        work.append(Work(lesson, index, subject, group, past, has_homework))
    return work


def lessons_write(school: School, new: list[LessonRow], filled: list[LessonRow]) -> None:
    """Make the `new` lessons (one COPY) and write the topics of the `filled` ones that
    existed already (one UPDATE each, through executemany); then give the new ones their ids."""
    columns = (*_COLUMNS[1:], *_COLUMNS_MORE)
    bulk_load(
        Lesson,
        ("school_id", *columns),
        ((school.pk, *(getattr(row, name) for name in columns)) for row in new),
    )
    table = connection.ops.quote_name(Lesson._meta.db_table)
    # The table name is the model's own, not input.
    sql = f"UPDATE {table} SET topic = %s, control_type = %s WHERE id = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(x.topic, x.control_type, x.id) for x in filled if x.id])
    if new:
        first = min(row.date for row in new)
        ids: dict[Slot, int] = {
            (class_id, date, number, group_id): pk
            for pk, class_id, date, number, group_id in Lesson.objects.filter(
                school=school, date__gte=first, school_class_id__in={r.school_class_id for r in new}
            ).values_list("pk", "school_class_id", "date", "number", "group_id")
        }
        for row in new:
            row.id = ids[row.slot]


def homework_lessons(school: School, year: AcademicYear) -> set[int]:
    """The year's unfilled lessons that have homework already (today's, from an earlier run)."""
    return set(
        Homework.objects.filter(
            school=school, lesson__school_class__year=year, lesson__topic=""
        ).values_list("lesson_id", flat=True)
    )
