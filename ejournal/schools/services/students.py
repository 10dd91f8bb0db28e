"""Student records: add, correct, move to another class, mark as left ("Выбыл")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ejournal.audit.models import AuditAction
from ejournal.audit.services import audit_record

from ..models import School, SchoolClass, Student
from ..people import clean_text, person_key, validate_birth_date
from ._person import full_clean_into, lock, name_errors, person_leave, sync_user_name

if TYPE_CHECKING:
    from ejournal.accounts.models import User

# What the services read of a student's relations, fetched with the locked row.
_RELATED = ("school", "school_class", "user")
_STUDENT_FIELDS = ("last_name", "first_name", "middle_name", "birth_date", "parent_email")


def student_create(
    *,
    school: School,
    school_class: SchoolClass,
    last_name: str,
    first_name: str,
    middle_name: str = "",
    birth_date: dt.date,
    parent_email: str = "",
    actor: User | None,
) -> Student:
    """A student record in a class of this school; a second active record of a person is refused."""
    with transaction.atomic():
        student = Student(
            school=school,
            school_class=school_class,
            last_name=clean_text(last_name),
            first_name=clean_text(first_name),
            middle_name=clean_text(middle_name),
            birth_date=birth_date,
            parent_email=parent_email.strip(),
        )
        _student_check(student, changed=_STUDENT_FIELDS)
        _student_save(student)
        audit_record(
            school=school,
            actor=actor,
            action=AuditAction.STUDENT_CREATED,
            target=student,
            after=_student_snapshot(student),
        )
    return student


def student_update(
    *,
    student: Student,
    last_name: str,
    first_name: str,
    middle_name: str,
    birth_date: dt.date,
    parent_email: str,
    actor: User | None,
) -> Student:
    """New name, birth date or parent email; audited with the changed fields only.

    The student's account, if any, takes the new name: a student's name comes from the school.
    Only the changed fields are judged by today's rules.
    """
    with transaction.atomic():
        lock(student, *_RELATED)
        before = _student_snapshot(student)
        student.last_name = clean_text(last_name)
        student.first_name = clean_text(first_name)
        student.middle_name = clean_text(middle_name)
        student.birth_date = birth_date
        student.parent_email = parent_email.strip()
        changed = [f for f in _STUDENT_FIELDS if before[f] != _student_snapshot(student)[f]]
        if not changed:
            return student
        _student_check(student, changed=changed)
        after = _student_snapshot(student)
        _student_save(student, update_fields=[*changed, "updated_at"])
        sync_user_name(student)
        audit_record(
            school=student.school,
            actor=actor,
            action=AuditAction.STUDENT_UPDATED,
            target=student,
            before={f: before[f] for f in changed},
            after={f: after[f] for f in changed},
        )
    return student


def student_move(*, student: Student, to_class: SchoolClass, actor: User | None) -> Student:
    """Into another class of the same school and year; audited with both classes.

    From one school year to the next, students move with the September roster import.
    """
    with transaction.atomic():
        lock(student, *_RELATED)
        from_class = student.school_class
        if student.archived_at is not None:
            raise ValidationError(f"{student.full_name} выбыл(а) из школы: перевод невозможен.")
        if to_class.school_id != student.school_id:
            raise ValidationError({"to_class": "Перевести можно только в класс этой школы."})
        if to_class.year_id != from_class.year_id:
            raise ValidationError(
                {"to_class": "Перевести можно только в класс того же учебного года."}
            )
        if to_class.pk == from_class.pk:
            raise ValidationError({"to_class": f"Ученик уже учится в классе {from_class.label}."})
        student.school_class = to_class
        student.save(update_fields=["school_class", "updated_at"])
        audit_record(
            school=student.school,
            actor=actor,
            action=AuditAction.STUDENT_MOVED,
            target=student,
            before={"class_id": from_class.pk, "class": from_class.label},
            after={"class_id": to_class.pk, "class": to_class.label},
        )
    return student


def student_archive(*, student: Student, actor: User | None) -> Student:
    """The student left ("Выбыл"): off the class lists, codes revoked, own account closed.

    The record stays (marks and history keep their owner); parents' links are kept.
    """
    with transaction.atomic():
        lock(student, *_RELATED)
        revoked, closed = person_leave(student, actor=actor)
        assert student.archived_at is not None  # noqa: S101 — set by person_leave
        audit_record(
            school=student.school,
            actor=actor,
            action=AuditAction.STUDENT_ARCHIVED,
            target=student,
            before={"archived_at": None, "class": student.school_class.label},
            after={
                "archived_at": student.archived_at.isoformat(),
                "class": student.school_class.label,
                "invitations_revoked": revoked,
                "account_closed": closed,
            },
        )
    return student


def _student_snapshot(student: Student) -> dict[str, object]:
    return {
        "last_name": student.last_name,
        "first_name": student.first_name,
        "middle_name": student.middle_name,
        "birth_date": student.birth_date.isoformat(),
        "parent_email": student.parent_email,
        "class": student.school_class.label,
    }


def _student_check(student: Student, *, changed: Collection[str]) -> None:
    """A present student, a class of the school, the changed fields valid by the shared rules,
    and no other active record of the same person."""
    if student.archived_at is not None:
        raise ValidationError(f"{student.full_name} выбыл(а) из школы: запись не изменяется.")
    if student.school_class.school_id != student.school_id:
        raise ValidationError({"school_class": "Можно выбрать только класс этой школы."})
    errors = name_errors(student, changed)
    if "birth_date" in changed and isinstance(student.birth_date, dt.date):
        try:
            validate_birth_date(student.birth_date, timezone.localdate())
        except ValidationError as error:
            errors["birth_date"] = error.messages
    full_clean_into(student, errors)
    same_birthday = (
        Student.objects.active()
        .filter(school_id=student.school_id, birth_date=student.birth_date)
        .select_related("school_class")
    )
    if student.pk:
        same_birthday = same_birthday.exclude(pk=student.pk)
    key = _key(student)
    for other in same_birthday:
        if _key(other) == key:
            raise ValidationError(
                f"Ученик {other.full_name}, {other.birth_date:%d.%m.%Y} г. р., уже есть в классе "
                f"{other.school_class.label}.",
                code="duplicate",
            )


def _key(student: Student) -> tuple[str, str, str, dt.date]:
    return person_key(
        student.last_name, student.first_name, student.middle_name, student.birth_date
    )


def _student_save(student: Student, *, update_fields: list[str] | None = None) -> None:
    """Save; a duplicate let in by a concurrent request still gets a clear message, not a 500."""
    try:
        with transaction.atomic():
            student.save(update_fields=update_fields)
    except IntegrityError as error:
        if "student_unique_person" not in str(error):
            raise
        raise ValidationError(
            f"Ученик {student.full_name}, {student.birth_date:%d.%m.%Y} г. р., уже есть в школе.",
            code="duplicate",
        ) from error
