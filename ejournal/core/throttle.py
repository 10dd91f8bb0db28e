"""Growing delays after repeated failures: logins, invitation codes, recovery and letters.

One policy object per use, counting per key (an account, a client address, an email
address) in the "throttle" cache: Redis when REDIS_URL is set, the database otherwise,
so that every web process sees the same counts. Keys are hashed, so no login, address or
email is stored in the cache.

Why not django-axes: it has one failure limit and one cool-off for all its parameters and
guards only authentication; here the account and the client address need different
limits (a school's pupils share one address), the delays must grow and never become a
lockout, and the same rule guards /hello, recovery and confirmation letters.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.cache import caches

# A key's count is read and written under a lock taken with cache.add, which every cache
# backend does atomically (Redis SET NX, the database's primary key). The lock is held for
# a read and a write; its timeout only frees a lock whose holder died.
_LOCK_TIMEOUT = 5
_LOCK_TRIES = 200
_LOCK_PAUSE = 0.005
# The wait told when a key stays locked for a whole second: a flood of parallel attempts.
_BUSY_WAIT = 1


class _Busy(Exception):
    pass


@contextmanager
def _locked(cache_key: str) -> Iterator[None]:
    cache = caches["throttle"]
    lock = f"{cache_key}:lock"
    for _ in range(_LOCK_TRIES):
        if cache.add(lock, 1, timeout=_LOCK_TIMEOUT):
            break
        time.sleep(_LOCK_PAUSE)
    else:
        raise _Busy
    try:
        yield
    finally:
        cache.delete(lock)


@dataclass(frozen=True)
class Throttle:
    scope: str
    free: int  # events allowed before any delay
    delays: tuple[int, ...]  # seconds after each further event; the last one repeats
    forget_after: int  # seconds without events after which the count starts over

    def _key(self, key: str) -> str:
        digest = hashlib.sha256(key.encode()).hexdigest()[:40]
        return f"{self.scope}:{digest}"

    def _delay_after(self, count: int) -> int:
        if count <= self.free:
            return 0
        return self.delays[min(count - self.free - 1, len(self.delays) - 1)]

    def _state(self, cache_key: str, now: float) -> tuple[int, float]:
        """(events, time of the last one); the cache's own expiry only frees the space."""
        count, last = caches["throttle"].get(cache_key) or (0, 0.0)
        if now - last > self.forget_after + self._delay_after(count):
            return 0, 0.0
        return count, last

    def _store(self, cache_key: str, count: int, last: float) -> None:
        timeout = self.forget_after + self._delay_after(count)
        caches["throttle"].set(cache_key, (count, last), timeout=timeout)

    def _wait(self, count: int, last: float, now: float) -> int:
        delay = self._delay_after(count)
        return max(0, math.ceil(last + delay - now)) if delay else 0

    def wait(self, key: str) -> int:
        """Seconds until the next attempt is allowed; 0 when it is allowed now."""
        now = time.time()
        return self._wait(*self._state(self._key(key), now), now)

    def acquire(self, key: str) -> int:
        """Counts an attempt before it is checked, if it is allowed now: returns 0, and the
        attempt counts as a failure unless `release` or `clear` follows. Otherwise returns
        the wait and counts nothing.

        The check and the count are one step under the key's lock, so a burst of parallel
        attempts gets the free ones and no more.
        """
        cache_key = self._key(key)
        try:
            with _locked(cache_key):
                now = time.time()
                count, last = self._state(cache_key, now)
                wait = self._wait(count, last, now)
                if not wait:
                    self._store(cache_key, count + 1, now)
                return wait
        except _Busy:
            return _BUSY_WAIT

    def release(self, key: str) -> None:
        """An acquired attempt succeeded and, for this policy, does not count."""
        cache_key = self._key(key)
        with contextlib.suppress(_Busy), _locked(cache_key):
            count, last = self._state(cache_key, time.time())
            if count > 1:
                self._store(cache_key, count - 1, last)
            else:
                caches["throttle"].delete(cache_key)

    def hit(self, key: str) -> int:
        """Counts one event (a letter sent, a wrong code); returns the wait it imposes."""
        cache_key = self._key(key)
        try:
            with _locked(cache_key):
                now = time.time()
                count, _ = self._state(cache_key, now)
                self._store(cache_key, count + 1, now)
                return self._delay_after(count + 1)
        except _Busy:
            return _BUSY_WAIT

    def clear(self, key: str) -> None:
        caches["throttle"].delete(self._key(key))


def acquire_all(*attempts: tuple[Throttle, str]) -> int:
    """Acquires an attempt from each (policy, key) in turn; if one must wait, the ones
    acquired are released and its wait is returned."""
    acquired: list[tuple[Throttle, str]] = []
    for policy, key in attempts:
        wait = policy.acquire(key)
        if wait:
            for done, done_key in acquired:
                done.release(done_key)
            return wait
        acquired.append((policy, key))
    return 0


# Failed logins per account (school and case-folded login): ten free tries, then waits
# growing to an hour, never a lockout a pupil could inflict on a teacher.
LOGIN_ACCOUNT = Throttle(
    "login-account",
    free=10,
    delays=(30, 60, 120, 300, 600, 900, 1800, 3600),
    forget_after=24 * 3600,
)
# Failed logins from a browser the account has logged in from before (accounts.devices):
# counted apart, so that failures elsewhere never hold the account's own browser up.
LOGIN_DEVICE = Throttle(
    "login-device",
    free=10,
    delays=(30, 60, 120, 300, 600, 900, 1800, 3600),
    forget_after=24 * 3600,
)
# Failed logins per client address: a school's pupils share one address, so the limit is
# high and the waits short; successful logins are never counted.
LOGIN_ADDRESS = Throttle(
    "login-address", free=100, delays=(10, 30, 60, 120, 300), forget_after=3600
)
# Wrong invitation codes on /hello per client address.
INVITATION_CODE = Throttle(
    "invitation-code", free=20, delays=(30, 60, 300, 900, 3600), forget_after=24 * 3600
)
# Recovery requests per client address and per email address entered.
RECOVERY_ADDRESS = Throttle("recovery-address", free=10, delays=(60, 300, 900), forget_after=3600)
RECOVERY_EMAIL = Throttle("recovery-email", free=3, delays=(300, 900, 3600), forget_after=3600)
# Confirmation letters per account.
CONFIRMATION_LETTER = Throttle(
    "confirmation-letter", free=3, delays=(300, 900, 3600), forget_after=24 * 3600
)


def format_wait(seconds: int) -> str:
    """ "30 сек." or "5 мин.", for messages that tell how long to wait."""
    if seconds < 60:
        return f"{seconds} сек."
    return f"{math.ceil(seconds / 60)} мин."
