"""The help page's journeys, in a real browser: a parent with two children registers,
confirms the email, forgets the password and recovers it; a student registers without
an email; the curator sets the student a temporary password that must be changed."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from ejournal.accounts.models import User
from ejournal.core.testing.factories import (
    SchoolClassFactory,
    SchoolFactory,
    StudentFactory,
    UserFactory,
)
from ejournal.invitations.services import invitations_issue
from ejournal.notifications.testing import run_queued_tasks
from ejournal.schools.models import School
from ejournal.schools.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)


def _link(school_url: str, path: str) -> str:
    """The link of that path in the last letter sent (letters are sent by the worker)."""
    run_queued_tasks()
    body = mail.outbox[-1].body
    match = re.search(re.escape(school_url + path) + r"\S+", body)
    assert match, body
    return match.group(0)


def _log_in(page: Page, school_url: str, login: str, password: str) -> None:
    page.goto(school_url + "/login/")
    page.get_by_label("Логин").fill(login)
    page.get_by_label("Пароль").fill(password)
    page.get_by_role("button", name="Войти").click()


@pytest.fixture
def school(school_url: str) -> School:
    return SchoolFactory(number="1399", name="Школа №1399")


def test_a_parent_registers_two_children_confirms_the_email_and_recovers_the_password(
    page: Page, school_url: str, school: School
) -> None:
    vasya = StudentFactory(school_class=SchoolClassFactory(school=school, grade=6, letter="А"))
    anna = StudentFactory(school_class=SchoolClassFactory(school=school, grade=9, letter="Б"))
    first = invitations_issue(
        school=school, role=Role.PARENT, actor=None, school_class=vasya.school_class
    )
    second = invitations_issue(
        school=school, role=Role.PARENT, actor=None, school_class=anna.school_class
    )

    page.goto(f"{school_url}/hello?code={first[0].code}")
    expect(page.get_by_text("Приветствуем вас!")).to_be_visible()
    page.get_by_role("button", name="Зарегистрироваться").click()
    expect(page.get_by_text(vasya.short_name)).to_be_visible()
    page.get_by_text("У меня есть еще один пригласительный код").click()
    page.locator("input[name=extra_codes]:visible").last.fill(second[0].code.upper())
    page.locator("input[name=last_name]").fill("Николаева")
    page.locator("input[name=first_name]").fill("Елена")
    page.locator("input[name=login]").fill("nikolaeva")
    page.locator("input[name=password]").fill("Skazka2026Les")
    page.locator("input[name=password2]").fill("Skazka2026Les")
    page.get_by_label("Электронная почта").fill("elena@example.com")
    page.get_by_role("button", name="Зарегистрироваться").click()
    expect(page.get_by_text("Регистрация в системе успешно завершена")).to_be_visible()

    _log_in(page, school_url, "nikolaeva", "Skazka2026Les")
    expect(page.get_by_text("Обновление информации о пользователе")).to_be_visible()
    page.get_by_label("Текущий пароль").fill("Skazka2026Les")
    page.get_by_role("button", name="Сохранить").click()
    page.goto(_link(school_url, "/email/confirm/"))
    page.locator("main form button[type=submit]").click()
    assert User.objects.get(login="nikolaeva").email_confirmed_at is not None

    page.locator("header form button").click()
    page.goto(school_url + "/login/")
    page.get_by_role("link", name="Забыли пароль?").click()
    expect(page.get_by_text("Восстановление пароля").first).to_be_visible()
    page.get_by_label("Введите ваш E-mail").fill("elena@example.com")
    page.get_by_role("button", name="Восстановить").click()
    page.goto(_link(school_url, "/recovery/"))
    assert "set-password" in page.url
    passwords = page.locator("main input[type=password]")
    passwords.nth(0).fill("Raduga2027Kit")
    passwords.nth(1).fill("Raduga2027Kit")
    page.locator("main form button[type=submit]").click()

    _log_in(page, school_url, "nikolaeva", "Raduga2027Kit")
    page.goto(school_url + "/profile/")
    expect(page.get_by_text(vasya.last_name).first).to_be_visible()
    expect(page.get_by_text(anna.last_name).first).to_be_visible()


def test_a_student_registers_without_email_and_must_change_the_curators_temporary_password(
    page: Page, browser, school_url: str, school: School
) -> None:
    student = StudentFactory(school_class=SchoolClassFactory(school=school, grade=6, letter="А"))
    code = invitations_issue(
        school=school, role=Role.STUDENT, actor=None, school_class=student.school_class
    )[0].code
    UserFactory(school=school, role=Role.CURATOR, login="kurator")

    page.goto(f"{school_url}/hello?code={code}")
    page.get_by_role("button", name="Зарегистрироваться").click()
    expect(page.get_by_text(student.last_name).first).to_be_visible()
    page.locator("input[name=login]").fill("pupil_one")
    page.locator("input[name=password]").fill("Kometa2026Zvezda")
    page.locator("input[name=password2]").fill("Kometa2026Zvezda")
    page.get_by_role("button", name="Зарегистрироваться").click()
    expect(page.get_by_text("Регистрация в системе успешно завершена")).to_be_visible()
    assert User.objects.get(login="pupil_one").email == ""

    curator = browser.new_context().new_page()
    _log_in(curator, school_url, "kurator", "Zhurnal2026")
    curator.goto(school_url + "/curator/users/?q=pupil_one")
    curator.get_by_role("link", name="pupil_one").first.click()
    curator.get_by_text("Создать временный пароль…").click()  # the disclosure opens
    curator.get_by_role("button", name="Да, создать временный пароль").click()
    temporary = curator.locator("main .secret code").inner_text().strip()
    curator.context.close()

    _log_in(page, school_url, "pupil_one", temporary)
    assert "/profile/password/" in page.url
    page.goto(school_url + "/")
    assert "/profile/password/" in page.url
