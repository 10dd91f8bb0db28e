"""Typing an invitation code: on /hello, in the "Дети" list, and to add a child later.

Every code typed counts as an attempt of the client's address (INVITATION_CODE) before it
is looked up; a code found usable is released and does not count. A right code doesn't
clear the count: whoever holds one code could otherwise type it between guesses and guess
forever. Every unusable code gets the same refusal (`InvitationUnusable`), whatever the
reason, so a guesser learns nothing about which codes exist.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from ejournal.core.throttle import INVITATION_CODE
from ejournal.invitations.models import Invitation
from ejournal.schools.models import School, Student
from ejournal.schools.roles import Role

from ..models import User
from ..registration import (
    MAX_EXTRA_CODES,
    TOO_MANY_CODES,
    ChildrenList,
    InvitationUnusable,
    Registrant,
    child_link,
    registrant_find,
)
from .throttled import Throttled

CODE_THROTTLED = "Слишком много попыток ввода кода. Попробуйте снова через {wait}"


@contextmanager
def _code_attempt(client_address: str) -> Iterator[None]:
    """Counts the attempt, or raises `Throttled`; released unless the code was unusable."""
    wait = INVITATION_CODE.acquire(client_address)
    if wait:
        raise Throttled(CODE_THROTTLED, wait=wait)
    unusable = False
    try:
        yield
    except InvitationUnusable:
        unusable = True
        raise
    finally:
        if not unusable:
            INVITATION_CODE.release(client_address)


def code_check(
    *, school: School, code: str, client_address: str, role: Role | None = None
) -> Registrant:
    """Whom an open code of this school (of this role, if given) registers; raises
    `InvitationUnusable` or `Throttled`. A preview: redemption checks again under lock."""
    with _code_attempt(client_address):
        registrant = registrant_find(school=school, code=code)
        if registrant is None or (role is not None and registrant.role != role):
            raise InvitationUnusable
        return registrant


@dataclass(frozen=True)
class Children:
    """A parent registration's "Дети" list as checked: the codes typed (numbered from 2,
    as on the page), the children of the good ones, and what is wrong with the others."""

    codes: tuple[str, ...]
    students: list[Student]
    problems: list[ValidationError]


def children_check(
    *, school: School, first: Invitation, codes: Sequence[str], client_address: str
) -> Children:
    """Checks each extra parent code after the registration's own (`first`): an open parent
    code of another child. Stops at the first throttled code; raises past MAX_EXTRA_CODES."""
    if len(codes) > MAX_EXTRA_CODES:
        raise ValidationError(TOO_MANY_CODES, code="too_many_codes")
    children = ChildrenList(first)
    problems: list[ValidationError] = []
    for index, code in enumerate(codes):
        if not code:
            continue
        try:
            invitation: Invitation | None = code_check(
                school=school, code=code, client_address=client_address, role=Role.PARENT
            ).invitation
        except InvitationUnusable:
            invitation = None
        except Throttled as throttled:
            problems.append(throttled)
            break
        problem = children.add(index + 2, invitation)
        if problem:
            problems.append(ValidationError(problem, code="extra_code"))
    students = [i.student for i in children.invitations if i.student]
    return Children(codes=tuple(codes), students=students, problems=problems)


def child_add(*, school: School, parent: User, code: str, client_address: str) -> Student:
    """A parent adds a child with the child's parent code (`registration.child_link`),
    throttled like every code; raises `Throttled`, `InvitationUnusable` or another
    ValidationError (a child already linked: the code stays unused)."""
    with _code_attempt(client_address):
        return child_link(school=school, parent=parent, code=code)
