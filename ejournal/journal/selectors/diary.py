"""The diary: a student's week, day by day, with lessons, marks, homework and holidays.

Homework is shown under the lesson it is due at (selectors.homework's rule); homework with no
later lesson to be due at, under the lesson it was set at.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from django.db.models import Q

from ejournal.accounts.models import User
from ejournal.core.freshness import cached_read
from ejournal.schools.models import Student

from ..dates import week_start_of
from ..models import (
    Attendance,
    Holiday,
    Homework,
    HomeworkFile,
    Lesson,
    LessonStatus,
    Mark,
    Remark,
    Weekday,
    WeekSignature,
)
from ..querysets import student_groups, week_bounds

SUNDAY = 7  # no lessons: the school week is Monday to Saturday


@dataclass(frozen=True)
class DiaryHomework:
    """Homework to be done for a lesson; `homework.lesson` (where it was set) is loaded."""

    homework: Homework
    files: list[HomeworkFile]

    @property
    def set_on(self) -> dt.date:
        return self.homework.lesson.date

    @property
    def undated(self) -> bool:
        """No later lesson to be due at: shown under the lesson it was set at."""
        return self.homework.due_lesson_id is None


@dataclass(frozen=True)
class DiaryLesson:
    """A lesson as the student's diary shows it.

    `lesson` has its subject, teacher and group loaded, and `starts_at`/`ends_at` from the bell
    schedule (also here as properties; None when the school has no bell for that number).
    `homework`: what is to be done for this lesson, in the order it was set.
    """

    lesson: Lesson
    mark: Mark | None
    attendance: Attendance | None
    homework: list[DiaryHomework]

    @property
    def starts_at(self) -> dt.time | None:
        return getattr(self.lesson, "starts_at", None)

    @property
    def ends_at(self) -> dt.time | None:
        return getattr(self.lesson, "ends_at", None)

    @property
    def cancelled(self) -> bool:
        return self.lesson.status == LessonStatus.CANCELLED


@dataclass(frozen=True)
class DiaryDay:
    date: dt.date
    holiday: Holiday | None  # a vacation or a public holiday: the day's name for it
    lessons: list[DiaryLesson]

    @property
    def weekday_name(self) -> str:
        return str(Weekday(self.date.isoweekday()).label)


@dataclass(frozen=True)
class DiaryWeek:
    student: Student
    week_start: dt.date
    days: list[DiaryDay]
    # Remarks of the week, newest first: the diary page shows them to parents only.
    remarks: list[Remark]
    # Parents' "read" on this week (with `parent` loaded).
    signatures: list[WeekSignature] = field(default_factory=list)

    @property
    def previous_week(self) -> dt.date:
        return self.week_start - dt.timedelta(days=7)

    @property
    def next_week(self) -> dt.date:
        return self.week_start + dt.timedelta(days=7)

    def signed_by(self, user: User) -> bool:
        return any(s.parent_id == user.pk for s in self.signatures)


@dataclass(frozen=True)
class Diary:
    """The student's diary from `first` to `last`: what the week page and the APIs show."""

    student: Student
    first: dt.date
    last: dt.date
    days: list[DiaryDay]  # each day of the range but Sundays (the school week has none)
    remarks: list[Remark]  # of the range, newest first (for parents: can_read_remarks)
    signatures: list[WeekSignature]  # on the weeks that start in the range or overlap it

    def signed_weeks(self) -> set[dt.date]:
        """The Mondays of the weeks some parent signed."""
        return {s.week_start for s in self.signatures}


def diary_between(*, student: Student, first: dt.date, last: dt.date) -> Diary:
    """The diary from `first` to `last` (inclusive; the front ends bound the range, see
    journal.dates.date_range): eight queries, whatever the range holds, or none while nothing
    it shows has changed (core.freshness).

    Lessons of the student's class, the whole class's and those of the student's groups only,
    with bell times; each with the student's mark, attendance and the homework due at it (with
    its files). Days in a vacation or holiday carry it.
    """
    diary = cached_read(
        "diary",
        school_id=student.school_id,
        student_id=student.pk,
        parts=[student.school_class_id, first, last],
        read=lambda: _diary_between(student, first, last),
    )
    return replace(diary, student=student)


def _diary_between(student: Student, first: dt.date, last: dt.date) -> Diary:
    school_id = student.school_id
    range_lessons = Lesson.objects.for_student(student).between(first, last)
    lessons = list(
        range_lessons.with_bell_times()
        .select_related("subject", "teacher", "group")
        .order_by("date", "number", "group__name")
    )
    # By the lessons already read, which the (school, lesson, student) keys answer: through
    # the lesson's date the planner scanned every lesson of those days, of every school.
    lesson_ids = [lesson.pk for lesson in lessons]
    marks = {
        m.lesson_id: m
        for m in Mark.objects.filter(school_id=school_id, student=student, lesson__in=lesson_ids)
    }
    attendance = {
        a.lesson_id: a
        for a in Attendance.objects.filter(
            school_id=school_id, student=student, lesson__in=lesson_ids
        )
    }
    homework = _homework_due(student, lesson_ids)
    holidays = list(
        Holiday.objects.filter(school_id=school_id, starts_on__lte=last, ends_on__gte=first)
    )
    remarks = list(
        Remark.objects.filter(school_id=school_id, student=student)
        .filter(
            Q(lesson__date__gte=first, lesson__date__lte=last)
            | Q(
                lesson__isnull=True,
                created_at__date__gte=first,
                created_at__date__lte=last + dt.timedelta(days=1),
            )
        )
        .select_related("author", "lesson__subject")
        .order_by("-created_at", "-pk")
    )
    signatures = list(
        WeekSignature.objects.filter(
            school_id=school_id,
            student=student,
            week_start__gte=week_start_of(first),
            week_start__lte=last,
        )
        .select_related("parent")
        .order_by("week_start", "signed_at")
    )
    by_day: dict[dt.date, list[DiaryLesson]] = {}
    for lesson in lessons:
        by_day.setdefault(lesson.date, []).append(
            DiaryLesson(
                lesson=lesson,
                mark=marks.get(lesson.pk),
                attendance=attendance.get(lesson.pk),
                homework=homework.get(lesson.pk, []),
            )
        )
    days = []
    for offset in range((last - first).days + 1):
        day = first + dt.timedelta(days=offset)
        if day.isoweekday() == SUNDAY:
            continue
        holiday = next((h for h in holidays if h.starts_on <= day <= h.ends_on), None)
        # A holiday's own day card stands for the lessons it cancelled; lessons kept on it
        # (they had marks) and lessons cancelled otherwise are listed.
        held = [
            entry
            for entry in by_day.get(day, [])
            if holiday is None or not (entry.cancelled and entry.lesson.cancelled_by_id)
        ]
        days.append(DiaryDay(date=day, holiday=holiday, lessons=held))
    return Diary(
        student=student,
        first=first,
        last=last,
        days=days,
        remarks=remarks,
        signatures=signatures,
    )


def diary_week(*, student: Student, week_start: dt.date) -> DiaryWeek:
    """Monday to Saturday of the student's week (`week_start` any day of it): diary_between's
    eight queries."""
    monday = week_start_of(week_start)
    first, last = week_bounds(monday)
    diary = diary_between(student=student, first=first, last=last)
    return DiaryWeek(
        student=student,
        week_start=monday,
        days=diary.days,
        remarks=diary.remarks,
        signatures=diary.signatures,
    )


def week_signature(*, parent: User, student: Student, week: dt.date) -> WeekSignature | None:
    """The parent's own signature on the week that starts on Monday `week`: one query, kept
    under the pupil's version (a signature is the pupil's row)."""
    return cached_read(
        "signature",
        school_id=student.school_id,
        student_id=student.pk,
        parts=[parent.pk, week],
        read=lambda: WeekSignature.objects.filter(
            school_id=student.school_id, parent=parent, student=student, week_start=week
        ).first(),
    )


def _homework_due(student: Student, lesson_ids: list[int]) -> dict[int, list[DiaryHomework]]:
    """Homework due at the week's lessons (or, with no lesson to be due at, set at them), of the
    lessons the student attends, with files: two queries, none for a week without lessons.

    The lessons come as the ids the week already read: as a subquery they were compiled
    again for each of the two queries, which cost more than the queries themselves."""
    if not lesson_ids:
        return {}
    rows = list(
        Homework.objects.filter(school_id=student.school_id)
        .filter(Q(due_lesson__in=lesson_ids) | Q(due_lesson__isnull=True, lesson__in=lesson_ids))
        .filter(Q(lesson__group__isnull=True) | Q(lesson__group_id__in=student_groups(student)))
        .select_related("lesson")
        .order_by("lesson__date", "lesson__number", "pk")
    )
    files: dict[int, list[HomeworkFile]] = {}
    if rows:
        for homework_file in HomeworkFile.objects.filter(
            school_id=student.school_id, homework__in=[row.pk for row in rows]
        ).order_by("created_at", "pk"):
            files.setdefault(homework_file.homework_id, []).append(homework_file)
    shown: dict[int, list[DiaryHomework]] = {}
    for row in rows:
        shown.setdefault(row.due_lesson_id or row.lesson_id, []).append(
            DiaryHomework(homework=row, files=files.get(row.pk, []))
        )
    return shown
