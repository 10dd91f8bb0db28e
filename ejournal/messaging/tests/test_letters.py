"""The letters that announce a message (messaging/tasks.py): through the outbox's queue, to
confirmed addresses whose letters are on, with the subject and sender, never the text."""

from __future__ import annotations

from functools import partial

import pytest
from django.utils import timezone

from ejournal.messaging.models import Message
from ejournal.messaging.services import message_send
from ejournal.notifications.models import Letter
from ejournal.notifications.testing import letters_sent

pytestmark = pytest.mark.django_db

SECRET = "Не показывайте этот текст в письме"


def _confirm(*users):
    for user in users:
        user.email = f"{user.login}@example.com"
        user.email_confirmed_at = timezone.now()
        user.save()


def test_each_recipient_with_a_confirmed_address_gets_a_letter_without_the_text(cast):
    _confirm(cast.mama_vasi, cast.two_children)
    with letters_sent() as sent:
        message = message_send(
            sender=cast.petrov.user,
            recipient_ids=[cast.mama_vasi.pk, cast.two_children.pk],
            subject="Контрольная в пятницу",
            text=SECRET,
        )
    assert sorted(letter.to[0] for letter in sent) == [
        "mama-vasi@example.com",
        "two-children@example.com",
    ]
    letter = sent[0]
    assert letter.subject.startswith("Новое сообщение: Контрольная в пятницу")
    assert cast.petrov.user.full_name in letter.body or cast.petrov.user.login in letter.body
    assert f"/messages/{message.pk}/" in letter.body
    assert SECRET not in letter.body
    assert all(SECRET not in str(alt[0]) for alt in letter.alternatives)


def test_no_letter_to_an_unconfirmed_address_or_when_the_letters_are_off(cast, client_for):
    _confirm(cast.mama_vasi)
    cast.two_children.email = "two@example.com"
    cast.two_children.email_confirmed_at = None
    cast.two_children.save()
    parent = client_for(cast.mama_vasi.school, cast.mama_vasi)
    response = parent.post("/messages/letters/", {})  # the profile's switch, unchecked
    assert response["Location"] == "/profile/"
    assert "Письма о новых сообщениях выключены." in parent.get("/profile/").content.decode()
    with letters_sent() as sent:
        message_send(
            sender=cast.petrov.user,
            recipient_ids=[cast.mama_vasi.pk, cast.two_children.pk],
            subject="Тема",
            text="Текст",
        )
    assert sent == []
    assert Message.objects.count() == 1
    parent.post("/messages/letters/", {"message_letters": "on"})
    with letters_sent() as sent:
        message_send(
            sender=cast.petrov.user, recipient_ids=[cast.mama_vasi.pk], subject="Ещё", text="Т"
        )
    assert [letter.to for letter in sent] == [["mama-vasi@example.com"]]


def test_the_request_writes_no_letter_the_queue_does(cast, django_capture_on_commit_callbacks):
    _confirm(cast.mama_vasi, cast.two_children)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message_send(
            sender=cast.petrov.user,
            recipient_ids=[cast.mama_vasi.pk, cast.two_children.pk],
            subject="Тема",
            text="Текст",
        )
    assert not Letter.objects.exists()  # none in the request: one task queued on commit
    queued = [c.args for c in callbacks if isinstance(c, partial)]  # the versions are lambdas
    assert queued == [(Message.objects.get().pk,)]
