"""Queues again the letters whose task was lost.

A letter's task is queued when the transaction that wrote the letter commits; a crash
between the commit and the queueing (or a queue that was down) leaves the letter queued
with no task. Run this every few minutes (cron, a systemd timer). It is safe to run at
any time: the task locks the letter and sends only a letter still queued, so a letter
queued twice is still sent once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist

from ejournal.notifications.models import Letter, LetterStatus
from ejournal.notifications.tasks import letter_enqueue, send_letter


def _task_alive(task_id: str, *, stale_before: dt.datetime) -> bool:
    """Whether the letter's task is still waiting, or running since recently."""
    backend = send_letter.get_backend()
    if not task_id or not backend.supports_get_result:
        return False
    try:
        result = backend.get_result(task_id)
    except TaskResultDoesNotExist:
        return False
    if result.status == TaskResultStatus.READY:
        return True  # the worker is behind, not the task lost
    return (
        result.status == TaskResultStatus.RUNNING
        and result.started_at is not None
        and result.started_at > stale_before
    )


class Command(BaseCommand):
    help = "Queue again the letters still unsent well after their task was due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            default=10,
            help="minutes past a letter's due time before it counts as stuck (default 10)",
        )

    def handle(self, *args: Any, older_than: int, **options: Any) -> None:
        stale_before = timezone.now() - dt.timedelta(minutes=older_than)
        stuck = Letter.objects.filter(
            status=LetterStatus.QUEUED, next_attempt_at__lt=stale_before
        ).values_list("pk", "task_id")
        queued = 0
        for letter_id, task_id in list(stuck):
            if _task_alive(task_id, stale_before=stale_before):
                continue
            letter_enqueue(letter_id)
            queued += 1
        self.stdout.write(f"Queued again: {queued}")
