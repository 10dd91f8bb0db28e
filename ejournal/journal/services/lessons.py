"""Lessons: made from the weekly timetable, then edited one by one (topic, homework, room,
substitution, cancellation); the homework itself is services.homework's."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from ejournal.accounts.models import User
from ejournal.audit.models import AuditAction
from ejournal.audit.services import audit_record
from ejournal.core.freshness import journal_changed
from ejournal.schools.models import School, SchoolClass, Teacher

from ..access import can_edit_lesson, is_curator
from ..models import (
    Attendance,
    ControlType,
    Holiday,
    Lesson,
    LessonStatus,
    Mark,
    TimetableEntry,
)
from ._common import UNSET, Unset, require, require_curator_or_system
from .homework import homework_move_off, homework_schedule_waiting, homework_set


def _days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]


def lessons_generate(
    *,
    school: School,
    start: dt.date,
    end: dt.date,
    school_class: SchoolClass | None = None,
    actor: User | None = None,
) -> int:
    """Make the lessons of the weekly timetable for every date in [start, end] that lies in the
    class's school year and outside its holidays; returns how many were made.

    Idempotent: a slot that already has a lesson (edited, cancelled or not) is left alone, so
    running it again, or over an overlapping range, adds only what is missing; homework that
    had no later lesson to be due at gets one of the new lessons. At most seven queries and
    batched inserts, whatever the range.
    """
    require_curator_or_system(actor, school)
    classes_qs = SchoolClass.objects.filter(
        school=school, year__starts_on__lte=end, year__ends_on__gte=start
    ).select_related("year")
    if school_class is not None:
        classes_qs = classes_qs.filter(pk=school_class.pk)
    classes = list(classes_qs)
    if not classes:
        return 0
    days_off: dict[int, set[dt.date]] = defaultdict(set)
    for holiday in Holiday.objects.filter(
        school=school,
        year_id__in={c.year_id for c in classes},
        starts_on__lte=end,
        ends_on__gte=start,
    ):
        days_off[holiday.year_id].update(_days(holiday.starts_on, holiday.ends_on))
    weekly: dict[int, dict[int, list[TimetableEntry]]] = defaultdict(lambda: defaultdict(list))
    for entry in TimetableEntry.objects.filter(school=school, school_class__in=classes):
        weekly[entry.school_class_id][entry.weekday].append(entry)
    exact: set[tuple[int, dt.date, int, int | None]] = set()
    taken_slots: set[tuple[int, dt.date, int]] = set()
    whole_class_slots: set[tuple[int, dt.date, int]] = set()
    for class_id, date, number, group_id in Lesson.objects.filter(
        school=school, school_class__in=classes, date__gte=start, date__lte=end
    ).values_list("school_class_id", "date", "number", "group_id"):
        exact.add((class_id, date, number, group_id))
        taken_slots.add((class_id, date, number))
        if group_id is None:
            whole_class_slots.add((class_id, date, number))
    new: list[Lesson] = []
    for item in classes:
        first, last = max(start, item.year.starts_on), min(end, item.year.ends_on)
        for day in _days(first, last) if first <= last else []:
            if day in days_off[item.year_id]:
                continue
            for entry in weekly[item.pk].get(day.isoweekday(), []):
                slot = (item.pk, day, entry.number)
                if (
                    (*slot, entry.group_id) in exact
                    or slot in whole_class_slots
                    or (entry.group_id is None and slot in taken_slots)
                ):
                    continue
                new.append(
                    Lesson(
                        school=school,
                        school_class=item,
                        subject_id=entry.subject_id,
                        teacher_id=entry.teacher_id,
                        group_id=entry.group_id,
                        date=day,
                        number=entry.number,
                        room=entry.room,
                    )
                )
    with transaction.atomic():
        # A concurrent run may have made some of them meanwhile: the constraints skip those.
        Lesson.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
        journal_changed(school_id=school.pk)  # bulk_create sends no signal
        homework_schedule_waiting(school=school, classes=classes)
    return len(new)


# What a curator may change in a lesson without teaching it: the frame, not the content.
_FRAME_FIELDS = {"status", "teacher", "room"}


def _lesson_state(lesson: Lesson, fields: list[str]) -> dict[str, Any]:
    return {
        ("teacher_id" if name == "teacher" else name): (
            lesson.teacher_id if name == "teacher" else getattr(lesson, name)
        )
        for name in fields
    }


def lesson_update(
    *,
    lesson: Lesson,
    actor: User,
    topic: str | Unset = UNSET,
    homework: str | Unset = UNSET,
    homework_due: dt.date | Unset | None = UNSET,
    room: str | Unset = UNSET,
    status: str | Unset = UNSET,
    teacher: Teacher | Unset = UNSET,
    control_type: str | Unset = UNSET,
) -> Lesson:
    """Change the given fields only (the others keep their values); audited with before/after.

    `teacher` is a substitution. `homework` (with `homework_due`, the date of the lesson it is
    due at, None: the next one) goes to homework_set in the same transaction. The lesson's
    teachers may change everything; the curator may also change the frame (status, teacher,
    room). A lesson with marks or attendance can't be cancelled; homework due at a cancelled
    lesson moves to the next one.
    """
    given: dict[str, Any] = {
        name: value
        for name, value in {
            "topic": topic,
            "room": room,
            "status": status,
            "teacher": teacher,
            "control_type": control_type,
        }.items()
        if value is not UNSET
    }
    content = homework is not UNSET
    if given.keys() <= _FRAME_FIELDS and not content and is_curator(actor, lesson.school_id):
        pass
    else:
        require(can_edit_lesson(actor, lesson))
    for name in ("topic", "room"):
        if name in given:
            given[name] = given[name].strip()
    if "status" in given and given["status"] not in LessonStatus.values:
        raise ValidationError({"status": "Неизвестное состояние урока."})
    if "control_type" in given and given["control_type"] not in ControlType.values:
        raise ValidationError({"control_type": "Неизвестный вид работы."})
    if "teacher" in given:
        new_teacher = given["teacher"]
        if new_teacher.school_id != lesson.school_id or new_teacher.archived_at is not None:
            raise ValidationError({"teacher": "Замену может вести только учитель этой школы."})
    changed = [name for name, value in given.items() if getattr(lesson, name) != value]
    if not changed and not content:
        return lesson
    with transaction.atomic():
        if changed:
            _lesson_save(lesson, actor, changed, given)
        if content:
            assert not isinstance(homework, Unset)  # noqa: S101 -- content: it is given
            homework_set(
                lesson=lesson,
                actor=actor,
                text=homework,
                due_on=None if isinstance(homework_due, Unset) else homework_due,
            )
    return lesson


def _lesson_save(lesson: Lesson, actor: User, changed: list[str], given: dict[str, Any]) -> None:
    cancelled = given.get("status") == LessonStatus.CANCELLED
    if cancelled and _has_entries(lesson):
        raise ValidationError(
            "На уроке уже есть оценки или отметки о посещаемости: сначала удалите их."
        )
    before = _lesson_state(lesson, changed)
    for name in changed:
        setattr(lesson, name, given[name])
    stamps = ["updated_at"]
    if "status" in changed and lesson.cancelled_by_id is not None:
        # Planned again or cancelled by hand: deleting the holiday must leave it as it is now.
        lesson.cancelled_by = None
        stamps.append("cancelled_by")
    lesson.full_clean(validate_constraints=False)
    lesson.save(update_fields=[*changed, *stamps])
    audit_record(
        school=lesson.school,
        actor=actor,
        action=AuditAction.LESSON_UPDATED,
        target=lesson,
        before=before,
        after=_lesson_state(lesson, changed),
    )
    if cancelled:
        homework_move_off(
            school=lesson.school,
            lessons=Lesson.objects.filter(school_id=lesson.school_id, pk=lesson.pk),
            actor=actor,
        )


def _has_entries(lesson: Lesson) -> bool:
    return (
        Mark.objects.filter(school_id=lesson.school_id, lesson=lesson).exists()
        or Attendance.objects.filter(school_id=lesson.school_id, lesson=lesson).exists()
    )
