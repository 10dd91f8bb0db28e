"""Fixtures shared by every app: schools, users and clients at a school's address."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client

from ejournal.accounts.models import User
from ejournal.core.testing.factories import SchoolFactory, UserFactory
from ejournal.schools.hosts import hosts_forget
from ejournal.schools.models import School
from ejournal.schools.roles import Role


def school_host(school: School) -> str:
    return f"{school.number}.{settings.EJOURNAL_BASE_DOMAIN}"


@pytest.fixture
def school(db: None) -> School:
    return SchoolFactory(number="1399", name="Школа №1399")


@pytest.fixture
def other_school(db: None) -> School:
    return SchoolFactory(number="1400", name="Школа №1400")


@pytest.fixture
def client_for() -> Callable[..., Client]:
    """A test client at the school's address, logged in as `user` if given."""

    def make(school: School, user: User | None = None) -> Client:
        client = Client(HTTP_HOST=school_host(school))
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def curator(school: School) -> User:
    return UserFactory(
        school=school, role=Role.CURATOR, login="kurator", last_name="Смирнова", first_name="Ольга"
    )


@pytest.fixture
def curator_client(school: School, curator: User, client_for: Callable[..., Client]) -> Client:
    return client_for(school, curator)


@pytest.fixture
def other_curator(other_school: School) -> User:
    return UserFactory(school=other_school, role=Role.CURATOR, login="kurator")


@pytest.fixture(autouse=True)
def _clear_caches() -> None:
    """Throttling counters and cached data never leak from one test into the next."""
    for alias in settings.CACHES:
        caches[alias].clear()
    hosts_forget()
