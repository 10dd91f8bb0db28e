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

import hashlib
import math
import time
from dataclasses import dataclass

from django.core.cache import caches


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

    def wait(self, key: str) -> int:
        """Seconds until the next attempt is allowed; 0 when it is allowed now."""
        now = time.time()
        count, last = self._state(self._key(key), now)
        return max(0, math.ceil(last + self._delay_after(count) - now))

    def hit(self, key: str) -> int:
        """Counts one event (a failure, a letter sent); returns the wait it imposes."""
        cache_key = self._key(key)
        count, _ = self._state(cache_key, time.time())
        count += 1
        delay = self._delay_after(count)
        caches["throttle"].set(cache_key, (count, time.time()), timeout=self.forget_after + delay)
        return delay

    def clear(self, key: str) -> None:
        caches["throttle"].delete(self._key(key))


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
