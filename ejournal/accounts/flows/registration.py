"""Registration by invitation code in steps, over a session-like mapping.

1. `registration_start`: a code (throttled, `codes.code_check`) starts a registration; the
   session keeps only the invitation's id, never the code.
2. `registration_state`: whom the started registration is for, looked up again each time.
3. `registration_complete`: with `codes.children_check`'s "Дети" list, creates the account
   (`registration.account_register`: the account and every code's redemption in one
   transaction with the invitation rows locked) and ends the registration.

The web keeps the steps in the Django session; any client with a session-like store can
drive the same ones.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.views.decorators.debug import sensitive_variables

from ejournal.schools.models import School

from ..models import User
from ..registration import InvitationUnusable, Registrant, account_register, registrant_find
from .codes import Children, code_check

SESSION_KEY = "registration"
DONE_SESSION_KEY = "registration_done"


class Session(Protocol):
    """What the steps need of a session: Django's, or a dict."""

    def get(self, key: str, /) -> Any: ...
    def pop(self, key: str, default: Any, /) -> Any: ...
    def __setitem__(self, key: str, value: Any, /) -> None: ...
    def __contains__(self, key: object, /) -> bool: ...


def registration_start(
    session: Session, *, school: School, code: str, client_address: str
) -> Registrant:
    """Starts a registration with an open code; raises `InvitationUnusable` or `Throttled`."""
    registrant = code_check(school=school, code=code, client_address=client_address)
    session[SESSION_KEY] = {"invitation_id": registrant.invitation.pk}
    return registrant


def registration_state(session: Session, *, school: School) -> Registrant | None:
    """Whom the session's registration is for; None if none was started. Raises
    `InvitationUnusable`, and forgets the registration, once its code can't be used."""
    if SESSION_KEY not in session:
        return None
    invitation_id = (session.get(SESSION_KEY) or {}).get("invitation_id")
    registrant = None
    if isinstance(invitation_id, int):
        registrant = registrant_find(school=school, invitation_id=invitation_id)
    if registrant is None:
        session.pop(SESSION_KEY, None)
        raise InvitationUnusable
    return registrant


@sensitive_variables("password")
def registration_complete(
    session: Session,
    *,
    school: School,
    registrant: Registrant,
    children: Children | None = None,
    login: str,
    password: str,
    email: str = "",
    last_name: str = "",
    first_name: str = "",
    middle_name: str = "",
) -> User:
    """Creates the account the started registration (`registrant`, from
    `registration_state`) is for, with a parent's extra codes as `children_check` found them.

    Raises `InvitationUnusable` (and forgets the registration) when its code can no longer
    be used, and a ValidationError keyed by field otherwise ("extra_codes" for the list).
    """
    if children is not None and children.problems:
        raise ValidationError({"extra_codes": children.problems})
    try:
        user = account_register(
            school=school,
            invitation_id=registrant.invitation.pk,
            extra_codes=children.codes if children is not None else (),
            login=login,
            password=password,
            email=email,
            last_name=last_name,
            first_name=first_name,
            middle_name=middle_name,
        )
    except InvitationUnusable:
        session.pop(SESSION_KEY, None)
        raise
    session.pop(SESSION_KEY, None)
    session[DONE_SESSION_KEY] = {"login": user.login, "email": bool(user.email)}
    return user


def registration_done(session: Session) -> dict[str, Any]:
    """What the page after registration tells (the login, whether an email was given),
    once."""
    done: dict[str, Any] = session.pop(DONE_SESSION_KEY, None) or {}
    return done
