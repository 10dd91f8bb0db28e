"""The registration pages (/hello, the second step, done) and the profile, as a user sees them."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ejournal.accounts.api_tokens import api_token_create
from ejournal.accounts.flows.registration import SESSION_KEY
from ejournal.accounts.models import User
from ejournal.audit.models import AuditAction, AuditEvent
from ejournal.core.testing.factories import UserFactory
from ejournal.invitations import codes
from ejournal.invitations.models import Invitation
from ejournal.schools.models import Guardianship
from ejournal.schools.roles import Role

from .registration_helpers import (  # noqa: F401 — fixtures
    GENERIC,
    anna_fixture,
    code_for,
    codes_for,
    enter_code,
    parent_form,
    register,
    six_a_fixture,
    teacher_fixture,
    three_b_fixture,
    vasya_fixture,
)

pytestmark = pytest.mark.django_db

HELLO = "/hello"


def _text(response) -> str:
    return response.content.decode()


def _one_h1(response) -> None:
    assert _text(response).count("<h1") == 1


def _invitation(code: str) -> Invitation:
    return Invitation.objects.get(code_hash=codes.hash_code(code))


@pytest.fixture
def visitor(school, client_for) -> Client:
    return client_for(school)


def _at_step_two(client: Client, code: str) -> None:
    response = enter_code(client, code)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:register")


# /hello


def test_hello_speaks_the_help_pages_words(visitor):
    response = visitor.get(HELLO)
    text = _text(response)
    assert response.status_code == 200
    for words in (
        "<h1>Регистрация</h1>",
        "Приветствуем вас!",
        "Для начала работы в системе необходимо зарегистрироваться.",
        "Пригласительный код",
        "Зарегистрироваться",
        f'<a href="{reverse("accounts:login")}">Уже есть аккаунт</a>',
        f'<a href="{reverse("accounts:recovery")}">Забыли пароль?</a>',
    ):
        assert words in text
    _one_h1(response)


def test_the_qr_codes_address_fills_the_field_and_goes_nowhere_else(visitor):
    response = visitor.get(HELLO, {"code": "pt1o095tc"})
    text = _text(response)
    assert 'name="code" value="pt1o095tc"' in text
    assert text.count("pt1o095tc") == 1
    assert 'action="/hello"' in text
    for href in re.findall(r'(?:href|src|action)="([^"]*)"', text):
        assert "pt1o095tc" not in href
    # The Referer carries the origin only, never the path and its ?code=.
    assert response["Referrer-Policy"] == "strict-origin"
    assert "no-store" in response["Cache-Control"]


def test_hello_loads_the_script_that_clears_the_code_from_the_address(visitor):
    assert 'src="/static/js/registration.js"' in _text(visitor.get(HELLO))
    script = finders.find("js/registration.js")
    assert script is not None
    with open(script, encoding="utf-8") as f:
        assert "replaceState" in f.read()


@pytest.mark.parametrize("typed", ["{code}", "{CODE}", " {a}-{b}-{c} ", "{A} {b}\u2014{c}"])
def test_a_code_is_accepted_in_any_case_with_spaces_and_dashes(visitor, school, vasya, typed):
    code = code_for(school, Role.STUDENT, vasya)
    text = typed.format(
        code=code, CODE=code.upper(), a=code[:3], A=code[:3].upper(), b=code[3:6], c=code[6:]
    )
    _at_step_two(visitor, text)


def test_a_valid_code_keeps_only_the_invitations_id_in_the_session(visitor, school, vasya):
    code = code_for(school, Role.STUDENT, vasya)
    _at_step_two(visitor, code)
    assert visitor.session[SESSION_KEY] == {"invitation_id": _invitation(code).pk}


def test_an_empty_code_is_required(visitor):
    response = enter_code(visitor, "   ")
    assert response.status_code == 200
    assert "Обязательное поле." in _text(response)


def test_a_wrong_code_gets_the_generic_message(visitor):
    response = enter_code(visitor, "zzzzzzzzzz")
    assert response.status_code == 200
    assert GENERIC in _text(response)


# The second step.


def test_the_second_step_needs_a_code_first(visitor):
    response = visitor.get(reverse("accounts:register"))
    assert response.status_code == 302
    assert response["Location"] == HELLO


def test_a_student_sees_the_schools_name_and_birth_date_and_may_skip_the_email(
    visitor, school, vasya
):
    _at_step_two(visitor, code_for(school, Role.STUDENT, vasya))
    response = visitor.get(reverse("accounts:register"))
    text = _text(response)
    for words in (
        "Николаев Василий Петрович",
        "12.05.2010",
        "Имя и дата рождения указаны школой",
        "Логин",
        "Пароль",
        "Пароль ещё раз",
        "Электронная почта",
        "Можно оставить пустым",
        "Эта информация не будет доступна другим пользователям.",
    ):
        assert words in text
    assert 'name="last_name"' not in text
    assert "Дети" not in text
    _one_h1(response)

    response = register(visitor, login="vasya", email="")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:registered")
    user = User.objects.get(login="vasya")
    assert (user.role, user.email, user.student) == (Role.STUDENT, "", vasya)


def test_a_parent_gives_names_and_a_mandatory_email_and_sees_the_child(visitor, school, vasya):
    _at_step_two(visitor, codes_for(school, Role.PARENT, vasya)[0])
    text = _text(visitor.get(reverse("accounts:register")))
    for words in (
        "Фамилия",
        "Имя",
        "Отчество",
        "Эта информация не будет доступна другим пользователям.",
        "<legend>Дети</legend>",
        "Николаев В.",
        "У меня есть еще один пригласительный код",
    ):
        assert words in text
    assert 'type="email" name="email" maxlength="254" required' in text

    response = visitor.post(reverse("accounts:register"), parent_form(email=""))
    assert response.status_code == 200
    assert "Обязательное поле." in _text(response)
    assert not User.objects.filter(login="nikolaeva").exists()

    response = visitor.post(reverse("accounts:register"), parent_form())
    assert response.status_code == 302
    user = User.objects.get(login="nikolaeva")
    assert (user.full_name, user.email) == ("Николаева Елена Сергеевна", "elena@example.org")
    assert list(Guardianship.objects.filter(parent=user).values_list("student", flat=True)) == [
        vasya.pk
    ]


def test_a_teacher_sees_the_schools_name_and_may_skip_the_email(visitor, school, teacher):
    _at_step_two(visitor, code_for(school, Role.TEACHER, teacher))
    text = _text(visitor.get(reverse("accounts:register")))
    assert "Иванова Мария Петровна" in text
    assert "Имя указано школой" in text
    response = register(visitor, login="ivanova", email="")
    assert response.status_code == 302
    teacher.refresh_from_db()
    assert teacher.user.login == "ivanova"


def test_the_curator_code_asks_for_names(visitor, school):
    _at_step_two(visitor, code_for(school, Role.CURATOR))
    assert 'name="last_name"' in _text(visitor.get(reverse("accounts:register")))
    response = register(visitor, login="zavuch", last_name="Смирнова", first_name="Ольга")
    assert response.status_code == 302
    assert User.objects.get(login="zavuch").role == Role.CURATOR


def test_the_two_passwords_must_match(visitor, school, vasya):
    _at_step_two(visitor, code_for(school, Role.STUDENT, vasya))
    response = register(visitor, password2="Zhurnal2027")
    assert response.status_code == 200
    assert "Пароли не совпадают." in _text(response)
    assert not User.objects.filter(login="vasya").exists()


def test_every_mistake_is_shown_at_once(visitor, school, vasya):
    _at_step_two(visitor, code_for(school, Role.STUDENT, vasya))
    response = register(visitor, login="vа", password="a.b", password2="a.b", email="nope")
    text = _text(response)
    for words in (
        "Логин нужно набрать латинскими буквами: «а»",
        "Логин должен содержать от 3 до 40 символов.",
        "Пароль должен содержать не менее 8 символов.",
        "В пароле не должно быть специальных знаков",
        "Введите правильный адрес электронной почты.",
    ):
        assert words in text


def test_a_parent_adds_a_code_field_without_javascript(visitor, school, vasya, anna):
    _at_step_two(visitor, codes_for(school, Role.PARENT, vasya)[0])
    response = visitor.post(
        reverse("accounts:register"), {**parent_form(password=""), "add_code": "1"}
    )
    text = _text(response)
    assert response.status_code == 200
    assert 'id="id_extra_code_2"' in text
    # Only the codes are checked: the rest of the form is still being filled in.
    assert "Обязательное поле." not in text
    assert not User.objects.exists()

    second = codes_for(school, Role.PARENT, anna)[0]
    response = visitor.post(
        reverse("accounts:register"),
        {**parent_form(), "extra_codes": ["wrongcode1", second], "add_code": "1"},
    )
    text = _text(response)
    assert "Код №2 не найден или недействителен." in text
    assert "Николаева А." in text  # the second child joined the "Дети" list
    assert 'id="id_extra_code_4"' in text
    assert not User.objects.exists()


def test_a_parent_registers_with_a_second_childs_code(visitor, school, vasya, anna):
    _at_step_two(visitor, codes_for(school, Role.PARENT, vasya)[0])
    second = codes_for(school, Role.PARENT, anna)[1]
    response = visitor.post(
        reverse("accounts:register"), {**parent_form(), "extra_codes": ["", second.upper()]}
    )
    assert response.status_code == 302
    user = User.objects.get(login="nikolaeva")
    assert set(Guardianship.objects.filter(parent=user).values_list("student", flat=True)) == {
        vasya.pk,
        anna.pk,
    }


def test_a_code_used_by_someone_else_meanwhile_sends_back_to_hello(visitor, school, vasya):
    code = code_for(school, Role.STUDENT, vasya)
    _at_step_two(visitor, code)
    _invitation(code).__class__.objects.update(revoked_at=timezone.now())
    response = register(visitor)
    assert response.status_code == 302
    assert response["Location"] == HELLO
    assert SESSION_KEY not in visitor.session
    assert GENERIC in _text(visitor.get(HELLO))


def test_done_says_so_and_invites_to_log_in(visitor, school, vasya):
    _at_step_two(visitor, code_for(school, Role.STUDENT, vasya))
    response = visitor.get(register(visitor, login="vasya")["Location"])
    text = _text(response)
    assert "Регистрация в системе успешно завершена" in text
    assert "Ваш логин: <strong>vasya</strong>" in text
    assert f'href="{reverse("accounts:login")}"' in text
    assert SESSION_KEY not in visitor.session
    _one_h1(response)


def test_a_parent_is_told_to_confirm_the_email_after_logging_in(visitor, school, vasya):
    _at_step_two(visitor, codes_for(school, Role.PARENT, vasya)[0])
    response = visitor.post(reverse("accounts:register"), parent_form())
    assert "подтвердите адрес электронной почты" in _text(visitor.get(response["Location"]))


# Visitors only, and schools only.


@pytest.mark.parametrize("name", ["accounts:hello", "accounts:register", "accounts:registered"])
def test_a_logged_in_user_is_sent_home(school, client_for, name):
    client = client_for(school, UserFactory(school=school, role=Role.PARENT))
    response = client.get(reverse(name), follow=True)
    assert response.redirect_chain[0] == ("/", 302)
    assert "Вы уже вошли в журнал." in _text(response)


@pytest.mark.parametrize(
    "name",
    [
        "accounts:hello",
        "accounts:register",
        "accounts:registered",
        "accounts:profile",
        "accounts:child_add",
    ],
)
def test_the_platform_domain_has_no_registration(db, name):
    response = Client(HTTP_HOST="testserver.local").get(reverse(name))
    assert response.status_code == 404


# The profile.


@pytest.fixture
def parent(school, vasya, anna) -> User:
    user = UserFactory(
        school=school,
        role=Role.PARENT,
        login="nikolaeva",
        last_name="Николаева",
        first_name="Елена",
        email="elena@example.org",
    )
    Guardianship.objects.create(school=school, parent=user, student=vasya)
    Guardianship.objects.create(school=school, parent=user, student=anna)
    return user


def test_a_parent_sees_login_role_email_status_and_children(school, client_for, parent):
    response = client_for(school, parent).get(reverse("accounts:profile"))
    text = _text(response)
    for words in (
        "nikolaeva",
        "Родитель",
        "elena@example.org",
        "не подтверждена",
        f'href="{reverse("accounts:email_update")}"',
        f'<a href="{reverse("accounts:password_change")}">Сменить пароль</a>',
        "<td>Николаев Василий Петрович</td><td>6А</td>",
        "<td>Николаева Анна Петровна</td><td>3Б</td>",
        f'<a href="{reverse("accounts:child_add")}">Добавить ребёнка по пригласительному коду</a>',
    ):
        assert words in text
    _one_h1(response)


def test_a_confirmed_email_says_so(school, client_for, parent):
    parent.email_confirmed_at = timezone.now()
    parent.save()
    text = _text(client_for(school, parent).get(reverse("accounts:profile")))
    assert "подтверждена" in text
    assert "не подтверждена" not in text


def test_a_parent_edits_own_names(school, client_for, parent):
    client = client_for(school, parent)
    response = client.post(
        reverse("accounts:profile"),
        {"last_name": "Николаева-Петрова", "first_name": "Елена", "middle_name": "Сергеевна"},
    )
    assert response.status_code == 302
    parent.refresh_from_db()
    assert parent.full_name == "Николаева-Петрова Елена Сергеевна"
    event = AuditEvent.objects.get(action=AuditAction.PROFILE_UPDATED)
    assert event.actor == parent
    assert event.before["last_name"] == "Николаева"
    assert event.after["last_name"] == "Николаева-Петрова"


def test_a_parents_last_name_cant_be_emptied(school, client_for, parent):
    response = client_for(school, parent).post(
        reverse("accounts:profile"), {"last_name": "", "first_name": "Елена"}
    )
    assert response.status_code == 200
    assert "Обязательное поле." in _text(response)
    parent.refresh_from_db()
    assert parent.last_name == "Николаева"


def test_a_student_sees_the_schools_names_read_only(school, client_for, vasya):
    user = UserFactory(school=school, role=Role.STUDENT, login="vasya")
    vasya.user = user
    vasya.save()
    client = client_for(school, user)
    text = _text(client.get(reverse("accounts:profile")))
    assert "Николаев Василий Петрович" in text
    assert "12.05.2010" in text
    assert "Имя и дата рождения указаны школой" in text
    assert 'name="last_name"' not in text
    assert "Добавить ребёнка" not in text
    assert client.post(reverse("accounts:profile"), {"last_name": "X"}).status_code == 405


def test_a_teacher_sees_the_schools_name_read_only(school, client_for, teacher):
    user = UserFactory(school=school, role=Role.TEACHER, login="ivanova")
    teacher.user = user
    teacher.save()
    text = _text(client_for(school, user).get(reverse("accounts:profile")))
    assert "Иванова Мария Петровна" in text
    assert "Имя указано школой" in text
    assert 'name="last_name"' not in text


def test_the_profile_needs_a_login(visitor):
    response = visitor.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# Adding a child from the profile.


def test_a_parent_adds_a_child_by_code(school, client_for, vasya, anna):
    user = UserFactory(school=school, role=Role.PARENT)
    Guardianship.objects.create(school=school, parent=user, student=vasya)
    client = client_for(school, user)
    response = client.get(reverse("accounts:child_add"))
    assert "Пригласительный код" in _text(response)
    _one_h1(response)
    code = codes_for(school, Role.PARENT, anna)[0]
    response = client.post(reverse("accounts:child_add"), {"code": code}, follow=True)
    assert response.redirect_chain == [(reverse("accounts:profile"), 302)]
    assert "Николаева А. (3Б) — в списке ваших детей." in _text(response)
    assert "<td>Николаева Анна Петровна</td><td>3Б</td>" in _text(response)


def test_a_childs_code_for_a_child_already_linked_is_refused_and_kept(
    school, client_for, parent, vasya
):
    code = codes_for(school, Role.PARENT, vasya)[1]
    response = client_for(school, parent).post(reverse("accounts:child_add"), {"code": code})
    assert response.status_code == 200
    assert "Этот ребёнок уже есть в вашем списке." in _text(response)
    assert _invitation(code).redeemed_at is None


def test_a_wrong_code_adds_no_child(school, client_for, parent):
    response = client_for(school, parent).post(
        reverse("accounts:child_add"), {"code": "zzzzzzzzzz"}
    )
    assert response.status_code == 200
    assert GENERIC in _text(response)


def test_only_parents_add_children(school, client_for):
    student = UserFactory(school=school, role=Role.STUDENT)
    assert client_for(school, student).get(reverse("accounts:child_add")).status_code == 404


# Query counts.


def test_hello_takes_one_query(visitor, django_assert_num_queries):
    with django_assert_num_queries(1):  # the school of the host
        assert visitor.get(HELLO).status_code == 200


def test_registering_a_parent_with_two_children_takes_a_fixed_number_of_queries(
    visitor, school, vasya, anna, django_assert_num_queries
):
    _at_step_two(visitor, codes_for(school, Role.PARENT, vasya)[0])
    second = codes_for(school, Role.PARENT, anna)[0]
    data = {**parent_form(), "extra_codes": [second]}
    with django_assert_num_queries(26):  # the host's school is known since step one
        assert visitor.post(reverse("accounts:register"), data).status_code == 302


def test_the_parents_profile_takes_a_fixed_number_of_queries(
    school, client_for, parent, django_assert_num_queries
):
    client = client_for(school, parent)
    api_token_create(user=parent, device="Pixel")
    api_token_create(user=parent, device="iPad")
    # The session, the user, the unread messages, the children, the app tokens, whatever
    # their number.
    with django_assert_num_queries(5):
        assert client.get(reverse("accounts:profile")).status_code == 200
