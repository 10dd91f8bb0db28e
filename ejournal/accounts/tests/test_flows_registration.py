"""Registration's steps through the flow, with a plain dict as the session: what any
client with a session-like store (the web's Django session, an API's) drives."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ejournal.accounts.flows.codes import children_check
from ejournal.accounts.flows.registration import (
    registration_complete,
    registration_done,
    registration_start,
    registration_state,
)
from ejournal.accounts.models import User
from ejournal.accounts.registration import InvitationUnusable, account_register
from ejournal.invitations.codes import hash_code
from ejournal.invitations.models import Invitation
from ejournal.schools.models import Guardianship
from ejournal.schools.roles import Role

from .registration_helpers import (  # noqa: F401 — fixtures
    GOOD_PASSWORD,
    anna_fixture,
    code_for,
    six_a_fixture,
    three_b_fixture,
    vasya_fixture,
)

pytestmark = pytest.mark.django_db

ADDRESS = "10.0.0.1"


def _start(session, school, code):
    return registration_start(session, school=school, code=code, client_address=ADDRESS)


def _complete(session, school, registrant, **fields):
    return registration_complete(
        session,
        school=school,
        registrant=registrant,
        login=fields.pop("login", "vasya"),
        password=GOOD_PASSWORD,
        **fields,
    )


def test_starting_keeps_only_the_invitations_id(school, vasya):
    session: dict = {}
    code = code_for(school, Role.STUDENT, vasya)
    registrant = _start(session, school, code)
    assert session == {"registration": {"invitation_id": registrant.invitation.pk}}
    assert registrant.invitation == Invitation.objects.get(code_hash=hash_code(code))


def test_a_wrong_code_starts_nothing(school):
    session: dict = {}
    with pytest.raises(InvitationUnusable):
        _start(session, school, "nosuchcode")
    assert session == {}


def test_the_state_is_none_before_a_start_and_the_registrant_after(school, vasya):
    session: dict = {}
    assert registration_state(session, school=school) is None
    _start(session, school, code_for(school, Role.STUDENT, vasya))
    assert registration_state(session, school=school).student == vasya


@pytest.mark.parametrize("stored", [{"invitation_id": "1"}, {}, None, {"invitation_id": 10**6}])
def test_a_state_naming_no_open_invitation_is_forgotten(school, stored):
    session = {"registration": stored}
    with pytest.raises(InvitationUnusable):
        registration_state(session, school=school)
    assert session == {}


def test_a_code_revoked_after_the_start_ends_the_registration(school, vasya):
    session: dict = {}
    registrant = _start(session, school, code_for(school, Role.STUDENT, vasya))
    Invitation.objects.filter(pk=registrant.invitation.pk).update(revoked_at=timezone.now())
    with pytest.raises(InvitationUnusable):
        registration_state(session, school=school)
    assert session == {}


def test_completing_creates_the_account_redeems_the_code_and_ends_the_registration(school, vasya):
    session: dict = {}
    registrant = _start(session, school, code_for(school, Role.STUDENT, vasya))
    user = _complete(session, school, registrant)
    vasya.refresh_from_db()
    registrant.invitation.refresh_from_db()
    assert (user.role, vasya.user, registrant.invitation.redeemed_by) == (Role.STUDENT, user, user)
    assert session == {"registration_done": {"login": "vasya", "email": False}}
    assert registration_done(session) == {"login": "vasya", "email": False}
    assert registration_done(session) == {}


def test_a_parent_completes_with_the_children_lists_codes(school, vasya, anna):
    session: dict = {}
    registrant = _start(session, school, code_for(school, Role.PARENT, vasya))
    children = children_check(
        school=school,
        first=registrant.invitation,
        codes=[code_for(school, Role.PARENT, anna)],
        client_address=ADDRESS,
    )
    user = _complete(
        session,
        school,
        registrant,
        children=children,
        login="nikolaeva",
        email="elena@example.org",
        last_name="Николаева",
        first_name="Елена",
    )
    linked = Guardianship.objects.filter(parent=user).values_list("student", flat=True)
    assert set(linked) == {vasya.pk, anna.pk}


def test_a_children_list_with_a_bad_code_registers_nothing_and_keeps_the_registration(
    school, vasya
):
    session: dict = {}
    registrant = _start(session, school, code_for(school, Role.PARENT, vasya))
    children = children_check(
        school=school, first=registrant.invitation, codes=["nosuchcode"], client_address=ADDRESS
    )
    with pytest.raises(ValidationError) as refused:
        _complete(session, school, registrant, children=children, email="elena@example.org")
    assert refused.value.message_dict == {"extra_codes": ["Код №2 не найден или недействителен."]}
    assert not User.objects.exists()
    assert "registration" in session


def test_a_login_taken_is_a_field_error_and_the_registration_goes_on(school, vasya):
    User.objects.create(school=school, role=Role.CURATOR, login="Vasya")
    session: dict = {}
    registrant = _start(session, school, code_for(school, Role.STUDENT, vasya))
    with pytest.raises(ValidationError) as refused:
        _complete(session, school, registrant)
    assert refused.value.message_dict == {"login": ["Этот логин уже занят."]}
    assert registration_state(session, school=school).student == vasya


def test_a_code_used_meanwhile_ends_the_registration_with_nothing_written(school, vasya):
    session: dict = {}
    code = code_for(school, Role.STUDENT, vasya)
    registrant = _start(session, school, code)
    account_register(school=school, code=code, login="first", password=GOOD_PASSWORD)
    with pytest.raises(InvitationUnusable):
        _complete(session, school, registrant)
    assert list(User.objects.values_list("login", flat=True)) == ["first"]
    assert session == {}
