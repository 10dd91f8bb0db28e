"""Point 6: "Забыли пароль?" — a one-time link, only to a confirmed address."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client, TestCase
from django_tasks_db.models import DBTaskResult

from ejournal.accounts.flows.throttled import Throttled
from ejournal.accounts.recovery import recovery_request
from ejournal.audit.models import AuditAction, AuditEvent
from ejournal.core.tenancy import school_base_url
from ejournal.core.testing.factories import SchoolClassFactory, StudentFactory, UserFactory
from ejournal.core.throttle import RECOVERY_ADDRESS, RECOVERY_EMAIL
from ejournal.notifications.testing import letters_sent
from ejournal.schools.roles import Role

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)
RECOVERY = "/recovery/"
NEW_PASSWORD = "NovyiParol2027"


def _ask(client, email, **extra):
    return client.post(RECOVERY, {"email": email}, **extra)


def _links(messages) -> list[str]:
    return [re.search(r"http://\S+/recovery/\S+/\S+/", m.body).group(0) for m in messages]


def _recovery_link(school, client_for, email="nikolaeva@example.com") -> str:
    with letters_sent() as sent:
        _ask(client_for(school), email)
    [link] = _links(sent)
    return link.removeprefix(school_base_url(school))


def _set_password(client, link, password=NEW_PASSWORD):
    """Follows the link like a browser: the token moves to the session, then the form."""
    form_url = client.get(link)["Location"]
    return client.post(form_url, {"new_password1": password, "new_password2": password})


# The request


def test_the_login_page_links_to_recovery_and_the_page_speaks_the_seed_wording(school, client_for):
    client = client_for(school)
    assert 'href="/recovery/">Забыли пароль?</a>' in client.get("/login/").content.decode()
    content = client.get(RECOVERY).content.decode()
    for text in (
        "<h1>Восстановление пароля</h1>",
        "Введите ваш E-mail",
        "Восстановить</button>",
        'href="/login/">Вход в журнал</a>',
        'href="/hello">Регистрация</a>',
    ):
        assert text in content


def test_a_known_and_an_unknown_address_get_the_same_answer(school, parent, client_for):
    client = client_for(school)
    with letters_sent() as sent:
        known = _ask(client, "nikolaeva@example.com")
        unknown = _ask(client, "nobody@example.com")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/recovery/sent/"
    assert len(sent) == 1
    page = client.get("/recovery/sent/").content.decode()
    assert "Если этот адрес указан и подтверждён в журнале" in page
    assert "в течение получаса" in page
    assert "Спам" in page


def test_the_letter_names_the_login_and_links_to_the_school(school, parent, client_for):
    with letters_sent() as sent:
        _ask(client_for(school), "NIKOLAEVA@example.com")
    [message] = sent
    assert message.to == ["nikolaeva@example.com"]
    assert message.subject == "Восстановление пароля — Школа №1399"
    assert "Ваш логин: nikolaeva" in message.body
    assert _links(sent)[0].startswith(school_base_url(school) + "/recovery/")


def test_an_unconfirmed_address_gets_no_letter(school, parent, client_for):
    parent.email_confirmed_at = None
    parent.save()
    with letters_sent() as sent:
        response = _ask(client_for(school), "nikolaeva@example.com")
    assert response["Location"] == "/recovery/sent/"
    assert sent == []


def test_every_account_with_the_address_gets_its_own_letter(school, parent, client_for):
    UserFactory(
        school=school,
        role=Role.TEACHER,
        login="elena.teacher",
        email="nikolaeva@example.com",
        email_confirmed_at=START,
    )
    with letters_sent() as sent:
        _ask(client_for(school), "nikolaeva@example.com")
    logins = sorted(re.search(r"Ваш логин: (\S+)", m.body).group(1) for m in sent)
    assert logins == ["elena.teacher", "nikolaeva"]


def test_an_account_of_another_school_gets_no_letter_here(school, other_school, client_for):
    UserFactory(
        school=other_school,
        role=Role.PARENT,
        email="nikolaeva@example.com",
        email_confirmed_at=START,
    )
    with letters_sent() as sent:
        _ask(client_for(school), "nikolaeva@example.com")
    assert sent == []


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_X_FORWARDED_HOST": "evil.example"},
        {"HTTP_X_FORWARDED_HOST": "1399.testserver.local.evil.example"},
        {"HTTP_HOST": "1399.testserver.local:6666"},
        {"HTTP_HOST": "1399.TESTSERVER.local.", "HTTP_X_FORWARDED_PROTO": "https"},
    ],
)
def test_a_poisoned_host_never_reaches_the_link(school, parent, settings, headers):
    assert settings.USE_X_FORWARDED_HOST is False
    client = Client(HTTP_HOST="1399.testserver.local")
    with letters_sent() as sent:
        assert _ask(client, "nikolaeva@example.com", **headers).status_code == 302
    [link] = _links(sent)
    assert link.startswith(school_base_url(school) + "/recovery/")
    assert school_base_url(school) == "http://1399.testserver.local"
    assert "evil" not in sent[0].body + sent[0].alternatives[0][0]
    assert "6666" not in sent[0].body


def test_an_unknown_host_gets_no_page_and_no_letter(parent):
    with letters_sent() as sent:
        response = Client(HTTP_HOST="evil.example").post(RECOVERY, {"email": parent.email})
    assert response.status_code == 404
    assert sent == []


def _request_work(client, email) -> tuple[list[str], list[tuple[str, list]]]:
    """The SQL a recovery request runs (as written, before its parameters) and the tasks
    it queues."""
    DBTaskResult.objects.all().delete()
    statements: list[str] = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        assert _ask(client, email).status_code == 302
    tasks = [(t.task_path, t.args_kwargs["args"]) for t in DBTaskResult.objects.all()]
    return statements, tasks


def test_a_known_and_an_unknown_address_cost_the_request_the_same_work(school, parent, client_for):
    """No timing: the same queries and the same task, whatever the address."""
    client = client_for(school)
    client.get("/healthz")  # the process knows the host's school from now on (schools.hosts)
    known_sql, known_tasks = _request_work(client, "nikolaeva@example.com")
    unknown_sql, unknown_tasks = _request_work(client, "nobody@example.com")
    assert known_sql == unknown_sql
    # The queued task alone: no account is looked up in the request.
    assert len(known_sql) == 1
    assert not any('"accounts_user"' in sql for sql in known_sql)
    task = "ejournal.accounts.recovery.send_recovery_letters"
    assert known_tasks == [(task, [school.pk, "nikolaeva@example.com"])]
    assert unknown_tasks == [(task, [school.pk, "nobody@example.com"])]


def test_the_task_sends_the_letters_for_a_known_address_and_none_for_an_unknown(
    school, parent, client_for
):
    client = client_for(school)
    with TestCase.captureOnCommitCallbacks(execute=True):
        _ask(client, "nikolaeva@example.com")
        _ask(client, "nobody@example.com")
    assert mail.outbox == []  # nothing is sent until the worker runs the tasks
    with letters_sent() as sent:
        pass
    assert [m.to for m in sent] == [["nikolaeva@example.com"]]
    results = sorted(
        DBTaskResult.objects.filter(task_path__endswith="send_recovery_letters"),
        key=lambda t: t.args_kwargs["args"][1],
    )
    assert [(t.args_kwargs["args"][1], t.return_value) for t in results] == [
        ("nikolaeva@example.com", 1),
        ("nobody@example.com", 0),
    ]


# Throttling


def test_requests_for_one_address_are_throttled(school, parent, client_for):
    with time_machine.travel(START, tick=False), letters_sent() as sent:
        for i in range(RECOVERY_EMAIL.free + 1):
            client = client_for(school)
            _ask(client, "nikolaeva@example.com", REMOTE_ADDR=f"10.0.0.{i}")
        response = _ask(client_for(school), "nikolaeva@example.com", REMOTE_ADDR="10.0.1.1")
    assert response.status_code == 200
    assert (
        "Слишком много запросов на восстановление пароля. Попробуйте снова через 5 мин."
        in response.content.decode()
    )
    assert len(sent) == RECOVERY_EMAIL.free + 1


def test_requests_from_one_client_address_are_throttled_known_or_not(school, parent, client_for):
    client = client_for(school)
    with time_machine.travel(START, tick=False), letters_sent() as sent:
        for i in range(RECOVERY_ADDRESS.free + 1):
            assert _ask(client, f"guess{i}@example.com").status_code == 302
        known = _ask(client, "nikolaeva@example.com")
        unknown = _ask(client, "nobody@example.com")
    assert known.status_code == unknown.status_code == 200
    assert _without_input(known, "nikolaeva@example.com") == _without_input(
        unknown, "nobody@example.com"
    )
    assert "Слишком много запросов" in known.content.decode()
    assert sent == []


def test_the_recovery_request_counts_per_email_whatever_its_case_then_per_client_address(
    school,
):
    """The service holds the limits, so an API's recovery gets them too."""
    with time_machine.travel(START, tick=False), letters_sent():
        for i in range(RECOVERY_EMAIL.free + 1):
            recovery_request(school=school, email=" Someone@Example.com", client_address=f"10.{i}")
        with pytest.raises(Throttled) as for_email:
            recovery_request(school=school, email="someone@example.com", client_address="10.9")
        for i in range(RECOVERY_ADDRESS.free + 1):
            recovery_request(school=school, email=f"guess{i}@example.com", client_address="10.8")
        with pytest.raises(Throttled) as for_address:
            recovery_request(school=school, email="other@example.com", client_address="10.8")
    assert (for_email.value.code, for_email.value.wait) == ("throttled", 300)
    assert for_address.value.wait == 60


def _without_input(response, email):
    """The page without what differs by nature: the address typed and the CSRF token."""
    content = response.content.decode().replace(email, "EMAIL")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", content)


# The link


def test_the_token_leaves_the_address_before_the_form_is_shown(school, parent, client_for):
    link = _recovery_link(school, client_for)
    token = link.rstrip("/").rsplit("/", 1)[1]
    browser = client_for(school)
    response = browser.get(link)
    assert response.status_code == 302
    assert token not in response["Location"]
    assert response["Location"].endswith("/set-password/")
    form = browser.get(response["Location"])
    assert form.status_code == 200
    assert token not in form.content.decode()
    assert "<h1>Новый пароль</h1>" in form.content.decode()


def test_a_new_password_by_the_link(school, parent, client_for):
    link = _recovery_link(school, client_for)
    browser = client_for(school)
    with letters_sent() as sent:
        response = _set_password(browser, link)
    assert response["Location"] == "/recovery/done/"
    done = browser.get("/recovery/done/").content.decode()
    assert "<h1>Пароль изменён</h1>" in done
    assert 'href="/login/"' in done
    parent.refresh_from_db()
    assert parent.check_password(NEW_PASSWORD)
    assert [m.subject for m in sent] == ["Пароль изменён — Школа №1399"]
    assert sent[0].to == ["nikolaeva@example.com"]
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_RECOVERED, actor=parent).exists()
    assert (
        client_for(school).post("/login/", {"username": "nikolaeva", "password": NEW_PASSWORD})[
            "Location"
        ]
        == "/"
    )


def test_the_link_dies_once_used(school, parent, client_for):
    link = _recovery_link(school, client_for)
    _set_password(client_for(school), link)
    response = client_for(school).get(link)
    assert response.status_code == 200
    assert "Ссылка недействительна" in response.content.decode()


def test_the_link_expires_after_an_hour(school, parent, client_for):
    with time_machine.travel(START, tick=False):
        link = _recovery_link(school, client_for)
    with time_machine.travel(START + dt.timedelta(minutes=59), tick=False):
        assert client_for(school).get(link).status_code == 302
    with time_machine.travel(START + dt.timedelta(minutes=61), tick=False):
        response = client_for(school).get(link)
    assert "Ссылка недействительна" in response.content.decode()


def test_the_link_expires_even_between_the_redirect_and_the_form(school, parent, client_for):
    with time_machine.travel(START, tick=False):
        link = _recovery_link(school, client_for)
        browser = client_for(school)
        form_url = browser.get(link)["Location"]
    with time_machine.travel(START + dt.timedelta(minutes=61), tick=False):
        response = browser.post(
            form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        )
    assert "Ссылка недействительна" in response.content.decode()
    parent.refresh_from_db()
    assert not parent.check_password(NEW_PASSWORD)


def test_the_link_dies_after_a_later_login(school, parent, client_for):
    link = _recovery_link(school, client_for)
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(seconds=2)):
        client_for(school).post("/login/", {"username": "nikolaeva", "password": "Zhurnal2026"})
    assert "Ссылка недействительна" in client_for(school).get(link).content.decode()


def test_the_link_dies_after_a_password_change(school, parent, client_for):
    link = _recovery_link(school, client_for)
    parent.set_password("DrugoiParol2027")
    parent.save()
    assert "Ссылка недействительна" in client_for(school).get(link).content.decode()


def test_the_link_works_only_at_its_school(school, other_school, parent, client_for):
    link = _recovery_link(school, client_for)
    assert "Ссылка недействительна" in client_for(other_school).get(link).content.decode()


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("nikolaev2027", "Пароль не должен совпадать с логином или содержать его."),
        ("Василий2027", "Пароль не должен содержать ваши фамилию, имя или отчество."),
        ("Zz12052010", "Пароль не должен содержать дату рождения."),
        ("short1", "Пароль должен содержать не менее 8 символов."),
        ("with.dots.2027", "В пароле не должно быть специальных знаков"),
    ],
)
def test_the_new_password_follows_the_school_rule(school, client_for, password, reason):
    student = UserFactory(
        school=school,
        role=Role.STUDENT,
        login="nikolaev",
        email="vasya@example.com",
        email_confirmed_at=START,
    )
    StudentFactory(
        school_class=SchoolClassFactory(school=school),
        user=student,
        last_name="Николаев",
        first_name="Василий",
        birth_date=dt.date(2010, 5, 12),
    )
    link = _recovery_link(school, client_for, email="vasya@example.com")
    browser = client_for(school)
    response = _set_password(browser, link, password)
    assert response.status_code == 200
    assert reason in response.content.decode()
    student.refresh_from_db()
    assert student.check_password("Zhurnal2026")


def test_mismatched_passwords_are_refused(school, parent, client_for):
    link = _recovery_link(school, client_for)
    browser = client_for(school)
    form_url = browser.get(link)["Location"]
    response = browser.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"}
    )
    assert "Пароли не совпадают." in response.content.decode()
