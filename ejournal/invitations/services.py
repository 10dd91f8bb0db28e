"""Writes for invitation codes: issue, reissue, revoke; and the lookup redemption builds on.

A plain code lives only in the IssuedInvitation returned to the caller, which prints it
and forgets it: the database keeps the keyed hash, the audit log keeps counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from ejournal.accounts.models import Role
from ejournal.audit.models import AuditAction
from ejournal.audit.services import audit_record
from ejournal.schools.models import School, SchoolClass, Student, Teacher
from ejournal.schools.selectors import current_year

from . import codes
from .models import Invitation

if TYPE_CHECKING:
    from ejournal.accounts.models import User

ISSUABLE_ROLES = (Role.STUDENT, Role.PARENT, Role.TEACHER, Role.CURATOR)
REISSUABLE_ROLES = (Role.STUDENT, Role.PARENT, Role.TEACHER)
# Keeps each `code_hash IN (...)` well under SQLite's limit on query parameters.
_LOOKUP_CHUNK = 500


@dataclass(frozen=True)
class IssuedInvitation:
    """A saved invitation and its plain code, which exists nowhere else."""

    invitation: Invitation
    code: str = field(repr=False)  # keep codes out of tracebacks and debug logs


@dataclass(frozen=True)
class _Target:
    student: Student | None = None
    teacher: Teacher | None = None


def _expiry() -> dt.datetime:
    return timezone.now() + dt.timedelta(days=settings.EJOURNAL_INVITATION_DAYS)


def _unique_codes(*, school: School, count: int, generate: Callable[[], str]) -> list[str]:
    """`count` fresh codes, none equal to another or to any code this school ever had.

    A collision needs two equal draws out of 31**10, but should it happen the code is
    drawn again instead of the insert failing on the (school, code_hash) constraint.
    """
    chosen: dict[str, str] = {}  # hash -> code
    while len(chosen) < count:
        batch: dict[str, str] = {}
        while len(chosen) + len(batch) < count:
            code = generate()
            digest = codes.hash_code(code)
            if digest not in chosen:
                batch[digest] = code
        digests = list(batch)
        taken: set[str] = set()
        for start in range(0, len(digests), _LOOKUP_CHUNK):
            taken.update(
                Invitation.objects.filter(
                    school=school, code_hash__in=digests[start : start + _LOOKUP_CHUNK]
                ).values_list("code_hash", flat=True)
            )
        chosen.update((digest, code) for digest, code in batch.items() if digest not in taken)
    return list(chosen.values())


def _create(
    *, school: School, role: Role, targets: list[_Target], actor: User | None
) -> list[IssuedInvitation]:
    plain = _unique_codes(school=school, count=len(targets), generate=codes.code_generate)
    expires_at = _expiry()
    invitations = [
        Invitation(
            school=school,
            role=role,
            code_hash=codes.hash_code(code),
            student=target.student,
            teacher=target.teacher,
            class_label=target.student.school_class.label if target.student else "",
            issued_by=actor,
            expires_at=expires_at,
        )
        for code, target in zip(plain, targets, strict=True)
    ]
    Invitation.objects.bulk_create(invitations)
    return [
        IssuedInvitation(invitation=inv, code=code)
        for inv, code in zip(invitations, plain, strict=True)
    ]


def _revoke_usable(*, school: School, role: Role, people: Q) -> int:
    """Revokes the usable codes of this role of the people `people` names; how many."""
    now = timezone.now()
    usable = Invitation.objects.usable().filter(people, school=school, role=role)
    return usable.update(revoked_at=now, updated_at=now)


def _check_role(role: str, allowed: tuple[Role, ...]) -> Role:
    if role not in allowed:
        raise ValidationError(f"Пригласительные коды для роли «{role}» не выдаются.")
    return Role(role)


def _students_for(*, school: School, school_class: SchoolClass | None) -> QuerySet[Student]:
    students = Student.objects.active().filter(school=school)
    if school_class is not None:
        students = students.filter(school_class=school_class)
    else:
        students = students.filter(school_class__year=current_year(school=school))
    return students.select_related("school_class").order_by(
        "school_class__grade",
        "school_class__letter",
        "last_name",
        "first_name",
        "middle_name",
        "pk",
    )


def invitations_issue(
    *,
    school: School,
    role: Role,
    actor: User | None,
    school_class: SchoolClass | None = None,
    revoke_previous: bool = False,
) -> list[IssuedInvitation]:
    """New codes for everyone of the role who needs one, in print order.

    Students: one code per active student without an account, of the class or of every
    class of the current year. Parents: EJOURNAL_PARENT_CODES_PER_STUDENT per active
    student. Teachers: one per active teacher without an account. Curator: one code.
    Earlier codes stay valid unless `revoke_previous`, which first revokes the usable
    codes of this role of exactly the people issued for. An empty list: nobody to issue for.
    """
    role = _check_role(role, ISSUABLE_ROLES)
    if school_class is not None:
        if school_class.school_id != school.pk:
            raise ValidationError("Класс не из этой школы.")
        if role not in (Role.STUDENT, Role.PARENT):
            raise ValidationError("Класс указывается только для кодов учеников и родителей.")

    with transaction.atomic():
        targets: list[_Target]
        people = Q()  # the curator code is the school's, not a person's
        if role in (Role.STUDENT, Role.PARENT):
            students = _students_for(school=school, school_class=school_class)
            if role == Role.STUDENT:
                students = students.filter(user__isnull=True)
            per_student = 1 if role == Role.STUDENT else settings.EJOURNAL_PARENT_CODES_PER_STUDENT
            targets = [_Target(student=s) for s in students for _ in range(per_student)]
            people = Q(student__in=students.values("pk"))
        elif role == Role.TEACHER:
            teachers = Teacher.objects.filter(
                school=school, archived_at__isnull=True, user__isnull=True
            ).order_by("last_name", "first_name", "middle_name", "pk")
            targets = [_Target(teacher=t) for t in teachers]
            people = Q(teacher__in=teachers.values("pk"))
        else:
            targets = [_Target()]
        if not targets:
            return []

        revoked = 0
        if revoke_previous:
            revoked = _revoke_usable(school=school, role=role, people=people)
        issued = _create(school=school, role=role, targets=targets, actor=actor)
        audit_record(
            school=school,
            actor=actor,
            action=AuditAction.INVITATIONS_ISSUED,
            target=school_class,
            after={
                "role": role.value,
                "class": school_class.label if school_class else "",
                "issued": len(issued),
                "revoked": revoked,
            },
        )
    return issued


def invitation_reissue(
    *, school: School, role: Role, person: Student | Teacher, actor: User | None
) -> list[IssuedInvitation]:
    """Fresh codes for one person whose paper got lost; their earlier usable codes of the role
    stop working.

    Student and parent codes are for a Student (parents get the per-student count of codes),
    teacher codes for a Teacher. Codes of other roles and other people stay as they are.
    """
    role = _check_role(role, REISSUABLE_ROLES)
    if person.school_id != school.pk:
        raise ValidationError("Человек не из этой школы.")
    if person.archived_at is not None:
        raise ValidationError(f"{person.full_name}: выбыл(а) из школы, коды не выдаются.")

    if role in (Role.STUDENT, Role.PARENT):
        if not isinstance(person, Student):
            raise ValidationError("Коды учеников и родителей выдаются по ученику.")
        if role == Role.STUDENT and person.user_id is not None:
            raise ValidationError(f"{person.full_name}: у ученика уже есть аккаунт.")
        count = 1 if role == Role.STUDENT else settings.EJOURNAL_PARENT_CODES_PER_STUDENT
        targets = [_Target(student=person)] * count
        people = Q(student=person)
    else:
        if not isinstance(person, Teacher):
            raise ValidationError("Коды учителей выдаются по учителю.")
        if person.user_id is not None:
            raise ValidationError(f"{person.full_name}: у учителя уже есть аккаунт.")
        targets = [_Target(teacher=person)]
        people = Q(teacher=person)

    with transaction.atomic():
        revoked = _revoke_usable(school=school, role=role, people=people)
        issued = _create(school=school, role=role, targets=targets, actor=actor)
        audit_record(
            school=school,
            actor=actor,
            action=AuditAction.INVITATIONS_ISSUED,
            target=person,
            after={"role": role.value, "issued": len(issued), "revoked": revoked, "reissue": True},
        )
    return issued


def invitation_revoke(*, invitation: Invitation, actor: User | None) -> None:
    """The code stops working. A used code can't be revoked; revoking twice changes nothing."""
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.redeemed_at is not None:
            raise ValidationError("Код уже использован: отозвать его нельзя.")
        if locked.revoked_at is not None:
            invitation.revoked_at = locked.revoked_at
            return
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at", "updated_at"])
        invitation.revoked_at = locked.revoked_at
        audit_record(
            school=locked.school,
            actor=actor,
            action=AuditAction.INVITATIONS_REVOKED,
            target=locked,
            after={"role": locked.role, "class": locked.class_label, "revoked": 1},
        )


def invitation_find_usable(*, school: School, code: str) -> Invitation | None:
    """The school's usable invitation with this code, however it was typed; None otherwise."""
    normalized = codes.normalize_code(code)
    if not normalized:
        return None
    return (
        Invitation.objects.usable()
        .filter(school=school, code_hash=codes.hash_code(normalized))
        .select_related("student__school_class", "teacher")
        .first()
    )
