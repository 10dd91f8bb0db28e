"""The teacher fills today's column of the journal from the keyboard, in a real browser."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator

import pytest
import time_machine
from playwright.sync_api import Locator, Page, expect

from ejournal.core.testing.factories import (
    SchoolClassFactory,
    SchoolFactory,
    StudentFactory,
    SubjectFactory,
)
from ejournal.core.testing.journal_factories import (
    LessonFactory,
    TeachingAssignmentFactory,
    teacher_with_account,
)
from ejournal.journal.models import Attendance, AttendanceStatus, Mark
from ejournal.journal.services import bells_set_default
from ejournal.schools.models import Student

pytestmark = pytest.mark.django_db(transaction=True)

# A Thursday in the 2nd quarter, at the school and in the server alike.
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Moscow"))
TODAY = NOW.date()


@pytest.fixture
def school_day(settings) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """The server lives on NOW while the browser keeps the real clock: cookies that end with
    the browser are never expired by the difference."""
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    with time_machine.travel(NOW, tick=True):
        yield


def _cell(page: Page, student: Student, column: int) -> Locator:
    return page.locator(f'tr[data-student="{student.pk}"] td.c').nth(column)


def test_the_teacher_types_marks_and_absences_and_a_bad_value_is_refused_in_place(
    page: Page, school_url: str, school_day: None
) -> None:
    school = SchoolFactory(number="1399", name="Школа №1399")
    bells_set_default(school=school)
    class_6a = SchoolClassFactory(school=school, grade=6, letter="А")
    math = SubjectFactory(school=school, name="Математика")
    petrov = teacher_with_account(school, "petrov", last_name="Петров", first_name="Олег")
    TeachingAssignmentFactory(school=school, teacher=petrov, school_class=class_6a, subject=math)
    ershova, nikolaev, smirnov = (
        StudentFactory(school_class=class_6a, last_name=name, first_name="Имя")
        for name in ("Ершова", "Николаев", "Смирнов")
    )
    for days_ago in (7, 0):
        LessonFactory(
            school_class=class_6a,
            subject=math,
            teacher=petrov,
            date=TODAY - dt.timedelta(days=days_ago),
            number=2,
        )

    page.goto(school_url + "/login/")
    page.get_by_label("Логин").fill("petrov")
    page.get_by_label("Пароль").fill("Zhurnal2026")
    page.get_by_role("button", name="Войти").click()
    page.get_by_role("link", name="Журнал", exact=True).click()
    expect(page.get_by_role("heading", name="Журнал", exact=True)).to_be_visible()
    page.get_by_role("link", name="6А · Математика").click()
    expect(page.get_by_role("heading", name="6А · Математика")).to_be_visible()

    # Today's column (the second), first row: type, Enter moves down and saves.
    _cell(page, ershova, 1).click()
    page.keyboard.type("5")
    page.keyboard.press("Enter")
    # A Russian keyboard's "н" (Playwright's keyboard types only the US layout's keys).
    _cell(page, nikolaev, 1).dispatch_event("keydown", {"key": "н"})
    page.keyboard.press("Enter")
    page.keyboard.type("4*2")
    page.keyboard.press("Tab")
    expect(_cell(page, ershova, 1)).to_have_text("5")
    expect(_cell(page, nikolaev, 1)).to_have_text("н")
    expect(_cell(page, smirnov, 1)).to_have_text("4×2")
    expect(page.locator(f'tr[data-student="{ershova.pk}"] td.g-avg')).to_have_text("5,00")
    # Tab moved on to Смирнов's final mark; back to last week's lesson of Ершова.
    page.keyboard.press("Home")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    page.keyboard.type("3")
    page.keyboard.press("ArrowRight")
    expect(_cell(page, ershova, 0)).to_have_text("3")
    expect(page.locator(f'tr[data-student="{ershova.pk}"] td.g-avg')).to_have_text("4,00")

    # A mark off the scale: refused in place with the reason, the old value kept.
    expect(_cell(page, ershova, 1)).to_be_focused()
    page.keyboard.type("7")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_have_text("Оценка — целое число от 1 до 5.")
    expect(_cell(page, ershova, 1)).to_have_class("c today error")
    expect(_cell(page, ershova, 1)).to_have_text("5")
    # Not a mark at all.
    page.keyboard.press("ArrowUp")
    page.keyboard.type("x")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Не понимаю «x»")

    page.reload()
    expect(_cell(page, ershova, 0)).to_have_text("3")
    expect(_cell(page, ershova, 1)).to_have_text("5")
    expect(_cell(page, nikolaev, 1)).to_have_text("н")
    expect(_cell(page, smirnov, 1)).to_have_text("4×2")
    assert sorted(Mark.objects.values_list("student__last_name", "value", "weight")) == [
        ("Ершова", 3, 1),
        ("Ершова", 5, 1),
        ("Смирнов", 4, 2),
    ]
    assert Attendance.objects.get().status == AttendanceStatus.ABSENT
