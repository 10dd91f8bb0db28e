"""The permission matrix: every journal URL × every role → the expected answer.

The URLs come from the resolver (ejournal/journal/urls.py), so a new one fails
`test_every_journal_url_is_in_the_matrix` until it is given a row here. Each row says how
to call the URL on the test cast (conftest.py) and who gets what:

- 200: the page, the file, or the grid's JSON;
- 302: a redirect after a POST (or to the user's own diary), never to the login page;
- "login": the visitor is sent to log in;
- 404: anyone who may not see it, as if it did not exist: another family's child, another
  school's record; never a 403 that would confirm it exists;
- 405: a method the URL does not take, for a role that may use the URL at all (the method
  is checked before the object is looked up, so a 405 confirms nothing either).

The cast, at school 1399 (another school's curator calls at school 1400's address, with the
ids of 1399): Николаев (the student, 6А) and his parent Николаева; Ершова (another student, in
the same class); Борисова (another family's parent: Борисов, 6Б); Петров teaches Математика
in 6А (the subject's teacher); Сидорова teaches Математика in 6Б (another teacher); Иванова
leads 6А and teaches it Русский язык (the class teacher); the curator.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ejournal.core.testing.journal_factories import HomeworkFactory
from ejournal.journal.models import HomeworkFile

from .conftest import ROLES

pytestmark = pytest.mark.django_db

LOGGED_IN = frozenset(ROLES) - {"anonymous"}
PUPILS = frozenset({"student", "another_student"})
PARENTS = frozenset({"parent", "another_parent"})
TEACHERS = frozenset({"subject_teacher", "another_teacher", "class_teacher"})
STAFF = TEACHERS | {"curator", "another_schools_curator"}  # past role_required("teacher", ...)


@dataclass(frozen=True)
class Call:
    """One way to call a URL, and the answer per role (404 for a role not listed)."""

    method: str
    answers: dict[str, int]
    data: Callable[[SimpleNamespace], dict[str, Any]] = lambda cast: {}
    json: bool = False  # asks for JSON, as the grid's script does
    name: str = ""  # tells two calls of one method apart in the test ids

    def expected(self, role: str) -> int | str:
        if role == "anonymous":
            return "login"
        return self.answers.get(role, 404)


@dataclass(frozen=True)
class Route:
    kwargs: Callable[[SimpleNamespace], dict[str, int]]
    calls: list[Call] = field(default_factory=list)


def _only(roles: frozenset[str] | set[str], status: int) -> dict[str, int]:
    return dict.fromkeys(roles, status)


def _wrong_method(method: str, gate: frozenset[str]) -> Call:
    """A method the URL refuses: 405 for the roles its role gate lets through."""
    return Call(method, _only(gate, 405), name="wrong-method")


# The spec (issue 4): the subject's teachers edit the grid, the class teacher and the curator
# view it read-only; a diary is seen by the student, the linked parents, the class teacher,
# the class's teachers and the curator; the summary and audit by the class teacher and curator.
DIARY_VIEWERS = {"student", "parent", "subject_teacher", "class_teacher", "curator"}
JOURNAL_VIEWERS = {"subject_teacher", "class_teacher", "curator"}
CLASS_TEACHER_PAGES = {"class_teacher", "curator"}

LESSON_FORM = {
    "action": "save",
    "topic": "Дроби",
    "homework": "",
    "control_type": "",
    "room": "305",
    "status": "planned",
}

MATRIX: dict[str, Route] = {
    # The teacher's journal. The home page lists the user's own journals: every teacher and
    # curator has one, another school's curator too (at their own school's address).
    "teacher_home": Route(
        kwargs=lambda c: {},
        calls=[Call("GET", _only(STAFF, 200)), _wrong_method("POST", STAFF)],
    ),
    "grid": Route(
        kwargs=lambda c: {"class_id": c.class_6a.pk, "subject_id": c.math.pk},
        calls=[Call("GET", _only(JOURNAL_VIEWERS, 200)), _wrong_method("POST", STAFF)],
    ),
    "lesson": Route(
        kwargs=lambda c: {"lesson_id": c.lesson.pk},
        calls=[
            Call("GET", _only(JOURNAL_VIEWERS, 200)),
            # The lesson's teacher changes it; the curator its frame (room, status, substitute).
            Call(
                "POST",
                {"subject_teacher": 302, "curator": 302},
                data=lambda c: {**LESSON_FORM, "teacher": c.petrov.pk},
            ),
            _wrong_method("DELETE", STAFF),
        ],
    ),
    "cell": Route(
        kwargs=lambda c: {"lesson_id": c.lesson.pk, "student_id": c.nikolaev.pk},
        calls=[
            Call("POST", {"subject_teacher": 200}, data=lambda c: {"value": "5"}, json=True),
            _wrong_method("GET", STAFF),
        ],
    ),
    "final": Route(
        kwargs=lambda c: {
            "class_id": c.class_6a.pk,
            "subject_id": c.math.pk,
            "student_id": c.nikolaev.pk,
        },
        calls=[
            Call(
                "POST",
                {"subject_teacher": 200},
                data=lambda c: {"period": c.quarter.pk, "value": "5"},
                json=True,
            ),
            _wrong_method("GET", STAFF),
        ],
    ),
    # A remark for the parents: the class's teachers and the curator.
    "remark_add": Route(
        kwargs=lambda c: {"student_id": c.nikolaev.pk},
        calls=[
            Call("POST", _only(JOURNAL_VIEWERS, 302), data=lambda c: {"text": "Забыл тетрадь."}),
            _wrong_method("GET", STAFF),
        ],
    ),
    # The diary. "Дневник" sends a student to their own week, a parent to a child's.
    "diary_home": Route(
        kwargs=lambda c: {},
        calls=[Call("GET", _only(PUPILS | PARENTS, 302)), _wrong_method("POST", PUPILS | PARENTS)],
    ),
    "diary_week": Route(
        kwargs=lambda c: {"student_id": c.nikolaev.pk},
        calls=[Call("GET", _only(DIARY_VIEWERS, 200)), _wrong_method("POST", LOGGED_IN)],
    ),
    "marks": Route(
        kwargs=lambda c: {"student_id": c.nikolaev.pk},
        calls=[Call("GET", _only(DIARY_VIEWERS, 200)), _wrong_method("POST", LOGGED_IN)],
    ),
    "marks_year": Route(
        kwargs=lambda c: {"student_id": c.nikolaev.pk},
        calls=[Call("GET", _only(DIARY_VIEWERS, 200)), _wrong_method("POST", LOGGED_IN)],
    ),
    # Only a linked parent signs a child's week.
    "week_sign": Route(
        kwargs=lambda c: {"student_id": c.nikolaev.pk},
        calls=[
            Call("POST", {"parent": 302}, data=lambda c: {"week": "2026-11-23"}),
            _wrong_method("GET", PARENTS),
        ],
    ),
    # A lesson's homework file: whoever sees the lesson, in a journal or in a diary (Ершова
    # attends the lesson, so she gets its homework; Борисова's son does not).
    "homework_file": Route(
        kwargs=lambda c: {"file_id": c.homework_file.pk},
        calls=[
            Call("GET", _only(JOURNAL_VIEWERS | PUPILS | {"parent"}, 200)),
            _wrong_method("POST", LOGGED_IN),
        ],
    ),
    # The class teacher's pages, the curator's too.
    "class_summary": Route(
        kwargs=lambda c: {"class_id": c.class_6a.pk},
        calls=[Call("GET", _only(CLASS_TEACHER_PAGES, 200)), _wrong_method("POST", STAFF)],
    ),
    "class_summary_xlsx": Route(
        kwargs=lambda c: {"class_id": c.class_6a.pk},
        calls=[Call("GET", _only(CLASS_TEACHER_PAGES, 200)), _wrong_method("POST", STAFF)],
    ),
    "class_audit": Route(
        kwargs=lambda c: {"class_id": c.class_6a.pk},
        calls=[Call("GET", _only(CLASS_TEACHER_PAGES, 200)), _wrong_method("POST", STAFF)],
    ),
}


def journal_url_names() -> list[str]:
    """Every named URL of the journal app, as the project's resolver serves it."""

    def walk(patterns: list[Any], inside: bool) -> list[str]:
        names = []
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                names += walk(pattern.url_patterns, inside or pattern.namespace == "journal")
            elif isinstance(pattern, URLPattern) and inside and pattern.name:
                names.append(pattern.name)
        return names

    return walk(get_resolver().url_patterns, inside=False)


URL_NAMES = journal_url_names()
CASES = [
    pytest.param(name, call, id=f"{name}-{call.name or call.method}")
    for name in URL_NAMES
    for call in (MATRIX[name].calls if name in MATRIX else [Call("GET", {})])
]


def test_every_journal_url_is_in_the_matrix():
    assert {"grid", "diary_week", "homework_file", "class_summary"} <= set(URL_NAMES)
    missing = [name for name in URL_NAMES if name not in MATRIX]
    assert missing == [], "journal URLs without a row in the permission matrix"
    stale = [name for name in MATRIX if name not in URL_NAMES]
    assert stale == [], "rows for URLs that no longer exist"


@pytest.fixture
def cast(school, class_6a, math, math_lesson, nikolaev, petrov, role_users):
    homework_file = HomeworkFile.objects.create(
        school=school,
        homework=HomeworkFactory(lesson=math_lesson),
        name="карточка.pdf",
        file=ContentFile(b"%PDF", "k.pdf"),
    )
    return SimpleNamespace(
        school=school,
        class_6a=class_6a,
        math=math,
        lesson=math_lesson,
        quarter=class_6a.year.periods.get(number=2),
        nikolaev=nikolaev,
        petrov=petrov,
        homework_file=homework_file,
        users=role_users,
    )


def _client(client_for, cast, role):
    if role == "anonymous":
        return client_for(cast.school)
    user = cast.users[role]
    return client_for(user.school, user)


def _answer(response) -> int | str:
    login = reverse("accounts:login")
    if response.status_code == 302 and response["Location"].startswith(login):
        return "login"
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "call"), CASES)
def test_the_permission_matrix(client_for, cast, name, call, role):
    if name not in MATRIX:
        pytest.fail(f"{name}: a journal URL without a row in the matrix")
    url = reverse(f"journal:{name}", kwargs=MATRIX[name].kwargs(cast))
    client = _client(client_for, cast, role)
    headers = {"HTTP_ACCEPT": "application/json"} if call.json else {}
    request = getattr(client, call.method.lower())
    response = request(url, call.data(cast), **headers) if call.method == "POST" else request(url)

    assert _answer(response) == call.expected(role), f"{call.method} {url} as {role}"
