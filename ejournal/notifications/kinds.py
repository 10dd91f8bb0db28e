"""What each kind of letter needs in its context, which parts are secret, and sample data.

`letter_send` adds what every letter may show: `school_name`, `school_url`,
`login_url`, `recovery_page_url` (with a school), `login` and `full_name` (with a
user), and `time` (now, in the school's time zone: "26.11.2026 08:15"). The caller
gives the keys in `required`, and may override any of the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .models import LetterKind


@dataclass(frozen=True)
class KindSpec:
    required: tuple[str, ...] = ()
    # Keys holding a live one-time link: erased from the outbox once the letter is sent.
    secret: tuple[str, ...] = ()
    sample: dict[str, Any] = field(default_factory=dict)


KINDS: dict[str, KindSpec] = {
    LetterKind.CONFIRMATION: KindSpec(
        required=("confirm_url", "valid_days"),
        secret=("confirm_url",),
        sample={"confirm_url": "{school_url}/email/confirm/SAMPLE-TOKEN/", "valid_days": 3},
    ),
    LetterKind.RECOVERY: KindSpec(
        required=("recovery_url", "valid_hours"),
        secret=("recovery_url",),
        sample={"recovery_url": "{school_url}/recovery/MQ/SAMPLE-TOKEN/", "valid_hours": 1},
    ),
    LetterKind.PASSWORD_CHANGED: KindSpec(),
    # A message is waiting: its subject and sender, never its text.
    LetterKind.MESSAGE: KindSpec(
        required=("sender_name", "subject", "message_url"),
        sample={
            "sender_name": "Петров Олег Николаевич",
            "subject": "Контрольная в пятницу",
            "message_url": "{school_url}/messages/1/",
        },
    ),
    LetterKind.PASSWORD_SET_BY_CURATOR: KindSpec(),
}

# The sample person of the debug page and the template tests.
SAMPLE_PERSON = {
    "login": "nikolaeva",
    "full_name": "Николаева Елена Сергеевна",
    "time": "26.11.2026 08:15",
}

# Placeholder stored instead of an erased secret.
ERASED = "[удалено после отправки]"
