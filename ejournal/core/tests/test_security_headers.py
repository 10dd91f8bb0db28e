"""The headers every response carries: the Content-Security-Policy (with `sandbox` on every
download), the Permissions-Policy, and `Cache-Control: private, no-store` on everything a
logged-in user is sent. The templates hold nothing the policy would block."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from ejournal.accounts.api_tokens import api_token_create
from ejournal.core.testing import guards
from ejournal.core.testing.factories import (
    SchoolClassFactory,
    StudentFactory,
    SubjectFactory,
    UserFactory,
)
from ejournal.core.testing.journal_factories import (
    HomeworkFactory,
    LessonFactory,
    TeachingAssignmentFactory,
    parent_of,
    teacher_with_account,
)
from ejournal.core.testing.urls import reverse_route, routes_under
from ejournal.journal.models import HomeworkFile
from ejournal.messaging.services import message_send
from ejournal.schools.models import Period, RosterImport
from ejournal.schools.roles import Role

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Moscow"))
POLICY = {
    "default-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}


def policy(response) -> dict[str, list[str]]:
    """The response's Content-Security-Policy as directive → sources (in any order)."""
    directives = [part.split() for part in response["Content-Security-Policy"].split(";")]
    return {name: sources for name, *sources in directives}


@pytest.fixture(autouse=True)
def _school_day():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def world(school, curator):
    """6А with its class teacher (who teaches it Математика), a pupil with an account, the
    pupil's parent, a lesson with a homework file, and a roster import."""
    teacher = teacher_with_account(school, "ivanova", last_name="Иванова", first_name="Мария")
    school_class = SchoolClassFactory(school=school, grade=6, letter="А", class_teacher=teacher)
    math = SubjectFactory(school=school, name="Математика")
    TeachingAssignmentFactory(
        school=school, teacher=teacher, school_class=school_class, subject=math
    )
    student = StudentFactory(
        school_class=school_class,
        last_name="Николаев",
        user=UserFactory(school=school, role=Role.STUDENT, login="nikolaev"),
    )
    parent = parent_of(student, login="nikolaeva")
    StudentFactory(school_class=school_class, last_name="Ершова")  # no account yet: has codes
    lesson = LessonFactory(
        school_class=school_class, subject=math, teacher=teacher, date=dt.date(2026, 11, 24)
    )
    homework_file = HomeworkFile.objects.create(
        school=school,
        homework=HomeworkFactory(lesson=lesson),
        name="задание.html",
        file=ContentFile(b"<p>1</p>", "z.html"),
    )
    roster = RosterImport.objects.create(school=school, filename="6А.csv", rows=[])
    message = message_send(
        sender=teacher.user,
        recipient_ids=[student.user.pk, parent.pk],
        subject="Контрольная",
        text="Завтра контрольная.",
    )
    return {
        "users": {
            "student": student.user,
            "parent": parent,
            "teacher": teacher.user,
            "curator": curator,
        },
        "values": {
            "class_id": school_class.pk,
            "subject_id": math.pk,
            "lesson_id": lesson.pk,
            "student_id": student.pk,
            "file_id": homework_file.pk,
            "user_id": student.user.pk,
            "teacher_id": teacher.pk,
            "import_id": roster.pk,
            "period_id": Period.objects.filter(year=school_class.year).order_by("number")[0].pk,
            "role": "student",
            "person_id": student.pk,
            "token": "stale-token",
            "uidb64": "MQ",
            "token_id": api_token_create(user=parent, device="Pixel")[0].pk,
            "rest": "nothing",
            "monday": "2026-11-23",
            "message_id": message.pk,
        },
    }


# The pages of each role that the walk must find answering 200: the diary, the marks, the
# profile, the class teacher's and the curator's pages (families share computers).
PRIVATE_PAGES = {
    "student": {
        "journal:diary_week",
        "journal:marks",
        "accounts:profile",
        "messaging:inbox",
        "messaging:message",
    },
    "parent": {"journal:diary_week", "journal:marks", "accounts:profile", "journal:homework_file"},
    "teacher": {
        "journal:teacher_home",
        "journal:grid",
        "journal:lesson",
        "journal:class_summary",
        "journal:class_summary_xlsx",
        "journal:class_audit",
        "accounts:profile",
        "messaging:message",
    },
    "curator": {
        "schools:class_list",
        "schools:class_detail",
        "schools:student_edit",
        "accounts:support_users",
        "accounts:support_user",
        "audit:events",
        "setup:index",
        "invitations:issue",
        "messaging:inbox",
        "messaging:compose",
    },
}


@pytest.mark.parametrize("role", sorted(PRIVATE_PAGES))
def test_every_url_answers_a_logged_in_user_with_private_no_store(role, world, client_for):
    """Every URL the resolver knows, asked with GET by a logged-in user of each role: each
    answer (a page, a file, a redirect, a 404 or a 405) is kept by no cache."""
    user = world["users"][role]
    client = client_for(user.school, user)
    answered = {}
    for route in routes_under(""):
        response = client.get(reverse_route(route, world["values"]))
        answered[route.name] = response.status_code
        directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
        assert {"private", "no-store"} <= directives, (route.name, response.status_code)
        assert policy(response).items() >= POLICY.items(), route.name

    ok = {name for name, status in answered.items() if status == 200}
    assert PRIVATE_PAGES[role] <= ok
    assert client.session.get("_auth_user_id") == str(user.pk)  # still logged in throughout


def test_pages_error_pages_and_the_unknown_hosts_404_carry_the_policies(school, client_for):
    responses = [
        client_for(school).get(reverse("accounts:login")),
        client_for(school).get("/no-such-page/"),
        Client(HTTP_HOST="evil.example").get("/"),
    ]

    for response in responses:
        assert policy(response) == POLICY
        features = response["Permissions-Policy"].split(", ")
        assert {"camera=()", "microphone=()", "geolocation=()", "payment=()"} <= set(features)
    assert [r.status_code for r in responses] == [200, 404, 404]


def test_every_download_is_sandboxed(world, client_for):
    """Homework files, invitation cards (PDF and CSV) and the class summary."""
    values = world["values"]
    curator = client_for(world["users"]["curator"].school, world["users"]["curator"])
    teacher = client_for(world["users"]["teacher"].school, world["users"]["teacher"])
    issue = reverse("invitations:issue")
    cards = {"school_class": values["class_id"]}
    downloads = [
        teacher.get(reverse("journal:homework_file", args=[values["file_id"]])),
        teacher.get(reverse("journal:class_summary_xlsx", args=[values["class_id"]])),
        curator.post(issue, {**cards, "role": "parent", "format": "pdf"}),
        curator.post(issue, {**cards, "role": "student", "format": "csv"}),
    ]

    for response in downloads:
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert policy(response) == {**POLICY, "sandbox": []}


def test_pages_are_not_sandboxed(world, client_for):
    teacher = client_for(world["users"]["teacher"].school, world["users"]["teacher"])

    response = teacher.get(reverse("journal:class_summary", args=[world["values"]["class_id"]]))

    assert response.status_code == 200
    assert "sandbox" not in policy(response)


def _is_letter(name: str) -> bool:
    """Letters are read in mail clients, which drop stylesheets: inline styles are how mail
    is styled, and no Content-Security-Policy applies there."""
    return name.startswith("notifications/") and not name.startswith("notifications/debug_")


def test_no_template_has_inline_script_style_handler_or_javascript_url():
    pages = [name for name in guards.project_templates() if not _is_letter(name)]
    found = {
        name: pieces
        for name in pages
        if (pieces := guards.inline_code((guards.templates_dir() / name).read_text()))
    }

    assert len(pages) > 60
    assert found == {}


@pytest.mark.parametrize(
    ("markup", "found"),
    [
        ("<script>alert(1)</script>", ["<script>"]),
        ('<script src="/static/js/grid.js" defer></script>', []),
        ("<style>p {}</style>", ["<style>"]),
        ('<p style="color: red">', ["<p style=…>"]),
        ('<circle cx="1" STYLE="fill: red"/>', ["<circle style=…>"]),
        ('<button onclick="go()">', ["<button onclick=…>"]),
        ('<a href=" javascript:go()">', ["<a href= javascript:go()>"]),
        ('<circle class="dot" fill="red"/>', []),
        ('<input value="&quot; onclick=alert(1) style=x">', []),
        ("<p>Write style=bold, onclick=x and javascript: in text</p>", []),
    ],
)
def test_the_inline_code_finder_reads_markup_as_a_browser_does(markup, found):
    assert guards.inline_code(markup) == found


@pytest.mark.urls("ejournal.notifications.tests.urls_debug")
def test_only_the_debug_letter_log_lets_letters_keep_their_inline_styles(settings):
    """Letters are styled inline for mail clients; their previews there may use style
    attributes, and nothing else."""
    settings.DEBUG = True
    platform = Client(HTTP_HOST=settings.EJOURNAL_BASE_DOMAIN)

    response = platform.get("/debug/letters/")

    assert response.status_code == 200
    assert policy(response) == {**POLICY, "style-src-attr": ["'unsafe-inline'"]}
    assert policy(platform.get("/")) == POLICY
