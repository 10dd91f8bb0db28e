"""account_register and child_link: one transaction each, every code checked under lock."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from unittest import mock

import pytest
import time_machine
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Model
from django.utils import timezone

from ejournal.accounts import passwords, registration
from ejournal.accounts.logins import TAKEN
from ejournal.accounts.models import User
from ejournal.accounts.registration import (
    CHILD_ALREADY_LINKED,
    CODE_UNUSABLE,
    MAX_EXTRA_CODES,
    InvitationUnusable,
    account_register,
    child_link,
)
from ejournal.audit.models import AuditAction, AuditEvent
from ejournal.core.testing.factories import UserFactory
from ejournal.invitations import codes
from ejournal.invitations.models import Invitation
from ejournal.invitations.services import invitation_revoke, invitations_issue
from ejournal.schools.models import Guardianship
from ejournal.schools.roles import Role

from .registration_helpers import (  # noqa: F401 — fixtures
    GOOD_PASSWORD,
    anna_fixture,
    code_for,
    codes_for,
    six_a_fixture,
    teacher_fixture,
    three_b_fixture,
    vasya_fixture,
)

pytestmark = pytest.mark.django_db


def _invitation(code: str) -> Invitation:
    return Invitation.objects.get(code_hash=codes.hash_code(code))


def _as_parent(school, code, **fields):
    return account_register(
        school=school,
        code=code,
        login=fields.pop("login", "nikolaeva"),
        password=fields.pop("password", GOOD_PASSWORD),
        email=fields.pop("email", "elena@example.org"),
        last_name=fields.pop("last_name", "Николаева"),
        first_name=fields.pop("first_name", "Елена"),
        middle_name=fields.pop("middle_name", "Сергеевна"),
        **fields,
    )


def _errors(caught: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return caught.value.message_dict


def _used(code: str) -> bool:
    return _invitation(code).redeemed_at is not None


# Students, teachers and the curator.


def test_a_student_registers_with_the_schools_name_and_without_email(school, vasya):
    code = code_for(school, Role.STUDENT, vasya)
    user = account_register(
        school=school,
        invitation_id=_invitation(code).pk,
        login="vasya",
        password=GOOD_PASSWORD,
        # Typed names are ignored: the school's record is the truth for students.
        last_name="Хакер",
    )
    vasya.refresh_from_db()
    invitation = _invitation(code)
    assert (user.role, user.school, user.email) == (Role.STUDENT, school, "")
    assert (user.last_name, user.first_name, user.middle_name) == (
        "Николаев",
        "Василий",
        "Петрович",
    )
    assert vasya.user == user
    assert invitation.redeemed_by == user
    assert invitation.redeemed_at is not None
    assert user.check_password(GOOD_PASSWORD)
    assert not user.must_change_password


def test_registration_takes_the_code_as_typed(school, vasya):
    code = code_for(school, Role.STUDENT, vasya)
    typed = " " + "-".join([code[:3].upper(), code[3:6], code[6:]]) + " "
    user = account_register(school=school, code=typed, login="vasya", password=GOOD_PASSWORD)
    assert user.student == vasya


def test_a_teacher_registers_with_the_schools_name_and_an_optional_email(school, teacher):
    code = code_for(school, Role.TEACHER, teacher)
    user = account_register(
        school=school, code=code, login="ivanova", password=GOOD_PASSWORD, email=""
    )
    teacher.refresh_from_db()
    assert teacher.user == user
    assert (user.role, user.full_name) == (Role.TEACHER, "Иванова Мария Петровна")


def test_the_curator_code_makes_a_curator_with_the_names_given(school):
    code = code_for(school, Role.CURATOR)
    user = account_register(
        school=school,
        code=code,
        login="zavuch",
        password=GOOD_PASSWORD,
        last_name="Смирнова",
        first_name="Ольга",
    )
    assert (user.role, user.full_name, user.email) == (Role.CURATOR, "Смирнова Ольга", "")


def test_the_curator_must_give_a_name(school):
    code = code_for(school, Role.CURATOR)
    with pytest.raises(ValidationError) as caught:
        account_register(school=school, code=code, login="zavuch", password=GOOD_PASSWORD)
    assert _errors(caught) == {"last_name": ["Укажите фамилию."], "first_name": ["Укажите имя."]}


# Parents.


def test_a_parent_registers_with_two_childrens_codes_of_two_classes(school, vasya, anna):
    first = codes_for(school, Role.PARENT, vasya)[0]
    second = codes_for(school, Role.PARENT, anna)[0]
    user = _as_parent(school, first, extra_codes=[second])
    children = Guardianship.objects.filter(parent=user).values_list("student", flat=True)
    assert sorted(children) == sorted([vasya.pk, anna.pk])
    assert _used(first)
    assert _used(second)
    assert (user.role, user.full_name, user.email) == (
        Role.PARENT,
        "Николаева Елена Сергеевна",
        "elena@example.org",
    )


def test_a_parent_must_give_an_email_address(school, vasya):
    code = codes_for(school, Role.PARENT, vasya)[0]
    with pytest.raises(ValidationError) as caught:
        _as_parent(school, code, email="  ")
    assert _errors(caught) == {"email": ["Родителям нужно указать адрес электронной почты."]}
    assert not User.objects.filter(login="nikolaeva").exists()


def test_one_bad_extra_code_leaves_no_account_and_every_code_usable(school, vasya, anna):
    first = codes_for(school, Role.PARENT, vasya)[0]
    second = codes_for(school, Role.PARENT, anna)[0]
    with pytest.raises(ValidationError) as caught:
        _as_parent(school, first, extra_codes=[second, "nonsense42"])
    assert _errors(caught) == {"extra_codes": ["Код №3 не найден или недействителен."]}
    assert not User.objects.filter(login="nikolaeva").exists()
    assert not Guardianship.objects.exists()
    assert not _used(first)
    assert not _used(second)


def test_an_error_after_the_redemptions_rolls_them_back(school, vasya, anna):
    """All or nothing even when the very last write fails."""
    first = codes_for(school, Role.PARENT, vasya)[0]
    second = codes_for(school, Role.PARENT, anna)[0]
    with (
        mock.patch.object(registration, "audit_record", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        _as_parent(school, first, extra_codes=[second])
    assert not User.objects.filter(login="nikolaeva").exists()
    assert not Guardianship.objects.exists()
    assert not _used(first)
    assert not _used(second)


def test_a_student_code_is_no_extra_parent_code(school, vasya, anna):
    first = codes_for(school, Role.PARENT, vasya)[0]
    student_code = code_for(school, Role.STUDENT, anna)
    with pytest.raises(ValidationError) as caught:
        _as_parent(school, first, extra_codes=[student_code])
    assert _errors(caught) == {"extra_codes": ["Код №2 не найден или недействителен."]}
    assert not _used(student_code)


def test_both_parent_codes_of_one_child_are_not_two_children(school, vasya):
    mother_code, father_code = codes_for(school, Role.PARENT, vasya)
    with pytest.raises(ValidationError) as caught:
        _as_parent(school, mother_code, extra_codes=[father_code])
    assert _errors(caught) == {"extra_codes": ["Код №2: этот ребёнок уже есть в списке."]}
    assert not _used(father_code)


def test_the_first_code_again_among_the_extras_is_named(school, vasya):
    code = codes_for(school, Role.PARENT, vasya)[0]
    with pytest.raises(ValidationError) as caught:
        _as_parent(school, code, extra_codes=["", code.upper()])
    assert _errors(caught) == {"extra_codes": ["Код №3 уже введён."]}


def test_extra_codes_are_for_parents_only(school, vasya, anna):
    code = code_for(school, Role.STUDENT, vasya)
    other = codes_for(school, Role.PARENT, anna)[0]
    with pytest.raises(ValidationError) as caught:
        account_register(
            school=school, code=code, extra_codes=[other], login="vasya", password=GOOD_PASSWORD
        )
    assert _errors(caught) == {NON_FIELD_ERRORS: ["Дополнительные коды вводят только родители."]}


def test_at_most_ten_extra_codes(school, vasya):
    code = codes_for(school, Role.PARENT, vasya)[0]
    with pytest.raises(ValidationError) as caught:
        _as_parent(school, code, extra_codes=["abc"] * (MAX_EXTRA_CODES + 1))
    assert _errors(caught) == {"extra_codes": ["Не больше 10 дополнительных кодов за раз."]}


# Codes that can't be used.


def test_a_used_code_does_not_work_twice(school, vasya):
    code = codes_for(school, Role.PARENT, vasya)[0]
    _as_parent(school, code)
    with pytest.raises(InvitationUnusable) as caught:
        _as_parent(school, code, login="another")
    assert caught.value.messages == [CODE_UNUSABLE]


def test_a_revoked_code_does_not_work(school, vasya):
    code = code_for(school, Role.STUDENT, vasya)
    invitation_revoke(invitation=_invitation(code), actor=None)
    with pytest.raises(InvitationUnusable):
        account_register(school=school, code=code, login="vasya", password=GOOD_PASSWORD)


def test_an_expired_code_does_not_work(school, vasya):
    code = code_for(school, Role.STUDENT, vasya)
    later = _invitation(code).expires_at + dt.timedelta(seconds=1)
    with time_machine.travel(later), pytest.raises(InvitationUnusable):
        account_register(school=school, code=code, login="vasya", password=GOOD_PASSWORD)


def test_another_schools_code_does_not_work_here(school, other_school, vasya):
    code = code_for(school, Role.STUDENT, vasya)
    with pytest.raises(InvitationUnusable):
        account_register(school=other_school, code=code, login="vasya", password=GOOD_PASSWORD)
    with pytest.raises(InvitationUnusable):
        account_register(
            school=other_school,
            invitation_id=_invitation(code).pk,
            login="vasya",
            password=GOOD_PASSWORD,
        )


def test_a_second_student_code_finds_the_account_made_with_the_first(school, six_a, vasya):
    """Codes issued twice without revoking: the student still gets one account."""
    first = invitations_issue(school=school, role=Role.STUDENT, actor=None, school_class=six_a)
    second = invitations_issue(school=school, role=Role.STUDENT, actor=None, school_class=six_a)
    account_register(school=school, code=first[0].code, login="vasya", password=GOOD_PASSWORD)
    with pytest.raises(InvitationUnusable):
        account_register(school=school, code=second[0].code, login="vasya2", password=GOOD_PASSWORD)
    assert User.objects.filter(role=Role.STUDENT).count() == 1


def test_a_code_of_a_student_who_left_does_not_work(school, vasya):
    code = codes_for(school, Role.PARENT, vasya)[0]
    type(vasya).objects.filter(pk=vasya.pk).update(archived_at=timezone.now())
    with pytest.raises(InvitationUnusable):
        _as_parent(school, code)


# Login and password.


def test_a_login_taken_in_another_case_is_refused(school, vasya):
    UserFactory(school=school, role=Role.PARENT, login="Vasya")
    code = code_for(school, Role.STUDENT, vasya)
    with pytest.raises(ValidationError) as caught:
        account_register(school=school, code=code, login="vASYA", password=GOOD_PASSWORD)
    assert _errors(caught) == {"login": [TAKEN]}
    assert not _used(code)


@pytest.mark.parametrize("skip_model_check", [False, True], ids=["full_clean", "database"])
def test_a_login_taken_during_the_registration_gives_the_same_message(
    school, vasya, skip_model_check
):
    """The check before the insert passed, then someone else took the login: whether the
    model's constraint check or the database's unique index notices, the answer is TAKEN."""
    UserFactory(school=school, role=Role.PARENT, login="vasya")
    code = code_for(school, Role.STUDENT, vasya)
    with contextlib.ExitStack() as stack:
        stack.enter_context(
            mock.patch.object(registration.logins, "login_taken", return_value=False)
        )
        if skip_model_check:
            stack.enter_context(mock.patch.object(Model, "validate_constraints"))
        caught = stack.enter_context(pytest.raises(ValidationError))
        account_register(school=school, code=code, login="VASYA", password=GOOD_PASSWORD)
    assert _errors(caught) == {"login": [TAKEN]}
    assert not _used(code)


def test_a_cyrillic_login_is_refused(school, vasya):
    code = code_for(school, Role.STUDENT, vasya)
    with pytest.raises(ValidationError) as caught:
        account_register(school=school, code=code, login="vаsya", password=GOOD_PASSWORD)
    assert "«а»" in _errors(caught)["login"][0]


def test_the_password_rule_knows_the_students_names_and_birth_date(school, vasya):
    code = code_for(school, Role.STUDENT, vasya)
    with pytest.raises(ValidationError) as caught:
        account_register(school=school, code=code, login="vasya", password="Vasiliy12052010")
    assert _errors(caught) == {
        "password": [
            "Пароль не должен содержать ваши фамилию, имя или отчество.",
            "Пароль не должен содержать дату рождения.",
        ]
    }


def test_the_password_rule_knows_the_parents_typed_names(school, vasya):
    code = codes_for(school, Role.PARENT, vasya)[0]
    with pytest.raises(ValidationError) as caught:
        _as_parent(school, code, password="elena2026abc")
    assert _errors(caught) == {
        "password": ["Пароль не должен содержать ваши фамилию, имя или отчество."]
    }


def test_names_are_also_checked_as_spelt_in_latin_letters():
    spelt = passwords.name_spellings(("Николаев", "Василий", "Юлия", "Хабибуллин"))
    for name in ("nikolaev", "vasilii", "vasiliy", "vasilij", "iuliia", "yuliya", "julija"):
        assert name in spelt
    assert "khabibullin" in spelt
    assert "habibullin" in spelt


# The audit.


def test_one_audit_event_without_any_code(school, vasya, anna):
    first = codes_for(school, Role.PARENT, vasya)[0]
    second = codes_for(school, Role.PARENT, anna)[0]
    AuditEvent.objects.all().delete()
    user = _as_parent(school, first, extra_codes=[second])
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.target_id) == (
        AuditAction.ACCOUNT_REGISTERED,
        user,
        user.pk,
    )
    recorded = json.dumps([event.before, event.after])
    for code in (first, second):
        assert code not in recorded
        assert codes.hash_code(code) not in recorded
    assert event.after["children"] == [vasya.pk, anna.pk]


# A parent adds a child later.


@pytest.fixture
def parent(school, vasya):
    user = UserFactory(school=school, role=Role.PARENT, login="nikolaeva")
    Guardianship.objects.create(school=school, parent=user, student=vasya)
    return user


def test_a_parent_adds_a_child_with_a_code(school, parent, anna):
    code = codes_for(school, Role.PARENT, anna)[1]
    AuditEvent.objects.all().delete()
    assert child_link(school=school, parent=parent, code=code.upper()) == anna
    assert Guardianship.objects.filter(parent=parent, student=anna).exists()
    assert _invitation(code).redeemed_by == parent
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.target_id) == (
        AuditAction.CHILD_LINKED,
        parent,
        anna.pk,
    )
    assert code not in json.dumps(event.after)


def test_a_code_for_a_child_already_linked_is_refused_and_not_used(school, parent, vasya):
    code = codes_for(school, Role.PARENT, vasya)[1]
    with pytest.raises(ValidationError) as caught:
        child_link(school=school, parent=parent, code=code)
    assert caught.value.messages == [CHILD_ALREADY_LINKED]
    assert not _used(code)


@pytest.mark.parametrize("kind", ["unknown", "student code", "used"])
def test_a_bad_code_adds_no_child(school, parent, anna, kind):
    if kind == "unknown":
        code = "nonsense42"
    elif kind == "student code":
        code = code_for(school, Role.STUDENT, anna)
    else:
        code = codes_for(school, Role.PARENT, anna)[0]
        child_link(school=school, parent=parent, code=code)
        Guardianship.objects.filter(student=anna).delete()
    with pytest.raises(ValidationError) as caught:
        child_link(school=school, parent=parent, code=code)
    assert caught.value.messages == [CODE_UNUSABLE]
    assert not Guardianship.objects.filter(student=anna).exists()


def test_only_parents_add_children(school, anna):
    student_user = UserFactory(school=school, role=Role.STUDENT)
    code = codes_for(school, Role.PARENT, anna)[0]
    with pytest.raises(ValidationError):
        child_link(school=school, parent=student_user, code=code)
    assert not _used(code)
