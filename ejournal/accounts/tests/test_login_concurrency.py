"""A burst of parallel wrong guesses gets the free failures and no more; a flood of others'
failures never erases an account's count.

Real threads, each with its own database connection, against the throttle caches production
configures: the database cache table (without REDIS_URL) and Redis (CI's PostgreSQL run sets
REDIS_URL); without it, local memory stands in for the second.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import Client

from config.settings.base import THROTTLE_DATABASE_CACHE
from ejournal.accounts.models import User
from ejournal.conftest import school_host
from ejournal.core.testing.factories import UserFactory
from ejournal.core.throttle import LOGIN_ACCOUNT
from ejournal.schools.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)

GUESSES = LOGIN_ACCOUNT.free + 10


def _database_cache(settings):
    """The database cache table, whatever the suite would otherwise count in."""
    settings.CACHES = {**settings.CACHES, "throttle": THROTTLE_DATABASE_CACHE}
    call_command("createcachetable")


@pytest.fixture(params=["database", "configured"])
def throttle_cache(request, settings):
    if request.param == "database":
        _database_cache(settings)
    caches["throttle"].clear()
    return caches["throttle"]


@pytest.fixture
def database_throttle_cache(settings):
    _database_cache(settings)
    caches["throttle"].clear()
    return caches["throttle"]


@pytest.fixture
def checked_passwords(monkeypatch):
    """Counts the passwords checked; each check takes as long as a real password hash does,
    which is the window parallel guesses would slip through."""
    checked: list[str] = []
    original = User.check_password

    def counting(self, raw_password):
        checked.append(raw_password)
        time.sleep(0.05)
        return original(self, raw_password)

    monkeypatch.setattr(User, "check_password", counting)
    return checked


def _guess_at_once(host: str, count: int) -> list[str]:
    barrier = threading.Barrier(count)
    answers: list[str] = []

    def guess(n: int) -> None:
        # Not raised but answered: the test client's exception signal is shared by threads.
        client = Client(HTTP_HOST=host, raise_request_exception=False)
        try:
            barrier.wait(timeout=10)
            response = client.post("/login/", {"username": "ivanova", "password": f"g{n}"})
            answers.append(response.content.decode())
        finally:
            connection.close()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def test_parallel_wrong_guesses_beyond_the_free_ones_are_not_checked(
    school, throttle_cache, checked_passwords
):
    UserFactory(school=school, role=Role.TEACHER, login="ivanova")
    answers = _guess_at_once(school_host(school), GUESSES)
    assert len(answers) == GUESSES
    wrong = [a for a in answers if "Неверный логин или пароль." in a]
    throttled = [a for a in answers if "Слишком много неудачных попыток входа" in a]
    assert len(wrong) + len(throttled) == GUESSES
    # The free failures, and the one attempt allowed after them, before the first wait.
    assert len(wrong) <= LOGIN_ACCOUNT.free + 1
    assert len(checked_passwords) <= LOGIN_ACCOUNT.free + 1
    assert len(throttled) >= GUESSES - LOGIN_ACCOUNT.free - 1
    account = f"{school.id}:ivanova"
    assert LOGIN_ACCOUNT.wait(account) > 0


def test_failures_of_many_other_accounts_never_push_an_accounts_count_out(
    school, database_throttle_cache
):
    """Past its size limit a cache drops entries; the throttle's must be far beyond a
    day's failures, or failing enough other logins would erase this account's count."""
    watched = [f"{school.id}:teacher{n}" for n in range(20)]
    for account in watched:
        for _ in range(LOGIN_ACCOUNT.free + 1):
            LOGIN_ACCOUNT.acquire(account)
    for n in range(400):
        LOGIN_ACCOUNT.acquire(f"{school.id}:guess{n}")
    assert [account for account in watched if not LOGIN_ACCOUNT.wait(account)] == []
