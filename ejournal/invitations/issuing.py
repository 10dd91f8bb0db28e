"""Creating invitation rows with fresh codes; the services decide for whom.

A plain code lives only in the IssuedInvitation returned to the caller, which prints it
and forgets it: the database keeps the keyed hash.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from ejournal.schools.models import School, Student, Teacher
from ejournal.schools.roles import Role

from . import codes
from .models import Invitation

if TYPE_CHECKING:
    from ejournal.accounts.models import User

# Keeps each `code_hash IN (...)` well under SQLite's limit on query parameters.
_LOOKUP_CHUNK = 500


@dataclass(frozen=True)
class IssuedInvitation:
    """A saved invitation and its plain code, which exists nowhere else."""

    invitation: Invitation
    code: str = field(repr=False)  # keep codes out of tracebacks and debug logs


@dataclass(frozen=True)
class Target:
    """Whom one code is made out to: a student (their own or a parent code), a teacher, or
    nobody (the curator code)."""

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


def invitations_create(
    *, school: School, role: Role, targets: list[Target], actor: User | None
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
