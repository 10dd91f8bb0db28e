"""Growing delays: free attempts, then waits that grow, never a permanent lockout."""

import datetime as dt

import pytest
import time_machine

from ejournal.core.throttle import Throttle, acquire_all, format_wait

pytestmark = pytest.mark.django_db

POLICY = Throttle("test", free=3, delays=(10, 60, 300), forget_after=3600)
START = dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)


def test_the_free_attempts_impose_no_wait():
    with time_machine.travel(START, tick=False):
        for _ in range(3):
            assert POLICY.hit("ivan") == 0
        assert POLICY.wait("ivan") == 0


def test_waits_grow_with_each_further_failure_and_stop_growing_at_the_last():
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(3):
            POLICY.hit("ivan")
        waits = []
        for _ in range(5):
            waits.append(POLICY.hit("ivan"))
            assert POLICY.wait("ivan") == waits[-1]
            clock.shift(waits[-1])
            assert POLICY.wait("ivan") == 0
        assert waits == [10, 60, 300, 300, 300]


def test_the_count_starts_over_after_a_quiet_period():
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(5):
            POLICY.hit("ivan")
        clock.shift(3600 + 300 + 1)
        assert POLICY.wait("ivan") == 0
        assert POLICY.hit("ivan") == 0


def test_keys_and_scopes_are_counted_apart():
    other_scope = Throttle("other", free=3, delays=(10,), forget_after=3600)
    with time_machine.travel(START, tick=False):
        for _ in range(4):
            POLICY.hit("ivan")
        assert POLICY.wait("ivan") == 10
        assert POLICY.wait("maria") == 0
        assert other_scope.wait("ivan") == 0


def test_clear_forgets_the_failures():
    with time_machine.travel(START, tick=False):
        for _ in range(4):
            POLICY.hit("ivan")
        POLICY.clear("ivan")
        assert POLICY.wait("ivan") == 0


def test_the_cache_holds_no_plain_key(settings):
    from django.core.cache import caches

    POLICY.hit("ivan-the-login")
    cache = caches["throttle"]
    assert cache.get("test:ivan-the-login") is None
    assert cache.get(POLICY._key("ivan-the-login")) is not None


def test_waits_are_told_in_seconds_or_whole_minutes():
    assert format_wait(30) == "30 сек."
    assert format_wait(60) == "1 мин."
    assert format_wait(61) == "2 мин."


def test_acquire_counts_an_allowed_attempt_and_never_a_refused_one():
    with time_machine.travel(START, tick=False) as clock:
        assert [POLICY.acquire("ivan") for _ in range(4)] == [0, 0, 0, 0]
        assert POLICY.acquire("ivan") == 10
        assert POLICY.acquire("ivan") == 10
        clock.shift(10)
        assert POLICY.acquire("ivan") == 0  # the fifth counted attempt
        assert POLICY.wait("ivan") == 60


def test_a_released_attempt_does_not_count():
    with time_machine.travel(START, tick=False):
        for _ in range(10):
            assert POLICY.acquire("school-address") == 0
            POLICY.release("school-address")
        assert POLICY.wait("school-address") == 0
        assert [POLICY.acquire("school-address") for _ in range(4)] == [0, 0, 0, 0]


def test_acquire_all_releases_what_it_took_when_one_must_wait():
    other = Throttle("other", free=0, delays=(30,), forget_after=3600)
    with time_machine.travel(START, tick=False):
        assert other.acquire("ivan") == 0
        for _ in range(5):
            assert acquire_all((POLICY, "ivan"), (other, "ivan")) == 30
        assert [POLICY.acquire("ivan") for _ in range(4)] == [0, 0, 0, 0]
