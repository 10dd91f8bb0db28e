"""Writes for invitation codes: issue, reissue, revoke; and the lookup redemption builds on.

Whom codes are for is decided here; creating the rows with fresh codes is `issuing.py`.
The audit log keeps counts, never codes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from ejournal.audit.models import AuditAction
from ejournal.audit.services import audit_record
from ejournal.schools.models import School, SchoolClass, Student, Teacher
from ejournal.schools.roles import Role
from ejournal.schools.selectors import current_year

from . import codes
from .issuing import IssuedInvitation, Target, invitations_create
from .models import Invitation

if TYPE_CHECKING:
    from ejournal.accounts.models import User

ISSUABLE_ROLES = (Role.STUDENT, Role.PARENT, Role.TEACHER, Role.CURATOR)
REISSUABLE_ROLES = (Role.STUDENT, Role.PARENT, Role.TEACHER)


def _revoke_usable(*, school: School, roles: Iterable[Role], people: Q) -> int:
    """Revokes the usable codes of these roles of the people `people` names; how many."""
    now = timezone.now()
    usable = Invitation.objects.usable().filter(people, school=school, role__in=list(roles))
    return usable.update(revoked_at=now, updated_at=now)


def _check_role(role: str, allowed: tuple[Role, ...]) -> Role:
    if role not in allowed:
        label = Role(role).label if role in Role.values else role
        raise ValidationError(f"Пригласительные коды для роли «{label}» не выдаются.")
    return Role(role)


def _issue(
    *,
    school: School,
    role: Role,
    targets: list[Target],
    revoke: Q | None,
    actor: User | None,
    target: Model | None,
    after: dict[str, object],
) -> list[IssuedInvitation]:
    """Revoke the usable codes of the role of the people `revoke` names, if any; create the
    codes; one audit event with the counts."""
    revoked = 0 if revoke is None else _revoke_usable(school=school, roles=[role], people=revoke)
    issued = invitations_create(school=school, role=role, targets=targets, actor=actor)
    audit_record(
        school=school,
        actor=actor,
        action=AuditAction.INVITATIONS_ISSUED,
        target=target,
        after={"role": role.value, **after, "issued": len(issued), "revoked": revoked},
    )
    return issued


def nothing_to_issue_message(role: Role, school_class: SchoolClass | None) -> str:
    """Why invitations_issue() gave no codes, for the curator's page and the command."""
    where = f"в классе {school_class.label}" if school_class else "в классах этого учебного года"
    if role == Role.STUDENT:
        return f"Выдавать нечего: у всех учеников {where} уже есть аккаунты."
    if role == Role.PARENT:
        return f"Выдавать нечего: {where} нет учеников."
    return "Выдавать нечего: у всех учителей уже есть аккаунты."


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
        targets: list[Target]
        people = Q()  # the curator code is the school's, not a person's
        if role in (Role.STUDENT, Role.PARENT):
            students = _students_for(school=school, school_class=school_class)
            if role == Role.STUDENT:
                students = students.filter(user__isnull=True)
            per_student = 1 if role == Role.STUDENT else settings.EJOURNAL_PARENT_CODES_PER_STUDENT
            targets = [Target(student=s) for s in students for _ in range(per_student)]
            people = Q(student__in=students.values("pk"))
        elif role == Role.TEACHER:
            teachers = Teacher.objects.filter(
                school=school, archived_at__isnull=True, user__isnull=True
            ).order_by("last_name", "first_name", "middle_name", "pk")
            targets = [Target(teacher=t) for t in teachers]
            people = Q(teacher__in=teachers.values("pk"))
        else:
            targets = [Target()]
        if not targets:
            return []
        return _issue(
            school=school,
            role=role,
            targets=targets,
            revoke=people if revoke_previous else None,
            actor=actor,
            target=school_class,
            after={"class": school_class.label if school_class else ""},
        )


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
        targets = [Target(student=person)] * count
        people = Q(student=person)
    else:
        if not isinstance(person, Teacher):
            raise ValidationError("Коды учителей выдаются по учителю.")
        if person.user_id is not None:
            raise ValidationError(f"{person.full_name}: у учителя уже есть аккаунт.")
        targets = [Target(teacher=person)]
        people = Q(teacher=person)

    with transaction.atomic():
        return _issue(
            school=school,
            role=role,
            targets=targets,
            revoke=people,
            actor=actor,
            target=person,
            after={"reissue": True},
        )


def invitations_revoke_for_person(
    *,
    school: School,
    student: Student | None = None,
    teacher: Teacher | None = None,
    roles: Iterable[Role],
    actor: User | None,
) -> int:
    """The usable codes of these roles made out to one person stop working; how many.

    A student's own code and their parents' codes are all made out to the student, so a
    student who leaves takes `roles=(Role.STUDENT, Role.PARENT)`. Audited when any code was
    revoked.
    """
    person = student if teacher is None else teacher
    if person is None or (student is not None and teacher is not None):
        raise ValueError("Name exactly one person: a student or a teacher.")
    if person.school_id != school.pk:
        raise ValidationError("Человек не из этой школы.")
    roles = [_check_role(role, REISSUABLE_ROLES) for role in roles]
    people = Q(student=student) if student is not None else Q(teacher=teacher)
    with transaction.atomic():
        revoked = _revoke_usable(school=school, roles=roles, people=people)
        if revoked:
            audit_record(
                school=school,
                actor=actor,
                action=AuditAction.INVITATIONS_REVOKED,
                target=person,
                after={"roles": [role.value for role in roles], "revoked": revoked},
            )
    return revoked


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
