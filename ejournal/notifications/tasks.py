"""The task that sends one letter of the outbox, and its retries."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .kinds import ERASED, KINDS
from .models import Letter, LetterStatus
from .rendering import letter_render

logger = logging.getLogger(__name__)

# Seconds before the next attempt after each failure; after the last one, the letter fails.
RETRY_DELAYS = (60, 5 * 60, 15 * 60, 60 * 60, 3 * 60 * 60)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# The letter's row stays locked while the mail server answers: never wait on it forever.
SMTP_TIMEOUT = 30


def letter_enqueue(letter_id: int, *, run_after: dt.datetime | None = None) -> None:
    """Queues the task for a letter (call it once the letter's row is committed)."""
    backend = send_letter.get_backend()
    if run_after is not None and not backend.supports_defer:
        # The immediate backend of `make run` cannot wait; send_queued_letters retries.
        logger.warning("Letter %s will be retried by send_queued_letters", letter_id)
        return
    result = (send_letter.using(run_after=run_after) if run_after else send_letter).enqueue(
        letter_id
    )
    if backend.supports_get_result:
        # Lets send_queued_letters tell a letter whose task waits from one whose task is lost.
        Letter.objects.filter(pk=letter_id, status=LetterStatus.QUEUED).update(task_id=result.id)


def _erase_secrets(letter: Letter) -> None:
    if settings.DEBUG:
        return  # the debug page shows the real letters, links included
    secret = KINDS[letter.kind].secret
    letter.context = {k: ERASED if k in secret else v for k, v in letter.context.items()}


@task()
def send_letter(letter_id: int) -> str:
    """Sends a queued letter once: the row is locked and its status checked first.

    The mail goes out while the row is locked and the letter is marked sent in the same
    transaction, so two workers (or a task queued twice) can't both send it. A failure
    is recorded and retried later with a growing delay, up to MAX_ATTEMPTS.
    """
    with transaction.atomic():
        letter = Letter.objects.select_for_update().filter(pk=letter_id).first()
        if letter is None or letter.status != LetterStatus.QUEUED:
            return "skipped"
        letter.attempts += 1
        now = timezone.now()
        try:
            rendered = letter_render(
                kind=letter.kind, language=letter.language, context=letter.context
            )
            message = EmailMultiAlternatives(
                subject=rendered.subject,
                body=rendered.text,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[letter.to_email],
                headers={"Auto-Submitted": "auto-generated"},
                connection=get_connection(timeout=settings.EMAIL_TIMEOUT or SMTP_TIMEOUT),
            )
            message.attach_alternative(rendered.html, "text/html")
            message.send()
        except Exception as error:
            letter.last_error = f"{type(error).__name__}: {error}"[:2000]
            if letter.attempts >= MAX_ATTEMPTS:
                letter.status = LetterStatus.FAILED
                _erase_secrets(letter)
                logger.error("Letter %s failed after %s attempts", letter.pk, letter.attempts)
            else:
                letter.next_attempt_at = now + dt.timedelta(
                    seconds=RETRY_DELAYS[letter.attempts - 1]
                )
                run_after = letter.next_attempt_at
                transaction.on_commit(
                    lambda: letter_enqueue(letter_id, run_after=run_after), robust=True
                )
                logger.warning("Letter %s not sent (%s); retry at %s", letter.pk, error, run_after)
            letter.save(
                update_fields=[
                    "attempts",
                    "last_error",
                    "status",
                    "context",
                    "next_attempt_at",
                    "updated_at",
                ]
            )
            return letter.status
        letter.status = LetterStatus.SENT
        letter.sent_at = now
        letter.subject = rendered.subject[:255]
        _erase_secrets(letter)
        letter.save(
            update_fields=["attempts", "status", "sent_at", "subject", "context", "updated_at"]
        )
    return "sent"
