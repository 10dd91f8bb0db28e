"""A request's user and an app's token are kept in the cache, and every change of their rows
is felt at the next request: a new password, a disabled account, a revoked or expired token,
a confirmed address (accounts/identity.py)."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ejournal.accounts import identity
from ejournal.accounts.api_tokens import api_token_create, api_token_revoke, api_token_user
from ejournal.accounts.email_confirmation import user_email_confirm
from ejournal.accounts.models import ApiToken, User
from ejournal.accounts.recovery import user_password_set
from ejournal.audit.models import AuditAction
from ejournal.core.freshness import FORMAT

pytestmark = pytest.mark.django_db

PROFILE = "/profile/"


def _user_queries(captured: list[dict[str, str]]) -> list[str]:
    return [q["sql"] for q in captured if 'FROM "accounts_user"' in q["sql"]]


def test_a_sessions_user_is_read_once_and_then_kept(school, parent, client_for):
    client = client_for(school, parent)
    with CaptureQueriesContext(connection) as first:
        assert client.get(PROFILE).status_code == 200
    with CaptureQueriesContext(connection) as second:
        page = client.get(PROFILE)
    assert len(_user_queries(first.captured_queries)) == 1
    assert _user_queries(second.captured_queries) == []
    assert page.wsgi_request.user == parent
    assert page.wsgi_request.user.login == parent.login


def test_a_new_password_ends_the_other_sessions_at_their_next_request(school, parent, client_for):
    other_device = client_for(school, parent)
    assert other_device.get(PROFILE).status_code == 200  # the user is kept now
    user_password_set(user=parent, password="NovyiParol2027", action=AuditAction.PASSWORD_CHANGED)
    response = other_device.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_disabled_account_is_logged_out_at_its_next_request(school, parent, client_for):
    client = client_for(school, parent)
    assert client.get(PROFILE).status_code == 200
    parent.is_active = False
    parent.save(update_fields=["is_active"])
    assert client.get(PROFILE).status_code == 302


def test_a_changed_name_shows_at_the_next_request(school, parent, client_for):
    client = client_for(school, parent)
    assert client.get(PROFILE).wsgi_request.user.last_name == parent.last_name
    parent.last_name = "Новикова"
    parent.save()
    assert client.get(PROFILE).wsgi_request.user.last_name == "Новикова"


def test_a_confirmed_address_shows_at_the_next_request(school, parent, client_for):
    User.objects.filter(pk=parent.pk).update(email_confirmed_at=None)
    identity.user_row_changed(parent.pk)
    parent.refresh_from_db()
    client = client_for(school, parent)
    assert client.get(PROFILE).wsgi_request.user.email_confirmed_at is None
    assert user_email_confirm(user=User.objects.get(pk=parent.pk))  # one UPDATE, no signal
    assert client.get(PROFILE).wsgi_request.user.email_confirmed_at is not None


def test_a_user_read_in_a_transaction_that_rolls_back_is_not_kept(school, parent):
    class Undone(Exception):
        pass

    def write_read_and_fail() -> None:
        with transaction.atomic():
            User.objects.filter(pk=parent.pk).update(last_name="Откат")
            assert identity.user_by_id(parent.pk).last_name == "Откат"
            raise Undone

    with pytest.raises(Undone):
        write_read_and_fail()
    assert identity.user_by_id(parent.pk).last_name == parent.last_name


def test_a_kept_token_is_refused_once_revoked(school, parent, django_assert_num_queries):
    token, key = api_token_create(user=parent, device="Android")
    assert api_token_user(school=school, key=key) == parent  # its first use is noted
    assert api_token_user(school=school, key=key) == parent
    with django_assert_num_queries(0):  # the token and its user kept
        assert api_token_user(school=school, key=key) == parent
    api_token_revoke(token=token, actor=parent)
    assert api_token_user(school=school, key=key) is None


def test_a_kept_token_is_refused_once_expired_or_its_user_disabled(school, parent):
    token, key = api_token_create(user=parent, device="Android")
    assert api_token_user(school=school, key=key) == parent
    token.expires_at = timezone.now() - dt.timedelta(seconds=1)
    token.save(update_fields=["expires_at"])
    assert api_token_user(school=school, key=key) is None

    _, other_key = api_token_create(user=parent, device="iPad")
    assert api_token_user(school=school, key=other_key) == parent
    parent.is_active = False
    parent.save(update_fields=["is_active"])
    assert api_token_user(school=school, key=other_key) is None


def test_an_unknown_token_is_not_kept(school, parent):
    _, key = api_token_create(user=parent, device="Android")
    ApiToken.objects.all().delete()
    for presented in (key, "guessed-" + key):
        assert api_token_user(school=school, key=presented) is None
        digest = hashlib.sha256(presented.encode()).hexdigest()
        assert cache.get(f"accounts:{FORMAT}:token:{school.pk}:{digest}") is None
    # Nor a version for a guess (a deleted token's moved on, and expires: VERSION_TIMEOUT).
    guessed = hashlib.sha256(("guessed-" + key).encode()).hexdigest()
    assert cache.get(identity.TOKEN_VERSION.format(guessed)) is None
