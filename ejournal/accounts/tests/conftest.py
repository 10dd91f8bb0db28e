"""The accounts tests' cast: the parent of the help page, with a confirmed address."""

from __future__ import annotations

import datetime as dt

import pytest

from ejournal.core.testing.factories import UserFactory
from ejournal.schools.models import School
from ejournal.schools.roles import Role

CONFIRMED_AT = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)


@pytest.fixture
def parent(school: School):
    """Николаева Елена, a parent whose address was confirmed in September (a test of an
    unconfirmed address makes its own)."""
    return UserFactory(
        school=school,
        role=Role.PARENT,
        login="nikolaeva",
        last_name="Николаева",
        first_name="Елена",
        email="nikolaeva@example.com",
        email_confirmed_at=CONFIRMED_AT,
    )
