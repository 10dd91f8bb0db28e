"""The demo school's frame: who teaches what (teaching assignments), English groups, and a
weekly timetable in which no teacher is in two rooms at once."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass

from ejournal.journal.models import Group, GroupMembership, TeachingAssignment, TimetableEntry
from ejournal.schools.models import School, SchoolClass, Student, Subject, Teacher

from .curriculum import ENGLISH, ENGLISH_ROOMS, SUBJECT_ROOMS, curriculum

WEEKDAYS = (1, 2, 3, 4, 5)
MAX_LESSONS = 7  # the bell schedule's last lesson
TEACHER_LOAD = 24  # lessons a week before another teacher of the subject is taken on


@dataclass(frozen=True)
class Unit:
    """One weekly lesson of a class: a subject with its teacher, or two groups side by side."""

    subject: Subject
    teachers: tuple[Teacher, ...]
    groups: tuple[Group | None, ...]
    rooms: tuple[str, ...]


class Staffing:
    """Hands each class's subjects to teachers: the fixed ones first, then the subject's
    teachers by load, then a teacher without a subject yet, then whoever has the least."""

    def __init__(self, teachers: list[Teacher], fixed: dict[tuple[str, str], Teacher]) -> None:
        self.fixed = fixed
        # Teachers with accounts are the named cast: they teach only what `fixed` gives them.
        self.free = [t for t in teachers if t.user_id is None]
        self.load: dict[int, int] = defaultdict(int)
        self.pools: dict[str, list[Teacher]] = defaultdict(list)
        self.spare = list(self.free)

    def pick(
        self, label: str, subject: str, hours: int, avoid: tuple[Teacher, ...] = ()
    ) -> Teacher:
        teacher = self.fixed.get((label, subject)) if not avoid else None
        if teacher is None:
            pool = [t for t in self.pools[subject] if t not in avoid]
            pool = [t for t in pool if self.load[t.pk] + hours <= TEACHER_LOAD]
            if pool:
                teacher = min(pool, key=lambda t: (self.load[t.pk], t.pk))
            elif self.spare:
                teacher = self.spare.pop(0)
                self.pools[subject].append(teacher)
            else:
                candidates = [t for t in self.free if t not in avoid]
                teacher = min(candidates, key=lambda t: (self.load[t.pk], t.pk))
                self.pools[subject].append(teacher)
        self.load[teacher.pk] += hours
        return teacher


def _home_room(index: int, grade: int) -> str:
    floor = 1 if grade <= 4 else 2 if grade <= 8 else 3
    return f"{floor}{index + 1:02d}"


def _english_groups(school_class: SchoolClass, subject: Subject) -> tuple[Group, Group]:
    groups = Group.objects.bulk_create(
        [
            Group(school=school_class.school, school_class=school_class, subject=subject, name=name)
            for name in ("1 группа", "2 группа")
        ]
    )
    students = list(
        Student.objects.active()
        .filter(school_class=school_class)
        .order_by("last_name", "first_name", "pk")
    )
    half = (len(students) + 1) // 2
    GroupMembership.objects.bulk_create(
        GroupMembership(
            school=school_class.school, group=groups[0 if n < half else 1], student=student
        )
        for n, student in enumerate(students)
    )
    return groups[0], groups[1]


def class_units(
    school_class: SchoolClass, index: int, subjects: dict[str, Subject], staffing: Staffing
) -> list[Unit]:
    """The class's weekly lessons, staffed; records the assignments (and groups) as it goes."""
    label, home = school_class.label, _home_room(index, school_class.grade)
    units: list[Unit] = []
    assignments: list[TeachingAssignment] = []
    for name, hours in curriculum(school_class.grade):
        subject = subjects[name]
        if name == ENGLISH:
            first = staffing.pick(label, name, hours)
            second = staffing.pick(label, name, hours, avoid=(first,))
            groups: tuple[Group | None, ...] = _english_groups(school_class, subject)
            teachers: tuple[Teacher, ...] = (first, second)
            rooms: tuple[str, ...] = ENGLISH_ROOMS
        else:
            teachers, groups = (staffing.pick(label, name, hours),), (None,)
            rooms = (SUBJECT_ROOMS.get(name, home),)
        assignments += [
            TeachingAssignment(
                school=school_class.school,
                teacher=teacher,
                school_class=school_class,
                subject=subject,
                group=group,
            )
            for teacher, group in zip(teachers, groups, strict=True)
        ]
        units += [Unit(subject, teachers, groups, rooms)] * hours
    TeachingAssignment.objects.bulk_create(assignments)
    return units


def _spread(units: list[Unit], rng: random.Random) -> list[list[Unit]]:
    """Units into the five days: the biggest subjects first, each on as many days as it can."""
    days: list[list[Unit]] = [[] for _ in WEEKDAYS]
    by_subject: dict[int, list[Unit]] = defaultdict(list)
    for unit in units:
        by_subject[unit.subject.pk].append(unit)
    for same in sorted(by_subject.values(), key=lambda u: (-len(u), u[0].subject.name)):
        for unit in same:
            order = sorted(
                range(len(days)),
                key=lambda d: (
                    sum(u.subject.pk == unit.subject.pk for u in days[d]),
                    len(days[d]),
                    rng.random(),
                ),
            )
            days[order[0]].append(unit)
    return days


def _place(
    units: list[Unit], weekday: int, busy: set[tuple[int, int, int]], limit: int
) -> dict[int, Unit] | None:
    """Lesson numbers 1..limit for the day's units, no teacher busy elsewhere (backtracking)."""
    placed: dict[int, Unit] = {}

    def free(unit: Unit, number: int) -> bool:
        return all((t.pk, weekday, number) not in busy for t in unit.teachers)

    def go(i: int) -> bool:
        if i == len(units):
            return True
        for number in range(1, limit + 1):
            if number not in placed and free(units[i], number):
                placed[number] = units[i]
                if go(i + 1):
                    return True
                del placed[number]
        return False

    return dict(placed) if go(0) else None


def _place_greedy(
    units: list[Unit], weekday: int, busy: set[tuple[int, int, int]], taken: set[int]
) -> tuple[dict[int, Unit], list[Unit]]:
    """Each unit at the first number its teachers are free; those that fit nowhere, apart."""
    placed: dict[int, Unit] = {}
    left: list[Unit] = []
    for unit in units:
        number = next(
            (
                n
                for n in range(1, MAX_LESSONS + 1)
                if n not in placed
                and n not in taken
                and all((t.pk, weekday, n) not in busy for t in unit.teachers)
            ),
            None,
        )
        if number is None:
            left.append(unit)
        else:
            placed[number] = unit
    return placed, left


def _class_week(
    units: list[Unit], busy: set[tuple[int, int, int]], rng: random.Random
) -> list[tuple[int, int, Unit]]:
    """(weekday, number, unit) for the class's week. A day that can't hold its lessons without
    a teacher clash passes the rest to the other days; what fits nowhere is left out."""
    week: list[tuple[int, int, Unit]] = []
    left: list[Unit] = []

    def take(weekday: int, placed: dict[int, Unit]) -> None:
        for number, unit in placed.items():
            week.append((weekday, number, unit))
            busy.update((t.pk, weekday, number) for t in unit.teachers)

    for weekday, day in zip(WEEKDAYS, _spread(units, rng), strict=True):
        day.sort(key=lambda u: (u.subject.name in SUBJECT_ROOMS, rng.random()))
        for limit in range(len(day), MAX_LESSONS + 1):
            placed = _place(day, weekday, busy, limit)
            if placed is not None:
                take(weekday, placed)
                break
        else:
            placed, rest = _place_greedy(day, weekday, busy, set())
            take(weekday, placed)
            left += rest
    for weekday in WEEKDAYS:
        taken = {number for day, number, _ in week if day == weekday}
        placed, left = _place_greedy(left, weekday, busy, taken)
        take(weekday, placed)
    return week


def build_timetable(
    school: School,
    classes: list[SchoolClass],
    teachers: list[Teacher],
    fixed: dict[tuple[str, str], Teacher],
) -> int:
    """Assignments, groups and the weekly timetable of every class; returns the entries made."""
    subjects = {s.name: s for s in Subject.objects.filter(school=school)}
    staffing = Staffing(teachers, fixed)
    busy: set[tuple[int, int, int]] = set()
    entries: list[TimetableEntry] = []
    for index, school_class in enumerate(classes):
        rng = random.Random(f"{school.number}-{school_class.label}-timetable")
        units = class_units(school_class, index, subjects, staffing)
        for weekday, number, unit in _class_week(units, busy, rng):
            entries += [
                TimetableEntry(
                    school=school,
                    school_class=school_class,
                    weekday=weekday,
                    number=number,
                    subject=unit.subject,
                    teacher=teacher,
                    group=group,
                    room=room,
                )
                for teacher, group, room in zip(unit.teachers, unit.groups, unit.rooms, strict=True)
            ]
    TimetableEntry.objects.bulk_create(entries, batch_size=500)
    return len(entries)
