"""A version pushed to each process over Redis (core/pushed.py), against the machine's Redis:
a move made elsewhere is heard, a subscribed process asks the cache nothing, and one that
lost its connection reads the cache until it has subscribed again."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable

import pytest
import redis
from django.core.cache import cache

from ejournal.core.pushed import PushedVersion

URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/13"


def _eventually(check: Callable[[], bool], seconds: float = 5) -> bool:
    """Whether `check()` comes true within `seconds` (the listener is another thread)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.01)
    return False


@pytest.fixture
def key() -> str:
    return f"test:pushed:{uuid.uuid4().hex}"


@pytest.fixture
def listening(key: str) -> PushedVersion:
    version = PushedVersion(key, url=URL)
    version.current()  # starts the listener
    assert _eventually(lambda: version.subscribed), "no subscription to Redis"
    return version


def test_a_move_made_by_another_process_is_heard(key, listening):
    before = listening.current()
    elsewhere = PushedVersion(key, url=URL)
    elsewhere.move()
    moved = cache.get(key)
    assert moved != before
    assert _eventually(lambda: listening.current() == moved)


def test_a_subscribed_process_takes_the_version_from_the_channel_not_the_cache(key, listening):
    known = listening.current()
    cache.set(key, "written-without-a-message", timeout=None)
    time.sleep(0.1)
    assert listening.current() == known  # not asked for
    PushedVersion(key, url=URL).move()
    assert _eventually(lambda: listening.current() == cache.get(key))


def test_the_process_that_moves_it_sees_it_at_once(listening, key):
    listening.move()
    assert listening.current() == cache.get(key)


def test_a_lost_connection_reads_the_cache_until_it_has_subscribed_again(key, listening):
    listening.reconnect_seconds = 3
    server = redis.Redis.from_url(URL)
    [own] = [c for c in server.client_list(_type="pubsub") if c["name"] == listening.client_name]
    server.client_kill_filter(_id=own["id"])
    PushedVersion(key, url=URL).move()  # published while nobody listens: lost
    # Seen from the cache well before the listener reconnects.
    assert _eventually(lambda: listening.current() == cache.get(key), seconds=1.5)

    assert _eventually(lambda: listening.subscribed, seconds=10)  # reconnected
    cache.set(key, "written-without-a-message", timeout=None)
    time.sleep(0.1)
    assert listening.current() != "written-without-a-message"  # listening again
    PushedVersion(key, url=URL).move()
    assert _eventually(lambda: listening.current() == cache.get(key))


def test_without_redis_the_version_is_read_from_the_cache_each_time(key):
    version = PushedVersion(key, url="")
    first = version.current()
    assert not version.subscribed
    cache.set(key, "changed", timeout=None)
    assert version.current() == "changed" != first
