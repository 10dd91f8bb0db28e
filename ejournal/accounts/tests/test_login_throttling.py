"""Failed logins slow down per account and address; successes from one address never do."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from ejournal.core.testing.factories import UserFactory
from ejournal.core.throttle import LOGIN_ACCOUNT, LOGIN_ADDRESS
from ejournal.schools.roles import Role

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)


def _login(client, login, password, address="10.0.0.1"):
    return client.post(
        reverse("accounts:login"), {"username": login, "password": password}, REMOTE_ADDR=address
    )


def _fail(client, login, times, address="10.0.0.1"):
    for _ in range(times):
        assert (
            "Неверный логин или пароль."
            in _login(client, login, "wrong-guess", address).content.decode()
        )


@pytest.fixture
def teacher(school):
    return UserFactory(school=school, role=Role.TEACHER, login="ivanova")


def test_after_the_free_failures_even_the_right_password_is_refused_with_the_wait_shown(
    school, teacher, client_for
):
    client = client_for(school)
    with time_machine.travel(START, tick=False):
        _fail(client, "ivanova", LOGIN_ACCOUNT.free + 1)
        response = _login(client, "ivanova", "Zhurnal2026")
    assert (
        "Слишком много неудачных попыток входа. Попробуйте снова через 30 сек."
        in response.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_the_account_is_throttled_whatever_the_case_of_the_login_and_from_any_address(
    school, teacher, client_for
):
    client = client_for(school)
    with time_machine.travel(START, tick=False):
        for i in range(LOGIN_ACCOUNT.free + 1):
            _login(client, "IVANOVA" if i % 2 else "ivanova", "wrong-guess", address=f"10.0.1.{i}")
        response = _login(client, "Ivanova", "Zhurnal2026", address="10.9.9.9")
    assert "Слишком много неудачных попыток входа" in response.content.decode()


def test_after_the_wait_the_right_password_works_and_the_delays_never_become_a_lockout(
    school, teacher, client_for
):
    client = client_for(school)
    with time_machine.travel(START, tick=False) as clock:
        _fail(client, "ivanova", LOGIN_ACCOUNT.free)
        for delay in (*LOGIN_ACCOUNT.delays, LOGIN_ACCOUNT.delays[-1]):
            _login(client, "ivanova", "wrong-guess")
            clock.shift(delay)
        response = _login(client, "ivanova", "Zhurnal2026")
    assert response.status_code == 302
    assert LOGIN_ACCOUNT.delays[-1] <= 3600


def test_at_most_a_hundred_failures_are_allowed_before_the_first_delay():
    assert LOGIN_ACCOUNT.free <= 100
    assert LOGIN_ADDRESS.free <= 100


def test_the_same_login_at_another_school_is_not_throttled(
    school, other_school, teacher, client_for
):
    UserFactory(school=other_school, role=Role.TEACHER, login="ivanova")
    with time_machine.travel(START, tick=False):
        _fail(client_for(school), "ivanova", LOGIN_ACCOUNT.free + 1)
        response = _login(client_for(other_school), "ivanova", "Zhurnal2026", address="10.0.0.2")
    assert response.status_code == 302


def test_failures_from_one_address_across_accounts_throttle_that_address(
    school, teacher, client_for
):
    client = client_for(school)
    with time_machine.travel(START, tick=False):
        for i in range(LOGIN_ADDRESS.free + 1):
            _login(client, f"guess{i}", "wrong-guess", address="10.0.0.66")
        blocked = _login(client, "ivanova", "Zhurnal2026", address="10.0.0.66")
        elsewhere = _login(client_for(school), "ivanova", "Zhurnal2026", address="10.0.0.77")
    assert "Слишком много неудачных попыток входа" in blocked.content.decode()
    assert elsewhere.status_code == 302


def test_many_successful_logins_from_one_school_address_never_throttle_it(school, client_for):
    users = [UserFactory(school=school, role=Role.STUDENT, login=f"pupil{i}") for i in range(150)]
    with time_machine.travel(START, tick=False):
        for user in users:
            response = _login(client_for(school), user.login, "Zhurnal2026", address="10.0.0.5")
            assert response.status_code == 302


def test_a_success_clears_the_accounts_failures(school, teacher, client_for):
    client = client_for(school)
    with time_machine.travel(START, tick=False):
        _fail(client, "ivanova", LOGIN_ACCOUNT.free)
        assert _login(client, "ivanova", "Zhurnal2026").status_code == 302
        _fail(client_for(school), "ivanova", LOGIN_ACCOUNT.free)
        assert _login(client_for(school), "ivanova", "Zhurnal2026").status_code == 302


def test_an_unknown_login_and_a_wrong_password_cost_one_password_hash_each(
    school, teacher, client_for, monkeypatch
):
    from django.contrib.auth.hashers import MD5PasswordHasher

    calls = []
    original = MD5PasswordHasher.encode

    def counting_encode(self, password, salt):
        calls.append(password)
        return original(self, password, salt)

    monkeypatch.setattr(MD5PasswordHasher, "encode", counting_encode)
    client = client_for(school)
    _login(client, "ivanova", "wrong-guess")
    wrong_password = len(calls)
    _login(client, "nobody-here", "wrong-guess")
    assert wrong_password == 1
    assert len(calls) - wrong_password == 1


def _logged_in_once(client, login="ivanova"):
    """The teacher's own browser: she has logged in there before, then logged out."""
    assert _login(client, login, "Zhurnal2026").status_code == 302
    client.post(reverse("accounts:logout"))
    return client


def test_a_pupil_failing_on_purpose_for_a_day_never_keeps_the_teacher_out_of_her_browser(
    school, teacher, client_for
):
    own_browser = _logged_in_once(client_for(school))
    attacker = client_for(school)
    account = f"{school.id}:ivanova"
    with time_machine.travel(START, tick=False) as clock:
        _fail(attacker, "ivanova", LOGIN_ACCOUNT.free + 1, address="10.6.6.6")
        for _hour in range(24):
            # One wrong password the moment each wait ends keeps the account waiting...
            clock.shift(LOGIN_ACCOUNT.wait(account))
            _login(attacker, "ivanova", "wrong-guess", address="10.6.6.6")
            stranger = _login(client_for(school), "ivanova", "Zhurnal2026", address="10.0.0.8")
            assert "Слишком много" in stranger.content.decode()
            # ...but never in the browser where she has logged in before.
            response = _login(own_browser, "ivanova", "Zhurnal2026", address="10.0.0.9")
            assert response.status_code == 302
            own_browser.post(reverse("accounts:logout"))


def test_a_known_browser_is_throttled_on_its_own_failures(school, teacher, client_for):
    own_browser = _logged_in_once(client_for(school))
    with time_machine.travel(START, tick=False):
        _fail(own_browser, "ivanova", LOGIN_ACCOUNT.free + 1)
        response = _login(own_browser, "ivanova", "Zhurnal2026")
    assert "Слишком много неудачных попыток входа" in response.content.decode()


def test_a_browser_known_to_one_account_is_a_stranger_to_another(school, teacher, client_for):
    UserFactory(school=school, role=Role.TEACHER, login="petrov")
    pupils_browser = _logged_in_once(client_for(school), login="petrov")
    with time_machine.travel(START, tick=False):
        _fail(client_for(school), "ivanova", LOGIN_ACCOUNT.free + 1)
        response = _login(pupils_browser, "ivanova", "Zhurnal2026")
    assert "Слишком много неудачных попыток входа" in response.content.decode()


def test_a_forged_device_cookie_is_ignored(school, teacher, client_for):
    forger = client_for(school)
    with time_machine.travel(START, tick=False):
        _fail(client_for(school), "ivanova", LOGIN_ACCOUNT.free + 1)
        forger.cookies["ejournal_device"] = "abc:0123456789abcdef0123"
        response = _login(forger, "ivanova", "Zhurnal2026")
    assert "Слишком много неудачных попыток входа" in response.content.decode()


def test_a_pupil_flooding_the_school_address_does_not_stop_known_browsers_there(
    school, teacher, client_for
):
    own_browser = _logged_in_once(client_for(school))
    with time_machine.travel(START, tick=False):
        for i in range(LOGIN_ADDRESS.free + 1):
            _login(client_for(school), f"guess{i}", "wrong-guess", address="10.0.0.66")
        stranger = _login(client_for(school), "ivanova", "Zhurnal2026", address="10.0.0.66")
        known = _login(own_browser, "ivanova", "Zhurnal2026", address="10.0.0.66")
    assert "Слишком много неудачных попыток входа" in stranger.content.decode()
    assert known.status_code == 302


def test_the_device_cookie_is_signed_http_only_and_names_no_login(school, teacher, client_for):
    client = client_for(school)
    _login(client, "ivanova", "Zhurnal2026")
    cookie = client.cookies["ejournal_device"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert "ivanova" not in cookie.value
