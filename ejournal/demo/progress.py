"""Progress lines for a run that may take minutes: counts and elapsed times, per phase and
per school, so that a slow phase shows itself."""

from __future__ import annotations

import time
from collections.abc import Callable

Progress = Callable[[str], None]


def figure(count: int) -> str:
    """12 345 678: thousands apart, as Russian prints them."""
    return f"{count:,}".replace(",", " ")


def duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} с"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} мин {rest:02d} с"


class Clock:
    """Time since the start, and since the last lap."""

    def __init__(self) -> None:
        self.started = self.last = time.monotonic()

    def lap(self) -> str:
        now = time.monotonic()
        elapsed, self.last = now - self.last, now
        return duration(elapsed)

    def total(self) -> str:
        return duration(time.monotonic() - self.started)
