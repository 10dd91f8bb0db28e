"""The refusal every throttled flow raises, with the wait an API can return as a number."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from ejournal.core.throttle import format_wait


class Throttled(ValidationError):
    """Too many attempts: `wait` seconds until the next one is allowed."""

    def __init__(self, message: str, *, wait: int) -> None:
        super().__init__(message.format(wait=format_wait(wait)), code="throttled")
        self.wait = wait
