"""/api/v1's permission matrix: every operation of the OpenAPI document × every role → status.

The operations come from the document (api.get_openapi_schema()), so a new endpoint fails
`test_every_operation_has_a_row` until MATRIX gives it one. Every answer goes through
`api_client`: its status and body are the ones the document declares.

The cast (ejournal/journal/tests/conftest.py), at school 1399: Николаев (the student, 6А),
Ершова (another student, his classmate), Николаева (his parent), Борисова (another family's
parent: Борисов, 6Б), Петров (teaches Математика in 6А: the subject's teacher), Сидорова
(Математика in 6Б only: another teacher), Иванова (leads 6А: the class teacher), the curator;
another school's curator sends their own school's valid token to this school's address (401).

To add a row: key it by the method and the path as the document writes them, and give one
`Call` per way of calling it: `answers` for the roles of this school that get something
other than 404 (anonymous and another school's curator get 401 unless said otherwise),
`params` to fill the path's {names} from the cast (and the role, for a token of one's own),
`query` and `body` if it takes them, `name` to tell two calls of one operation apart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.base import ContentFile

from ejournal.accounts.api_tokens import api_token_create
from ejournal.api.v1.api import api
from ejournal.core.testing.factories import UserFactory
from ejournal.core.testing.journal_factories import HomeworkFactory
from ejournal.journal.models import HomeworkFile
from ejournal.journal.tests.conftest import (
    MONDAY,
    ROLES,
    _school_day,  # noqa: F401  (autouse: the school day)
)
from ejournal.schools.roles import Role

pytestmark = pytest.mark.django_db

PASSWORD = "Zhurnal2026"  # the factories'
OUTSIDERS = {"anonymous": 401, "another_schools_curator": 401}
LOGGED_IN = [role for role in ROLES if role not in OUTSIDERS]


@dataclass(frozen=True)
class Call:
    """One way to call an operation, and each role's status (404 for a role not listed)."""

    answers: dict[str, int]
    params: Callable[[SimpleNamespace, str], dict[str, Any]] = lambda cast, role: {}
    query: Callable[[SimpleNamespace], str] = lambda cast: ""
    body: Callable[[SimpleNamespace, str], Any] = lambda cast, role: None
    name: str = ""

    def expected(self, role: str) -> int:
        return {**OUTSIDERS, **self.answers}.get(role, 404)


def _only(roles: list[str] | set[str], status: int) -> dict[str, int]:
    return dict.fromkeys(roles, status)


def _student(cast: SimpleNamespace, role: str) -> dict[str, Any]:
    return {"student_id": cast.student.pk}


# A student's diary: the student, the linked parents, the class's teachers, the curator.
DIARY_READERS = {"student", "parent", "subject_teacher", "class_teacher", "curator"}

MATRIX: dict[tuple[str, str], list[Call]] = {
    # Each role logs in with its own login and password; another school's curator's login is
    # not this school's (401), anonymous sends a wrong password.
    ("POST", "/api/v1/auth/token"): [
        Call(
            {**_only(LOGGED_IN, 201), "anonymous": 401, "another_schools_curator": 401},
            body=lambda cast, role: {
                "login": cast.logins[role],
                "password": "Wrong2026" if role == "anonymous" else PASSWORD,
                "device": "Pixel",
            },
        )
    ],
    ("GET", "/api/v1/me"): [Call(_only(LOGGED_IN, 200))],
    ("GET", "/api/v1/tokens"): [Call(_only(LOGGED_IN, 200))],
    ("DELETE", "/api/v1/tokens/{token_id}"): [
        # One of the caller's own other tokens (another school's curator: theirs, at 1400;
        # anonymous: anyone's).
        Call(
            _only(LOGGED_IN, 204),
            params=lambda cast, role: {
                "token_id": cast.spare_tokens.get(role, cast.strangers_token).pk
            },
            name="own",
        ),
        # A token of another user of the school: as if it did not exist.
        Call(
            {},
            params=lambda cast, role: {"token_id": cast.strangers_token.pk},
            name="someone-elses",
        ),
    ],
    ("GET", "/api/v1/students/{student_id}/periods"): [
        Call(_only(DIARY_READERS, 200), params=_student)
    ],
    ("GET", "/api/v1/students/{student_id}/diary"): [
        Call(_only(DIARY_READERS, 200), params=_student)
    ],
    ("GET", "/api/v1/students/{student_id}/marks"): [
        Call(_only(DIARY_READERS, 200), params=_student)
    ],
    ("GET", "/api/v1/students/{student_id}/finals"): [
        Call(_only(DIARY_READERS, 200), params=_student)
    ],
    # Whoever sees the lesson the file was set at: the classmate attends it too.
    ("GET", "/api/v1/homework-files/{file_id}"): [
        Call(
            _only(DIARY_READERS | {"another_student"}, 200),
            params=lambda cast, role: {"file_id": cast.homework_file.pk},
        )
    ],
    # A teacher's own day (any teacher has one, empty or not); no teacher record: 404.
    ("GET", "/api/v1/teacher/lessons"): [
        Call(_only(["subject_teacher", "another_teacher", "class_teacher"], 200))
    ],
    # Whoever sees the class's journal of the subject: its teacher, the class teacher, the
    # curator (the last two read-only).
    ("GET", "/api/v1/lessons/{lesson_id}"): [
        Call(
            _only(["subject_teacher", "class_teacher", "curator"], 200),
            params=lambda cast, role: {"lesson_id": cast.lesson.pk},
        )
    ],
    # Only a teacher who may edit the lesson sets a cell.
    ("PUT", "/api/v1/lessons/{lesson_id}/students/{student_id}"): [
        Call(
            {"subject_teacher": 200},
            params=lambda cast, role: {"lesson_id": cast.lesson.pk, "student_id": cast.student.pk},
            body=lambda cast, role: {"mark": 5},
        )
    ],
    # Only a linked parent signs a child's week.
    ("POST", "/api/v1/students/{student_id}/weeks/{monday}/signature"): [
        Call(
            {"parent": 201},
            params=lambda cast, role: {"student_id": cast.student.pk, "monday": MONDAY},
        )
    ],
}

# Every operation of the document, as /api/v1/openapi.json lists it.
OPERATIONS = [
    (method.upper(), path)
    for path, operations in api.get_openapi_schema()["paths"].items()
    for method in operations
]
CASES = [
    pytest.param(method, path, call, id=f"{method} {path}" + (f" {call.name}" if call.name else ""))
    for method, path in OPERATIONS
    for call in MATRIX.get((method, path), [Call({}, name="no-row")])
]


def test_every_operation_has_a_row():
    missing = [operation for operation in OPERATIONS if operation not in MATRIX]
    assert missing == [], "operations of /api/v1 without a row in MATRIX"
    stale = [operation for operation in MATRIX if operation not in OPERATIONS]
    assert stale == [], "rows of MATRIX for operations the document no longer has"


@pytest.fixture
def cast(school, math_lesson, nikolaev, role_users, other_curator):
    """The journal's cast, with a homework file of Петров's lesson, a spare token for each
    role and one of a user outside the cast."""
    other_curator.login = "kurator1400"  # not a login of this school
    other_curator.save(update_fields=["login"])
    homework_file = HomeworkFile.objects.create(
        school=school,
        homework=HomeworkFactory(lesson=math_lesson),
        name="карточка.pdf",
        file=ContentFile(b"%PDF", "k.pdf"),
    )
    stranger = UserFactory(school=school, role=Role.TEACHER, login="stranger")
    return SimpleNamespace(
        school=school,
        lesson=math_lesson,  # Петров's, in 6А
        student=nikolaev,
        homework_file=homework_file,
        users=role_users,
        logins={**{role: user.login for role, user in role_users.items()}, "anonymous": "nikolaev"},
        spare_tokens={
            role: api_token_create(user=user, device="Spare")[0]
            for role, user in role_users.items()
        },
        strangers_token=api_token_create(user=stranger, device="Pixel")[0],
    )


def _client(api_client, cast, role):
    """At this school's address: each role with a token of its own (another school's curator
    with a valid token of school 1400), anonymous without."""
    if role == "anonymous":
        return api_client(cast.school)
    _, key = api_token_create(user=cast.users[role], device="Pixel")
    return api_client(cast.school, key)


@pytest.mark.parametrize(("method", "path", "call"), CASES)
def test_the_permission_matrix(api_client, cast, method, path, call):
    if (method, path) not in MATRIX:
        pytest.fail(f"{method} {path}: an operation without a row in MATRIX")
    answers = {}
    for role in ROLES:
        url = path.format(**{k: _text(v) for k, v in call.params(cast, role).items()})
        query = call.query(cast)
        response = _client(api_client, cast, role).request(
            method, url + (f"?{query}" if query else ""), call.body(cast, role)
        )
        answers[role] = response.status_code
    assert answers == {role: call.expected(role) for role in ROLES}


def _text(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)
