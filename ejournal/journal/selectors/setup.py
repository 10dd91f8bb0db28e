"""The school year's frame as the curator's set-up pages show it: bells, holidays, a class's
weekly grid, its teaching assignments and groups. Each function runs a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from ejournal.schools.models import AcademicYear, School, SchoolClass, Student

from ..models import (
    Bell,
    Group,
    GroupMembership,
    Holiday,
    TeachingAssignment,
    TimetableEntry,
    Weekday,
)


def school_bells(*, school: School) -> list[Bell]:
    """The bell schedule by lesson number: one query."""
    return list(Bell.objects.filter(school=school).order_by("number"))


def year_holidays(*, school: School, year: AcademicYear) -> QuerySet[Holiday]:
    """The year's holidays and vacations by date: one query when read."""
    return Holiday.objects.filter(school=school, year=year).order_by("starts_on", "pk")


@dataclass(frozen=True)
class GridRow:
    """One lesson number across the week: its bell (None without one) and a cell per weekday,
    each cell the entries there (several when the class is split into groups)."""

    number: int
    bell: Bell | None
    cells: list[tuple[int, list[TimetableEntry]]]


def class_timetable_entries(*, school_class: SchoolClass) -> QuerySet[TimetableEntry]:
    return TimetableEntry.objects.filter(
        school_id=school_class.school_id, school_class=school_class
    )


def class_timetable(*, school_class: SchoolClass, bells: list[Bell]) -> list[GridRow]:
    """The class's weekly grid, Monday to Saturday × lesson numbers: one query.

    An entry at a number that has lost its bell still gets a row, so it can be cleared."""
    entries = list(
        class_timetable_entries(school_class=school_class)
        .select_related("subject", "teacher", "group")
        .order_by("weekday", "number", "group__name")
    )
    by_number = {bell.number: bell for bell in bells}
    numbers = sorted(set(by_number) | {entry.number for entry in entries})
    slots: dict[tuple[int, int], list[TimetableEntry]] = {}
    for entry in entries:
        slots.setdefault((entry.number, entry.weekday), []).append(entry)
    return [
        GridRow(
            number=number,
            bell=by_number.get(number),
            cells=[(day, slots.get((number, day), [])) for day in Weekday.values],
        )
        for number in numbers
    ]


def class_assignments(*, school_class: SchoolClass) -> QuerySet[TeachingAssignment]:
    """Who teaches what in the class, by subject and teacher."""
    return (
        TeachingAssignment.objects.filter(
            school_id=school_class.school_id, school_class=school_class
        )
        .select_related("teacher", "subject", "group")
        .order_by("subject__name", "group__name", "teacher__last_name", "pk")
    )


def class_all_groups(*, school_class: SchoolClass) -> QuerySet[Group]:
    """The class's groups for every subject, by subject and name."""
    return Group.objects.filter(
        school_id=school_class.school_id, school_class=school_class
    ).order_by("subject__name", "name")


def class_groups_with_members(*, school_class: SchoolClass) -> list[Group]:
    """The class's groups with `member_ids` (a set of student ids): two queries."""
    groups: list[Group] = list(
        class_all_groups(school_class=school_class)
        .select_related("subject")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=GroupMembership.objects.filter(school_id=school_class.school_id),
                to_attr="member_rows",
            )
        )
    )
    for group in groups:
        group.member_ids = {row.student_id for row in group.member_rows}  # type: ignore[attr-defined]
    return groups


def class_students(*, school_class: SchoolClass) -> QuerySet[Student]:
    """The class's active students by name, to put into groups."""
    return (
        Student.objects.active()
        .filter(school_id=school_class.school_id, school_class=school_class)
        .order_by("last_name", "first_name", "middle_name", "pk")
    )
