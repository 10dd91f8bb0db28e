"""A parent checks the children's homework and marks on a phone, in a real browser."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator

import pytest
import time_machine
from playwright.sync_api import Page, expect

from ejournal.core.testing.factories import (
    SchoolClassFactory,
    SchoolFactory,
    StudentFactory,
    SubjectFactory,
    TeacherFactory,
)
from ejournal.core.testing.journal_factories import (
    HomeworkFactory,
    LessonFactory,
    MarkFactory,
    parent_of,
)
from ejournal.journal.services import bells_set_default

pytestmark = pytest.mark.django_db(transaction=True)

# A Thursday in the 2nd quarter, at the school and in the server alike.
NOW = dt.datetime(2026, 11, 26, 9, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Moscow"))
TODAY = NOW.date()
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def school_day(settings) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """The server lives on NOW while the browser keeps the real clock: cookies that end with
    the browser are never expired by the difference."""
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    with time_machine.travel(NOW, tick=True):
        yield


def test_a_parent_on_a_phone_reads_each_childs_homework_and_marks(
    page: Page, school_url: str, school_day: None
) -> None:
    school = SchoolFactory(number="1399", name="Школа №1399")
    bells_set_default(school=school)
    math = SubjectFactory(school=school, name="Математика")
    russian = SubjectFactory(school=school, name="Русский язык")
    teacher = TeacherFactory(school=school, last_name="Петров", first_name="Олег")
    vasya = StudentFactory(
        school_class=SchoolClassFactory(school=school, grade=6, letter="А"),
        last_name="Николаев",
        first_name="Василий",
    )
    anna = StudentFactory(
        school_class=SchoolClassFactory(school=school, grade=9, letter="Б"),
        last_name="Николаева",
        first_name="Анна",
    )
    parent = parent_of(vasya, anna, login="nikolaeva")
    parent.email, parent.email_confirmed_at = "nikolaeva@example.com", NOW  # confirmed long ago
    parent.save(update_fields=["email", "email_confirmed_at"])
    for child, subject, homework, values in (
        (vasya, math, "№ 245, 247", (4, 5)),
        (anna, russian, "Упражнение 112", (3, 4)),
    ):
        earlier = LessonFactory(
            school_class=child.school_class,
            subject=subject,
            teacher=teacher,
            date=TODAY - dt.timedelta(days=7),
            number=2,
        )
        MarkFactory(lesson=earlier, student=child, value=values[0])
        today = LessonFactory(
            school_class=child.school_class,
            subject=subject,
            teacher=teacher,
            date=TODAY,
            number=2,
            topic="Повторение",
        )
        # Set a week ago, due today: the diary shows it under today's lesson.
        HomeworkFactory(lesson=earlier, due_lesson=today, text=homework)
        MarkFactory(lesson=today, student=child, value=values[1], weight=2, comment="Хорошо")

    page.set_viewport_size(PHONE)
    page.goto(school_url + "/")
    page.get_by_label("Логин").fill("nikolaeva")
    page.get_by_label("Пароль").fill("Zhurnal2026")
    page.get_by_role("button", name="Войти").click()

    # "/" opens the first child's diary on this week, scrolled to today.
    expect(page.get_by_role("heading", name="Дневник", level=1)).to_be_visible()
    assert page.url.endswith("#today")
    today_card = page.locator("section.day.today")
    expect(today_card).to_be_in_viewport()
    expect(today_card).to_contain_text("Сегодня")
    expect(today_card).to_contain_text("Математика")
    expect(today_card).to_contain_text("№ 245, 247")
    expect(today_card.locator(".mark")).to_have_text("Оценка 5×2")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_role("navigation", name="Дети").get_by_role("link", name="Анна").click()
    expect(page.get_by_text("Николаева Анна", exact=False).first).to_be_visible()
    expect(today_card).to_contain_text("Упражнение 112")
    expect(today_card).not_to_contain_text("№ 245, 247")

    page.get_by_role("navigation", name="Дневник", exact=True).get_by_role(
        "link", name="Оценки"
    ).click()
    expect(page.get_by_role("heading", name="Оценки", level=1)).to_be_visible()
    card = page.locator("section.subject-marks", has_text="Русский язык")
    expect(card.locator(".average-value")).to_have_text("3,67")
    chart = card.get_by_role("img", name="Русский язык: оценки за 2 четверть")
    expect(chart).to_be_visible()
    expect(chart.locator("circle")).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
