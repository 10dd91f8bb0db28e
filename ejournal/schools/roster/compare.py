"""Comparing checked rows with the school as it is now: new, already there, moving into the
new school year, or in another class (an error)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..models import AcademicYear, School, SchoolClass, Student
from ..people import PersonKey, person_key
from .rows import MovedRow, RosterCheck, RosterRow, RowError, SkippedRow


@dataclass(frozen=True)
class _Present:
    """An active pupil of the school, and where they study now."""

    student_id: int
    class_id: int
    label: str
    year_starts_on: dt.date
    year: str  # "2025/2026", as AcademicYear prints itself


def check_against_school(
    *, school: School, year: AcademicYear, rows: list[RosterRow], total: int
) -> RosterCheck:
    """Which rows are new, which pupils move up from an earlier year, which are already in the
    school (skipped) and which collide with a class of the same or a later year (errors).

    Two queries whatever the number of rows: the year's classes, the school's active students.
    """
    classes = {
        (grade, letter): class_id
        for grade, letter, class_id in SchoolClass.objects.filter(
            school=school, year=year
        ).values_list("grade", "letter", "id")
    }
    present = _present_students(school=school)
    check = RosterCheck(total=total, year=str(year), rows=rows, class_ids=classes)
    new_classes: set[tuple[int, str]] = set()
    for row in rows:
        found = present.get(row.person_key)
        if found is not None and found.year_starts_on >= year.starts_on:
            if found.class_id == classes.get((row.grade, row.letter)):
                check.skipped.append(SkippedRow(row, f"уже есть в классе {found.label}"))
            else:
                check.errors.append(_conflict(row, found, year))
            continue
        if found is None:
            check.to_create.append(row)
        else:
            check.to_move.append(
                MovedRow(row, found.student_id, found.class_id, found.label, found.year)
            )
        if (row.grade, row.letter) not in classes:
            new_classes.add((row.grade, row.letter))
    check.new_classes = sorted(new_classes)
    return check


def _conflict(row: RosterRow, found: _Present, year: AcademicYear) -> RowError:
    """A pupil in another class of this school year, or already in a later year's class."""
    roster_year = "" if found.year == str(year) else f" (список — на {year} учебный год)"
    return RowError(
        row.line,
        f"{row.full_name} уже учится в классе {found.label} в {found.year} учебном году, "
        f"а в файле указан класс {row.class_label}{roster_year}. "
        "Чтобы перевести ученика в другой класс, откройте его страницу.",
        student_id=found.student_id,
    )


def _present_students(*, school: School) -> dict[PersonKey, _Present]:
    students = Student.objects.active().filter(school=school)
    fields = ("id", "last_name", "first_name", "middle_name", "birth_date", "school_class_id")
    related = ("school_class__grade", "school_class__letter")
    years = ("school_class__year__starts_on", "school_class__year__ends_on")
    present: dict[PersonKey, _Present] = {}
    for student in students.values(*fields, *related, *years):
        starts_on = student["school_class__year__starts_on"]
        ends_on = student["school_class__year__ends_on"]
        key = person_key(
            student["last_name"],
            student["first_name"],
            student["middle_name"],
            student["birth_date"],
        )
        present[key] = _Present(
            student_id=student["id"],
            class_id=student["school_class_id"],
            label=f"{student['school_class__grade']}{student['school_class__letter']}",
            year_starts_on=starts_on,
            year=f"{starts_on.year}/{ends_on.year}",
        )
    return present
