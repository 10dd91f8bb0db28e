"""Error pages in Russian, in the site's layout: 404, 403, 400, 500 and a stale form's CSRF
failure. With DEBUG off, as the test settings have it and as production runs."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from ejournal.conftest import school_host
from ejournal.core.testing.factories import StudentFactory, UserFactory
from ejournal.core.testing.journal_factories import parent_of
from ejournal.schools.roles import Role

pytestmark = pytest.mark.django_db

ERROR_URLS = "ejournal.core.tests.urls_errors"


def _page(response) -> str:
    assert response["Content-Type"] == "text/html; charset=utf-8"
    return response.content.decode()


def test_the_error_pages_are_tested_with_debug_off():
    assert settings.DEBUG is False


def test_a_wrong_address_at_a_school_gets_the_russian_404_in_the_schools_layout(school, client_for):
    response = client_for(school).get("/diary/no-such-page/")

    assert response.status_code == 404
    page = _page(response)
    assert "<title>Страница не найдена — Школа №1399</title>" in page
    assert '<a class="brand" href="/">Школа №1399</a>' in page
    assert "<h1>Страница не найдена</h1>" in page
    assert '<a href="/">На главную страницу</a>' in page
    assert "Not Found" not in page


def test_another_familys_child_is_the_same_404_with_the_parents_menu(school, client_for):
    parent = parent_of(StudentFactory(school_class__school=school), login="nikolaeva")
    stranger = StudentFactory(school_class__school=school)

    response = client_for(school, parent).get(reverse("journal:diary_week", args=[stranger.pk]))

    assert response.status_code == 404
    page = _page(response)
    assert "<h1>Страница не найдена</h1>" in page
    assert ">Дневник</a>" in page
    assert ">nikolaeva</a>" in page


def test_the_platforms_own_domain_gets_the_404_without_a_school(school):
    response = Client(HTTP_HOST=settings.EJOURNAL_BASE_DOMAIN).get(reverse("accounts:profile"))

    assert response.status_code == 404
    page = _page(response)
    assert '<a class="brand" href="/">Электронный журнал</a>' in page
    assert "<h1>Страница не найдена</h1>" in page


@pytest.mark.urls(ERROR_URLS)
def test_a_refused_action_gets_the_russian_403(school, client_for):
    response = client_for(school).get("/test/forbidden/")

    assert response.status_code == 403
    page = _page(response)
    assert "<h1>Доступ запрещён</h1>" in page
    assert '<a class="brand" href="/">Школа №1399</a>' in page


def test_a_malformed_host_gets_the_russian_400():
    response = Client(HTTP_HOST="1399.testserver.local:not-a-port").get("/")

    assert response.status_code == 400
    page = _page(response)
    assert "<h1>Неверный запрос</h1>" in page
    assert "Bad Request" not in page
    assert "Content-Security-Policy" in response


@pytest.mark.urls(ERROR_URLS)
def test_a_suspicious_request_gets_the_russian_400(school, client_for):
    response = client_for(school).get("/test/suspicious/")

    assert response.status_code == 400
    assert "<h1>Неверный запрос</h1>" in _page(response)


@pytest.mark.urls(ERROR_URLS)
def test_a_bug_gets_the_russian_500_in_the_layout(school, client_for):
    teacher = UserFactory(school=school, role=Role.TEACHER)
    client = client_for(school, teacher)
    client.raise_request_exception = False

    response = client.get("/test/broken/")

    assert response.status_code == 500
    page = _page(response)
    assert "<h1>Ошибка на сервере</h1>" in page
    assert '<link rel="stylesheet" href="/static/css/ejournal.css">' in page
    assert "Content-Security-Policy" in response


def test_the_500_page_needs_neither_the_request_nor_the_database(django_assert_num_queries):
    """Django renders 500.html with no context: a broken database must not break it too."""
    bare = RequestFactory().get("/")  # no school, no user, no session

    with django_assert_num_queries(0):
        response = server_error(bare)

    assert response.status_code == 500
    page = response.content.decode()
    assert "<h1>Ошибка на сервере</h1>" in page
    assert '<a class="brand" href="/">Электронный журнал</a>' in page


# A stale form: the CSRF failure


@pytest.fixture
def csrf_client(school):
    """A browser that checks CSRF tokens, as a real one does."""
    return Client(enforce_csrf_checks=True, HTTP_HOST=school_host(school))


def test_a_stale_login_form_gets_the_russian_page_that_links_back_to_the_form(school, csrf_client):
    login_url = reverse("accounts:login")
    assert csrf_client.get(login_url).status_code == 200
    form_page = f"http://{school_host(school)}{login_url}"

    response = csrf_client.post(
        login_url,
        {"username": "nikolaeva", "password": "Zhurnal2026", "csrfmiddlewaretoken": "stale" * 8},
        HTTP_REFERER=form_page,
    )

    assert response.status_code == 403
    page = _page(response)
    assert "<title>Страница устарела — Школа №1399</title>" in page
    assert "<p>Страница устарела: обновите её и повторите.</p>" in page
    assert f'<a class="button primary" href="{form_page}">Открыть страницу заново</a>' in page
    assert "CSRF" not in page


@pytest.mark.parametrize("referer", ["", "https://evil.example/login/", "javascript:alert(1)"])
def test_the_stale_form_page_links_only_to_this_site(school, csrf_client, referer):
    response = csrf_client.post(reverse("accounts:login"), {}, HTTP_REFERER=referer)

    assert response.status_code == 403
    assert '<a class="button primary" href="/">Открыть страницу заново</a>' in _page(response)


def test_a_logged_in_users_stale_form_keeps_the_layout_and_the_session(school, csrf_client):
    parent = parent_of(StudentFactory(school_class__school=school), login="nikolaeva")
    csrf_client.force_login(parent)

    response = csrf_client.post(reverse("accounts:logout"))

    assert response.status_code == 403
    page = _page(response)
    assert "<h1>Страница устарела</h1>" in page
    assert ">Дневник</a>" in page
    assert csrf_client.session.get("_auth_user_id") == str(parent.pk)
    assert "no-store" in response["Cache-Control"]
