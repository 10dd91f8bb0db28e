"""Test helpers: commit, queue and send letters the way production does, inside a test."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO
from unittest import mock

from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.test import TestCase
from django_tasks_db.management.commands import db_worker

_WORKER_SIGNALS = [
    signal.SIGINT,
    signal.SIGTERM,
    *([signal.SIGQUIT] if hasattr(signal, "SIGQUIT") else []),
]


def run_queued_tasks() -> None:
    """Runs every task that is due with the database backend's own worker, then returns.

    The worker closes "old" connections between tasks, which inside a test's transaction
    means closing the test's own connection (PostgreSQL); Django's test client skips
    that call for the same reason, and so does this.
    """
    saved = {sig: signal.getsignal(sig) for sig in _WORKER_SIGNALS}
    try:
        with mock.patch(f"{db_worker.__name__}.close_old_connections"):
            call_command(
                "db_worker",
                "--batch",
                "--no-startup-delay",
                "--no-reload",
                verbosity=0,
                stdout=StringIO(),
            )
    finally:
        for sig, handler in saved.items():  # the worker installs its own
            signal.signal(sig, handler)


@contextmanager
def letters_sent() -> Iterator[list[EmailMessage]]:
    """The block's on-commit callbacks run as if its transaction committed (queueing the
    letters), then the worker runs until no task queues another; the list holds the mail
    that went out.

    The test's own transaction never commits, hence the explicit callbacks.
    """
    before = len(mail.outbox)
    sent: list[EmailMessage] = []
    with TestCase.captureOnCommitCallbacks(execute=True):
        yield sent
    queued = True
    while queued:  # a task may queue letters (recovery), a failed letter its retry
        with TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
            run_queued_tasks()
        queued = bool(callbacks)
    sent.extend(mail.outbox[before:])
