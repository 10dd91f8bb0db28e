"""The issue's "done when": the example scripts, in plain HTTP against a live server with the
demo school, read what the web diary shows, and a teacher's mark set through the API reaches
the parent's web diary."""

from __future__ import annotations

import datetime as dt
import html
import importlib.util
import re
from io import StringIO
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from ejournal.accounts.models import User
from ejournal.schools.models import Student

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
WEDNESDAY = dt.datetime(2026, 12, 2, 7, 0, tzinfo=dt.UTC)  # 10:00 at the demo school
LESSON = re.compile(r'<li class="lesson[^"]*">.*?</li>', re.S)
MARK = re.compile(r'<span class="sr-only">Оценка </span>(\d+)')


def _example(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def demo(live_server: Any, settings: Any) -> Any:
    """The demo school on a Wednesday morning, served live: (base URL, school host)."""
    with time_machine.travel(WEDNESDAY, tick=True):
        call_command("seed_demo", stdout=StringIO())
        yield live_server.url, f"1399.{settings.EJOURNAL_BASE_DOMAIN}"


def _diary_page(host: str, parent: User, student: Student) -> str:
    """The student's diary this week, as the parent's browser gets it."""
    client = Client(HTTP_HOST=host)
    client.force_login(parent)
    return client.get(reverse("journal:diary_week", args=[student.pk])).content.decode()


def _web_week(host: str, parent: User, student: Student) -> dict[str, list[tuple[str, Any]]]:
    """The marks and homework of the student's diary page this week, by subject."""
    marks, homework = [], []
    for lesson in LESSON.findall(_diary_page(host, parent, student)):
        found = re.search(r"<strong>(.*?)</strong>", lesson)
        assert found is not None
        subject = html.unescape(found.group(1))
        marks += [(subject, int(value)) for value in MARK.findall(lesson)]
        homework += [
            (subject, html.unescape(text.replace("<br>", "\n")))
            for text in re.findall(r'<div class="homework-item">\s*<p>(.*?)</p>', lesson, re.S)
        ]
    return {"marks": sorted(marks), "homework": sorted(homework)}


def _demo_parent() -> User:
    return User.objects.get(school__number="1399", login="nikolaeva")


def test_the_native_api_reads_each_childs_week_as_the_web_diary_shows_it(demo):
    base, host = demo
    seen = _example("api_v1_walk").family(base, host)
    parent = _demo_parent()
    children = list(Student.objects.filter(guardianships__parent=parent).order_by("pk"))
    assert len(children) == 2
    assert sorted(seen) == [child.pk for child in children]
    for child in children:
        web = _web_week(host, parent, child)
        assert web["marks"], "the demo week has marks"
        assert web["homework"], "and homework"
        assert sorted(seen[child.pk]["marks"]) == web["marks"]
        assert sorted(seen[child.pk]["homework"]) == web["homework"]
        assert all(re.fullmatch(r"\d\.\d\d", a) for a in seen[child.pk]["averages"].values() if a)


def test_a_mark_the_teacher_sets_through_the_api_is_in_the_parents_web_diary(demo):
    base, host = demo
    parent = _demo_parent()
    children = set(
        Student.objects.filter(guardianships__parent=parent).values_list("pk", flat=True)
    )
    done = _example("api_v1_walk").teacher_sets_a_mark(base, host, children)
    assert done["pupil"]["mark"] is None  # today's lessons have no marks in the demo yet
    assert done["cell"]["mark"]["value"] == 5
    pupil = Student.objects.get(pk=done["pupil"]["id"])
    subject = done["lesson"]["subject"]["name"]
    today = re.search(r'id="today".*?</section>', _diary_page(host, parent, pupil), re.S)
    assert today is not None
    lesson = next(
        block
        for block in LESSON.findall(today.group(0))
        if f"<strong>{subject}</strong>" in block
        and f'aria-label="Урок {done["lesson"]["number"]}"' in block
    )
    assert MARK.findall(lesson) == ["5"]


def test_an_eljur_client_reads_each_childs_week_as_the_web_diary_shows_it(demo):
    base, host = demo
    seen = _example("eljur_walk").walk(base, host, "nikolaeva", "Zhurnal2026", WEDNESDAY.date())
    parent = _demo_parent()
    children = list(Student.objects.filter(guardianships__parent=parent).order_by("pk"))
    assert sorted(seen) == sorted(str(child.pk) for child in children)
    for child in children:
        web = _web_week(host, parent, child)
        found = seen[str(child.pk)]
        assert found["name"] == child.full_name
        assert sorted((subject, int(value)) for subject, value in found["marks"]) == web["marks"]
        assert sorted(found["homework"]) == web["homework"]
