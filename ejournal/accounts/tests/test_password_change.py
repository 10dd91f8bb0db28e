"""Changing one's own password, and the temporary password a curator sets."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ejournal.audit.models import AuditAction, AuditEvent
from ejournal.core.testing.factories import UserFactory
from ejournal.notifications.testing import letters_sent
from ejournal.schools.roles import Role

pytestmark = pytest.mark.django_db

PASSWORD_CHANGE = "/profile/password/"
NEW_PASSWORD = "NovyiParol2027"


@pytest.fixture
def teacher(school):
    return UserFactory(
        school=school,
        role=Role.TEACHER,
        login="ivanova",
        last_name="Иванова",
        first_name="Мария",
        email="ivanova@example.com",
        email_confirmed_at=dt.datetime(2026, 9, 1, tzinfo=dt.UTC),
    )


def _change(client, old="Zhurnal2026", new=NEW_PASSWORD, again=None, **extra):
    data = {"old_password": old, "new_password1": new, "new_password2": again or new, **extra}
    return client.post(PASSWORD_CHANGE, data)


def test_the_page_asks_for_the_current_password_and_the_new_one_twice(school, teacher, client_for):
    content = client_for(school, teacher).get(PASSWORD_CHANGE).content.decode()
    for text in (
        "<h1>Сменить пароль</h1>",
        "Текущий пароль",
        "Новый пароль",
        "Новый пароль ещё раз",
    ):
        assert text in content
    assert "Не менее 8 символов, только буквы и цифры" in content  # the rule, shown


def test_the_page_needs_a_login(school, client_for):
    assert client_for(school).get(PASSWORD_CHANGE)["Location"] == "/login/?next=/profile/password/"


def test_a_wrong_current_password_is_refused(school, teacher, client_for):
    response = _change(client_for(school, teacher), old="Wrong2026")
    assert "Неверный текущий пароль." in response.content.decode()
    teacher.refresh_from_db()
    assert teacher.check_password("Zhurnal2026")


def test_wrong_current_passwords_count_as_failed_logins(school, teacher, client_for):
    from ejournal.core.throttle import LOGIN_ACCOUNT

    client = client_for(school, teacher)
    for _ in range(LOGIN_ACCOUNT.free + 1):
        _change(client, old="Wrong2026")
    response = _change(client)  # even the right one waits now
    assert "Слишком много неудачных попыток. Попробуйте снова через" in response.content.decode()
    teacher.refresh_from_db()
    assert teacher.check_password("Zhurnal2026")


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("ivanova2027", "Пароль не должен совпадать с логином или содержать его."),
        ("Мария20272027", "Пароль не должен содержать ваши фамилию, имя или отчество."),
        ("password1", "Этот пароль слишком распространён"),
        ("Zhurnal2026", "Новый пароль должен отличаться от текущего."),
    ],
)
def test_the_school_rule_applies(school, teacher, client_for, password, reason):
    response = _change(client_for(school, teacher), new=password)
    assert response.status_code == 200
    assert reason in response.content.decode()


def test_the_two_new_passwords_must_match(school, teacher, client_for):
    response = _change(client_for(school, teacher), again=NEW_PASSWORD + "x")
    assert "Пароли не совпадают." in response.content.decode()


def test_a_change_keeps_this_session_audits_and_writes_a_letter(school, teacher, client_for):
    client = client_for(school, teacher)
    with letters_sent() as sent:
        response = _change(client, next="/profile/")
    assert response["Location"] == "/profile/"
    teacher.refresh_from_db()
    assert teacher.check_password(NEW_PASSWORD)
    assert client.get(PASSWORD_CHANGE).status_code == 200  # still logged in
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGED, actor=teacher).exists()
    assert [(m.to, m.subject) for m in sent] == [
        (["ivanova@example.com"], "Пароль изменён — Школа №1399")
    ]


def test_no_letter_without_a_confirmed_address(school, teacher, client_for):
    teacher.email_confirmed_at = None
    teacher.save()
    with letters_sent() as sent:
        assert _change(client_for(school, teacher)).status_code == 302
    assert sent == []


def test_an_unsafe_next_falls_back_to_the_start_page(school, teacher, client_for):
    response = _change(client_for(school, teacher), next="//evil.example/")
    assert response["Location"] == "/"


# A temporary password set by the curator


@pytest.fixture
def pupil(school):
    user = UserFactory(school=school, role=Role.STUDENT, login="nikolaev")
    user.must_change_password = True
    user.save()
    return user


def test_a_temporary_password_leads_to_the_change_right_after_login(school, pupil, client_for):
    response = client_for(school).post(
        reverse("accounts:login"),
        {"username": "nikolaev", "password": "Zhurnal2026", "next": "/profile/"},
    )
    assert response["Location"] == "/profile/password/?next=%2Fprofile%2F"


def test_no_other_page_opens_until_the_password_is_changed(school, pupil, client_for):
    client = client_for(school, pupil)
    assert client.get("/")["Location"] == "/profile/password/?next=%2F"
    assert client.get("/profile/")["Location"] == "/profile/password/?next=%2Fprofile%2F"
    assert client.post("/profile/email/", {})["Location"] == "/profile/password/"
    page = client.get(PASSWORD_CHANGE)
    assert page.status_code == 200
    assert "Куратор установил вам временный пароль" in page.content.decode()

    response = _change(client, next="/profile/")
    assert response["Location"] == "/profile/"
    pupil.refresh_from_db()
    assert pupil.must_change_password is False
    assert client.get("/")["Location"] == "/diary/"  # the student's start page


def test_logging_out_is_allowed_with_a_temporary_password(school, pupil, client_for):
    client = client_for(school, pupil)
    assert client.post(reverse("accounts:logout"))["Location"] == "/login/"
    assert "_auth_user_id" not in client.session
