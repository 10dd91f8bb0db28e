"""/api/v1: the token login, the user, the tokens, the envelope, the school-only rule."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from ejournal.accounts.api_tokens import api_token_create
from ejournal.accounts.models import ApiToken
from ejournal.conftest import school_host
from ejournal.core.testing.factories import StudentFactory, UserFactory
from ejournal.core.testing.journal_factories import parent_of, teacher_with_account
from ejournal.core.throttle import LOGIN_ACCOUNT
from ejournal.schools.roles import Role

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)
TOKEN = "/api/v1/auth/token"
UNAUTHORIZED = {
    "errors": [
        {
            "param": None,
            "code": "unauthorized",
            "message": "Нужен действующий токен: войдите в приложении снова.",
        }
    ]
}
NOT_FOUND = {"errors": [{"param": None, "code": "not_found", "message": "Не найдено."}]}
INVALID_LOGIN = {
    "errors": [{"param": None, "code": "invalid_login", "message": "Неверный логин или пароль."}]
}


@pytest.fixture
def pupil(school):
    user = UserFactory(school=school, role=Role.STUDENT, login="vasya")
    return StudentFactory(
        school_class__school=school,
        user=user,
        last_name="Николаев",
        first_name="Василий",
        middle_name="Петрович",
    )


def _login(api_client, school, login="vasya", password="Zhurnal2026", device="Pixel 8"):  # noqa: S107
    return api_client(school).post(TOKEN, {"login": login, "password": password, "device": device})


def test_a_login_gets_a_token_that_expires_in_90_days(school, pupil, api_client):
    with time_machine.travel(START, tick=False):
        response = _login(api_client, school)
    assert response.status_code == 201
    body = response.json()
    token = ApiToken.objects.get()
    assert body == {
        "id": token.pk,
        "token": body["token"],
        "expires_at": "2027-02-24T08:00:00Z",
    }
    assert token.device == "Pixel 8"
    assert api_client(school, body["token"]).get("/api/v1/me").status_code == 200


def test_a_wrong_password_and_an_unknown_login_are_401_invalid_login(school, pupil, api_client):
    assert _login(api_client, school, password="Wrong2026").json() == INVALID_LOGIN
    response = _login(api_client, school, login="nobody")
    assert (response.status_code, response.json()) == (401, INVALID_LOGIN)
    assert not ApiToken.objects.exists()


def test_a_temporary_password_from_the_curator_gets_no_token(school, pupil, api_client):
    pupil.user.must_change_password = True
    pupil.user.save()
    response = _login(api_client, school)
    assert response.status_code == 403
    assert response.json() == {
        "errors": [
            {
                "param": None,
                "code": "password_change_required",
                "message": "Куратор установил вам временный пароль: смените его на сайте "
                "школы, затем войдите снова.",
            }
        ]
    }
    assert not ApiToken.objects.exists()


def test_another_schools_user_cannot_log_in_here(school, other_school, api_client):
    UserFactory(school=other_school, role=Role.STUDENT, login="petya")
    response = _login(api_client, school, login="petya")
    assert (response.status_code, response.json()) == (401, INVALID_LOGIN)


def test_after_the_free_failures_even_the_right_password_waits_with_429(school, pupil, api_client):
    with time_machine.travel(START, tick=False):
        for _ in range(LOGIN_ACCOUNT.free + 1):
            assert _login(api_client, school, password="Wrong2026").status_code == 401
        response = _login(api_client, school)
    assert response.status_code == 429
    assert response["Retry-After"] == "30"
    assert response.json() == {
        "errors": [
            {
                "param": None,
                "code": "throttled",
                "message": "Слишком много неудачных попыток входа. Попробуйте снова через 30 сек.",
            }
        ],
        "retry_after": 30,
    }


def test_a_body_that_does_not_validate_is_422_in_the_envelope(school, api_client):
    response = api_client(school).post(TOKEN, {"login": "vasya", "device": ""})
    assert response.status_code == 422
    assert response.json() == {
        "errors": [
            {"param": "payload.password", "code": "invalid", "message": "Обязательное поле."},
            {"param": "payload.device", "code": "invalid", "message": "Поле не может быть пустым."},
        ]
    }


@pytest.mark.parametrize("header", [None, "Bearer nonsense", "Basic dmFzeWE6MTIz"])
def test_no_token_or_a_bad_one_is_401_in_the_envelope(school, api_client, header):
    client = Client(HTTP_HOST=school_host(school))
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/me", headers=headers)
    assert (response.status_code, response.json()) == (401, UNAUTHORIZED)
    # Russian as itself, not \u escapes.
    assert "Нужен действующий токен".encode() in response.content


def test_another_schools_expired_or_revoked_token_is_401(school, other_school, pupil, api_client):
    stranger = UserFactory(school=other_school, role=Role.STUDENT)
    _, foreign = api_token_create(user=stranger, device="Pixel")
    assert api_client(school, foreign).get("/api/v1/me").json() == UNAUTHORIZED
    with time_machine.travel(START, tick=False):
        _, key = api_token_create(user=pupil.user, device="Pixel")
    with time_machine.travel(START + dt.timedelta(days=91)):
        assert api_client(school, key).get("/api/v1/me").status_code == 401


def test_me_for_a_student_is_their_own_record(school, pupil, api_client, django_assert_num_queries):
    _, key = api_token_create(user=pupil.user, device="Pixel")
    client = api_client(school, key)
    # The school from the host, the token, its user, its first use noted, the student record
    # with its class; no session.
    with django_assert_num_queries(5):
        response = client.get("/api/v1/me")
    user = pupil.user
    assert response.json() == {
        "id": user.pk,
        "login": "vasya",
        "role": "student",
        "last_name": user.last_name,
        "first_name": user.first_name,
        "middle_name": user.middle_name,
        "student": {
            "id": pupil.pk,
            "last_name": "Николаев",
            "first_name": "Василий",
            "middle_name": "Петрович",
            "class_label": pupil.school_class.label,
        },
        "children": [],
    }


def test_me_for_a_parent_lists_both_children_with_their_classes(school, api_client):
    older = StudentFactory(school_class__school=school, school_class__grade=9, last_name="Аксёнов")
    younger = StudentFactory(school_class__school=school, school_class__grade=3, last_name="Белов")
    parent = parent_of(younger, older, login="mama")
    _, key = api_token_create(user=parent, device="iPhone")
    body = api_client(school, key).get("/api/v1/me").json()
    assert body["role"] == "parent"
    assert body["student"] is None
    assert [(c["id"], c["last_name"], c["class_label"]) for c in body["children"]] == [
        (older.pk, "Аксёнов", older.school_class.label),
        (younger.pk, "Белов", younger.school_class.label),
    ]


def test_me_for_a_teacher_has_no_student_and_no_children(school, api_client):
    teacher = teacher_with_account(school, "ivanova")
    _, key = api_token_create(user=teacher.user, device="iPad")
    body = api_client(school, key).get("/api/v1/me").json()
    assert (body["login"], body["role"], body["student"], body["children"]) == (
        "ivanova",
        "teacher",
        None,
        [],
    )


def test_tokens_lists_the_users_own_and_delete_revokes_one(school, pupil, api_client):
    first, key = api_token_create(user=pupil.user, device="Pixel")
    second, _ = api_token_create(user=pupil.user, device="Планшет")
    api_token_create(user=UserFactory(school=school), device="Чужой")
    client = api_client(school, key)
    assert [t["device"] for t in client.get("/api/v1/tokens").json()] == ["Планшет", "Pixel"]
    response = client.delete(f"/api/v1/tokens/{second.pk}")
    assert (response.status_code, response.content) == (204, b"")
    assert list(ApiToken.objects.filter(user=pupil.user)) == [first]


def test_deleting_another_users_token_is_404_and_revokes_nothing(school, pupil, api_client):
    _, key = api_token_create(user=pupil.user, device="Pixel")
    others, _ = api_token_create(user=UserFactory(school=school), device="Чужой")
    response = api_client(school, key).delete(f"/api/v1/tokens/{others.pk}")
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert ApiToken.objects.filter(pk=others.pk).exists()


def test_a_token_deleted_through_the_api_logs_in_no_more(school, pupil, api_client):
    token, key = api_token_create(user=pupil.user, device="Pixel")
    client = api_client(school, key)
    assert client.delete(f"/api/v1/tokens/{token.pk}").status_code == 204
    assert client.get("/api/v1/me").status_code == 401


@pytest.mark.parametrize("path", ["/api/v1/nothing", "/api/v1/tokens/99999999999999999999"])
def test_an_unknown_api_address_is_404_in_the_envelope(school, path):
    response = Client(HTTP_HOST=school_host(school)).get(path)
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


@pytest.mark.parametrize("path", ["/api/v1/me", "/api/v1/openapi.json", "/api/v1/docs"])
def test_the_api_is_a_404_on_the_platforms_domain(db, path):
    response = Client(HTTP_HOST=settings.EJOURNAL_BASE_DOMAIN).get(path)
    assert response.status_code == 404
    response = Client(HTTP_HOST=settings.EJOURNAL_BASE_DOMAIN).post(
        TOKEN, {"login": "x", "password": "y", "device": "z"}, content_type="application/json"
    )
    assert response.status_code == 404


def test_a_body_that_is_not_json_is_400_in_the_envelope(school):
    response = Client(HTTP_HOST=school_host(school)).post(
        TOKEN, "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {
                "param": None,
                "code": "invalid",
                "message": "Тело запроса не читается: ожидается JSON.",
            }
        ]
    }


def test_answers_to_a_token_are_kept_by_no_cache(school, pupil, api_client):
    _, key = api_token_create(user=pupil.user, device="Pixel")
    response = api_client(school, key).get("/api/v1/me")
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
