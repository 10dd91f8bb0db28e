"""The apps' tokens: hashed, expiring, revoked one by one or by any new password."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
import time_machine
from django.http import Http404
from django.urls import reverse

from ejournal.accounts.access import access_api_token
from ejournal.accounts.api_tokens import (
    api_token_create,
    api_token_revoke,
    api_token_user,
    api_tokens_for_user,
    api_tokens_revoke_all,
)
from ejournal.accounts.models import ApiToken
from ejournal.audit.models import AuditAction, AuditEvent
from ejournal.core.tenancy import school_base_url
from ejournal.core.testing.factories import UserFactory
from ejournal.notifications.testing import letters_sent
from ejournal.schools.roles import Role

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)
NEW_PASSWORD = "NovyiParol2027"


def test_a_token_is_stored_only_as_its_sha256_and_logs_its_user_in(school, parent):
    _, key = api_token_create(user=parent, device="  iPhone Елены ")
    stored = ApiToken.objects.get()
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(ApiToken.objects.values().get())
    assert len(key) >= 43  # 32 random bytes
    assert stored.device == "iPhone Елены"
    assert api_token_user(school=school, key=key) == parent
    event = AuditEvent.objects.get(action=AuditAction.API_TOKEN_CREATED)
    assert (event.actor, event.target_id, event.after) == (
        parent,
        parent.pk,
        {"device": "iPhone Елены"},
    )


def test_a_token_expires_after_90_days(school, parent):
    with time_machine.travel(START, tick=False):
        token, key = api_token_create(user=parent, device="Android")
    assert token.expires_at == START + dt.timedelta(days=90)
    with time_machine.travel(START + dt.timedelta(days=90) - dt.timedelta(seconds=1)):
        assert api_token_user(school=school, key=key) == parent
    with time_machine.travel(START + dt.timedelta(days=90)):
        assert api_token_user(school=school, key=key) is None
        assert list(api_tokens_for_user(parent)) == []


def test_a_token_logs_in_nobody_at_another_school_or_when_its_user_is_disabled(
    school, other_school, parent
):
    _, key = api_token_create(user=parent, device="Android")
    assert api_token_user(school=other_school, key=key) is None
    assert api_token_user(school=school, key=key + "x") is None
    parent.is_active = False
    parent.save()
    assert api_token_user(school=school, key=key) is None


def test_the_last_use_is_noted_at_most_every_five_minutes(school, parent):
    with time_machine.travel(START, tick=False):
        token, key = api_token_create(user=parent, device="Android")
        api_token_user(school=school, key=key)
    token.refresh_from_db()
    assert token.last_used_at == START
    with time_machine.travel(START + dt.timedelta(minutes=4), tick=False):
        api_token_user(school=school, key=key)
    token.refresh_from_db()
    assert token.last_used_at == START
    with time_machine.travel(START + dt.timedelta(minutes=6), tick=False):
        api_token_user(school=school, key=key)
    token.refresh_from_db()
    assert token.last_used_at == START + dt.timedelta(minutes=6)


def test_a_revoked_token_logs_in_nobody_and_is_audited(school, parent):
    token, key = api_token_create(user=parent, device="Android")
    _, other_key = api_token_create(user=parent, device="iPad")
    api_token_revoke(token=access_api_token(user=parent, token_id=token.pk), actor=parent)
    assert api_token_user(school=school, key=key) is None
    assert api_token_user(school=school, key=other_key) == parent
    event = AuditEvent.objects.get(action=AuditAction.API_TOKEN_REVOKED)
    assert event.before == {"device": "Android"}


def test_another_users_token_is_not_found(school, parent):
    token, _ = api_token_create(user=parent, device="Android")
    other = UserFactory(school=school, role=Role.PARENT)
    with pytest.raises(Http404):
        access_api_token(user=other, token_id=token.pk)


def test_revoking_all_ends_every_token_of_the_user_only(school, parent):
    other = UserFactory(school=school, role=Role.PARENT)
    keys = [api_token_create(user=parent, device=d)[1] for d in ("iPad", "Android")]
    _, others_key = api_token_create(user=other, device="Android")
    assert api_tokens_revoke_all(user=parent, actor=parent) == 2
    assert [api_token_user(school=school, key=k) for k in keys] == [None, None]
    assert api_token_user(school=school, key=others_key) == other
    event = AuditEvent.objects.get(action=AuditAction.API_TOKENS_REVOKED)
    assert event.before == {"devices": ["Android", "iPad"]}
    assert api_tokens_revoke_all(user=parent, actor=parent) == 0  # nothing left: no event
    assert AuditEvent.objects.filter(action=AuditAction.API_TOKENS_REVOKED).count() == 1


def test_a_password_change_revokes_the_users_tokens(school, parent, client_for):
    _, key = api_token_create(user=parent, device="Android")
    response = client_for(school, parent).post(
        "/profile/password/",
        {
            "old_password": "Zhurnal2026",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert api_token_user(school=school, key=key) is None


def test_a_recovery_revokes_the_users_tokens(school, parent, client_for):
    _, key = api_token_create(user=parent, device="Android")
    with letters_sent() as sent:
        client_for(school).post("/recovery/", {"email": parent.email})
    [letter] = sent
    link = re.search(r"http://\S+/recovery/\S+/\S+/", letter.body).group(0)
    browser = client_for(school)
    form_url = browser.get(link.removeprefix(school_base_url(school)))["Location"]
    data = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    response = browser.post(form_url, data)
    assert response["Location"] == "/recovery/done/"
    assert api_token_user(school=school, key=key) is None


def test_a_curators_reset_revokes_the_users_tokens(school, parent, curator, client_for):
    _, key = api_token_create(user=parent, device="Android")
    response = client_for(school, curator).post(
        reverse("accounts:support_password", args=[parent.pk]),
        {"mode": "generate", "confirmed": "yes"},
    )
    assert response.status_code == 200
    assert api_token_user(school=school, key=key) is None
    event = AuditEvent.objects.get(action=AuditAction.API_TOKENS_REVOKED)
    assert event.actor == curator


def test_the_profile_lists_the_apps_and_revokes_one_by_its_button(school, parent, client_for):
    with time_machine.travel(START, tick=False):
        token, key = api_token_create(user=parent, device="iPhone Елены")
        api_token_user(school=school, key=key)
    client = client_for(school, parent)
    page = client.get("/profile/").content.decode()
    assert "<h2>Приложения и устройства</h2>" in page
    assert "<td>iPhone Елены</td>" in page
    assert "<td>26.11.2026 11:00</td>" in page  # created and last used, the school's time
    assert "<td>24.02.2027</td>" in page  # valid until
    revoke = reverse("accounts:api_token_revoke", args=[token.pk])
    assert f'<form method="post" action="{revoke}">' in page
    response = client.post(revoke)
    assert response["Location"] == "/profile/"
    assert api_token_user(school=school, key=key) is None
    page = client.get("/profile/").content.decode()
    assert "Доступ приложения «iPhone Елены» отозван." in page
    assert "Вход из приложений не выполнялся." in page


def test_the_profile_cannot_revoke_another_users_token(school, parent, curator, client_for):
    token, key = api_token_create(user=parent, device="Android")
    response = client_for(school, curator).post(
        reverse("accounts:api_token_revoke", args=[token.pk])
    )
    assert response.status_code == 404
    assert api_token_user(school=school, key=key) == parent


def test_revoking_is_a_post_only(school, parent, client_for):
    token, _ = api_token_create(user=parent, device="Android")
    url = reverse("accounts:api_token_revoke", args=[token.pk])
    assert client_for(school, parent).get(url).status_code == 405
    assert ApiToken.objects.filter(pk=token.pk).exists()
