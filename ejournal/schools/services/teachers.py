"""Teacher records: add, correct the name, mark as left ("Выбыл")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from ejournal.audit.models import AuditAction
from ejournal.audit.services import audit_record

from ..models import School, SchoolClass, Teacher
from ..people import clean_text
from ..selectors import current_year
from ._person import full_clean_into, lock, name_errors, person_leave, sync_user_name

if TYPE_CHECKING:
    from ejournal.accounts.models import User

_TEACHER_FIELDS = ("last_name", "first_name", "middle_name")


def teacher_create(
    *, school: School, last_name: str, first_name: str, middle_name: str = "", actor: User | None
) -> Teacher:
    """A teacher record of this school; audited."""
    with transaction.atomic():
        teacher = Teacher(
            school=school,
            last_name=clean_text(last_name),
            first_name=clean_text(first_name),
            middle_name=clean_text(middle_name),
        )
        full_clean_into(teacher, name_errors(teacher, _TEACHER_FIELDS))
        teacher.save()
        audit_record(
            school=school,
            actor=actor,
            action=AuditAction.TEACHER_CREATED,
            target=teacher,
            after=_teacher_snapshot(teacher),
        )
    return teacher


def teacher_update(
    *, teacher: Teacher, last_name: str, first_name: str, middle_name: str, actor: User | None
) -> Teacher:
    """A corrected name, which the teacher's account takes too; audited with changed fields only."""
    with transaction.atomic():
        lock(teacher, "school", "user")
        if teacher.archived_at is not None:
            raise ValidationError(f"{teacher.full_name} выбыл(а) из школы: запись не изменяется.")
        before = _teacher_snapshot(teacher)
        teacher.last_name = clean_text(last_name)
        teacher.first_name = clean_text(first_name)
        teacher.middle_name = clean_text(middle_name)
        changed = [f for f in _TEACHER_FIELDS if before[f] != getattr(teacher, f)]
        if not changed:
            return teacher
        full_clean_into(teacher, name_errors(teacher, changed))
        after = _teacher_snapshot(teacher)
        teacher.save(update_fields=[*changed, "updated_at"])
        sync_user_name(teacher)
        audit_record(
            school=teacher.school,
            actor=actor,
            action=AuditAction.TEACHER_UPDATED,
            target=teacher,
            before={f: before[f] for f in changed},
            after={f: after[f] for f in changed},
        )
    return teacher


def teacher_archive(*, teacher: Teacher, actor: User | None) -> Teacher:
    """The teacher left the school: codes revoked, account closed.

    Refused while they lead a class of this or a coming year: the curator appoints another
    class teacher first, so no class is silently left without one. The teacher's row is
    locked first; class_update locks it too before appointing, so the two can't cross.
    """
    with transaction.atomic():
        lock(teacher, "school", "user")
        if teacher.archived_at is None:
            _refuse_while_class_teacher(teacher)
        revoked, closed = person_leave(teacher, actor=actor)
        assert teacher.archived_at is not None  # noqa: S101 — set by person_leave
        audit_record(
            school=teacher.school,
            actor=actor,
            action=AuditAction.TEACHER_ARCHIVED,
            target=teacher,
            before={"archived_at": None, **_teacher_snapshot(teacher)},
            after={
                "archived_at": teacher.archived_at.isoformat(),
                **_teacher_snapshot(teacher),
                "invitations_revoked": revoked,
                "account_closed": closed,
            },
        )
    return teacher


def _refuse_while_class_teacher(teacher: Teacher) -> None:
    this_year = current_year(school=teacher.school)
    led = list(
        SchoolClass.objects.filter(
            school_id=teacher.school_id,
            class_teacher=teacher,
            year__starts_on__gte=this_year.starts_on,
        ).order_by("grade", "letter")
    )
    if led:
        labels = ", ".join(c.label for c in led)
        raise ValidationError(
            f"{teacher.full_name} — классный руководитель ({labels}). "
            "Сначала назначьте классу другого классного руководителя."
        )


def _teacher_snapshot(teacher: Teacher) -> dict[str, object]:
    return {f: getattr(teacher, f) for f in _TEACHER_FIELDS}
