"""An API client that checks every answer against the generated OpenAPI document."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import jsonschema
import pytest
from django.test import Client

from ejournal.api.v1.api import api
from ejournal.conftest import school_host

# The journal's cast (6А, 6Б, their teachers, pupils and parents, a lesson), for the endpoints
# that read and write the journal. Its frozen school day (`_school_day`, autouse) is imported
# by the test modules that need it, not here.
from ejournal.journal.tests.conftest import (  # noqa: F401
    bells,
    borisov,
    borisova,
    class_6a,
    class_6b,
    ershova,
    ivanova,
    math,
    math_lesson,
    nikolaev,
    nikolaeva,
    petrov,
    quarter_1,
    quarter_2,
    role_users,
    russian,
    sidorova,
)
from ejournal.schools.models import School

# The document as /api/v1/openapi.json serves it (JSON: its status codes are strings).
SCHEMA = json.loads(json.dumps(api.get_openapi_schema()))


def _operation(method: str, path: str) -> dict[str, Any]:
    path = path.partition("?")[0]
    for template, operations in SCHEMA["paths"].items():
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, path) and method.lower() in operations:
            return operations[method.lower()]
    raise AssertionError(f"{method} {path} is not in the OpenAPI document")


def schema_check(method: str, path: str, response: Any) -> None:
    """The status is one the document declares for the operation, and the body matches it."""
    declared = _operation(method, path)["responses"]
    assert str(response.status_code) in declared, (method, path, response.status_code)
    content = declared[str(response.status_code)].get("content")
    if content is None:
        assert response.content == b""
        return
    if "application/octet-stream" in content:  # a file of any type: an attachment, bytes unread
        assert response["Content-Disposition"].startswith("attachment"), (method, path)
        return
    body_schema = {**content["application/json"]["schema"], "components": SCHEMA["components"]}
    jsonschema.Draft202012Validator(body_schema).validate(json.loads(response.content))


class ApiClient:
    """Requests at a school's address, with a token if given; each answer schema-checked."""

    def __init__(self, school: School, token: str | None = None) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.client = Client(HTTP_HOST=school_host(school), headers=headers)

    def request(self, method: str, path: str, data: Any = None) -> Any:
        call = getattr(self.client, method.lower())
        if data is None:
            response = call(path)
        else:
            response = call(path, json.dumps(data), content_type="application/json")
        schema_check(method, path, response)
        return response

    def get(self, path: str) -> Any:
        return self.request("GET", path)

    def post(self, path: str, data: Any) -> Any:
        return self.request("POST", path, data)

    def put(self, path: str, data: Any) -> Any:
        return self.request("PUT", path, data)

    def delete(self, path: str) -> Any:
        return self.request("DELETE", path)


@pytest.fixture
def api_client() -> Callable[..., ApiClient]:
    return ApiClient
