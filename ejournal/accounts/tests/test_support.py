"""The curator's account support: find any user of the school, see the login, set a password."""

from __future__ import annotations

import json
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ejournal.accounts import support
from ejournal.accounts.models import User
from ejournal.accounts.passwords import password_validate_for_user
from ejournal.accounts.support import (
    mask_email,
    temporary_password,
    user_password_set_by_curator,
    user_search,
)
from ejournal.audit.models import AuditAction, AuditEvent
from ejournal.conftest import school_host
from ejournal.core.testing.factories import (
    SchoolClassFactory,
    StudentFactory,
    TeacherFactory,
    UserFactory,
)
from ejournal.notifications.models import Letter
from ejournal.notifications.tasks import send_letter
from ejournal.schools.models import Guardianship
from ejournal.schools.roles import Role

pytestmark = pytest.mark.django_db

HASH_MARKERS = ("pbkdf2", "md5$", "sha1$", "argon2", "bcrypt")


@pytest.fixture
def six_a(school):
    return SchoolClassFactory(school=school, grade=6, letter="А")


@pytest.fixture
def nine_b(school):
    return SchoolClassFactory(school=school, grade=9, letter="Б")


@pytest.fixture
def pupil(school, six_a):
    """Николаев Василий of 6А: his account has no names of its own, the record has them."""
    user = UserFactory(school=school, role=Role.STUDENT, login="vasya")
    StudentFactory(
        school_class=six_a,
        last_name="Николаев",
        first_name="Василий",
        middle_name="Андреевич",
        user=user,
    )
    return User.objects.select_related("school", "student__school_class").get(pk=user.pk)


@pytest.fixture
def sister(nine_b):
    return StudentFactory(school_class=nine_b, last_name="Николаева", first_name="Анна")


@pytest.fixture
def parent(school, pupil, sister):
    """Николаева Елена, parent of both, with a confirmed email."""
    user = UserFactory(
        school=school,
        role=Role.PARENT,
        login="nikolaeva",
        last_name="Николаева",
        first_name="Елена",
        email="nikolaeva@example.com",
        email_confirmed_at=timezone.now(),
    )
    Guardianship.objects.create(school=school, parent=user, student=pupil.student)
    Guardianship.objects.create(school=school, parent=user, student=sister)
    return User.objects.select_related("school").get(pk=user.pk)


@pytest.fixture
def teacher_user(school, six_a):
    user = UserFactory(school=school, role=Role.TEACHER, login="ivanova")
    teacher = TeacherFactory(school=school, last_name="Иванова", first_name="Мария", user=user)
    six_a.class_teacher = teacher
    six_a.save(update_fields=["class_teacher"])
    return user


@pytest.fixture
def stranger(other_school):
    """A student of the other school with the same surname."""
    six_a_there = SchoolClassFactory(school=other_school, grade=6, letter="А")
    user = UserFactory(school=other_school, role=Role.STUDENT, login="vasya")
    StudentFactory(school_class=six_a_there, last_name="Николаев", first_name="Пётр", user=user)
    return user


@pytest.fixture
def operator(db):
    return UserFactory(school=None, role=Role.OPERATOR, login="support-ops")


def _logins(users):
    return sorted(u.login for u in users)


def _h1s(response):
    return re.findall(r"<h1[ >]", response.content.decode())


def _assert_no_secrets(response, *users):
    content = response.content.decode()
    for marker in HASH_MARKERS:
        assert marker not in content
    for user in users:
        user.refresh_from_db()
        assert user.password not in content
        assert user.password.split("$")[-1] not in content


def support_urls(user_id):
    return [
        ("get", reverse("accounts:support_user", args=[user_id])),
        ("post", reverse("accounts:support_password", args=[user_id])),
    ]


# Masking


@pytest.mark.parametrize(
    ("email", "masked"),
    [
        ("nikolaeva@example.com", "n*******a@e******.com"),
        ("ab@mail.ru", "a*@m***.ru"),
        ("a@x.ru", "a*@x*.ru"),
        ("ivan.petrov@mail.yandex.ru", "i*********v@m**********.ru"),
        ("not-an-address", "n************s"),
    ],
)
def test_an_email_is_masked_keeping_the_first_letters_and_the_top_level_domain(email, masked):
    assert mask_email(email) == masked


# Search


def test_search_finds_by_the_account_names_and_the_student_record_names_in_any_case(
    school, pupil, parent, teacher_user
):
    assert _logins(user_search(school=school, query="николаев")) == ["nikolaeva", "vasya"]
    assert _logins(user_search(school=school, query="ВАСИЛИЙ")) == ["vasya"]
    assert _logins(user_search(school=school, query="Елена")) == ["nikolaeva"]
    assert _logins(user_search(school=school, query="иванова")) == ["ivanova"]
    assert _logins(user_search(school=school, query="Николаев Василий")) == ["vasya"]


def test_search_finds_by_a_part_of_the_login(school, pupil, parent, curator):
    assert _logins(user_search(school=school, query="kolae")) == ["nikolaeva"]
    assert _logins(user_search(school=school, query="KURATOR")) == ["kurator"]


@pytest.mark.parametrize("label", ["6А", "6 а", "6A", "6-а"])
def test_search_by_class_finds_its_students_and_their_parents(
    school, pupil, parent, teacher_user, sister, label
):
    other = UserFactory(school=school, role=Role.PARENT, login="other-parent")
    Guardianship.objects.create(school=school, parent=other, student=sister)  # a 9Б child

    assert _logins(user_search(school=school, query=label)) == ["nikolaeva", "vasya"]
    assert _logins(user_search(school=school, query="9Б")) == ["nikolaeva", "other-parent"]


def test_search_by_class_ignores_students_who_left(school, pupil, parent):
    pupil.student.archived_at = timezone.now()
    pupil.student.save(update_fields=["archived_at"])
    assert _logins(user_search(school=school, query="6А")) == []


def test_search_combines_a_class_with_a_name_and_filters_by_role(school, pupil, parent):
    assert _logins(user_search(school=school, query="6А Елена")) == ["nikolaeva"]
    assert _logins(user_search(school=school, query="6А", role=Role.STUDENT)) == ["vasya"]
    assert _logins(user_search(school=school, query="", role=Role.PARENT)) == ["nikolaeva"]


def test_search_never_finds_another_schools_users_or_the_operator(
    school, pupil, stranger, operator
):
    assert _logins(user_search(school=school, query="Николаев")) == ["vasya"]
    assert user_search(school=school, query="vasya").get() == pupil
    assert _logins(user_search(school=school, query="support")) == []


def test_search_treats_regex_characters_literally(school, pupil):
    assert _logins(user_search(school=school, query=".*")) == []
    assert _logins(user_search(school=school, query="(")) == []


# The password service


def test_a_temporary_password_passes_the_school_rule(pupil, settings):
    for _ in range(20):
        password = temporary_password(user=pupil)
        password_validate_for_user(password, pupil)
        assert re.fullmatch(r"[a-z0-9]{10,}", password)
        assert re.search(r"\d", password)
        assert re.search(r"[a-z]", password)
    settings.EJOURNAL_PASSWORD_MIN_LENGTH = 14
    assert len(temporary_password(user=pupil)) == 14


def test_setting_a_generated_password_forces_a_change_and_is_audited_without_it(
    school, curator, pupil
):
    password = user_password_set_by_curator(curator=curator, user=pupil, password=None)

    pupil.refresh_from_db()
    assert pupil.check_password(password)
    assert pupil.must_change_password is True
    event = AuditEvent.objects.get(action=AuditAction.PASSWORD_SET_BY_CURATOR)
    assert (event.school, event.actor, event.target_type, event.target_id) == (
        school,
        curator,
        "user",
        pupil.pk,
    )
    assert event.before == {"must_change_password": False}
    assert event.after == {"must_change_password": True, "temporary": True, "notice_sent": False}
    stored = json.dumps([event.before, event.after])
    assert password not in stored
    assert pupil.password not in stored


def test_a_typed_password_must_pass_the_rule_with_every_reason(curator, pupil):
    before = pupil.password
    with pytest.raises(ValidationError) as refused:
        user_password_set_by_curator(curator=curator, user=pupil, password="vasya.1")
    assert refused.value.messages == [
        "Пароль должен содержать не менее 8 символов.",
        "В пароле не должно быть специальных знаков (точек, кавычек, пробелов и проч.): "
        "только буквы и цифры.",
        "Пароль не должен совпадать с логином или содержать его.",
    ]
    with pytest.raises(ValidationError) as refused:
        user_password_set_by_curator(curator=curator, user=pupil, password="Василий2014")
    assert refused.value.messages == ["Пароль не должен содержать ваши фамилию, имя или отчество."]
    with pytest.raises(ValidationError) as refused:
        user_password_set_by_curator(curator=curator, user=pupil, password="password123")
    assert "Этот пароль слишком распространён: его легко подобрать." in refused.value.messages
    pupil.refresh_from_db()
    assert pupil.password == before
    assert not AuditEvent.objects.filter(action=AuditAction.PASSWORD_SET_BY_CURATOR).exists()


def test_a_typed_password_that_passes_is_set_as_typed(curator, pupil):
    assert user_password_set_by_curator(curator=curator, user=pupil, password="Lipa4Kedr9") == (
        "Lipa4Kedr9"
    )
    pupil.refresh_from_db()
    assert pupil.check_password("Lipa4Kedr9")
    assert pupil.must_change_password is True
    assert AuditEvent.objects.get().after["temporary"] is False


def test_a_curator_cannot_set_their_own_password_here(curator):
    with pytest.raises(ValidationError, match="Свой пароль куратор меняет"):
        user_password_set_by_curator(curator=curator, user=curator, password=None)


def test_only_a_curator_of_the_same_school_may_set_a_password(
    curator, other_curator, pupil, teacher_user, operator
):
    with pytest.raises(PermissionDenied):
        user_password_set_by_curator(curator=other_curator, user=pupil, password=None)
    with pytest.raises(PermissionDenied):
        user_password_set_by_curator(curator=teacher_user, user=pupil, password=None)
    with pytest.raises(PermissionDenied):
        user_password_set_by_curator(curator=curator, user=operator, password=None)


def test_the_notice_goes_only_to_a_confirmed_address(curator, pupil, parent, monkeypatch):
    noticed = []
    monkeypatch.setattr(
        support.services, "password_set_notice", lambda *, user: noticed.append(user)
    )

    user_password_set_by_curator(curator=curator, user=pupil, password=None)  # no email
    pupil.email = "vasya@example.com"  # unconfirmed
    pupil.save(update_fields=["email"])
    user_password_set_by_curator(curator=curator, user=pupil, password=None)
    assert noticed == []

    user_password_set_by_curator(curator=curator, user=parent, password=None)
    assert noticed == [parent]
    assert AuditEvent.objects.order_by("-id").first().after["notice_sent"] is True


def test_the_notice_letter_reaches_the_confirmed_address_without_the_password(
    curator, parent, pupil, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        password = user_password_set_by_curator(curator=curator, user=parent, password=None)
        user_password_set_by_curator(curator=curator, user=pupil, password=None)  # no email
    letter = Letter.objects.get()
    assert DBTaskResult.objects.get().args_kwargs == {"args": [letter.pk], "kwargs": {}}
    # The queued task, run here: the worker command would close the test's connection.
    assert send_letter.call(letter.pk) == "sent"

    assert [message.to for message in mailoutbox] == [["nikolaeva@example.com"]]
    message = mailoutbox[0]
    html = message.alternatives[0][0]
    assert "nikolaeva" in message.body
    for text in (message.subject, message.body, html, json.dumps(letter.context)):
        assert password not in text


# The list


def test_the_user_list_shows_login_role_name_class_children_and_email_status(
    curator_client, pupil, parent, teacher_user
):
    response = curator_client.get(reverse("accounts:support_users"))

    assert response.status_code == 200
    assert len(_h1s(response)) == 1
    rows = {row.user.login: row for row in response.context["rows"]}
    assert set(rows) == {"kurator", "ivanova", "nikolaeva", "vasya"}
    assert (rows["vasya"].name, rows["vasya"].class_label) == ("Николаев Василий Андреевич", "6А")
    assert rows["nikolaeva"].children == ["Николаев В. (6А)", "Николаева А. (9Б)"]
    assert rows["nikolaeva"].email_confirmed is True
    assert rows["vasya"].email_confirmed is False
    assert rows["ivanova"].name == "Иванова Мария Петровна"
    content = response.content.decode()
    assert reverse("accounts:support_user", args=[pupil.pk]) in content
    assert "Николаев В. (6А), Николаева А. (9Б)" in content
    assert "nikolaeva@example.com" not in content
    _assert_no_secrets(response, pupil, parent, teacher_user)


def test_the_user_list_searches_from_the_query_string(curator_client, pupil, parent):
    response = curator_client.get(reverse("accounts:support_users"), {"q": "6а", "role": "parent"})
    assert [row.user.login for row in response.context["rows"]] == ["nikolaeva"]
    response = curator_client.get(reverse("accounts:support_users"), {"q": "nobody-like-this"})
    assert "Никого не найдено." in response.content.decode()


def test_the_user_list_is_paginated_by_fifty(school, curator_client):
    User.objects.bulk_create(
        [User(school=school, role=Role.STUDENT, login=f"pupil{n:03}") for n in range(60)]
    )
    first = curator_client.get(reverse("accounts:support_users"))
    second = curator_client.get(reverse("accounts:support_users"), {"page": 2})
    assert len(first.context["rows"]) == 50
    assert len(second.context["rows"]) == 11  # and the curator
    assert "Страница 1 из 2" in first.content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_the_user_list_query_count_does_not_grow_with_users(
    school, curator_client, six_a, count, django_assert_num_queries
):
    for n in range(count):
        student = StudentFactory(
            school_class=six_a,
            user=UserFactory(school=school, role=Role.STUDENT, login=f"pupil{n}"),
        )
        parent = UserFactory(school=school, role=Role.PARENT, login=f"parent{n}")
        Guardianship.objects.create(school=school, parent=parent, student=student)
        TeacherFactory(school=school, user=UserFactory(school=school, role=Role.TEACHER))

    curator_client.get("/healthz")  # the host's school and the curator kept from now on
    # the menu's unread messages, count, the page of users, their children
    with django_assert_num_queries(4):
        response = curator_client.get(reverse("accounts:support_users"))
    assert len(response.context["rows"]) == min(3 * count + 1, 50)
    # a class in the query adds the current school year
    with django_assert_num_queries(4):
        response = curator_client.get(reverse("accounts:support_users"), {"q": "6А"})
    assert len(response.context["rows"]) == min(2 * count, 50)


# One account


def test_the_detail_of_a_parent_shows_the_children_and_the_masked_email(
    curator_client, parent, pupil, django_assert_num_queries
):
    # host → school, curator, the menu's unread messages, the account, its children
    with django_assert_num_queries(5):
        response = curator_client.get(reverse("accounts:support_user", args=[parent.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert len(_h1s(response)) == 1
    assert "nikolaeva" in content
    assert "Родитель" in content
    assert "n*******a@e******.com" in content
    assert "подтверждена" in content
    assert "nikolaeva@example.com" not in content
    assert "Николаев Василий Андреевич (6А)" in content
    assert reverse("accounts:support_user", args=[pupil.pk]) in content
    assert "Николаева Анна Петрович (9Б)" in content or "Николаева Анна" in content
    assert "аккаунта нет" in content
    _assert_no_secrets(response, parent)


def test_the_detail_of_a_student_shows_the_class_and_the_parents(
    curator_client, pupil, parent, django_assert_num_queries
):
    pupil.must_change_password = True
    pupil.last_login = timezone.now()
    pupil.save(update_fields=["must_change_password", "last_login"])
    with django_assert_num_queries(5):
        response = curator_client.get(reverse("accounts:support_user", args=[pupil.pk]))
    content = response.content.decode()
    assert "Николаев Василий Андреевич" in content
    assert "<dt>Класс</dt><dd>6А</dd>" in content
    assert reverse("accounts:support_user", args=[parent.pk]) in content
    assert "не указана" in content  # no email
    assert "да, пароль задан куратором" in content
    assert timezone.localtime(pupil.last_login).strftime("%d.%m.%Y %H:%M") in content
    assert "Создать временный пароль" in content
    _assert_no_secrets(response, pupil, parent)


def test_the_detail_of_a_teacher_shows_the_class_they_lead(curator_client, teacher_user):
    response = curator_client.get(reverse("accounts:support_user", args=[teacher_user.pk]))
    assert "<dt>Классное руководство</dt><dd>6А</dd>" in response.content.decode()


def test_the_curators_own_page_offers_no_password_form(curator_client, curator):
    response = curator_client.get(reverse("accounts:support_user", args=[curator.pk]))
    content = response.content.decode()
    assert "Создать временный пароль" not in content
    assert reverse("accounts:password_change") in content


# Setting a password through the page

CONFIRMED = {"confirmed": "yes"}


def test_the_password_forms_sit_behind_a_disclosure_that_says_what_happens(curator_client, pupil):
    content = curator_client.get(reverse("accounts:support_user", args=[pupil.pk])).content
    page = content.decode()
    assert page.count('<details class="confirm">') == 2
    assert "<summary>Создать временный пароль…</summary>" in page
    assert "<summary>Задать пароль самому…</summary>" in page
    assert page.count("Текущий пароль пользователя перестанет действовать.") == 2
    assert page.count('name="confirmed" value="yes"') == 2
    assert "<script" not in page
    assert "onclick" not in page


@pytest.mark.parametrize(
    "data",
    [{"mode": "generate"}, {"mode": "typed", "password": "Lipa4Kedr9", "password2": "Lipa4Kedr9"}],
)
def test_the_old_one_click_post_changes_nothing(curator_client, pupil, data):
    before = pupil.password
    url = reverse("accounts:support_password", args=[pupil.pk])
    response = curator_client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:support_user", args=[pupil.pk])
    pupil.refresh_from_db()
    assert pupil.password == before
    assert not pupil.must_change_password
    assert not AuditEvent.objects.filter(action=AuditAction.PASSWORD_SET_BY_CURATOR).exists()
    assert curator_client.post(url, {**data, **CONFIRMED}).status_code == 200
    pupil.refresh_from_db()
    assert pupil.password != before


def test_a_generated_password_is_shown_once_and_never_cached(curator_client, pupil):
    response = curator_client.post(
        reverse("accounts:support_password", args=[pupil.pk]), {"mode": "generate", **CONFIRMED}
    )

    assert response.status_code == 200
    assert len(_h1s(response)) == 1
    password = response.context["temporary_password"]
    pupil.refresh_from_db()
    assert pupil.check_password(password)
    assert pupil.must_change_password
    assert f"<code>{password}</code>" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    _assert_no_secrets(response, pupil)
    # Nowhere else: not on the account's page, not in the audit log.
    for url in (
        reverse("accounts:support_user", args=[pupil.pk]),
        reverse("accounts:support_users"),
        reverse("audit:events"),
    ):
        later = curator_client.get(url)
        assert password not in later.content.decode()
        _assert_no_secrets(later, pupil)


def test_a_typed_password_is_refused_with_its_reasons_in_russian(curator_client, pupil):
    before = pupil.password
    response = curator_client.post(
        reverse("accounts:support_password", args=[pupil.pk]),
        {"mode": "typed", **CONFIRMED, "password": "vasya", "password2": "vasya"},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Пароль должен содержать не менее 8 символов." in content
    assert "Пароль не должен совпадать с логином или содержать его." in content
    assert 'value="vasya"' not in content  # the typed password is not echoed
    pupil.refresh_from_db()
    assert pupil.password == before


def test_a_typed_password_must_be_repeated(curator_client, pupil):
    response = curator_client.post(
        reverse("accounts:support_password", args=[pupil.pk]),
        {"mode": "typed", **CONFIRMED, "password": "Lipa4Kedr9", "password2": "Lipa4Kedr8"},
    )
    assert "Пароли не совпадают." in response.content.decode()
    response = curator_client.post(
        reverse("accounts:support_password", args=[pupil.pk]), {"mode": "typed", **CONFIRMED}
    )
    assert "Введите новый пароль." in response.content.decode()


def test_a_typed_password_that_passes_is_set_and_not_shown(curator_client, pupil):
    response = curator_client.post(
        reverse("accounts:support_password", args=[pupil.pk]),
        {"mode": "typed", **CONFIRMED, "password": "Lipa4Kedr9", "password2": "Lipa4Kedr9"},
    )
    assert response.status_code == 200
    assert "Пароль изменён" in response.content.decode()
    assert "Lipa4Kedr9" not in response.content.decode()
    pupil.refresh_from_db()
    assert pupil.check_password("Lipa4Kedr9")
    assert pupil.must_change_password


def test_setting_a_password_ends_every_session_of_the_user(school, curator_client, pupil):
    phone, laptop = (Client(HTTP_HOST=school_host(school)) for _ in range(2))
    for client in (phone, laptop):
        response = client.post(
            reverse("accounts:login"), {"username": "vasya", "password": "Zhurnal2026"}
        )
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(pupil.pk)

    curator_client.post(
        reverse("accounts:support_password", args=[pupil.pk]), {"mode": "generate", **CONFIRMED}
    )

    for client in (phone, laptop):
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        assert "_auth_user_id" not in client.session
    # The curator's own session goes on.
    assert curator_client.get(reverse("accounts:support_users")).status_code == 200


def test_the_curator_cannot_set_their_own_password_through_the_page(curator_client, curator):
    before = curator.password
    response = curator_client.post(
        reverse("accounts:support_password", args=[curator.pk]), {"mode": "generate", **CONFIRMED}
    )
    assert "Свой пароль куратор меняет" in response.content.decode()
    curator.refresh_from_db()
    assert curator.password == before
    assert "temporary_password" not in response.context


def test_the_password_url_takes_only_post(curator_client, pupil):
    response = curator_client.get(reverse("accounts:support_password", args=[pupil.pk]))
    assert response.status_code == 405


# Who may reach it


def test_another_schools_user_is_404_at_every_support_url(curator_client, stranger):
    before = stranger.password
    for method, url in support_urls(stranger.pk):
        assert (
            getattr(curator_client, method)(url, {"mode": "generate", **CONFIRMED}).status_code
            == 404
        )
    stranger.refresh_from_db()
    assert stranger.password == before
    assert not stranger.must_change_password


def test_the_operator_is_404_at_every_support_url(curator_client, operator):
    for method, url in support_urls(operator.pk):
        assert (
            getattr(curator_client, method)(url, {"mode": "generate", **CONFIRMED}).status_code
            == 404
        )


def test_an_unknown_user_id_is_404(curator_client):
    for method, url in support_urls(999_999):
        assert (
            getattr(curator_client, method)(url, {"mode": "generate", **CONFIRMED}).status_code
            == 404
        )


@pytest.mark.parametrize("role", [Role.STUDENT, Role.PARENT, Role.TEACHER])
def test_other_roles_get_404_at_every_support_url(school, client_for, pupil, role):
    client = client_for(school, UserFactory(school=school, role=role))
    urls = [("get", reverse("accounts:support_users")), *support_urls(pupil.pk)]
    for method, url in urls:
        assert getattr(client, method)(url, {"mode": "generate", **CONFIRMED}).status_code == 404
    pupil.refresh_from_db()
    assert not pupil.must_change_password


def test_a_visitor_is_sent_to_log_in(school, client_for, pupil):
    client = client_for(school)
    urls = [("get", reverse("accounts:support_users")), *support_urls(pupil.pk)]
    for method, url in urls:
        response = getattr(client, method)(url, {"mode": "generate", **CONFIRMED})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login") + "?next=")


def test_another_schools_curator_sees_only_their_own_users(
    other_school, other_curator, client_for, pupil, stranger
):
    response = client_for(other_school, other_curator).get(reverse("accounts:support_users"))
    assert {row.user.pk for row in response.context["rows"]} == {other_curator.pk, stranger.pk}
