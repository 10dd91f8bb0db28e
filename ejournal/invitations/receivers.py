"""The invitations' answers to what the schools app tells (schools/signals.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.dispatch import receiver

from ejournal.schools.models import Student, Teacher
from ejournal.schools.roles import Role
from ejournal.schools.signals import person_left

from .services import invitations_revoke_for_person

if TYPE_CHECKING:
    from ejournal.accounts.models import User


@receiver(person_left)
def person_left_revoke(
    sender: type, *, person: Student | Teacher, actor: User | None, **kwargs: Any
) -> int:
    """A person who left keeps no usable code: a student's own and their parents' codes (all
    made out to the student), a teacher's own. How many were revoked."""
    if isinstance(person, Student):
        return invitations_revoke_for_person(
            school=person.school, student=person, roles=(Role.STUDENT, Role.PARENT), actor=actor
        )
    return invitations_revoke_for_person(
        school=person.school, teacher=person, roles=(Role.TEACHER,), actor=actor
    )
