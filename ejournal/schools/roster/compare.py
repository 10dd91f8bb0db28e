"""Comparing checked rows with the school as it is now: new, already there, or in another class."""

from __future__ import annotations

from ..models import AcademicYear, School, SchoolClass, Student
from .rows import PersonKey, RosterCheck, RosterRow, RowError, SkippedRow, person_key_of


def check_against_school(
    *, school: School, year: AcademicYear, rows: list[RosterRow], total: int
) -> RosterCheck:
    """Which rows are new, which are already in the school (skipped), which collide (errors).

    Two queries whatever the number of rows: the year's classes, the school's active students.
    """
    classes = {
        (grade, letter): class_id
        for grade, letter, class_id in SchoolClass.objects.filter(
            school=school, year=year
        ).values_list("grade", "letter", "id")
    }
    existing: dict[PersonKey, tuple[int, int, str]] = {}
    students = Student.objects.active().filter(school=school)
    fields = ("id", "last_name", "first_name", "middle_name", "birth_date", "school_class_id")
    for student in students.values(*fields, "school_class__grade", "school_class__letter"):
        key = person_key_of(
            student["last_name"],
            student["first_name"],
            student["middle_name"],
            student["birth_date"],
        )
        label = f"{student['school_class__grade']}{student['school_class__letter']}"
        existing[key] = (student["id"], student["school_class_id"], label)

    check = RosterCheck(total=total, rows=rows, class_ids=classes)
    new_classes: set[tuple[int, str]] = set()
    for row in rows:
        found = existing.get(row.person_key)
        if found is None:
            check.to_create.append(row)
            if (row.grade, row.letter) not in classes:
                new_classes.add((row.grade, row.letter))
            continue
        student_id, class_id, label = found
        if class_id == classes.get((row.grade, row.letter)):
            check.skipped.append(SkippedRow(row, f"уже есть в классе {label}"))
        else:
            check.errors.append(
                RowError(
                    row.line,
                    f"{row.full_name} уже учится в классе {label}, а в файле указан класс "
                    f"{row.class_label}. Чтобы перевести ученика в другой класс, "
                    "откройте его страницу.",
                    student_id=student_id,
                )
            )
    check.new_classes = sorted(new_classes)
    return check
