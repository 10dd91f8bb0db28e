"""What happens at a lesson, as rows: each pupil's mark or absence, and the homework set.

Deterministic: a lesson's rows come from a random generator seeded by the lesson (school,
class, date, number, group), a pupil's level and illnesses from one seeded by the pupil. The
rows keep the journal's rules: a mark or attendance only for a pupil of the lesson's class
(and group), an absent or late pupil has no mark, and a cell the journal already holds is left
as it is. Homework is due at the next lesson of the subject, by `due_lessons`' rule.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from ejournal.journal.models import (
    AbsenceReason,
    Attendance,
    AttendanceStatus,
    GroupMembership,
    LessonStatus,
    Mark,
)
from ejournal.schools.models import AcademicYear, School, Student, Teacher

from .curriculum import COMMENTS, LOW_COMMENTS, homework_for
from .lessons import LessonRow, Work

MARK_CHANCE = 0.45  # a mark for nearly every other pupil at a lesson: ~400 a pupil a year
LATE_FIRST, LATE_OTHER = 0.03, 0.003  # late for the first lesson, and for another
# Plain strings: COPY writes a value as it is given, and an enum member is not its value there.
ABSENT, LATE = AttendanceStatus.ABSENT.value, AttendanceStatus.LATE.value
ILLNESS = AbsenceReason.ILLNESS.value
LATE_REASONS = (AbsenceReason.NONE.value, AbsenceReason.UNEXCUSED.value)

MARK_COLUMNS = ("school_id", "lesson_id", "student_id", "value", "weight", "comment", "author_id")
ATTENDANCE_COLUMNS = ("school_id", "lesson_id", "student_id", "status", "reason", "author_id")
HOMEWORK_COLUMNS = ("school_id", "lesson_id", "due_lesson_id", "text")


@dataclass(frozen=True, slots=True)
class Pupil:
    id: int
    level: float  # the mean of the pupil's marks
    sick: frozenset[dt.date]


def _pupil(pk: int, key: str, year: AcademicYear) -> Pupil:
    """Most do between 3.5 and 4.8, a few weaker; one to three illnesses of one to three
    days, the first within the first seven weeks."""
    level = min(4.9, max(2.7, random.Random(f"{key}-level").gauss(4.1, 0.55)))
    rng = random.Random(f"{key}-sick")
    days: set[dt.date] = set()
    for spell in range(rng.randrange(1, 4)):
        span = 42 if spell == 0 else (year.ends_on - year.starts_on).days
        start = year.starts_on + dt.timedelta(days=7 + rng.randrange(span))
        days.update(start + dt.timedelta(days=n) for n in range(rng.randrange(1, 4)))
    return Pupil(pk, level, frozenset(days))


class Classroom:
    """Who sits in each lesson: the class's active pupils, or the group's."""

    def __init__(self, school: School, year: AcademicYear) -> None:
        self.by_class: dict[int, list[Pupil]] = defaultdict(list)
        by_id: dict[int, Pupil] = {}
        students = Student.objects.active().filter(school=school, school_class__year=year)
        for pk, class_id, last, first, middle, birth in students.order_by("pk").values_list(
            "pk", "school_class_id", "last_name", "first_name", "middle_name", "birth_date"
        ):
            pupil = _pupil(pk, f"{last}|{first}|{middle}|{birth}", year)
            by_id[pk] = pupil
            self.by_class[class_id].append(pupil)
        self.by_group: dict[int, list[Pupil]] = defaultdict(list)
        for group_id, student_id in (
            GroupMembership.objects.filter(school=school)
            .order_by("pk")
            .values_list("group_id", "student_id")
        ):
            if student_id in by_id:
                self.by_group[group_id].append(by_id[student_id])

    def at(self, lesson: LessonRow) -> list[Pupil]:
        if lesson.group_id is None:
            return self.by_class[lesson.school_class_id]
        return self.by_group[lesson.group_id]


def held_cells(school: School, year: AcademicYear, today: dt.date) -> set[tuple[int, int]]:
    """(lesson, student) of the marks and attendance already at unfilled past lessons: a
    teacher's entries, which the generator leaves alone."""
    cells: set[tuple[int, int]] = set()
    for model in (Mark, Attendance):
        cells.update(
            model.objects.filter(
                school=school,
                lesson__school_class__year=year,
                lesson__topic="",
                lesson__date__lt=today,
            ).values_list("lesson_id", "student_id")
        )
    return cells


class DueLessons:
    """The lesson homework set at a lesson is due at: the next one of the subject after its
    date, not cancelled, of the whole class or (for a group's lesson) of the same group."""

    def __init__(self, lessons: list[LessonRow]) -> None:
        self.by_subject: dict[tuple[int, int], list[LessonRow]] = defaultdict(list)
        for row in sorted(lessons, key=lambda r: (r.date, r.number, r.id or 0)):
            if row.status != LessonStatus.CANCELLED:
                self.by_subject[(row.school_class_id, row.subject_id)].append(row)
        self.dates: dict[tuple[int, int, int | None], tuple[list[dt.date], list[int | None]]] = {}

    def after(self, lesson: LessonRow) -> int | None:
        key = (lesson.school_class_id, lesson.subject_id, lesson.group_id)
        if key not in self.dates:
            rows = [
                row
                for row in self.by_subject[key[:2]]
                if row.group_id is None or row.group_id == lesson.group_id
            ]
            self.dates[key] = ([r.date for r in rows], [r.id for r in rows])
        dates, ids = self.dates[key]
        at = bisect.bisect_right(dates, lesson.date)
        return ids[at] if at < len(ids) else None


def journal_rows(
    school: School,
    work: list[Work],
    classroom: Classroom,
    held: set[tuple[int, int]],
    due: DueLessons,
    *,
    absences: list[tuple[object, ...]],
    homework: list[tuple[object, ...]],
) -> Iterator[tuple[object, ...]]:
    """The marks of the lessons in `work`, one row at a time (for a streaming load); their
    attendance and homework go to `absences` and `homework` on the way. What it reads from the
    database it reads now: the rows are generated while a COPY holds the connection."""
    authors = dict(Teacher.objects.filter(school=school).values_list("pk", "user_id"))
    labels = {
        pk: f"{grade}{letter}"
        for pk, grade, letter in school.classes.values_list("pk", "grade", "letter")
    }
    return _rows(school, work, classroom, held, due, authors, labels, absences, homework)


def _rows(
    school: School,
    work: list[Work],
    classroom: Classroom,
    held: set[tuple[int, int]],
    due: DueLessons,
    authors: Mapping[int, int | None],
    labels: dict[int, str],
    absences: list[tuple[object, ...]],
    homework: list[tuple[object, ...]],
) -> Iterator[tuple[object, ...]]:
    school_id, number = school.pk, school.number
    for item in work:
        lesson = item.lesson
        rng = random.Random(
            f"{number}-{labels[lesson.school_class_id]}-{lesson.date}-{lesson.number}-{item.group}"
        )
        text = homework_for(item.subject, item.index, rng)
        if text and not item.has_homework:
            homework.append((school_id, lesson.id, due.after(lesson), text))
        if not item.past:
            continue
        lesson_id, day, author = lesson.id, lesson.date, authors[lesson.teacher_id]
        control = bool(lesson.control_type)
        weight = 2 if control else 1  # mark_default_weight
        late = LATE_FIRST if lesson.number == 1 else LATE_OTHER
        random_, gauss, choice = rng.random, rng.gauss, rng.choice
        for pupil in classroom.at(lesson):
            if held and (lesson_id, pupil.id) in held:
                continue
            if day in pupil.sick:
                absences.append((school_id, lesson_id, pupil.id, ABSENT, ILLNESS, author))
                continue
            if random_() < late:
                reason = choice(LATE_REASONS)
                absences.append((school_id, lesson_id, pupil.id, LATE, reason, author))
                continue
            if not control and random_() >= MARK_CHANCE:
                continue
            value = min(5, max(2, round(gauss(pupil.level, 0.75))))
            comment = ""
            if value == 2 and random_() < 0.5:
                comment = choice(LOW_COMMENTS)
            elif not control and random_() < 0.2:
                comment = choice(COMMENTS)
            yield (school_id, lesson_id, pupil.id, value, weight, comment, author)
