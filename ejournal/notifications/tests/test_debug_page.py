"""The DEBUG-only letter log: letters sent and every template with sample data."""

from __future__ import annotations

import importlib

import pytest
from django.test import Client
from django.urls import NoReverseMatch, clear_url_caches, reverse

from ejournal.core.testing.factories import UserFactory
from ejournal.notifications.kinds import KINDS
from ejournal.notifications.models import Letter, LetterKind
from ejournal.notifications.services import letter_send
from ejournal.notifications.testing import letters_sent
from ejournal.schools.roles import Role

pytestmark = pytest.mark.django_db

DEBUG_URLS = "ejournal.notifications.tests.urls_debug"


@pytest.fixture
def platform_client():
    return Client(HTTP_HOST="testserver.local")


@pytest.fixture
def sent_letter(school):
    user = UserFactory(school=school, role=Role.PARENT, login="nikolaeva", email="n@example.com")
    with letters_sent():
        letter_send(
            kind=LetterKind.PASSWORD_CHANGED, to=user.email, user=user, school=school, context={}
        )


@pytest.fixture
def school_host_client(school, client_for):
    return client_for(school)


def test_the_letter_log_is_not_mounted_without_debug(platform_client, school_host_client):
    assert platform_client.get("/debug/letters/").status_code == 404
    assert school_host_client.get("/debug/letters/").status_code == 404
    with pytest.raises(NoReverseMatch):
        reverse("notifications:letter_log")


@pytest.mark.urls(DEBUG_URLS)
def test_the_letter_log_answers_404_without_debug_even_if_mounted(
    platform_client, settings, sent_letter
):
    settings.DEBUG = False
    assert platform_client.get("/debug/letters/").status_code == 404
    assert platform_client.get("/debug/letters/1/").status_code == 404


@pytest.mark.urls(DEBUG_URLS)
def test_with_debug_the_log_lists_the_letters_and_renders_every_template(
    platform_client, settings, sent_letter
):
    settings.DEBUG = True
    response = platform_client.get("/debug/letters/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "n@example.com" in content
    assert "Пароль изменён — Школа №1399" in content  # the subject of the letter sent
    assert "Отправлено" in content
    for kind in KINDS:
        for language in ("ru", "en"):
            assert f'id="{kind}-{language}"' in content
    assert "Password recovery — Школа №1399" in content
    assert 'srcdoc="&lt;!doctype html&gt;' in content  # the letter's HTML, as one attribute
    assert content.count("<h1>") == 1


@pytest.mark.urls(DEBUG_URLS)
def test_with_debug_a_letter_is_shown_as_sent(platform_client, settings, sent_letter):
    settings.DEBUG = True
    letter = Letter.objects.get()
    response = platform_client.get(f"/debug/letters/{letter.pk}/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Пароль изменён — Школа №1399" in content
    assert 'srcdoc="&lt;!doctype html&gt;' in content


def test_config_urls_mounts_the_log_only_with_debug(settings):
    import config.urls

    try:
        settings.DEBUG = True
        importlib.reload(config.urls)
        clear_url_caches()
        assert any(str(p.pattern) == "debug/letters/" for p in config.urls.urlpatterns)
        settings.DEBUG = False
        importlib.reload(config.urls)
        assert not any(str(p.pattern) == "debug/letters/" for p in config.urls.urlpatterns)
    finally:
        settings.DEBUG = False
        importlib.reload(config.urls)
        clear_url_caches()


@pytest.mark.urls(DEBUG_URLS)
def test_with_debug_the_log_is_shown_only_to_this_machine(settings, sent_letter):
    """Under DEBUG letters keep their one-time links: a demo on the network hides them."""
    settings.DEBUG = True
    from_network = Client(HTTP_HOST="testserver.local", REMOTE_ADDR="192.0.2.10")
    assert from_network.get("/debug/letters/").status_code == 404
    assert from_network.get(f"/debug/letters/{Letter.objects.get().pk}/").status_code == 404
