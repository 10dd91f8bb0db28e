"""Point 11: sessions and cookies."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ejournal.accounts.tokens import email_confirmation_token_make, recovery_token_generator
from ejournal.core.tenancy import school_base_url
from ejournal.notifications.testing import letters_sent

HOST = "1399.testserver.local"


def _logged_in(school, login="nikolaeva") -> Client:
    client = Client(HTTP_HOST=HOST)
    response = client.post(
        reverse("accounts:login"), {"username": login, "password": "Zhurnal2026"}
    )
    assert response.status_code == 302
    return client


def _is_logged_in(client: Client) -> bool:
    return client.get("/profile/password/").status_code == 200


@pytest.mark.django_db
def test_logging_in_gives_a_new_session_key(school, parent):
    client = Client(HTTP_HOST=HOST)
    client.get(reverse("accounts:login"))
    client.cookies["sessionid"] = "planted-by-an-attacker"
    client.post(reverse("accounts:login"), {"username": "nikolaeva", "password": "Zhurnal2026"})
    assert client.cookies["sessionid"].value != "planted-by-an-attacker"
    assert Session.objects.filter(session_key=client.cookies["sessionid"].value).exists()


@pytest.mark.django_db
def test_logging_out_deletes_the_session_on_the_server(school, parent):
    client = _logged_in(school)
    key = client.cookies["sessionid"].value
    client.post(reverse("accounts:logout"))
    assert not Session.objects.filter(session_key=key).exists()
    stolen = Client(HTTP_HOST=HOST)
    stolen.cookies["sessionid"] = key  # a copy of the old cookie opens nothing
    assert not _is_logged_in(stolen)


@pytest.mark.django_db
def test_a_password_change_ends_every_other_session_and_keeps_this_one(school, parent):
    laptop, phone = _logged_in(school), _logged_in(school)
    old_key = laptop.cookies["sessionid"].value
    response = laptop.post(
        "/profile/password/",
        {
            "old_password": "Zhurnal2026",
            "new_password1": "NovyiParol2027",
            "new_password2": "NovyiParol2027",
        },
    )
    assert response.status_code == 302
    assert _is_logged_in(laptop)
    assert laptop.cookies["sessionid"].value != old_key  # rotated too
    assert not _is_logged_in(phone)


@pytest.mark.django_db
def test_a_recovery_ends_every_session(school, parent):
    laptop, phone = _logged_in(school), _logged_in(school)
    stranger = Client(HTTP_HOST=HOST)
    with letters_sent() as sent:
        stranger.post("/recovery/", {"email": "nikolaeva@example.com"})
    link = re.search(r"http://\S+/recovery/\S+/\S+/", sent[0].body).group(0)
    form_url = stranger.get(link.removeprefix(school_base_url(school)))["Location"]
    stranger.post(form_url, {"new_password1": "NovyiParol2027", "new_password2": "NovyiParol2027"})
    assert not _is_logged_in(laptop)
    assert not _is_logged_in(phone)


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_http_only_and_same_site_lax(school, parent):
    client = Client(HTTP_HOST=HOST)
    page = client.get(reverse("accounts:login"))
    csrf = page.cookies["csrftoken"]
    assert csrf["samesite"] == "Lax"
    assert csrf["httponly"] is True
    response = client.post(
        reverse("accounts:login"), {"username": "nikolaeva", "password": "Zhurnal2026"}
    )
    session = response.cookies["sessionid"]
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"


def test_production_cookies_are_secure():
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EJOURNAL_"))}
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "--no-imports",
            "-c",
            "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, "
            "s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, "
            "s.CSRF_COOKIE_SAMESITE, s.USE_X_FORWARDED_HOST)",
        ],
        cwd=settings.BASE_DIR,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": "production-key-" + "x" * 50,
            "EJOURNAL_INVITATION_KEY": "invitation-key",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.split() == ["True", "True", "True", "Lax", "Lax", "False"], result.stderr


def _csrf_cases(school, parent):
    """Every form of the account flows, with data that would succeed with a token."""

    parent.email_confirmed_at = None
    parent.save()
    uid = urlsafe_base64_encode(force_bytes(parent.pk))
    return [
        ("/login/", {"username": "nikolaeva", "password": "Zhurnal2026"}, False),
        ("/logout/", {}, True),
        ("/recovery/", {"email": "nikolaeva@example.com"}, False),
        (
            f"/recovery/{uid}/{recovery_token_generator.make_token(parent)}/",
            {"new_password1": "NovyiParol2027", "new_password2": "NovyiParol2027"},
            False,
        ),
        (
            "/profile/email/",
            {"current_password": "Zhurnal2026", "email": "new@example.com"},
            True,
        ),
        (
            "/profile/password/",
            {
                "old_password": "Zhurnal2026",
                "new_password1": "NovyiParol2027",
                "new_password2": "NovyiParol2027",
            },
            True,
        ),
        (f"/email/confirm/{email_confirmation_token_make(parent)}/", {}, False),
    ]


@pytest.mark.django_db
def test_every_form_of_the_account_flows_needs_the_csrf_token(school, parent):
    for url, data, logged_in in _csrf_cases(school, parent):
        client = Client(HTTP_HOST=HOST, enforce_csrf_checks=True)
        if logged_in:
            client.force_login(parent)
        assert client.post(url, data).status_code == 403, url
    parent.refresh_from_db()
    assert parent.check_password("Zhurnal2026")
    assert parent.email == "nikolaeva@example.com"
    assert parent.email_confirmed_at is None


@pytest.mark.django_db
def test_the_recovery_form_page_needs_the_csrf_token_too(school, parent):
    """The set-password form sits behind a redirect that puts the token in the session."""

    uid = urlsafe_base64_encode(force_bytes(parent.pk))
    client = Client(HTTP_HOST=HOST, enforce_csrf_checks=True)
    form_url = client.get(f"/recovery/{uid}/{recovery_token_generator.make_token(parent)}/")[
        "Location"
    ]
    response = client.post(
        form_url, {"new_password1": "NovyiParol2027", "new_password2": "NovyiParol2027"}
    )
    assert response.status_code == 403
    parent.refresh_from_db()
    assert parent.check_password("Zhurnal2026")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "/\\evil.example",
        "https://evil.example/",
        "http://1400.testserver.local/",
        "javascript:alert(1)",
        "%2F%2Fevil.example",
        "/%2F%2Fevil.example",
        "\\\\evil.example",
        "https:evil.example",
    ],
)
def test_next_after_login_stays_on_the_school(school, parent, target):
    response = Client(HTTP_HOST=HOST).post(
        reverse("accounts:login"),
        {"username": "nikolaeva", "password": "Zhurnal2026", "next": target},
    )
    location = response["Location"]
    assert location.startswith("/")
    assert not location.startswith(("//", "/\\"))
    assert "evil.example" not in location or location.startswith("/%2F")
