"""The Redis cache backend that keeps its client (core/cache.py), against the machine's Redis
(CI starts it; REDIS_URL names another database when set)."""

from __future__ import annotations

import os

from ejournal.core.cache import KeptClientRedisCache

URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/13"


def _backend() -> KeptClientRedisCache:
    return KeptClientRedisCache(URL, {"KEY_PREFIX": "test-kept-client"})


def test_it_stores_and_reads_like_djangos_backend():
    cache = _backend()
    cache.set("answer", {"value": 42}, timeout=30)
    assert cache.get("answer") == {"value": 42}
    assert cache.get_many(["answer", "missing"]) == {"answer": {"value": 42}}
    cache.delete("answer")
    assert cache.get("answer") is None


def test_one_client_serves_every_call():
    cache = _backend()
    client = cache._cache.get_client("a")
    assert cache._cache.get_client("b", write=True) is client
    cache.set("k", 1, timeout=30)
    assert cache._cache.get_client("k") is client
    cache.delete("k")
