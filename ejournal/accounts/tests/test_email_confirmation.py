"""Point 5: "Обновление информации о пользователе" and the confirmation link."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from ejournal.accounts.email_confirmation import user_email_update
from ejournal.accounts.flows.throttled import Throttled
from ejournal.accounts.models import User
from ejournal.accounts.tokens import email_confirmation_token_make
from ejournal.audit.models import AuditAction, AuditEvent
from ejournal.core.tenancy import school_base_url
from ejournal.core.testing.factories import UserFactory
from ejournal.core.throttle import CONFIRMATION_LETTER
from ejournal.notifications.testing import letters_sent
from ejournal.schools.roles import Role

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)
EMAIL_UPDATE = "/profile/email/"


@pytest.fixture
def parent(school):
    return UserFactory(
        school=school,
        role=Role.PARENT,
        login="nikolaeva",
        last_name="Николаева",
        first_name="Елена",
        email="nikolaeva@example.com",
    )


def _login(client, login, next_url=None):
    data = {"username": login, "password": "Zhurnal2026"}
    if next_url is not None:
        data["next"] = next_url
    return client.post(reverse("accounts:login"), data)


def _save(client, email, current="Zhurnal2026"):
    return client.post(EMAIL_UPDATE, {"current_password": current, "email": email})


def _link(message) -> str:
    return re.search(r"http://\S+/email/confirm/\S+/", message.body).group(0)


# After logging in


def test_logging_in_with_an_unconfirmed_address_leads_once_to_the_update_page(
    school, parent, client_for
):
    client = client_for(school)
    response = _login(client, "nikolaeva")
    assert response["Location"] == "/profile/email/?next=%2F"
    # Only once: the journal is open meanwhile ("/" leads to the parent's diary).
    assert client.get("/")["Location"] == "/diary/"


def test_a_parent_without_an_address_is_asked_for_one(school, client_for):
    UserFactory(school=school, role=Role.PARENT, login="papa", email="")
    assert _login(client_for(school), "papa")["Location"] == "/profile/email/?next=%2F"


def test_a_student_without_an_address_is_not_asked(school, client_for):
    UserFactory(school=school, role=Role.STUDENT, login="vasya", email="")
    assert _login(client_for(school), "vasya")["Location"] == "/"


def test_a_confirmed_address_is_not_asked_again(school, client_for):
    UserFactory(
        school=school,
        role=Role.PARENT,
        login="mama",
        email="m@example.com",
        email_confirmed_at=START,
    )
    assert _login(client_for(school), "mama")["Location"] == "/"


@pytest.mark.parametrize(
    ("next_url", "carried"),
    [
        ("/profile/", "%2Fprofile%2F"),
        ("//evil.example/", "%2F"),
        ("https://evil.example/", "%2F"),
        ("/\\evil.example", "%2F"),
        ("javascript:alert(1)", "%2F"),
    ],
)
def test_next_is_carried_through_the_update_page_only_when_safe(
    school, parent, client_for, next_url, carried
):
    response = _login(client_for(school), "nikolaeva", next_url)
    assert response["Location"] == f"/profile/email/?next={carried}"


def test_the_continue_link_never_leaves_the_school(school, parent, client_for):
    client = client_for(school, parent)
    content = client.get(EMAIL_UPDATE + "?next=//evil.example/").content.decode()
    assert '<a href="/">Перейти в журнал</a>' in content
    content = client.get(EMAIL_UPDATE + "?next=/profile/").content.decode()
    assert '<a href="/profile/">Перейти в журнал</a>' in content


# The page


def test_the_page_speaks_the_seed_wording(school, parent, client_for):
    response = client_for(school, parent).get(EMAIL_UPDATE)
    content = response.content.decode()
    assert response.status_code == 200
    for text in (
        "<h1>Обновление информации о пользователе</h1>",
        "В целях повышения безопасности просим Вас подтвердить адрес вашей электронной почты.",
        "Текущий пароль",
        "Введите ваш адрес электронной почты. На него будет отправлено сообщение для "
        "подтверждения.",
        "Электронная почта",
        "Сохранить",
        "Письмо также может прийти на почту в течение получаса, если его не окажется в папке "
        "«Входящие», нужно проверить папку «Спам».",
        "Вы можете войти в журнал и просматривать информацию до получения письма.",
    ):
        assert text in content
    assert 'value="nikolaeva@example.com"' in content


def test_the_page_has_a_fixed_number_of_queries(
    school, parent, client_for, django_assert_num_queries
):
    client = client_for(school, parent)
    # School by host, user (the session is cached), the menu's unread messages.
    with django_assert_num_queries(3):
        assert client.get(EMAIL_UPDATE).status_code == 200


def test_the_page_needs_a_login(school, client_for):
    response = client_for(school).get(EMAIL_UPDATE)
    assert response["Location"] == "/login/?next=/profile/email/"


# Saving


def test_a_wrong_current_password_is_refused(school, parent, client_for):
    with letters_sent() as sent:
        response = _save(client_for(school, parent), "new@example.com", current="wrong-one")
    assert response.status_code == 200
    assert "Неверный текущий пароль." in response.content.decode()
    assert sent == []
    parent.refresh_from_db()
    assert parent.email == "nikolaeva@example.com"


def test_saving_sets_the_address_unconfirmed_and_sends_a_letter(school, parent, client_for):
    parent.email_confirmed_at = START
    parent.save()
    with letters_sent() as sent:
        response = _save(client_for(school, parent), "Elena@Example.COM")
    assert response.status_code == 302
    parent.refresh_from_db()
    assert parent.email == "Elena@example.com"
    assert parent.email_confirmed_at is None
    assert [m.to for m in sent] == [["Elena@example.com"]]
    assert sent[0].subject == "Подтверждение адреса электронной почты — Школа №1399"
    assert _link(sent[0]).startswith(school_base_url(school) + "/email/confirm/")
    event = AuditEvent.objects.get(action=AuditAction.EMAIL_CHANGED)
    assert event.before == {"email": "ni***@example.com", "confirmed": True}
    assert event.after == {"email": "El***@example.com", "confirmed": False}


def test_saving_the_same_unconfirmed_address_sends_the_letter_again(school, parent, client_for):
    with letters_sent() as sent:
        _save(client_for(school, parent), "nikolaeva@example.com")
    assert len(sent) == 1
    assert not AuditEvent.objects.filter(action=AuditAction.EMAIL_CHANGED).exists()


def test_an_address_already_confirmed_needs_no_letter(school, parent, client_for):
    parent.email_confirmed_at = START
    parent.save()
    with letters_sent() as sent:
        response = _save(client_for(school, parent), "nikolaeva@example.com")
    assert "Этот адрес уже подтверждён." in response.content.decode()
    assert sent == []


def test_an_english_user_gets_the_letter_in_english(school, parent, client_for):
    parent.language = "en"
    parent.save()
    with letters_sent() as sent:
        _save(client_for(school, parent), "nikolaeva@example.com")
    assert sent[0].subject == "Confirm your email address — Школа №1399"


def test_confirmation_letters_are_throttled_per_account(school, parent, client_for):
    client = client_for(school, parent)
    with time_machine.travel(START, tick=False), letters_sent() as sent:
        for i in range(CONFIRMATION_LETTER.free + 1):
            assert _save(client, f"n{i}@example.com").status_code == 302
        response = _save(client, "last@example.com")
    assert response.status_code == 200
    assert (
        "Письмо для подтверждения уже отправлено. Новое можно отправить через 5 мин."
        in response.content.decode()
    )
    assert len(sent) == CONFIRMATION_LETTER.free + 1
    parent.refresh_from_db()
    assert parent.email == f"n{CONFIRMATION_LETTER.free}@example.com"


# The service every front end calls


def _update(user, email, current="Zhurnal2026"):
    user_email_update(user=user, email=email, current_password=current)


def test_the_update_refuses_a_wrong_current_password_under_its_field(parent):
    with pytest.raises(ValidationError) as refused, letters_sent() as sent:
        _update(parent, "new@example.com", current="wrong-one")
    [error] = refused.value.error_dict["current_password"]
    assert (error.code, error.messages) == ("password_incorrect", ["Неверный текущий пароль."])
    parent.refresh_from_db()
    assert (parent.email, sent) == ("nikolaeva@example.com", [])


def test_the_update_counts_letters_per_account_before_changing_anything(parent):
    with time_machine.travel(START, tick=False), letters_sent() as sent:
        for i in range(CONFIRMATION_LETTER.free + 1):
            _update(parent, f"n{i}@example.com")
        with pytest.raises(Throttled) as throttled:
            _update(parent, "last@example.com")
    assert (throttled.value.code, throttled.value.wait) == ("throttled", 300)
    assert len(sent) == CONFIRMATION_LETTER.free + 1
    parent.refresh_from_db()
    assert parent.email == f"n{CONFIRMATION_LETTER.free}@example.com"


def test_the_update_refuses_the_address_already_confirmed_and_counts_no_letter(parent):
    parent.email_confirmed_at = START
    parent.save()
    with pytest.raises(ValidationError) as refused:
        _update(parent, " nikolaeva@EXAMPLE.com")
    assert refused.value.code == "confirmed"
    assert CONFIRMATION_LETTER.wait(f"{parent.school_id}:{parent.pk}") == 0


# The link


def _letter_link(school, parent, client_for):
    with letters_sent() as sent:
        _save(client_for(school, parent), parent.email)
    return _link(sent[0]).removeprefix(school_base_url(school))


def test_opening_the_link_does_not_confirm_only_the_button_does(school, parent, client_for):
    link = _letter_link(school, parent, client_for)
    browser = client_for(school)  # opened on another device, not logged in
    response = browser.get(link)
    content = response.content.decode()
    assert response.status_code == 200
    assert "nikolaeva@example.com" in content
    assert "Подтвердить</button>" in content
    browser.head(link)
    parent.refresh_from_db()
    assert parent.email_confirmed_at is None

    response = browser.post(link)
    assert response["Location"] == "/"
    parent.refresh_from_db()
    assert parent.email_confirmed_at is not None
    event = AuditEvent.objects.get(action=AuditAction.EMAIL_CONFIRMED)
    assert event.actor == parent
    assert event.after == {"email": "ni***@example.com", "confirmed": True}


def test_the_link_works_once(school, parent, client_for):
    link = _letter_link(school, parent, client_for)
    browser = client_for(school)
    browser.post(link)
    again = browser.post(link)
    assert again.status_code == 200
    assert "Ссылка недействительна" in again.content.decode()
    assert "Ссылка недействительна" in browser.get(link).content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.EMAIL_CONFIRMED).count() == 1


def test_the_link_expires_after_three_days(school, parent, client_for):
    with time_machine.travel(START, tick=False):
        token = email_confirmation_token_make(parent)
    link = reverse("accounts:email_confirm", args=[token])
    browser = client_for(school)
    with time_machine.travel(START + dt.timedelta(days=3, minutes=-1), tick=False):
        assert "Подтвердить</button>" in browser.get(link).content.decode()
    with time_machine.travel(START + dt.timedelta(days=3, minutes=1), tick=False):
        assert "Ссылка недействительна" in browser.post(link).content.decode()
    parent.refresh_from_db()
    assert parent.email_confirmed_at is None


def test_the_link_is_bound_to_the_address(school, parent, client_for):
    old_link = _letter_link(school, parent, client_for)
    with letters_sent() as sent:
        _save(client_for(school, parent), "other@example.com")
    new_link = _link(sent[0]).removeprefix(school_base_url(school))
    browser = client_for(school)
    assert "Ссылка недействительна" in browser.post(old_link).content.decode()
    parent.refresh_from_db()
    assert parent.email_confirmed_at is None
    browser.post(new_link)
    parent.refresh_from_db()
    assert parent.email == "other@example.com"
    assert parent.email_confirmed_at is not None


def test_a_tampered_link_or_one_of_another_school_does_nothing(
    school, other_school, parent, client_for
):
    link = _letter_link(school, parent, client_for)
    assert "Ссылка недействительна" in client_for(other_school).post(link).content.decode()
    tampered = link.replace("/email/confirm/", "/email/confirm/x")
    assert "Ссылка недействительна" in client_for(school).post(tampered).content.decode()
    assert not User.objects.filter(email_confirmed_at__isnull=False).exists()
