"""Property-based: schemathesis sends generated requests to every operation of the live
/api/v1 (pytest-django's live server, a real HTTP server in a thread) and checks each answer:
no server error, a status and a body the OpenAPI document declares, the declared content type.

The schema is the one the server serves at the school's address (its Host header, as a phone
sends it; the server itself listens on localhost). Every operation it lists is tested, so an
endpoint added to /api/v1 is covered without a line here. Each one is called as the parent,
the subject's teacher and anonymously, each case with a fresh token (a generated DELETE
/tokens/{token_id} may revoke the caller's own). A parameter the cast knows by name (`cast`:
student_id, lesson_id, ...) is mostly one of the cast's values, so that the answers are not
all 404s; a new endpoint's parameter of another name is left to schemathesis.

Bounded and deterministic for CI: Hypothesis derandomized, MAX_EXAMPLES per operation. The
Hypothesis test is built per operation with `as_strategy` rather than with schemathesis's
pytest plugin (`schemathesis.pytest.from_fixture`), which fails under pytest 9.2 (it sets
`node._nodeid`, gone from pytest's nodes).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import schemathesis
from django.core.files.base import ContentFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import Case, CheckContext, Response
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ejournal.accounts.api_tokens import api_token_create
from ejournal.api.v1.api import api
from ejournal.conftest import school_host
from ejournal.core.testing.journal_factories import (
    AttendanceFactory,
    FinalMarkFactory,
    HomeworkFactory,
    LessonFactory,
    MarkFactory,
    RemarkFactory,
)
from ejournal.journal.models import HomeworkFile
from ejournal.journal.tests.conftest import (
    MONDAY,
    _school_day,  # noqa: F401  (autouse: the school day, the server thread's too)
)

ROLES = ["parent", "subject_teacher", "anonymous"]
BINARY = "application/octet-stream"
MAX_EXAMPLES = 15


def content_type_or_attachment(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """The declared content type; where the document declares any file (octet-stream), an
    attachment of whatever type the file has."""
    definition = case.operation.definition.raw["responses"].get(str(response.status_code), {})
    if list(definition.get("content", {})) == [BINARY]:
        assert response.headers["content-disposition"][0].startswith("attachment")
        return True
    return content_type_conformance(ctx, response, case)


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_or_attachment,
]


@pytest.fixture
def cast(
    school, class_6a, math, russian, petrov, ivanova, nikolaev, nikolaeva, borisov, math_lesson
):
    """Николаев's week in 6А (marks, an absence, homework with a file, a remark, a final mark)
    and the ids a generated request may ask for: {parameter name: values}."""
    tuesday, wednesday, thursday = (MONDAY + dt.timedelta(days=n) for n in (1, 2, 3))
    russian_lesson = LessonFactory(
        school_class=class_6a, subject=russian, teacher=ivanova, date=wednesday, number=1
    )
    thursday_math = LessonFactory(
        school_class=class_6a, subject=math, teacher=petrov, date=thursday, number=3
    )
    MarkFactory(lesson=math_lesson, student=nikolaev, value=4, weight=2, comment="устно")
    MarkFactory(lesson=thursday_math, student=nikolaev, value=5)
    AttendanceFactory(lesson=russian_lesson, student=nikolaev, reason="illness")
    homework = HomeworkFactory(lesson=math_lesson, due_lesson=thursday_math, text="№ 5, 6")
    homework_file = HomeworkFile(school_id=school.pk, homework=homework, name="Задание №5.pdf")
    homework_file.file.save("zadanie.pdf", ContentFile(b"%PDF-1.4 homework"), save=True)
    RemarkFactory(student=nikolaev, lesson=math_lesson, text="Забыл тетрадь.")
    quarter_1 = class_6a.year.periods.get(number=1)
    FinalMarkFactory(student=nikolaev, subject=math, period=quarter_1, value=5)
    # Another user's token, and one more of each caller's own (the one it calls with is new).
    tokens = [
        api_token_create(user=user, device="Pixel")[0]
        for user in (ivanova.user, nikolaeva, petrov.user)
    ]
    return {
        "student_id": [nikolaev.pk, borisov.pk],
        "lesson_id": [math_lesson.pk, russian_lesson.pk, thursday_math.pk],
        "file_id": [homework_file.pk],
        "token_id": [token.pk for token in tokens],
        "period": [p.pk for p in class_6a.year.periods.all()],
        "monday": [MONDAY.isoformat(), (MONDAY - dt.timedelta(days=7)).isoformat()],
        "from": [tuesday.isoformat()],
        "to": [thursday.isoformat()],
    }


# Every operation of the document, as Python builds it; the test asks the live server's copy.
OPERATIONS = [
    (method.upper(), path)
    for path, operations in api.get_openapi_schema()["paths"].items()
    for method in operations
]


@pytest.fixture
def api_schema(live_server, school):
    """The document the live server serves at the school's address."""
    return schemathesis.openapi.from_url(
        f"{live_server.url}/api/v1/openapi.json", headers={"Host": school_host(school)}
    )


def test_the_live_document_lists_the_same_operations(api_schema):
    live = [
        (result.ok().method.upper(), result.ok().path) for result in api_schema.get_all_operations()
    ]
    assert sorted(live) == sorted(OPERATIONS)


def _param(method: str, path: str) -> Any:
    return pytest.param(method, path, id=f"{method} {path}")


@pytest.mark.parametrize(("method", "path"), [_param(m, p) for m, p in OPERATIONS])
def test_every_operation_answers_as_its_document_says(
    method, path, api_schema, cast, live_server, school, role_users
):
    operation = api_schema[path][method]
    # Valid requests and invalid ones; not those without the token, which the anonymous
    # call already is (a negative case drops the Authorization header, ours with it).
    cases = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE).filter(
            lambda case: ParameterLocation.HEADER not in case.meta.components
        ),
    )

    @given(case=cases, data=st.data())
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Case, data: st.DataObject) -> None:
        # A parameter the cast knows: three times in four one of the cast's values, else the
        # generated one (mostly an id of nothing, a date out of range).
        for parameters in (case.path_parameters, case.query):
            for name in list(parameters or {}):
                if name in cast and data.draw(st.integers(0, 3), f"{name} is the cast's"):
                    parameters[name] = data.draw(st.sampled_from(cast[name]), name)
        for role in ROLES:
            headers = {"Host": school_host(school)}
            if role != "anonymous":
                _, key = api_token_create(user=role_users[role], device="Schemathesis")
                headers["Authorization"] = f"Bearer {key}"
            case.call_and_validate(base_url=live_server.url, headers=headers, checks=CHECKS)

    run()
