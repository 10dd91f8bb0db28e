"""The login flow, each rule once, as every front end (the web, the APIs' token login)
calls it: `login_attempt` and `current_password_check`, with no request."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError

from ejournal.accounts.devices import Device
from ejournal.accounts.flows.login import (
    INVALID_LOGIN,
    LoggedIn,
    account_key,
    current_password_check,
    login_attempt,
)
from ejournal.accounts.flows.throttled import Throttled
from ejournal.audit.models import AuditAction, AuditEvent
from ejournal.core.testing.factories import UserFactory
from ejournal.core.throttle import LOGIN_ACCOUNT, LOGIN_ADDRESS, LOGIN_DEVICE
from ejournal.schools.roles import Role

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)
RIGHT = "Zhurnal2026"
ADDRESS = "10.0.0.1"


@pytest.fixture
def teacher(school):
    return UserFactory(school=school, role=Role.TEACHER, login="ivanova")


def _attempt(school, password, *, login="ivanova", address=ADDRESS, device=None):
    return login_attempt(
        school=school, login=login, password=password, client_address=address, device=device
    )


def _refusal(school, password, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        _attempt(school, password, **kwargs)
    return refused.value


def _fail(school, times, **kwargs):
    for _ in range(times):
        assert _refusal(school, "wrong-guess", **kwargs).code == "invalid_login"


def test_the_right_password_logs_in_whatever_the_case_of_the_login(school, teacher):
    assert _attempt(school, RIGHT, login="IvanovA") == LoggedIn(
        user=teacher, account_key=f"{school.pk}:ivanova"
    )


def test_a_wrong_password_an_unknown_login_and_a_disabled_account_are_refused_alike(
    school, teacher
):
    UserFactory(school=school, login="gone", is_active=False)
    refusals = [
        _refusal(school, "wrong-guess"),
        _refusal(school, RIGHT, login="nobody"),
        _refusal(school, RIGHT, login="gone"),
    ]
    assert [(r.code, r.messages) for r in refusals] == [("invalid_login", [INVALID_LOGIN])] * 3


def test_another_schools_login_is_unknown_here(school, other_school, teacher):
    assert _refusal(other_school, RIGHT).code == "invalid_login"


def test_the_platform_logs_in_only_its_own_accounts(school, teacher):
    operator = UserFactory(school=None, role=Role.OPERATOR, login="support-ops")
    assert _attempt(None, RIGHT, login="support-ops").user == operator
    assert _refusal(None, RIGHT).code == "invalid_login"


def test_after_the_free_failures_even_the_right_password_is_throttled_with_the_wait(
    school, teacher
):
    with time_machine.travel(START, tick=False):
        _fail(school, LOGIN_ACCOUNT.free + 1)
        refusal = _refusal(school, RIGHT)
    assert isinstance(refusal, Throttled)
    assert (refusal.code, refusal.wait) == ("throttled", 30)
    assert refusal.messages == [
        "Слишком много неудачных попыток входа. Попробуйте снова через 30 сек."
    ]


def test_the_account_waits_whatever_the_address(school, teacher):
    with time_machine.travel(START, tick=False):
        for n in range(LOGIN_ACCOUNT.free + 1):
            _refusal(school, "wrong-guess", address=f"10.0.1.{n}")
        assert _refusal(school, RIGHT, address="10.9.9.9").code == "throttled"


def test_a_success_forgets_the_accounts_failures(school, teacher):
    _fail(school, LOGIN_ACCOUNT.free)
    _attempt(school, RIGHT)
    assert LOGIN_ACCOUNT.wait(account_key(school_id=school.pk, login="ivanova")) == 0
    _fail(school, LOGIN_ACCOUNT.free)  # the free failures again, no wait
    assert _attempt(school, RIGHT).user == teacher


def test_an_address_waits_after_its_failures_but_its_successes_never_count(school):
    pupils = UserFactory.create_batch(3, school=school)
    with time_machine.travel(START, tick=False):
        for _ in range(LOGIN_ADDRESS.free):
            for pupil in pupils:
                _attempt(school, RIGHT, login=pupil.login)
        assert LOGIN_ADDRESS.wait(ADDRESS) == 0
        for n in range(LOGIN_ADDRESS.free + 1):
            _refusal(school, "wrong-guess", login=f"guess{n}")
        assert _refusal(school, RIGHT, login=pupils[0].login).code == "throttled"
        assert _attempt(school, RIGHT, login=pupils[0].login, address="10.0.0.2")


def test_a_browser_the_account_knows_is_not_held_up_by_the_accounts_wait(school, teacher):
    own = Device(id="teachers-laptop", accounts=()).with_account(f"{school.pk}:ivanova")
    with time_machine.travel(START, tick=False):
        _fail(school, LOGIN_ACCOUNT.free + 1, address="10.6.6.6")
        assert _refusal(school, RIGHT).code == "throttled"
        assert _attempt(school, RIGHT, device=own).user == teacher


def test_a_known_browsers_failures_count_for_that_browser_only(school, teacher):
    account = f"{school.pk}:ivanova"
    own = Device(id="teachers-laptop", accounts=()).with_account(account)
    with time_machine.travel(START, tick=False):
        _fail(school, LOGIN_DEVICE.free + 1, device=own)
        assert _refusal(school, RIGHT, device=own).code == "throttled"
        assert LOGIN_ACCOUNT.wait(account) == 0
        assert _attempt(school, RIGHT, address="10.0.0.2").user == teacher


def test_a_browser_known_to_another_account_counts_as_unknown(school, teacher):
    elsewhere = Device(id="family-pc", accounts=()).with_account(f"{school.pk}:petrov")
    with time_machine.travel(START, tick=False):
        _fail(school, LOGIN_ACCOUNT.free + 1, address="10.6.6.6")
        assert _refusal(school, RIGHT, device=elsewhere).code == "throttled"


def test_the_failure_that_makes_an_account_wait_is_audited_once_per_wait(school, teacher):
    with time_machine.travel(START, tick=False) as clock:
        _fail(school, LOGIN_ACCOUNT.free)
        assert not AuditEvent.objects.exists()
        _fail(school, 1)
        for _ in range(5):  # refused while waiting: no further event
            assert _refusal(school, "wrong-guess").code == "throttled"
        clock.shift(LOGIN_ACCOUNT.delays[0])
        _fail(school, 1)
    events = AuditEvent.objects.filter(action=AuditAction.LOGIN_THROTTLED)
    assert [(e.school, e.actor, e.target_id) for e in events] == [(school, None, teacher.pk)] * 2


def test_guessing_logins_nobody_has_writes_no_audit_event(school):
    with time_machine.travel(START, tick=False):
        _fail(school, LOGIN_ACCOUNT.free + 1, login="nobody")
    assert not AuditEvent.objects.exists()


def test_a_wrong_current_password_counts_as_a_failed_login_of_the_account(school, teacher):
    with time_machine.travel(START, tick=False):
        for _ in range(LOGIN_ACCOUNT.free + 1):
            with pytest.raises(ValidationError) as wrong:
                current_password_check(user=teacher, password="wrong-guess")
            assert wrong.value.code == "password_incorrect"
            assert wrong.value.messages == ["Неверный текущий пароль."]
        with pytest.raises(Throttled) as throttled:
            current_password_check(user=teacher, password=RIGHT)
        assert throttled.value.wait == 30
        assert _refusal(school, RIGHT).code == "throttled"


def test_the_right_current_password_does_not_count(school, teacher):
    for _ in range(LOGIN_ACCOUNT.free + 5):
        current_password_check(user=teacher, password=RIGHT)
    assert LOGIN_ACCOUNT.wait(account_key(school_id=school.pk, login="ivanova")) == 0


def test_djangos_authenticate_is_no_way_around_the_throttle(school, teacher, rf):
    request = rf.post("/login/")
    request.school = school
    assert authenticate(request, username="ivanova", password=RIGHT) is None
