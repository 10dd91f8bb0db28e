"""Sending letters: the one entry point is letter_send."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from ejournal.core.pruning import delete_in_batches
from ejournal.schools.models import School

from .kinds import KINDS
from .models import Letter, LetterKind, LetterStatus
from .rendering import common_context
from .tasks import letter_enqueue

if TYPE_CHECKING:
    from ejournal.accounts.models import User


def letter_send(
    *,
    kind: LetterKind | str,
    to: str,
    user: User | None,
    school: School | None,
    context: dict[str, Any],
    language: str = "ru",
) -> Letter:
    """Puts a letter in the outbox; it is sent by a task once the current transaction commits.

    Called inside a transaction, a rollback takes the letter with it: nothing is sent for
    a change that did not happen. `context` must hold the keys its kind requires
    (kinds.KINDS); the school's name and addresses, the user's login and name and the
    time are added here (kinds' docstring).
    """
    kind = LetterKind(kind)
    missing = [key for key in KINDS[kind].required if key not in context]
    if missing:
        raise ValueError(f"A {kind} letter needs {', '.join(missing)} in its context")
    validate_email(to)
    letter = Letter.objects.create(
        school=school,
        user=user,
        kind=kind,
        to_email=to,
        language=language,
        context={**common_context(school=school, user=user), **context},
        next_attempt_at=timezone.now(),
    )
    # robust: a queue that is down must not fail the request whose change has committed;
    # the letter stays queued and send_queued_letters queues it again.
    transaction.on_commit(partial(letter_enqueue, letter.pk), robust=True)
    return letter


def letters_prune(*, older_than: dt.timedelta) -> int:
    """Delete the letters sent or given up on more than `older_than` ago (they hold addresses
    and names); a queued letter is never deleted. Returns how many were deleted."""
    done = Letter.objects.filter(
        status__in=[LetterStatus.SENT, LetterStatus.FAILED],
        updated_at__lt=timezone.now() - older_than,
    )
    return delete_in_batches(done)
