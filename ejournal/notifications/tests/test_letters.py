"""The outbox: queued after commit, sent once by the worker, retried, secrets erased."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from ejournal.core.tenancy import school_base_url
from ejournal.core.testing.factories import UserFactory
from ejournal.notifications.kinds import ERASED
from ejournal.notifications.models import Letter, LetterKind, LetterStatus
from ejournal.notifications.services import letter_send
from ejournal.notifications.tasks import MAX_ATTEMPTS, RETRY_DELAYS, send_letter
from ejournal.notifications.testing import letters_sent, run_queued_tasks
from ejournal.schools.roles import Role

START = dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)


class SmtpDown(BaseEmailBackend):
    """A mail server that refuses every letter (a test double for SMTP, not for the outbox)."""

    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        raise ConnectionRefusedError("smtp.example.ru:587 refused the connection")


class SmtpFlaky(BaseEmailBackend):
    """A mail server that refuses the first two letters, then accepts (and keeps) them."""

    failures = 0

    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        if SmtpFlaky.failures < 2:
            SmtpFlaky.failures += 1
            raise TimeoutError("timed out")
        mail.outbox.extend(email_messages)
        return len(email_messages)


@pytest.fixture
def parent(school):
    return UserFactory(
        school=school,
        role=Role.PARENT,
        login="nikolaeva",
        last_name="Николаева",
        first_name="Елена",
        email="nikolaeva@example.com",
    )


def _recovery_letter(user, url="http://1399.testserver.local/recovery/MQ/secret-token/"):
    return letter_send(
        kind=LetterKind.RECOVERY,
        to=user.email,
        user=user,
        school=user.school,
        context={"recovery_url": url, "valid_hours": 1},
        language=user.language,
    )


def _letter_then_failure(user):
    """A change that queues a letter, then fails: its transaction rolls back."""
    with transaction.atomic():
        _recovery_letter(user)
        raise RuntimeError("the change failed")


@pytest.mark.django_db
def test_a_letter_is_queued_after_commit_and_sent_by_the_worker(parent):
    with letters_sent() as sent:
        letter = _recovery_letter(parent)
        assert not DBTaskResult.objects.exists()  # nothing queued before the commit
    assert len(sent) == 1
    message = sent[0]
    assert message.to == ["nikolaeva@example.com"]
    assert message.subject == "Восстановление пароля — Школа №1399"
    assert "Ваш логин: nikolaeva" in message.body
    assert "http://1399.testserver.local/recovery/MQ/secret-token/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert 'href="http://1399.testserver.local/recovery/MQ/secret-token/"' in html
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SENT
    assert letter.attempts == 1
    assert letter.sent_at is not None
    assert letter.subject == message.subject


@pytest.mark.django_db
def test_a_rolled_back_transaction_sends_nothing(parent):
    with letters_sent() as sent, pytest.raises(RuntimeError):
        _letter_then_failure(parent)
    assert sent == []
    assert not Letter.objects.exists()
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_with_real_commits_only_the_committed_letter_reaches_the_queue(school):
    parent = UserFactory(school=school, role=Role.PARENT, email="parent@example.com")
    with pytest.raises(RuntimeError):
        _letter_then_failure(parent)
    assert not DBTaskResult.objects.exists()
    with transaction.atomic():
        letter = _recovery_letter(parent)
        assert not DBTaskResult.objects.exists()
    task = DBTaskResult.objects.get()
    assert task.args_kwargs == {"args": [letter.pk], "kwargs": {}}  # the id, never the link
    letter.refresh_from_db()
    assert letter.task_id == str(task.id)
    run_queued_tasks()
    assert [m.to for m in mail.outbox] == [["parent@example.com"]]
    assert Letter.objects.get().status == LetterStatus.SENT


@pytest.mark.django_db
def test_a_letter_is_never_sent_twice(parent, django_capture_on_commit_callbacks):
    with letters_sent() as sent:
        letter = _recovery_letter(parent)
    assert len(sent) == 1
    assert send_letter.call(letter.pk) == "skipped"
    with django_capture_on_commit_callbacks(execute=True):
        send_letter.enqueue(letter.pk)
    run_queued_tasks()
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_secret_link_is_erased_from_the_outbox_once_sent(parent, settings):
    settings.DEBUG = False
    with letters_sent():
        letter = _recovery_letter(parent)
    letter.refresh_from_db()
    assert letter.context["recovery_url"] == ERASED
    assert letter.context["login"] == "nikolaeva"  # what is not secret stays for the log
    assert "secret-token" not in str(letter.context)


@pytest.mark.django_db
def test_with_debug_on_the_link_is_kept_for_the_letter_log(parent, settings):
    settings.DEBUG = True
    with letters_sent():
        letter = _recovery_letter(parent)
    letter.refresh_from_db()
    assert "secret-token" in letter.context["recovery_url"]


@pytest.mark.django_db
def test_a_failed_send_is_retried_later_and_then_sent(
    parent, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.SmtpFlaky"
    SmtpFlaky.failures = 0
    with time_machine.travel(START, tick=False) as clock:
        with letters_sent() as sent:
            letter = _recovery_letter(parent)
        assert sent == []
        letter.refresh_from_db()
        assert letter.status == LetterStatus.QUEUED
        assert letter.attempts == 1
        assert letter.last_error == "TimeoutError: timed out"
        assert letter.next_attempt_at == START + dt.timedelta(seconds=RETRY_DELAYS[0])
        assert "secret-token" in letter.context["recovery_url"]  # still needed for the retry

        # The retry waits for its time: the worker finds nothing to do before it.
        run_queued_tasks()
        letter.refresh_from_db()
        assert letter.attempts == 1

        for delay in RETRY_DELAYS[:2]:
            clock.shift(dt.timedelta(seconds=delay))
            with django_capture_on_commit_callbacks(execute=True):
                run_queued_tasks()
        letter.refresh_from_db()
    assert letter.status == LetterStatus.SENT
    assert letter.attempts == 3
    assert len(mail.outbox) == 1
    assert letter.context["recovery_url"] == ERASED


@pytest.mark.django_db
def test_the_failed_attempt_queues_its_retry_with_a_growing_delay(
    parent, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.SmtpDown"
    with time_machine.travel(START, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            letter = _recovery_letter(parent)
        with django_capture_on_commit_callbacks(execute=True):
            run_queued_tasks()
    retry = DBTaskResult.objects.filter(status="READY").get()
    assert retry.run_after == START + dt.timedelta(seconds=RETRY_DELAYS[0])
    assert retry.args_kwargs["args"] == [letter.pk]
    assert list(RETRY_DELAYS) == sorted(RETRY_DELAYS)


@pytest.mark.django_db
def test_a_letter_that_keeps_failing_is_marked_failed_and_its_link_erased(
    parent, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.SmtpDown"
    with django_capture_on_commit_callbacks(execute=True):
        letter = _recovery_letter(parent)
    for _ in range(MAX_ATTEMPTS):
        send_letter.call(letter.pk)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.FAILED
    assert letter.attempts == MAX_ATTEMPTS
    assert "refused the connection" in letter.last_error
    assert letter.context["recovery_url"] == ERASED
    assert send_letter.call(letter.pk) == "skipped"
    assert letter.attempts == MAX_ATTEMPTS


@pytest.mark.django_db
def test_an_english_user_gets_the_english_letter(parent):
    parent.language = "en"
    parent.save()
    with letters_sent() as sent:
        _recovery_letter(parent)
    assert sent[0].subject == "Password recovery — Школа №1399"
    assert "Your login: nikolaeva" in sent[0].body


@pytest.mark.django_db
def test_a_letter_needs_the_keys_of_its_kind(parent):
    with pytest.raises(ValueError, match="recovery_url"):
        letter_send(
            kind=LetterKind.RECOVERY, to=parent.email, user=parent, school=parent.school, context={}
        )
    assert not Letter.objects.exists()


@pytest.mark.django_db
def test_the_curator_notice_needs_nothing_but_the_user(parent):
    """The curator's support page sends it with an empty context."""
    with letters_sent() as sent:
        letter_send(
            kind=LetterKind.PASSWORD_SET_BY_CURATOR,
            to=parent.email,
            user=parent,
            school=parent.school,
            context={},
            language=parent.language,
        )
    assert sent[0].subject == "Куратор установил вам новый пароль — Школа №1399"
    assert "«nikolaeva»" in sent[0].body
    assert f"Вход в журнал: {school_base_url(parent.school)}/login/" in sent[0].body


@pytest.mark.django_db
def test_send_queued_letters_requeues_only_letters_whose_task_was_lost(
    parent, django_capture_on_commit_callbacks
):
    with time_machine.travel(START, tick=False) as clock:
        lost = _recovery_letter(parent)  # its on-commit callback never runs: the task is lost
        with django_capture_on_commit_callbacks(execute=True):
            waiting = _recovery_letter(parent)  # its task waits for a worker
        clock.shift(dt.timedelta(minutes=15))
        fresh = _recovery_letter(parent)  # lost too, but too recent to tell
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_queued_letters", stdout=out)
        assert out.getvalue().strip() == "Queued again: 1"
        queued = [t.args_kwargs["args"][0] for t in DBTaskResult.objects.filter(status="READY")]
        assert sorted(queued) == sorted([lost.pk, waiting.pk])
        run_queued_tasks()
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.status == LetterStatus.SENT
    assert fresh.status == LetterStatus.QUEUED
    assert len(mail.outbox) == 2
