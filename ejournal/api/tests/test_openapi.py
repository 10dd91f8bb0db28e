"""The OpenAPI document: served, checked in, and its page under the strict CSP."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.test import Client
from ninja import Schema

from ejournal.api.v1.api import api
from ejournal.conftest import school_host
from ejournal.core.testing.guards import inline_code

pytestmark = pytest.mark.django_db

SNAPSHOT = Path(__file__).parent / "openapi_v1.json"


def test_the_document_is_the_checked_in_snapshot(school):
    """A change of the API changes this file in the same commit: refresh it with
    `make api-schema` (EJOURNAL_API_SNAPSHOT=refresh) and review the diff."""
    response = Client(HTTP_HOST=school_host(school)).get("/api/v1/openapi.json")
    assert response.status_code == 200
    served = response.json()
    assert served == json.loads(json.dumps(api.get_openapi_schema()))
    if os.environ.get("EJOURNAL_API_SNAPSHOT") == "refresh":
        SNAPSHOT.write_text(json.dumps(served, indent=2, ensure_ascii=False) + "\n")
    assert served == json.loads(SNAPSHOT.read_text())


def test_the_docs_page_loads_swagger_ui_from_this_site_with_no_inline_code(school):
    response = Client(HTTP_HOST=school_host(school)).get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert inline_code(page) == []
    assert "<h1>Электронный журнал: API</h1>" in page
    assert 'data-openapi-url="/api/v1/openapi.json"' in page
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "/static/js/api-docs.js" in page
    assert "cdn" not in page.lower()
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "img-src 'self' data:" in policy  # Swagger UI's icons, this page only
    assert "unsafe-inline" not in policy
    assert (
        "img-src"
        not in Client(HTTP_HOST=school_host(school)).get("/login/")["Content-Security-Policy"]
    )


def _subclasses(cls: type) -> list[type]:
    found: list[type] = []
    direct: type
    for direct in cls.__subclasses__():
        found += [direct, *_subclasses(direct)]
    return found


def test_no_two_shapes_share_a_name_in_the_document():
    """The document names a shape by its class name only: two classes of one name would be
    one component, and one endpoint's answers would be checked against the other's shape."""
    names = [
        shape.__name__
        for shape in _subclasses(Schema)
        if shape.__module__.startswith("ejournal.api.v1")
    ]
    assert len(names) > 20
    assert sorted(names) == sorted(set(names))
