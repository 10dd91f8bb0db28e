"""Registration under attack: bad codes all look alike, guessing is throttled, a code makes one
account even when raced, the session never holds a code, CSRF guards every form."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import threading
import time
from typing import Any

import pytest
import time_machine
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from ejournal.accounts import registration
from ejournal.accounts.flows.registration import SESSION_KEY
from ejournal.accounts.models import User
from ejournal.accounts.registration import InvitationUnusable, account_register
from ejournal.conftest import school_host
from ejournal.core.testing.factories import SchoolFactory, StudentFactory, UserFactory
from ejournal.core.throttle import INVITATION_CODE
from ejournal.invitations import codes
from ejournal.invitations.models import Invitation
from ejournal.invitations.services import invitation_revoke, invitations_issue
from ejournal.schools.models import Guardianship
from ejournal.schools.roles import Role

from .registration_helpers import (  # noqa: F401 — fixtures
    GENERIC,
    GOOD_PASSWORD,
    anna_fixture,
    code_for,
    codes_for,
    enter_code,
    hasher_calls_fixture,
    parent_form,
    register,
    six_a_fixture,
    three_b_fixture,
    vasya_fixture,
)

START = dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)


def _text(response: Any) -> str:
    return response.content.decode()


def _invitation(code: str) -> Invitation:
    return Invitation.objects.get(code_hash=codes.hash_code(code))


def _at_step_two(client: Client, code: str) -> None:
    assert enter_code(client, code)["Location"] == reverse("accounts:register")


def _page_without(response: Any, typed: str) -> str:
    """The page with what differs by nature removed: the CSRF token and the typed code."""
    text = _text(response).replace(typed, "CODE")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "TOKEN", text)


def _spoiled_code(kind: str, *, school, other_school, vasya) -> str:
    """A code that can't be used, spoiled in the way `kind` names."""
    if kind == "unknown":
        return "qqqqqqqqqq"
    if kind == "other school":
        other_student = StudentFactory(
            school_class__school=other_school, last_name="Чужой", first_name="Пётр"
        )
        return code_for(other_school, Role.STUDENT, other_student)
    code = code_for(school, Role.STUDENT, vasya)
    if kind == "replayed":
        account_register(school=school, code=code, login="vasya", password=GOOD_PASSWORD)
    elif kind == "revoked":
        invitation_revoke(invitation=_invitation(code), actor=None)
    elif kind == "expired":
        Invitation.objects.filter(pk=_invitation(code).pk).update(
            expires_at=START - dt.timedelta(seconds=1)
        )
    return code


SPOILED = ["unknown", "replayed", "revoked", "expired", "other school"]


# One message for every bad code.


@pytest.mark.django_db
@pytest.mark.parametrize("kind", SPOILED)
def test_every_unusable_code_gets_the_same_page_on_hello(
    school, other_school, client_for, vasya, kind
):
    reference = enter_code(client_for(school), "zzzzzzzzzz", REMOTE_ADDR="10.0.0.9")
    code = _spoiled_code(kind, school=school, other_school=other_school, vasya=vasya)
    with time_machine.travel(START, tick=False):
        response = enter_code(client_for(school), code, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == reference.status_code == 200
    assert GENERIC in _text(response)
    assert _page_without(response, code) == _page_without(reference, "zzzzzzzzzz")


@pytest.mark.django_db
def test_an_expired_code_stops_working_when_its_time_is_up(school, client_for, vasya):
    code = code_for(school, Role.STUDENT, vasya)
    expires_at = _invitation(code).expires_at
    with time_machine.travel(expires_at - dt.timedelta(minutes=1), tick=False):
        assert enter_code(client_for(school), code).status_code == 302
    with time_machine.travel(expires_at + dt.timedelta(minutes=1), tick=False):
        response = enter_code(client_for(school), code)
    assert response.status_code == 200
    assert GENERIC in _text(response)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", [*SPOILED, "student code"])
def test_every_unusable_extra_code_is_named_alike(
    school, other_school, client_for, vasya, anna, kind
):
    client = client_for(school)
    _at_step_two(client, codes_for(school, Role.PARENT, anna)[0])
    if kind == "student code":
        code = code_for(school, Role.STUDENT, vasya)
    else:
        code = _spoiled_code(kind, school=school, other_school=other_school, vasya=vasya)
    with time_machine.travel(START, tick=False):
        response = client.post(
            reverse("accounts:register"), {**parent_form(), "extra_codes": [code]}
        )
    assert response.status_code == 200
    assert "Код №2 не найден или недействителен." in _text(response)
    assert not User.objects.filter(login="nikolaeva").exists()


# Logins.


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["ivan", "IVAN", "iVaN"])
def test_ivan_and_ivan_are_one_login(school, client_for, vasya, typed):
    UserFactory(school=school, role=Role.PARENT, login="Ivan")
    client = client_for(school)
    _at_step_two(client, code_for(school, Role.STUDENT, vasya))
    response = register(client, login=typed)
    assert response.status_code == 200
    assert "Этот логин уже занят." in _text(response)
    assert User.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "named"),
    [("ivаn", "«а»"), ("реtrov", "«р», «е»"), ("Кsenia", "«К»"), ("nikolaеv.vasya", "«е»")],
)
def test_cyrillic_look_alikes_are_refused_with_the_letters_named(
    school, client_for, vasya, typed, named
):
    client = client_for(school)
    _at_step_two(client, code_for(school, Role.STUDENT, vasya))
    response = register(client, login=typed)
    what = "русские буквы" if "," in named else "русская буква"
    assert f"Логин нужно набрать латинскими буквами: {named} — {what}." in _text(response)
    assert not User.objects.exists()


# Passwords through the page.


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Xq7Lm2z", "Пароль должен содержать не менее 8 символов."),
        ("Zhurnal.2026", "В пароле не должно быть специальных знаков"),
        ("Zhurnal'2026", "В пароле не должно быть специальных знаков"),
        ("Zhurnal 2026", "В пароле не должно быть специальных знаков"),
        ("myVASYA2026", "Пароль не должен совпадать с логином или содержать его."),
        ("Nikolaev2026", "Пароль не должен содержать ваши фамилию, имя или отчество."),
        ("Василий2026", "Пароль не должен содержать ваши фамилию, имя или отчество."),
        ("Petrovich77x", "Пароль не должен содержать ваши фамилию, имя или отчество."),
        ("abc12052010", "Пароль не должен содержать дату рождения."),
        ("abc12.05.2010", "Пароль не должен содержать дату рождения."),
        ("abc2010-05-12", "Пароль не должен содержать дату рождения."),
        ("abc120510", "Пароль не должен содержать дату рождения."),
        ("qwertyuiop", "Этот пароль слишком распространён: его легко подобрать."),
    ],
)
def test_each_refused_password_says_why(school, client_for, vasya, password, reason):
    client = client_for(school)
    _at_step_two(client, code_for(school, Role.STUDENT, vasya))
    response = register(client, login="vasya", password=password, password2=password)
    assert response.status_code == 200
    assert reason in _text(response)
    assert not User.objects.exists()


@pytest.mark.django_db
def test_a_megabyte_password_is_refused_at_once_without_hashing(
    school, client_for, vasya, hasher_calls
):
    client = client_for(school)
    _at_step_two(client, code_for(school, Role.STUDENT, vasya))
    megabyte = "a" * (1024 * 1024)
    hasher_calls.reset_mock()
    response = register(client, password=megabyte, password2=megabyte)
    assert response.status_code == 200
    assert "Пароль слишком длинный: не больше 128 символов." in _text(response)
    assert megabyte[:1000] not in _text(response)
    assert hasher_calls.call_count == 0
    assert not User.objects.exists()


# Throttling code guessing.


@pytest.mark.django_db
def test_guessing_codes_on_hello_is_throttled_even_for_the_right_code(school, client_for, vasya):
    code = code_for(school, Role.STUDENT, vasya)
    client = client_for(school)
    with time_machine.travel(START, tick=False):
        for i in range(INVITATION_CODE.free + 1):
            enter_code(client, f"guess{i:05d}", REMOTE_ADDR="10.0.0.1")
        refused = enter_code(client, code, REMOTE_ADDR="10.0.0.1")
        elsewhere = enter_code(client_for(school), code, REMOTE_ADDR="10.0.0.2")
    assert refused.status_code == 200
    assert "Слишком много попыток ввода кода. Попробуйте снова через 30 сек." in _text(refused)
    assert SESSION_KEY not in client.session
    assert elsewhere.status_code == 302
    with time_machine.travel(START + dt.timedelta(seconds=31), tick=False):
        assert enter_code(client, code, REMOTE_ADDR="10.0.0.1").status_code == 302


@pytest.mark.django_db
def test_a_right_code_does_not_reset_the_count(school, client_for, vasya):
    code = code_for(school, Role.STUDENT, vasya)
    client = client_for(school)
    with time_machine.travel(START, tick=False):
        for i in range(INVITATION_CODE.free):
            enter_code(client, f"guess{i:05d}", REMOTE_ADDR="10.0.0.1")
            enter_code(client, code, REMOTE_ADDR="10.0.0.1")
        enter_code(client, "onemoreguess", REMOTE_ADDR="10.0.0.1")
        assert INVITATION_CODE.wait("10.0.0.1") == 30


@pytest.mark.django_db
def test_bad_extra_codes_count_as_guesses_and_are_refused_while_waiting(
    school, client_for, vasya, anna
):
    client = client_for(school)
    _at_step_two(client, codes_for(school, Role.PARENT, vasya)[0])
    good = codes_for(school, Role.PARENT, anna)[0]
    guesses = [f"guess{i:05d}" for i in range(INVITATION_CODE.free + 1)]
    with time_machine.travel(START, tick=False):
        # Ten fields at a time, the most a form takes.
        for start in range(0, len(guesses), 10):
            client.post(
                reverse("accounts:register"),
                {**parent_form(), "extra_codes": guesses[start : start + 10]},
                REMOTE_ADDR="10.0.0.1",
            )
        assert INVITATION_CODE.wait("10.0.0.1") == 30
        response = client.post(
            reverse("accounts:register"),
            {**parent_form(), "extra_codes": [good]},
            REMOTE_ADDR="10.0.0.1",
        )
    assert "Слишком много попыток ввода кода. Попробуйте снова через 30 сек." in _text(response)
    assert not User.objects.exists()


@pytest.mark.django_db
def test_one_form_full_of_guesses_stops_checking_once_throttled(school, client_for, vasya):
    client = client_for(school)
    _at_step_two(client, codes_for(school, Role.PARENT, vasya)[0])
    with time_machine.travel(START, tick=False):
        for _ in range(INVITATION_CODE.free + 1):
            INVITATION_CODE.hit("10.0.0.1")
        response = client.post(
            reverse("accounts:register"),
            {**parent_form(), "extra_codes": ["guess1", "guess2", "guess3"]},
            REMOTE_ADDR="10.0.0.1",
        )
    text = _text(response)
    assert "Слишком много попыток ввода кода" in text
    assert "не найден или недействителен" not in text


@pytest.mark.django_db
def test_guessing_codes_when_adding_a_child_is_throttled(school, client_for, vasya, anna):
    parent = UserFactory(school=school, role=Role.PARENT)
    Guardianship.objects.create(school=school, parent=parent, student=vasya)
    code = codes_for(school, Role.PARENT, anna)[0]
    client = client_for(school, parent)
    with time_machine.travel(START, tick=False):
        for i in range(INVITATION_CODE.free + 1):
            client.post(reverse("accounts:child_add"), {"code": f"x{i}"}, REMOTE_ADDR="10.0.0.1")
        response = client.post(
            reverse("accounts:child_add"), {"code": code}, REMOTE_ADDR="10.0.0.1"
        )
    assert "Слишком много попыток ввода кода" in _text(response)
    assert _invitation(code).redeemed_at is None


# Concurrency.


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_redemptions_of_one_code_make_exactly_one_account(monkeypatch):
    """Both requests pass the step-one check; the invitation's row lock lets one through.

    PostgreSQL: truly concurrent, and the first holds its lock long enough for the second to
    wait on it. SQLite locks the whole database for a write transaction (IMMEDIATE), and its
    shared in-memory test database refuses instead of waiting, so there the two run in turn.
    """
    school = SchoolFactory(number="1399")
    student = StudentFactory(school_class__school=school)
    code = code_for(school, Role.STUDENT, student)
    invitation_id = _invitation(code).pk

    redeem = registration._redeem

    def slow_redeem(**kwargs: Any) -> Any:
        time.sleep(0.3)  # the other thread arrives meanwhile
        return redeem(**kwargs)

    monkeypatch.setattr(registration, "_redeem", slow_redeem)
    barrier = threading.Barrier(2)
    in_turn = threading.Lock() if connection.vendor == "sqlite" else contextlib.nullcontext()
    outcomes: list[str] = []

    def attempt(login: str) -> None:
        try:
            barrier.wait()
            with in_turn:
                account_register(
                    school=school, invitation_id=invitation_id, login=login, password=GOOD_PASSWORD
                )
            outcomes.append("registered")
        except InvitationUnusable:
            outcomes.append("refused")
        except Exception as exc:  # reported by the assertion below
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(f"vasya{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["refused", "registered"]
    assert User.objects.filter(school=school).count() == 1
    student.refresh_from_db()
    assert student.user is not None
    assert _invitation(code).redeemed_by == student.user


# CSRF.


@pytest.fixture
def csrf_client(school) -> Client:
    return Client(enforce_csrf_checks=True, HTTP_HOST=school_host(school))


@pytest.mark.django_db
def test_hello_refuses_a_post_without_the_csrf_token(csrf_client, school, vasya):
    code = code_for(school, Role.STUDENT, vasya)
    assert csrf_client.post(reverse("accounts:hello"), {"code": code}).status_code == 403


@pytest.mark.django_db
def test_the_second_step_refuses_a_post_without_the_csrf_token(csrf_client, school, vasya):
    session = csrf_client.session
    session[SESSION_KEY] = {"invitation_id": _invitation(code_for(school, Role.STUDENT, vasya)).pk}
    session.save()
    csrf_client.cookies["sessionid"] = session.session_key
    response = csrf_client.post(
        reverse("accounts:register"),
        {"login": "vasya", "password": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
    )
    assert response.status_code == 403
    assert not User.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data"),
    [("accounts:profile", {"last_name": "X", "first_name": "Y"}), ("accounts:child_add", {})],
)
def test_profile_forms_refuse_a_post_without_the_csrf_token(csrf_client, school, name, data):
    csrf_client.force_login(UserFactory(school=school, role=Role.PARENT))
    assert csrf_client.post(reverse(name), data).status_code == 403


# The session never holds a code.


@pytest.mark.django_db
def test_the_session_never_holds_a_plain_code(school, client_for, vasya, anna):
    client = client_for(school)
    first = codes_for(school, Role.PARENT, vasya)[0]
    second = codes_for(school, Role.PARENT, anna)[0]

    def stored() -> str:
        return repr(dict(client.session.items())).lower()

    _at_step_two(client, first.upper())
    client.post(
        reverse("accounts:register"),
        {**parent_form(), "extra_codes": [second], "add_code": "1"},
    )
    client.post(reverse("accounts:register"), {**parent_form(password="x")})
    assert first not in stored()
    assert second not in stored()
    assert codes.hash_code(first) not in stored()
    client.post(reverse("accounts:register"), {**parent_form(), "extra_codes": [second]})
    assert User.objects.filter(login="nikolaeva").exists()
    assert first not in stored()
    assert second not in stored()


# The whole journey.


@pytest.mark.django_db
def test_the_curators_codes_make_a_parent_of_two_and_a_student_without_email(
    school, curator, client_for, six_a, three_b, vasya, anna
):
    def code_of(issued, student):
        return next(i.code for i in issued if i.invitation.student_id == student.pk)

    parents_6a = invitations_issue(
        school=school, role=Role.PARENT, actor=curator, school_class=six_a
    )
    parents_3b = invitations_issue(
        school=school, role=Role.PARENT, actor=curator, school_class=three_b
    )
    students_6a = invitations_issue(
        school=school, role=Role.STUDENT, actor=curator, school_class=six_a
    )

    # The parent scans the QR code of Vasya's invitation, then adds Anna's code.
    parent = client_for(school)
    first = code_of(parents_6a, vasya)
    assert f'value="{first}"' in _text(parent.get(f"/hello?code={first}"))
    _at_step_two(parent, first)
    page = _text(parent.get(reverse("accounts:register")))
    assert "Николаев В." in page
    page = _text(
        parent.post(reverse("accounts:register"), {**parent_form(password=""), "add_code": "1"})
    )
    assert "Код №2" in page
    response = parent.post(
        reverse("accounts:register"),
        {**parent_form(), "extra_codes": [code_of(parents_3b, anna)]},
        follow=True,
    )
    assert "Регистрация в системе успешно завершена" in _text(response)
    response = parent.post(
        reverse("accounts:login"),
        {"username": "Nikolaeva", "password": GOOD_PASSWORD},
        follow=True,
    )
    assert response.context["user"].login == "nikolaeva"
    profile = _text(parent.get(reverse("accounts:profile")))
    assert "<td>Николаев Василий Петрович</td><td>6А</td>" in profile
    assert "<td>Николаева Анна Петровна</td><td>3Б</td>" in profile

    # Vasya registers himself, without an email address.
    pupil = client_for(school)
    _at_step_two(pupil, code_of(students_6a, vasya))
    response = register(pupil, login="vasya.n", email="", follow=True)
    assert "Регистрация в системе успешно завершена" in _text(response)
    pupil.post(reverse("accounts:login"), {"username": "vasya.n", "password": GOOD_PASSWORD})
    profile = _text(pupil.get(reverse("accounts:profile")))
    assert "Ученик" in profile
    assert "Николаев Василий Петрович" in profile
    assert "не указана" in profile
