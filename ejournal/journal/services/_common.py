"""What the journal's services share: "not given", permission checks, the school's day, closed
periods, cell upserts."""

from __future__ import annotations

import enum
from typing import Any, Final, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from ejournal.accounts.models import User
from ejournal.schools.models import Period, School, Student
from ejournal.schools.selectors import closed_period_on, period_closed_reason, period_is_closed

from ..access import JournalAccessError, can_edit_lesson, is_curator
from ..models import GroupMembership, Lesson, LessonStatus

Row = TypeVar("Row", bound=models.Model)


class Unset(enum.Enum):
    """A keyword argument the caller did not give: the service keeps what is there."""

    UNSET = "unset"


UNSET: Final = Unset.UNSET


def require(allowed: bool) -> None:
    """Refuse as the access layer does: what the actor may not touch is a 404."""
    if not allowed:
        raise JournalAccessError


def require_curator_or_system(actor: User | None, school: School) -> None:
    """School set-up (bells, holidays, groups, timetable): the curator, or a command (None)."""
    require(actor is None or is_curator(actor, school.pk))


def require_lesson_editor(actor: User, lesson: Lesson) -> None:
    require(can_edit_lesson(actor, lesson))


def check_scale(school: School, value: int, *, field: str = "value") -> None:
    if not school.mark_min <= value <= school.mark_max:
        raise ValidationError(
            {field: f"Оценка — целое число от {school.mark_min} до {school.mark_max}."}
        )


def check_lesson_takes_marks(lesson: Lesson, *, what: str) -> None:
    """Marks and attendance go to lessons that took place: not cancelled, not in the future."""
    if lesson.status == LessonStatus.CANCELLED:
        raise ValidationError(f"Урок отменён: {what} не ставится.")
    if lesson.date > lesson.school.today():
        raise ValidationError(f"Урок ещё не прошёл: {what} можно поставить в день урока.")


def check_period_open(period: Period, school: School) -> None:
    """Nobody changes the marks, attendance or finals of a closed period until the curator
    reopens it."""
    if period_is_closed(period=period, school=school):
        raise ValidationError(period_closed_reason(period))


def check_lesson_period_open(lesson: Lesson) -> None:
    """The lesson's period is not closed (a lesson in a vacation belongs to none). One query."""
    period = closed_period_on(
        school=lesson.school, school_class_id=lesson.school_class_id, day=lesson.date
    )
    if period is not None:
        raise ValidationError(period_closed_reason(period))


def check_student_of_lesson(lesson: Lesson, student: Student) -> None:
    """An active student of the lesson's class and, for a group lesson, of the group."""
    if (
        student.school_id != lesson.school_id
        or student.archived_at is not None
        or student.school_class_id != lesson.school_class_id
    ):
        raise ValidationError(
            f"{student.short_name} не учится в классе {lesson.school_class.label}."
        )
    if lesson.group_id is not None:
        member = GroupMembership.objects.filter(
            school_id=lesson.school_id, group_id=lesson.group_id, student=student
        ).exists()
        if not member:
            assert lesson.group is not None  # noqa: S101 -- group_id is set
            raise ValidationError(f"{student.short_name} не входит в группу «{lesson.group.name}».")


def _relations(model: type[models.Model]) -> list[str]:
    """The foreign keys: the services pass those rows in as objects they have checked, so
    full_clean need not look each of them up again."""
    return [f.name for f in model._meta.concrete_fields if f.is_relation]


def lock_or_create(
    model: type[Row], *, lookup: dict[str, Any], values: dict[str, Any]
) -> tuple[Row, bool]:
    """The row for `lookup`, locked for this transaction; created with `values` if missing.

    Two teachers setting the same cell at once: the second waits for the first's lock or, when
    both found nothing, its insert hits the unique constraint, and it then updates the row the
    first one created. Either way one row remains, and each change is audited in turn.
    Call inside transaction.atomic().
    """
    row = model._default_manager.select_for_update().filter(**lookup).first()
    if row is not None:
        return row, False
    row = model(**lookup, **values)
    # Uniqueness is the database's to decide (below): a unique check here could race.
    row.full_clean(exclude=_relations(model), validate_constraints=False)
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:
        return model._default_manager.select_for_update().get(**lookup), False
    return row, True


def apply_changes(
    row: models.Model, values: dict[str, Any], *, stamp: dict[str, Any] | None = None
) -> bool:
    """Set `values` (and `stamp`, such as the author, if any changed) on `row` and save just
    those fields; False when nothing changed."""
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if not changed:
        return False
    for name, value in {**values, **(stamp or {})}.items():
        setattr(row, name, value)
    row.full_clean(exclude=_relations(type(row)), validate_constraints=False)
    row.save(update_fields=[*values, *(stamp or {}), "updated_at"])
    return True
