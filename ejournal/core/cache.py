"""Django's Redis cache, with one Redis client per pool instead of one per call.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` around the (kept)
connection pool for every cache call, and a client's construction (its table of response
callbacks) costs about as much as the round trip to Redis: measured here, it was a quarter
of `/healthz`, whose one cache call is the schools' version (schools/hosts.py). A client
over a pool is safe to share, and Django's cache handler already gives each thread its own
backend, so the client is kept with the pool it wraps.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class KeptClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._client(connection_pool=pool)  # type: ignore[attr-defined]
            self._clients[id(pool)] = client
        return client


class KeptClientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = KeptClientRedisCacheClient
