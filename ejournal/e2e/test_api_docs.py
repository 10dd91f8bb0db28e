"""A developer reads the API's page in a real browser, under the site's strict CSP."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from ejournal.api.v1.api import api
from ejournal.core.testing.factories import SchoolFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_page_shows_every_operation_with_no_policy_violation(page: Page, school_url):
    SchoolFactory(number="1399")
    page.goto(f"{school_url}/api/v1/docs")
    operations = [op for ops in api.get_openapi_schema()["paths"].values() for op in ops]
    expect(page.locator(".opblock")).to_have_count(len(operations))
    expect(page.locator(".opblock-summary-path").first).to_have_text("/api/v1/auth/token")
    # The page fixture fails the test on any CSP violation or console error on the way.
