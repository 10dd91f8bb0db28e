import pytest
from django.urls import reverse

from ejournal.accounts.models import Role
from ejournal.core.testing.factories import UserFactory

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
    response = client.post(reverse("accounts:login"), {"username": "kURATOR", "password": "Zhurnal2026"})
    assert response.status_code == 302
    assert client.session.session_key != "fixated-session-key"
    assert client.session["_auth_user_id"]
