import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from ejournal.core.testing.factories import UserFactory
from ejournal.schools.roles import Role

pytestmark = pytest.mark.django_db


def test_login_page_shows_the_seed_wording(school, client_for):
    response = client_for(school).get(reverse("accounts:login"))
    content = response.content.decode()
    assert response.status_code == 200
    for text in ("Вход в журнал", "Логин", "Пароль", "Войти"):
        assert text in content


def test_login_accepts_the_login_in_any_case_and_rotates_the_session(school, client_for):
    UserFactory(school=school, role=Role.CURATOR, login="Kurator")
    client = client_for(school)
    client.get(reverse("accounts:login"))
    client.cookies["sessionid"] = "fixated-session-key"
    response = client.post(
        reverse("accounts:login"), {"username": "kURATOR", "password": "Zhurnal2026"}
    )
    assert response.status_code == 302
    assert client.session.session_key != "fixated-session-key"
    assert client.session["_auth_user_id"]


def test_a_wrong_password_and_an_unknown_login_get_the_same_russian_message(school, client_for):
    UserFactory(school=school, role=Role.TEACHER, login="ivanova")
    client = client_for(school)
    wrong = client.post(reverse("accounts:login"), {"username": "ivanova", "password": "nope-nope"})
    unknown = client.post(
        reverse("accounts:login"), {"username": "nobody", "password": "nope-nope"}
    )
    assert wrong.status_code == unknown.status_code == 200
    assert "Неверный логин или пароль." in wrong.content.decode()
    assert "Неверный логин или пароль." in unknown.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_login_of_another_school_does_not_work_here(school, other_school, client_for):
    UserFactory(school=other_school, role=Role.CURATOR, login="chief")
    response = client_for(school).post(
        reverse("accounts:login"), {"username": "chief", "password": "Zhurnal2026"}
    )
    assert response.status_code == 200
    assert "Неверный логин или пароль." in response.content.decode()


@pytest.mark.parametrize(
    "target", ["//evil.example/", "https://evil.example/", "http://1400.testserver.local/"]
)
def test_login_never_redirects_off_the_school(school, client_for, target):
    UserFactory(school=school, role=Role.TEACHER, login="ivanova")
    response = client_for(school).post(
        reverse("accounts:login"),
        {"username": "ivanova", "password": "Zhurnal2026", "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_login_follows_next_within_the_school(school, client_for):
    UserFactory(school=school, role=Role.CURATOR, login="kurator")
    response = client_for(school).post(
        reverse("accounts:login"),
        {"username": "kurator", "password": "Zhurnal2026", "next": "/curator/teachers/"},
    )
    assert response["Location"] == "/curator/teachers/"


def test_logout_ends_the_session_on_the_server(school, client_for):
    user = UserFactory(school=school, role=Role.TEACHER, login="ivanova")
    client = client_for(school, user)
    key = client.session.session_key
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=key).exists()


def test_logout_by_get_is_refused(school, client_for):
    user = UserFactory(school=school, role=Role.TEACHER, login="ivanova")
    client = client_for(school, user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert "_auth_user_id" in client.session


def test_login_page_does_not_exist_on_the_platform_domain(school):
    assert Client(HTTP_HOST="testserver.local").get(reverse("accounts:login")).status_code == 404


def test_the_login_form_is_protected_by_csrf(school):
    UserFactory(school=school, role=Role.TEACHER, login="ivanova")
    client = Client(HTTP_HOST="1399.testserver.local", enforce_csrf_checks=True)
    response = client.post(
        reverse("accounts:login"), {"username": "ivanova", "password": "Zhurnal2026"}
    )
    assert response.status_code == 403
