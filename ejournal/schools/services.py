"""Writes for schools, years, classes, students and teachers. The roster import lives in roster/."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ejournal.audit.models import AuditAction
from ejournal.audit.services import audit_record
from ejournal.invitations.models import Invitation

from .models import AcademicYear, Period, PeriodKind, School, SchoolClass, Student, Teacher
from .selectors import current_year

if TYPE_CHECKING:
    from ejournal.accounts.models import User

# Russian school quarters, as (month, day) of start and end; the year starts on 1 September.
DEFAULT_QUARTERS = [
    ((9, 1), (10, 25)),
    ((11, 5), (12, 28)),
    ((1, 9), (3, 21)),
    ((4, 1), (5, 31)),
]


def school_year_start(today: dt.date) -> int:
    """The calendar year in which the school year containing `today` began."""
    return today.year if today.month >= 8 else today.year - 1


def academic_year_create(*, school: School, start_year: int) -> AcademicYear:
    """A school year from 1 September to 31 May with the four default quarters."""
    with transaction.atomic():
        year = AcademicYear(
            school=school,
            starts_on=dt.date(start_year, 9, 1),
            ends_on=dt.date(start_year + 1, 5, 31),
        )
        year.full_clean()
        year.save()
        for number, ((m1, d1), (m2, d2)) in enumerate(DEFAULT_QUARTERS, start=1):
            y1 = start_year if m1 >= 8 else start_year + 1
            y2 = start_year if m2 >= 8 else start_year + 1
            Period.objects.create(
                school=school,
                year=year,
                kind=PeriodKind.QUARTER,
                number=number,
                starts_on=dt.date(y1, m1, d1),
                ends_on=dt.date(y2, m2, d2),
            )
    return year


def school_create(
    *, number: str, name: str, domain: str | None = None, timezone_name: str = "Europe/Moscow"
) -> School:
    """A school with its current academic year and quarters."""
    with transaction.atomic():
        school = School(
            number=number.lower(), name=name, domain=domain or None, timezone=timezone_name
        )
        school.full_clean()
        school.save()
        academic_year_create(school=school, start_year=school_year_start(timezone.localdate()))
    return school


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


# Classes


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


def class_update(
    *, school_class: SchoolClass, class_teacher: Teacher | None, actor: User | None
) -> SchoolClass:
    """Appoint (or clear) the class teacher; audited with the previous and the new one."""
    if school_class.class_teacher_id == (class_teacher.pk if class_teacher else None):
        return school_class
    with transaction.atomic():
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


# People

_OLDEST_BIRTH_DATE = dt.date(1900, 1, 1)
_STUDENT_FIELDS = ("last_name", "first_name", "middle_name", "birth_date", "parent_email")
_TEACHER_FIELDS = ("last_name", "first_name", "middle_name")


def _clean_name(value: str) -> str:
    """Trimmed, with inner runs of spaces collapsed: "Иванова  Анна " → "Иванова Анна"."""
    return " ".join(value.split())


def _person_key(person: Student) -> tuple[str, str, str, dt.date]:
    # casefold() in Python, not Lower() in SQL: SQLite lowercases ASCII letters only, so the
    # database alone would let "николаев" and "Николаев" both in.
    return (
        person.last_name.casefold(),
        person.first_name.casefold(),
        person.middle_name.casefold(),
        person.birth_date,
    )


def _student_snapshot(student: Student) -> dict[str, object]:
    return {
        "last_name": student.last_name,
        "first_name": student.first_name,
        "middle_name": student.middle_name,
        "birth_date": student.birth_date.isoformat(),
        "parent_email": student.parent_email,
        "class": student.school_class.label,
    }


def _student_check(student: Student) -> None:
    """Same-school class, a plausible birth date, and no other active record of the same person."""
    if student.archived_at is not None:
        raise ValidationError(f"{student.full_name} выбыл(а) из школы: запись не изменяется.")
    if student.school_class.school_id != student.school_id:
        raise ValidationError({"school_class": "Можно выбрать только класс этой школы."})
    today = timezone.localdate()
    if (
        isinstance(student.birth_date, dt.date)
        and not _OLDEST_BIRTH_DATE <= student.birth_date <= today
    ):
        message = "Проверьте дату рождения: она не может быть в будущем или раньше 1900 года."
        raise ValidationError({"birth_date": message})
    same_birthday = (
        Student.objects.active()
        .filter(school_id=student.school_id, birth_date=student.birth_date)
        .select_related("school_class")
    )
    if student.pk:
        same_birthday = same_birthday.exclude(pk=student.pk)
    for other in same_birthday:
        if _person_key(other) == _person_key(student):
            raise _duplicate_error(other)


def _duplicate_error(other: Student) -> ValidationError:
    return ValidationError(
        f"Ученик {other.full_name}, {other.birth_date:%d.%m.%Y} г. р., уже есть в классе "
        f"{other.school_class.label}.",
        code="duplicate",
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
            last_name=_clean_name(last_name),
            first_name=_clean_name(first_name),
            middle_name=_clean_name(middle_name),
            birth_date=birth_date,
            parent_email=parent_email.strip(),
        )
        _student_check(student)
        student.full_clean()
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
    """
    with transaction.atomic():
        before = _student_snapshot(student)
        student.last_name = _clean_name(last_name)
        student.first_name = _clean_name(first_name)
        student.middle_name = _clean_name(middle_name)
        student.birth_date = birth_date
        student.parent_email = parent_email.strip()
        after = _student_snapshot(student)
        changed = [f for f in _STUDENT_FIELDS if before[f] != after[f]]
        if not changed:
            return student
        _student_check(student)
        student.full_clean()
        _student_save(student, update_fields=[*changed, "updated_at"])
        _sync_user_name(student)
        audit_record(
            school=student.school,
            actor=actor,
            action=AuditAction.STUDENT_UPDATED,
            target=student,
            before={f: before[f] for f in changed},
            after={f: after[f] for f in changed},
        )
    return student


def _sync_user_name(person: Student | Teacher) -> None:
    user = person.user
    if user is None:
        return
    user.last_name, user.first_name, user.middle_name = (
        person.last_name,
        person.first_name,
        person.middle_name,
    )
    user.save(update_fields=["last_name", "first_name", "middle_name", "updated_at"])


def student_move(*, student: Student, to_class: SchoolClass, actor: User | None) -> Student:
    """Into another class of the same school and year; audited with both classes."""
    with transaction.atomic():
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
        student.full_clean()
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


def _revoke_codes(**person: Student | Teacher) -> int:
    """Revoke the usable codes made out to this person (a student's and their parents' alike)."""
    return Invitation.objects.usable().filter(**person).update(revoked_at=timezone.now())


def _close_account(user: User | None) -> bool:
    """Deactivate the person's own account: its sessions stop working at the next request."""
    if user is None or not user.is_active:
        return False
    user.is_active = False
    user.save(update_fields=["is_active", "updated_at"])
    return True


def student_archive(*, student: Student, actor: User | None) -> Student:
    """The student left ("Выбыл"): off the class lists, codes revoked, own account closed.

    The record stays (marks and history keep their owner); parents' links are kept.
    """
    with transaction.atomic():
        if student.archived_at is not None:
            raise ValidationError(f"{student.full_name} уже отмечен(а) как выбывший(ая).")
        student.archived_at = timezone.now()
        student.save(update_fields=["archived_at", "updated_at"])
        revoked = _revoke_codes(student=student)
        closed = _close_account(student.user)
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


def _teacher_snapshot(teacher: Teacher) -> dict[str, object]:
    return {f: getattr(teacher, f) for f in _TEACHER_FIELDS}


def teacher_create(
    *, school: School, last_name: str, first_name: str, middle_name: str = "", actor: User | None
) -> Teacher:
    """A teacher record of this school; audited."""
    with transaction.atomic():
        teacher = Teacher(
            school=school,
            last_name=_clean_name(last_name),
            first_name=_clean_name(first_name),
            middle_name=_clean_name(middle_name),
        )
        teacher.full_clean()
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
        if teacher.archived_at is not None:
            raise ValidationError(f"{teacher.full_name} выбыл(а) из школы: запись не изменяется.")
        before = _teacher_snapshot(teacher)
        teacher.last_name = _clean_name(last_name)
        teacher.first_name = _clean_name(first_name)
        teacher.middle_name = _clean_name(middle_name)
        after = _teacher_snapshot(teacher)
        changed = [f for f in _TEACHER_FIELDS if before[f] != after[f]]
        if not changed:
            return teacher
        teacher.full_clean()
        teacher.save(update_fields=[*changed, "updated_at"])
        _sync_user_name(teacher)
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
    class teacher first, so no class is silently left without one.
    """
    with transaction.atomic():
        if teacher.archived_at is not None:
            raise ValidationError(f"{teacher.full_name} уже отмечен(а) как выбывший(ая).")
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
        teacher.archived_at = timezone.now()
        teacher.save(update_fields=["archived_at", "updated_at"])
        revoked = _revoke_codes(teacher=teacher)
        closed = _close_account(teacher.user)
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
