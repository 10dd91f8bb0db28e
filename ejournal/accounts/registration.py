"""Registration by invitation code, and a parent adding a child by code later.

Both redeem codes the same way (`_lock_codes`, `_redeem`): the invitation rows are locked
(`select_for_update`), checked again under the lock, and marked used in the transaction
that creates the account or the link, so a code makes exactly one account and a failure
anywhere leaves every code usable.

Every unusable code — unknown, used, revoked, expired, another school's, the wrong role —
gets the same message: telling them apart would tell a guesser which codes exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from ejournal.audit.models import AuditAction
from ejournal.audit.services import audit_record
from ejournal.invitations import codes
from ejournal.invitations.models import Invitation
from ejournal.schools.models import Guardianship, School, Student, Teacher
from ejournal.schools.roles import Role

from . import logins
from .models import User
from .passwords import password_problems
from .services import user_create

CODE_UNUSABLE = (
    "Код не найден или уже недействителен. Проверьте код или обратитесь к куратору журнала."
)
CHILD_ALREADY_LINKED = (
    "Этот ребёнок уже есть в вашем списке. Код не использован: его может ввести второй родитель."
)
EMAIL_REQUIRED = "Родителям нужно указать адрес электронной почты."
# More extra codes than children a family could have in one school is not a registration.
MAX_EXTRA_CODES = 10
TOO_MANY_CODES = f"Не больше {MAX_EXTRA_CODES} дополнительных кодов за раз."
# Longer input is no code, however it was typed.
MAX_CODE_INPUT = 64
_LOGIN_CONSTRAINT = "user_unique_login_per_school"


def extra_code_unusable(number: int) -> str:
    """ "Код №2 не найден или недействителен." — the codes of the "Дети" list are numbered."""
    return f"Код №{number} не найден или недействителен."


class InvitationUnusable(ValidationError):
    """The code the registration started with can no longer be used."""

    def __init__(self) -> None:
        super().__init__(CODE_UNUSABLE, code="invitation_unusable")


@dataclass(frozen=True)
class Registrant:
    """Who an invitation registers: the school's record of the person, if it has one."""

    invitation: Invitation
    student: Student | None
    teacher: Teacher | None

    @property
    def role(self) -> Role:
        return Role(self.invitation.role)

    @property
    def names_from_school(self) -> bool:
        """Students' and teachers' names come from the school and are not typed."""
        return self.role in (Role.STUDENT, Role.TEACHER)

    @property
    def names(self) -> tuple[str, str, str]:
        person = self.student if self.role == Role.STUDENT else self.teacher
        if person is None:
            return ("", "", "")
        return (person.last_name, person.first_name, person.middle_name)

    @property
    def birth_date(self) -> dt.date | None:
        return self.student.birth_date if self.role == Role.STUDENT and self.student else None


def invitation_open(invitation: Invitation, *, school: School, now: dt.datetime) -> bool:
    """Whether this invitation can still be redeemed at this school.

    Besides the code's own state: its person must still be at the school, and a student's
    or teacher's code must not find them with an account already (two codes issued without
    revoking the first would otherwise give one person two accounts).
    """
    if invitation.school_id != school.pk:
        return False
    if invitation.redeemed_at is not None or invitation.revoked_at is not None:
        return False
    if invitation.expires_at <= now:
        return False
    role = invitation.role
    if role in (Role.STUDENT, Role.PARENT):
        student = invitation.student
        if student is None or student.archived_at is not None or student.school_id != school.pk:
            return False
        return role == Role.PARENT or student.user_id is None
    if role == Role.TEACHER:
        teacher = invitation.teacher
        return (
            teacher is not None
            and teacher.archived_at is None
            and teacher.user_id is None
            and teacher.school_id == school.pk
        )
    return role == Role.CURATOR


def registrant_find(
    *, school: School, invitation_id: int | None = None, code: str | None = None
) -> Registrant | None:
    """The person an invitation (by id or by code) would register; None if it is not open.

    Reads without locking: for showing the second step, not for redeeming.
    """
    invitations = Invitation.objects.filter(school=school).select_related(
        "student__school_class", "teacher"
    )
    if invitation_id is not None:
        invitation = invitations.filter(pk=invitation_id).first()
    elif code is not None and len(code) <= MAX_CODE_INPUT and codes.normalize_code(code):
        invitation = invitations.filter(code_hash=codes.hash_code(code)).first()
    else:
        return None
    if invitation is None or not invitation_open(invitation, school=school, now=timezone.now()):
        return None
    return Registrant(invitation=invitation, student=invitation.student, teacher=invitation.teacher)


def _hash_of(code: str) -> str | None:
    if len(code) > MAX_CODE_INPUT or not codes.normalize_code(code):
        return None
    return codes.hash_code(code)


def _lock_codes(
    *, school: School, invitation_id: int | None = None, hashes: Sequence[str | None] = ()
) -> tuple[Invitation | None, list[Invitation | None]]:
    """Locks the invitations named by id and by code hash, in one query in primary-key order
    (so that two registrations sharing codes can't deadlock), then the people they are for.

    Returns the invitation of `invitation_id` and one entry per hash, each None unless the
    invitation is open. People are locked as well: a student's and a teacher's account
    link is checked here, and two of their codes must not both pass.
    """
    wanted = Q(pk=invitation_id) if invitation_id is not None else Q(pk__in=[])
    known = [h for h in hashes if h]
    if known:
        wanted |= Q(code_hash__in=known)
    locked = list(
        Invitation.objects.select_for_update().filter(wanted, school=school).order_by("pk")
    )
    student_ids = sorted({i.student_id for i in locked if i.student_id})
    teacher_ids = sorted({i.teacher_id for i in locked if i.teacher_id})
    students = Student.objects.select_for_update(of=("self",)).select_related("school_class")
    teachers = Teacher.objects.select_for_update()
    by_student = {s.pk: s for s in students.filter(pk__in=student_ids).order_by("pk")}
    by_teacher = {t.pk: t for t in teachers.filter(pk__in=teacher_ids).order_by("pk")}
    now = timezone.now()
    open_by_pk: dict[int, Invitation] = {}
    for invitation in locked:
        if invitation.student_id:
            invitation.student = by_student[invitation.student_id]
        if invitation.teacher_id:
            invitation.teacher = by_teacher[invitation.teacher_id]
        if invitation_open(invitation, school=school, now=now):
            open_by_pk[invitation.pk] = invitation
    by_hash = {i.code_hash: i for i in open_by_pk.values()}
    primary = open_by_pk.get(invitation_id) if invitation_id is not None else None
    return primary, [by_hash.get(h) if h else None for h in hashes]


def _redeem(*, user: User, invitations: Sequence[Invitation], now: dt.datetime) -> list[Student]:
    """Links the user to each locked, checked invitation's person and marks it used.

    Returns the students the user became a parent of.
    """
    children = []
    for invitation in invitations:
        if invitation.role == Role.STUDENT:
            student = invitation.student
            assert student is not None  # noqa: S101 — the database's check constraint
            student.user = user
            student.save(update_fields=["user", "updated_at"])
        elif invitation.role == Role.PARENT:
            assert invitation.student is not None  # noqa: S101 — the check constraint
            Guardianship.objects.create(
                school_id=invitation.school_id, parent=user, student=invitation.student
            )
            children.append(invitation.student)
        elif invitation.role == Role.TEACHER:
            teacher = invitation.teacher
            assert teacher is not None  # noqa: S101 — the check constraint
            teacher.user = user
            teacher.save(update_fields=["user", "updated_at"])
        invitation.redeemed_at = now
        invitation.redeemed_by = user
        invitation.save(update_fields=["redeemed_at", "redeemed_by", "updated_at"])
    return children


class ChildrenList:
    """The "Дети" list of a parent's registration, as codes are added to it.

    Starts with the child of the registration's own code (№1); each further code, numbered
    from 2 as on the page, must be an open parent code of another child.
    """

    def __init__(self, first: Invitation) -> None:
        self.invitations: list[Invitation] = []
        self._seen_invitations = {first.pk}
        self._seen_students = {first.student_id}

    def add(self, number: int, invitation: Invitation | None) -> str | None:
        """Adds the code's child; otherwise says why not (None means added)."""
        if invitation is None or invitation.role != Role.PARENT:
            return extra_code_unusable(number)
        if invitation.pk in self._seen_invitations:
            return f"Код №{number} уже введён."
        if invitation.student_id in self._seen_students:
            return f"Код №{number}: этот ребёнок уже есть в списке."
        self._seen_invitations.add(invitation.pk)
        self._seen_students.add(invitation.student_id)
        self.invitations.append(invitation)
        return None


def account_register(
    *,
    school: School,
    invitation_id: int | None = None,
    code: str | None = None,
    extra_codes: Sequence[str] = (),
    login: str,
    password: str,
    email: str = "",
    last_name: str = "",
    first_name: str = "",
    middle_name: str = "",
) -> User:
    """Creates the account an invitation (by id or by its code) is for, and redeems it and,
    for a parent, each extra parent code (one more child each): all or nothing.

    A student's and a teacher's names come from the school's record; parents and the
    curator give theirs. Parents must give an email address, others may.

    Raises InvitationUnusable when the invitation itself can't be used, and a
    ValidationError keyed by field ("login", "password", "email", "last_name",
    "first_name", "extra_codes") for everything else.
    """
    if (invitation_id is None) == (code is None):
        raise ValueError("Pass either invitation_id or code.")
    extra_codes = list(extra_codes)
    if len(extra_codes) > MAX_EXTRA_CODES:
        raise ValidationError({"extra_codes": TOO_MANY_CODES})
    email = email.strip()
    extra_hashes = [_hash_of(c) for c in extra_codes]
    with transaction.atomic():
        if code is not None:
            primary_hash = _hash_of(code)
            if primary_hash is None:
                raise InvitationUnusable
            _, (primary, *locked) = _lock_codes(school=school, hashes=[primary_hash, *extra_hashes])
        else:
            primary, locked = _lock_codes(
                school=school, invitation_id=invitation_id, hashes=extra_hashes
            )
        if primary is None:
            raise InvitationUnusable
        registrant = Registrant(
            invitation=primary, student=primary.student, teacher=primary.teacher
        )
        role = registrant.role

        errors: dict[str, list[str]] = {}
        children = ChildrenList(primary)
        if role == Role.PARENT:
            extra_errors = [
                problem
                for index, (typed, invitation) in enumerate(zip(extra_codes, locked, strict=True))
                if typed.strip() and (problem := children.add(index + 2, invitation))
            ]
            if extra_errors:
                errors["extra_codes"] = extra_errors
        elif any(c.strip() for c in extra_codes):
            errors[NON_FIELD_ERRORS] = ["Дополнительные коды вводят только родители."]

        if registrant.names_from_school:
            last_name, first_name, middle_name = registrant.names
        else:
            last_name, first_name, middle_name = (
                last_name.strip(),
                first_name.strip(),
                middle_name.strip(),
            )
            if not last_name:
                errors["last_name"] = ["Укажите фамилию."]
            if not first_name:
                errors["first_name"] = ["Укажите имя."]
        if role == Role.PARENT and not email:
            errors["email"] = [EMAIL_REQUIRED]

        login_errors = logins.login_problems(login)
        if login_errors:
            errors["login"] = login_errors
        elif logins.login_taken(school_id=school.pk, login=login):
            errors["login"] = [logins.TAKEN]
        problems = password_problems(
            password,
            login=login,
            names=(last_name, first_name, middle_name),
            birth_date=registrant.birth_date,
        )
        if problems:
            errors["password"] = problems
        if errors:
            raise ValidationError(errors)

        try:
            user = user_create(
                school=school,
                role=role,
                login=login,
                password=password,
                last_name=last_name,
                first_name=first_name,
                middle_name=middle_name,
                email=email,
            )
        except (IntegrityError, ValidationError) as exc:
            # Another registration took the login between the check above and the insert:
            # caught by full_clean's constraint check or, a moment later, by the database.
            if _LOGIN_CONSTRAINT in str(exc):
                raise ValidationError({"login": [logins.TAKEN]}) from exc
            raise
        invitations = [primary, *children.invitations]
        linked = _redeem(user=user, invitations=invitations, now=timezone.now())
        audit_record(
            school=school,
            actor=user,
            action=AuditAction.ACCOUNT_REGISTERED,
            target=user,
            after={
                "role": role.value,
                "invitations": [i.pk for i in invitations],
                "children": [s.pk for s in linked],
                "email_given": bool(email),
            },
        )
    return user


def child_link(*, school: School, parent: User, code: str) -> Student:
    """A parent adds a child from the profile with the child's parent code.

    A code for a child the parent already has is refused and stays unused (the family's
    second parent may need it).
    """
    if parent.role != Role.PARENT or parent.school_id != school.pk:
        raise ValidationError("Добавлять детей по коду могут только родители.")
    digest = _hash_of(code)
    if digest is None:
        raise InvitationUnusable
    with transaction.atomic():
        _, (invitation,) = _lock_codes(school=school, hashes=[digest])
        if invitation is None or invitation.role != Role.PARENT:
            raise InvitationUnusable
        student = invitation.student
        assert student is not None  # noqa: S101 — the database's check constraint
        if Guardianship.objects.filter(school=school, parent=parent, student=student).exists():
            raise ValidationError(CHILD_ALREADY_LINKED, code="child_already_linked")
        _redeem(user=parent, invitations=[invitation], now=timezone.now())
        audit_record(
            school=school,
            actor=parent,
            action=AuditAction.CHILD_LINKED,
            target=student,
            after={"invitation": invitation.pk, "class": student.school_class.label},
        )
    return student
