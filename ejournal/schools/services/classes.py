"""Classes of a school year and their class teachers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from ejournal.audit.models import AuditAction
from ejournal.audit.services import audit_record

from ..models import AcademicYear, School, SchoolClass, Teacher
from ._person import lock

if TYPE_CHECKING:
    from ejournal.accounts.models import User


def class_create(
    *,
    school: School,
    year: AcademicYear,
    grade: int,
    letter: str,
    actor: User | None,
    class_teacher: Teacher | None = None,
) -> SchoolClass:
    """A class of the given year; audited."""
    with transaction.atomic():
        if class_teacher is not None:
            lock(class_teacher)
        school_class = SchoolClass(
            school=school, year=year, grade=grade, letter=letter, class_teacher=class_teacher
        )
        _class_check(school_class)
        school_class.full_clean()
        school_class.save()
        audit_record(
            school=school,
            actor=actor,
            action=AuditAction.CLASS_CREATED,
            target=school_class,
            after={"label": school_class.label},
        )
    return school_class


def class_update(
    *, school_class: SchoolClass, class_teacher: Teacher | None, actor: User | None
) -> SchoolClass:
    """Appoint (or clear) the class teacher; audited with the previous and the new one.

    The class and the teacher are locked first and checked as they are now: a teacher
    marked as left by a concurrent request is refused (teacher_archive locks them too).
    """
    with transaction.atomic():
        lock(school_class, "school", "year", "class_teacher")
        if class_teacher is not None:
            lock(class_teacher)
        if school_class.class_teacher_id == (class_teacher.pk if class_teacher else None):
            return school_class
        before = _teacher_ref(school_class.class_teacher)
        school_class.class_teacher = class_teacher
        _class_check(school_class)
        school_class.full_clean()
        school_class.save(update_fields=["class_teacher", "updated_at"])
        audit_record(
            school=school_class.school,
            actor=actor,
            action=AuditAction.CLASS_UPDATED,
            target=school_class,
            before={"label": school_class.label, **before},
            after={"label": school_class.label, **_teacher_ref(class_teacher)},
        )
    return school_class


def _class_check(school_class: SchoolClass) -> None:
    """What full_clean can't word for a curator: the year's and teacher's school, a unique label."""
    if school_class.year.school_id != school_class.school_id:
        raise ValidationError("Учебный год относится к другой школе.")
    teacher = school_class.class_teacher
    if teacher is not None:
        if teacher.school_id != school_class.school_id:
            raise ValidationError(
                {"class_teacher": "Классным руководителем может быть только учитель этой школы."}
            )
        if teacher.archived_at is not None:
            message = (
                f"{teacher.full_name} выбыл(а) из школы и не может быть классным руководителем."
            )
            raise ValidationError({"class_teacher": message})
    same_label = SchoolClass.objects.filter(
        school_id=school_class.school_id,
        year_id=school_class.year_id,
        grade=school_class.grade,
        letter=school_class.letter,
    )
    if school_class.pk:
        same_label = same_label.exclude(pk=school_class.pk)
    if same_label.exists():
        raise ValidationError(
            f"Класс {school_class.label} в {school_class.year} учебном году уже есть."
        )


def _teacher_ref(teacher: Teacher | None) -> dict[str, object]:
    if teacher is None:
        return {"class_teacher_id": None, "class_teacher": None}
    return {"class_teacher_id": teacher.pk, "class_teacher": teacher.full_name}
