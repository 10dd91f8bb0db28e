"""A version in Redis that each process is told of when it moves, instead of asking for it.

`schools/hosts.py` checks a version on every request (has any school changed?), and one
round trip to Redis was most of what a request to `/healthz` cost. With Redis, each process
subscribes to a channel instead: whoever moves the version publishes the new one, and a
thread of every process listening to the channel takes it (Redis delivers a message within
a fraction of a millisecond here). The process that moves it takes it at once.

A process that is not subscribed (the thread starting, or reconnecting after Redis went away)
asks Redis for the version as before; after each (re)subscription the thread reads it once,
so that nothing published while it was away is missed. A silent connection is pinged every
few seconds, and one that does not answer is dropped and made again; at each ping the thread
also reads the version, so a message lost anyway (a publisher that died between its write
and its message) delays a change by those few seconds at most. Without Redis (a
process's own memory as the cache, in development and tests) there is nothing to listen to:
the version is read from the cache every time, which is then a dictionary lookup.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from typing import Any

import redis
from django.conf import settings
from django.core.cache import cache

from .versions import new_version, version_added

logger = logging.getLogger(__name__)

# A silent subscription is pinged after this long, and dropped if no answer comes as long.
HEALTH_SECONDS = 5
RECONNECT_SECONDS = 1


class PushedVersion:
    """The version under `key` in the cache, pushed over Redis at `url` (default: REDIS_URL
    when `EJOURNAL_PUSHED_VERSIONS` is on; the tests turn it off, so that no message of an
    earlier test's change arrives in the middle of a later one's pinned queries)."""

    def __init__(self, key: str, *, url: str | None = None) -> None:
        self.key = key
        self._url = url
        self._version: str | None = None  # known to this process while subscribed
        self._pid: int | None = None
        self._lock = threading.Lock()
        self.client_name = ""  # the subscription's, in CLIENT LIST: set for each process
        self.reconnect_seconds = RECONNECT_SECONDS

    @property
    def url(self) -> str:
        if self._url is not None:
            return self._url
        return settings.REDIS_URL if settings.EJOURNAL_PUSHED_VERSIONS else ""

    @property
    def channel(self) -> str:
        """Channels are not per database in Redis: the name carries the database and the
        cache's own key (its prefix), so deployments sharing a server hear only their own."""
        db = redis.connection.parse_url(self.url).get("db", 0)
        return f"pushed:{db}:{cache.make_key(self.key)}"

    @property
    def subscribed(self) -> bool:
        return self._version is not None

    def current(self) -> str:
        """The version now: from the subscription, else from the cache."""
        self._listening()
        version = self._version
        return version if version is not None else self.read()

    def read(self) -> str:
        """The version as the cache has it (a fresh cache gets one)."""
        version = cache.get(self.key)
        if version is None:
            version, _ = version_added(self.key, timeout=None)
        return str(version)

    def move(self) -> None:
        """A new version, for this process at once and for the others by the channel."""
        version = str(new_version())
        cache.set(self.key, version, timeout=None)
        if self._version is not None:
            self._version = version
        if self.url:
            try:
                with redis.Redis.from_url(self.url) as client:
                    client.publish(self.channel, version)
            except redis.RedisError:  # the listeners reread the version when they reconnect
                logger.warning("could not publish %s", self.channel, exc_info=True)

    def _listening(self) -> None:
        """Start this process's listener the first time (again in a forked worker)."""
        if not self.url or self._pid == os.getpid():
            return
        with self._lock:
            if self._pid == os.getpid():
                return
            self._pid, self._version = os.getpid(), None
            self.client_name = f"ejournal-pushed-{os.getpid()}-{uuid.uuid4().hex[:8]}"
            threading.Thread(target=self._listen, name=self.channel, daemon=True).start()

    def _listen(self) -> None:
        client = redis.Redis.from_url(
            self.url, socket_timeout=HEALTH_SECONDS, client_name=self.client_name
        )
        while True:
            pubsub = client.pubsub()
            try:
                pubsub.subscribe(self.channel)
                self._follow(pubsub)
            except (redis.RedisError, OSError):
                logger.info("%s: connection lost, asking for the version meanwhile", self.channel)
            except Exception:  # never let the thread die: the process would ask for ever
                logger.exception("%s: listener failed, starting again", self.channel)
            finally:
                self._version = None
                pubsub.close()
            time.sleep(self.reconnect_seconds)

    def _follow(self, pubsub: Any) -> None:
        heard, pinged = time.monotonic(), False
        while True:
            message = pubsub.get_message(timeout=1.0)
            now = time.monotonic()
            if message is None:
                if now - heard > HEALTH_SECONDS:
                    if pinged:
                        raise redis.ConnectionError("the subscription does not answer")
                    pubsub.ping()  # answered by a "pong" message
                    heard, pinged = now, True
                    self._version = self.read()  # bounds what a lost message delays
                continue
            heard, pinged = now, False
            if message["type"] == "subscribe":
                self._version = self.read()  # subscribed now: nothing later is missed
            elif message["type"] == "message":
                self._version = message["data"].decode()
