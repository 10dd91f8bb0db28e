"""The school year's frame, set up by the curator (or a command, actor=None): bells, groups,
teaching assignments and the weekly timetable (holidays: `holidays.py`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from ejournal.accounts.models import User
from ejournal.core.freshness import journal_changed
from ejournal.schools.models import School, SchoolClass, Student, Subject, Teacher

from ..models import Bell, Group, GroupMembership, TeachingAssignment, TimetableEntry
from ._common import require_curator_or_system

# A typical Russian school day: 45-minute lessons, ten-minute breaks, two long breaks for meals.
DEFAULT_BELLS: list[tuple[dt.time, dt.time]] = [
    (dt.time(8, 30), dt.time(9, 15)),
    (dt.time(9, 25), dt.time(10, 10)),
    (dt.time(10, 30), dt.time(11, 15)),
    (dt.time(11, 35), dt.time(12, 20)),
    (dt.time(12, 30), dt.time(13, 15)),
    (dt.time(13, 25), dt.time(14, 10)),
    (dt.time(14, 20), dt.time(15, 5)),
]


def bells_set(
    *, school: School, times: Sequence[tuple[dt.time, dt.time]], actor: User | None
) -> list[Bell]:
    """The bell schedule: lesson 1, 2, … start and end at `times`; other numbers are removed."""
    require_curator_or_system(actor, school)
    bells = [
        Bell(school=school, number=number, starts_at=start, ends_at=end)
        for number, (start, end) in enumerate(times, start=1)
    ]
    for bell, previous in zip(bells[1:], bells, strict=False):
        if bell.starts_at < previous.ends_at:
            raise ValidationError(
                f"Урок {bell.number} начинается раньше, чем кончается {previous.number}."
            )
    for bell in bells:
        if bell.ends_at <= bell.starts_at:
            raise ValidationError(f"Урок {bell.number} кончается раньше, чем начинается.")
        bell.full_clean(validate_constraints=False)
    with transaction.atomic():
        Bell.objects.filter(school=school).delete()
        made = Bell.objects.bulk_create(bells)
        journal_changed(school_id=school.pk)  # bulk_create sends no signal
        return made


def bells_set_default(*, school: School, actor: User | None = None) -> list[Bell]:
    """Seven lessons from 8:30 to 15:05 (DEFAULT_BELLS)."""
    return bells_set(school=school, times=DEFAULT_BELLS, actor=actor)


def _check_students(school_class: SchoolClass, students: Iterable[Student]) -> list[Student]:
    students = list(students)
    for student in students:
        if student.school_class_id != school_class.pk or student.archived_at is not None:
            raise ValidationError(f"{student.short_name} не учится в классе {school_class.label}.")
    return students


def group_create(
    *,
    school_class: SchoolClass,
    subject: Subject,
    name: str,
    students: Iterable[Student] = (),
    actor: User | None,
) -> Group:
    """A group of the class for a split subject ("1 группа"), with its students."""
    require_curator_or_system(actor, school_class.school)
    if subject.school_id != school_class.school_id:
        raise ValidationError("Предмет другой школы.")
    name = name.strip()
    group = Group(
        school_id=school_class.school_id, school_class=school_class, subject=subject, name=name
    )
    with transaction.atomic():
        if Group.objects.filter(
            school_id=school_class.school_id, school_class=school_class, subject=subject, name=name
        ).exists():
            raise ValidationError({"name": f"Группа «{name}» по этому предмету уже есть."})
        group.full_clean(validate_constraints=False)
        group.save()
        group_members_set(group=group, students=students, actor=actor)
    return group


def group_members_set(*, group: Group, students: Iterable[Student], actor: User | None) -> None:
    """The group's students become exactly `students` (active students of the group's class)."""
    require_curator_or_system(actor, group.school_class.school)
    chosen = {s.pk: s for s in _check_students(group.school_class, students)}
    with transaction.atomic():
        have = set(
            GroupMembership.objects.filter(school_id=group.school_id, group=group).values_list(
                "student_id", flat=True
            )
        )
        GroupMembership.objects.filter(school_id=group.school_id, group=group).exclude(
            student_id__in=chosen
        ).delete()
        GroupMembership.objects.bulk_create(
            [
                GroupMembership(school_id=group.school_id, group=group, student_id=pk)
                for pk in chosen
                if pk not in have
            ]
        )
        journal_changed(school_id=group.school_id)  # bulk_create sends no signal


def _check_frame(
    school_class: SchoolClass, subject: Subject, teacher: Teacher, group: Group | None
) -> None:
    """The subject, teacher and group belong with the class."""
    school_id = school_class.school_id
    if subject.school_id != school_id or teacher.school_id != school_id:
        raise ValidationError("Предмет или учитель другой школы.")
    if teacher.archived_at is not None:
        raise ValidationError({"teacher": f"{teacher.full_name} выбыл(а) из школы."})
    if group is not None and (
        group.school_class_id != school_class.pk or group.subject_id != subject.pk
    ):
        raise ValidationError(
            {"group": f"Группа «{group.name}» — не группа этого класса по этому предмету."}
        )


def assignment_create(
    *,
    school: School,
    teacher: Teacher,
    school_class: SchoolClass,
    subject: Subject,
    group: Group | None = None,
    actor: User | None,
) -> TeachingAssignment:
    """The teacher teaches the subject to the class (or to one of its groups)."""
    require_curator_or_system(actor, school)
    if school_class.school_id != school.pk:
        raise ValidationError("Класс другой школы.")
    _check_frame(school_class, subject, teacher, group)
    assignment = TeachingAssignment(
        school=school, teacher=teacher, school_class=school_class, subject=subject, group=group
    )
    with transaction.atomic():
        same = TeachingAssignment.objects.filter(
            school=school, teacher=teacher, school_class=school_class, subject=subject, group=group
        )
        if same.exists():
            raise ValidationError(
                f"{teacher.full_name} уже ведёт этот предмет в {school_class.label}."
            )
        assignment.full_clean(validate_constraints=False)
        assignment.save()
    return assignment


def assignment_delete(*, assignment: TeachingAssignment, actor: User | None) -> None:
    require_curator_or_system(actor, assignment.school)
    assignment.delete()


def timetable_entry_set(
    *,
    school_class: SchoolClass,
    weekday: int,
    number: int,
    subject: Subject,
    teacher: Teacher,
    group: Group | None = None,
    room: str = "",
    actor: User | None,
) -> TimetableEntry:
    """What the class (or a group) has on this weekday at this lesson number, every week.

    Replaces what the same class or group had in that slot. Refused: a whole-class lesson and
    group lessons in one slot, a teacher in two places at once, a lesson number without a bell.
    """
    school = school_class.school
    require_curator_or_system(actor, school)
    _check_frame(school_class, subject, teacher, group)
    if not Bell.objects.filter(school=school, number=number).exists():
        raise ValidationError({"number": f"В расписании звонков нет урока {number}."})
    slot = TimetableEntry.objects.filter(school=school, weekday=weekday, number=number)
    with transaction.atomic():
        own = slot.filter(school_class=school_class)
        mine = own.filter(group=group) if group is not None else own.filter(group__isnull=True)
        clash = own.exclude(pk__in=mine.values("pk"))
        if group is not None:
            clash = clash.filter(group__isnull=True)
        if clash.exists():
            raise ValidationError("В это время у класса уже стоит другой урок.")
        busy = (
            slot.filter(teacher=teacher)
            .exclude(pk__in=mine.values("pk"))
            .select_related("school_class")
            .first()
        )
        if busy is not None:
            where = busy.school_class.label
            raise ValidationError(
                {"teacher": f"{teacher.full_name} в это время ведёт урок в {where}."}
            )
        entry = mine.first() or TimetableEntry(
            school=school, school_class=school_class, weekday=weekday, number=number, group=group
        )
        entry.subject, entry.teacher, entry.room = subject, teacher, room.strip()
        entry.full_clean(validate_constraints=False)
        entry.save()
    return entry


def timetable_entry_delete(*, entry: TimetableEntry, actor: User | None) -> None:
    require_curator_or_system(actor, entry.school)
    entry.delete()
