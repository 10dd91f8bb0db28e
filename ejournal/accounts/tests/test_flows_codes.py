"""Typing invitation codes, each rule once, through the flows every front end calls:
`code_check` (/hello), `children_check` (the "Дети" list) and `child_add` (the profile)."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from ejournal.accounts.flows.codes import child_add, children_check, code_check
from ejournal.accounts.flows.throttled import Throttled
from ejournal.accounts.registration import CHILD_ALREADY_LINKED, InvitationUnusable
from ejournal.core.testing.factories import StudentFactory, UserFactory
from ejournal.core.throttle import INVITATION_CODE
from ejournal.invitations.codes import hash_code
from ejournal.invitations.models import Invitation
from ejournal.schools.models import Guardianship
from ejournal.schools.roles import Role

from .registration_helpers import (  # noqa: F401 — fixtures
    GENERIC,
    anna_fixture,
    code_for,
    six_a_fixture,
    teacher_fixture,
    three_b_fixture,
    vasya_fixture,
)

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)
ADDRESS = "10.0.0.1"
THROTTLED_30 = "Слишком много попыток ввода кода. Попробуйте снова через 30 сек."


def _check(school, code, **kwargs):
    return code_check(school=school, code=code, client_address=ADDRESS, **kwargs)


def _unusable(school, code, **kwargs) -> ValidationError:
    with pytest.raises(InvitationUnusable) as refused:
        _check(school, code, **kwargs)
    return refused.value


def _guess(school, times):
    for n in range(times):
        _unusable(school, f"guess{n:05d}")


def test_an_open_code_names_whom_it_registers(school, vasya, teacher):
    registrant = _check(school, code_for(school, Role.STUDENT, vasya))
    assert (registrant.role, registrant.student) == (Role.STUDENT, vasya)
    assert _check(school, code_for(school, Role.TEACHER, teacher)).teacher == teacher


def test_every_unusable_code_gets_the_same_refusal(school, other_school, vasya):
    others = StudentFactory(school_class__school=other_school)
    refusals = [
        _unusable(school, "nosuchcode"),
        _unusable(school, code_for(other_school, Role.STUDENT, others)),
        _unusable(school, code_for(school, Role.STUDENT, vasya), role=Role.PARENT),
        _unusable(school, "x" * 100),
    ]
    assert {(r.code, r.messages[0]) for r in refusals} == {("invitation_unusable", GENERIC)}


def test_after_the_free_wrong_codes_even_a_right_one_waits(school, vasya):
    right = code_for(school, Role.STUDENT, vasya)
    with time_machine.travel(START, tick=False):
        _guess(school, INVITATION_CODE.free + 1)
        with pytest.raises(Throttled) as throttled:
            _check(school, right)
    assert (throttled.value.code, throttled.value.wait) == ("throttled", 30)
    assert throttled.value.messages == [THROTTLED_30]


def test_a_right_code_does_not_count_but_does_not_forget_the_wrong_ones(school, vasya):
    right = code_for(school, Role.STUDENT, vasya)
    with time_machine.travel(START, tick=False):
        _guess(school, INVITATION_CODE.free)
        for _ in range(5):
            _check(school, right)
        _guess(school, 1)
        assert INVITATION_CODE.wait(ADDRESS) == 30


def test_the_children_list_numbers_each_problem_and_lists_the_good_codes_children(
    school, vasya, anna
):
    first = _check(school, code_for(school, Role.PARENT, vasya)).invitation
    annas = code_for(school, Role.PARENT, anna)
    children = children_check(
        school=school,
        first=first,
        codes=["", annas, "nosuchcode", annas, code_for(school, Role.PARENT, vasya)],
        client_address=ADDRESS,
    )
    assert children.students == [anna]
    assert [p.messages[0] for p in children.problems] == [
        "Код №4 не найден или недействителен.",
        "Код №5 уже введён.",
        "Код №6: этот ребёнок уже есть в списке.",
    ]


def test_the_children_list_counts_wrong_codes_and_stops_at_the_wait(school, vasya, anna):
    first = _check(school, code_for(school, Role.PARENT, vasya)).invitation
    with time_machine.travel(START, tick=False):
        children = children_check(
            school=school,
            first=first,
            codes=[f"guess{n:05d}" for n in range(10)],
            client_address=ADDRESS,
        )
        assert len(children.problems) == 10
        _guess(school, INVITATION_CODE.free - 10 + 1)
        children = children_check(
            school=school,
            first=first,
            codes=[code_for(school, Role.PARENT, anna), "guess"],
            client_address=ADDRESS,
        )
    assert children.students == []
    assert [p.messages[0] for p in children.problems] == [THROTTLED_30]


def test_the_children_list_takes_at_most_ten_codes(school, vasya):
    first = _check(school, code_for(school, Role.PARENT, vasya)).invitation
    with pytest.raises(ValidationError) as refused:
        children_check(school=school, first=first, codes=["x"] * 11, client_address=ADDRESS)
    assert refused.value.messages == ["Не больше 10 дополнительных кодов за раз."]
    assert INVITATION_CODE.wait(ADDRESS) == 0


@pytest.fixture
def parent(school, vasya):
    parent = UserFactory(school=school, role=Role.PARENT)
    Guardianship.objects.create(school=school, parent=parent, student=vasya)
    return parent


def _add(school, parent, code):
    return child_add(school=school, parent=parent, code=code, client_address=ADDRESS)


def test_a_parent_adds_a_child_with_its_parent_code(school, parent, vasya, anna):
    assert _add(school, parent, code_for(school, Role.PARENT, anna)) == anna
    linked = Guardianship.objects.filter(parent=parent).values_list("student", flat=True)
    assert set(linked) == {vasya.pk, anna.pk}


def test_a_code_for_a_child_already_linked_is_refused_uncounted_and_kept(school, parent, vasya):
    code = code_for(school, Role.PARENT, vasya)
    with time_machine.travel(START, tick=False):
        _guess(school, INVITATION_CODE.free)
        for _ in range(3):
            with pytest.raises(ValidationError) as refused:
                _add(school, parent, code)
            assert refused.value.messages == [CHILD_ALREADY_LINKED]
        assert INVITATION_CODE.wait(ADDRESS) == 0
    assert Invitation.objects.get(code_hash=hash_code(code)).redeemed_at is None


def test_wrong_codes_to_add_a_child_count_like_any_code(school, parent, anna):
    with time_machine.travel(START, tick=False):
        for n in range(INVITATION_CODE.free + 1):
            with pytest.raises(InvitationUnusable):
                _add(school, parent, f"guess{n:05d}")
        with pytest.raises(Throttled):
            _add(school, parent, code_for(school, Role.PARENT, anna))
    assert not Guardianship.objects.filter(student=anna).exists()
