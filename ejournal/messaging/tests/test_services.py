"""Sending, replying, reading and removing messages (messaging/services.py, selectors.py)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from ejournal.messaging import selectors
from ejournal.messaging.models import TEXT_MAX_LENGTH, Delivery, Message
from ejournal.messaging.services import (
    SENDING,
    message_read,
    message_remove,
    message_reply,
    message_send,
)

pytestmark = pytest.mark.django_db


def _send(sender, *recipients, subject="Контрольная", text="Завтра контрольная по § 5."):
    return message_send(
        sender=sender, recipient_ids=[r.pk for r in recipients], subject=subject, text=text
    )


def _refusal(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict


def test_a_teacher_writes_to_the_parents_of_a_class_each_gets_their_own(cast):
    message = _send(cast.petrov.user, cast.mama_vasi, cast.two_children)
    deliveries = Delivery.objects.filter(message=message).order_by("recipient_id")
    assert [d.recipient_id for d in deliveries] == sorted([cast.mama_vasi.pk, cast.two_children.pk])
    assert all(d.read_at is None for d in deliveries)
    assert message.thread_id == message.pk
    assert selectors.unread_count(cast.mama_vasi) == 1
    assert [d.message for d in selectors.inbox(cast.mama_vasi)] == [message]
    assert list(selectors.sent(cast.petrov.user)) == [message]


def test_a_forged_recipient_outside_the_circle_refuses_the_whole_message(cast):
    with pytest.raises(ValidationError) as refused:
        _send(cast.vasya.user, cast.petrov.user, cast.mama_koli)  # a pupil to a parent
    assert _refusal(refused.value) == {
        "recipients": ["Среди получателей есть те, кому вы писать не можете."]
    }
    assert not Message.objects.exists()
    assert not Delivery.objects.exists()


def test_an_empty_or_too_long_message_is_refused_with_its_reason(cast):
    with pytest.raises(ValidationError) as refused:
        message_send(sender=cast.vasya.user, recipient_ids=[], subject="  ", text="")
    assert _refusal(refused.value) == {
        "subject": ["Укажите тему."],
        "text": ["Напишите текст сообщения."],
        "recipients": ["Выберите, кому написать."],
    }
    with pytest.raises(ValidationError) as refused:
        _send(cast.vasya.user, cast.petrov.user, text="а" * (TEXT_MAX_LENGTH + 1))
    assert _refusal(refused.value) == {"text": ["Сообщение длиннее 10000 знаков."]}


def test_a_sender_who_floods_is_made_to_wait(cast):
    for n in range(SENDING.free + 1):  # the free ones, then the one that starts the pause
        _send(cast.vasya.user, cast.petya.user, subject=f"Привет {n}")
    with pytest.raises(ValidationError) as refused:
        _send(cast.vasya.user, cast.petya.user, subject="Ещё")
    assert refused.value.messages == [
        "Слишком много сообщений подряд. Отправить можно через 10 сек."
    ]
    assert Message.objects.count() == SENDING.free + 1
    _send(cast.petya.user, cast.vasya.user)  # another sender is not held up


def test_a_reply_goes_to_the_author_and_reply_to_all_stays_in_the_circle(cast):
    message = _send(cast.petrov.user, cast.mama_vasi, cast.two_children)
    reply = message_reply(
        sender=cast.mama_vasi, message=message, text="Спасибо, подготовимся.", to_all=False
    )
    assert reply.subject == "Re: Контрольная"
    assert (reply.reply_to_id, reply.thread_id) == (message.pk, message.pk)
    assert list(reply.deliveries.values_list("recipient_id", flat=True)) == [cast.petrov.user.pk]
    # To all: the teacher; the other parent is outside a parent's circle and left out.
    everyone = message_reply(sender=cast.mama_vasi, message=message, text="Всем", to_all=True)
    assert list(everyone.deliveries.values_list("recipient_id", flat=True)) == [cast.petrov.user.pk]
    again = message_reply(sender=cast.petrov.user, message=reply, text="Хорошо", to_all=False)
    assert again.subject == "Re: Контрольная"  # not "Re: Re:"
    thread = selectors.thread(user=cast.petrov.user, message=again)
    assert [entry.message for entry in thread] == [message, reply, everyone, again]
    # The other parent sees only what was sent to them.
    [seen] = selectors.thread(user=cast.two_children, message=message)
    assert seen.message == message


def test_a_recipient_sees_only_the_other_recipients_they_may_write_to(cast):
    to_parents = _send(cast.petrov.user, cast.mama_vasi, cast.two_children)
    [as_sender] = selectors.thread(user=cast.petrov.user, message=to_parents)
    assert {u.pk for u in as_sender.recipients} == {cast.mama_vasi.pk, cast.two_children.pk}
    [as_parent] = selectors.thread(user=cast.mama_vasi, message=to_parents)
    assert as_parent.recipients == [cast.mama_vasi]  # not the other family
    to_pupils = _send(cast.petrov.user, cast.vasya.user, cast.petya.user)
    [as_pupil] = selectors.thread(user=cast.vasya.user, message=to_pupils)
    assert {u.pk for u in as_pupil.recipients} == {cast.vasya.user.pk, cast.petya.user.pk}


def test_reading_marks_only_the_readers_copy(cast):
    message = _send(cast.petrov.user, cast.mama_vasi, cast.two_children)
    message_read(user=cast.mama_vasi, message=message)
    assert selectors.unread_count(cast.mama_vasi) == 0
    assert selectors.unread_count(cast.two_children) == 1
    assert [d.message for d in selectors.inbox(cast.two_children, unread_only=True)] == [message]
    assert list(selectors.inbox(cast.mama_vasi, unread_only=True)) == []


def test_removing_from_a_folder_keeps_it_for_the_other_side(cast):
    message = _send(cast.petrov.user, cast.mama_vasi)
    message_remove(user=cast.mama_vasi, message=message)
    assert list(selectors.inbox(cast.mama_vasi)) == []
    assert list(selectors.sent(cast.petrov.user)) == [message]
    message_remove(user=cast.petrov.user, message=message)
    assert list(selectors.sent(cast.petrov.user)) == []
    assert Message.objects.filter(pk=message.pk).exists()  # never deleted
    # Still open by its link for both, for the thread.
    assert selectors.access_message(user=cast.mama_vasi, message_id=message.pk) == message


def test_a_message_is_a_404_to_anyone_but_its_sender_and_recipients(cast, other_curator):
    message = _send(cast.petrov.user, cast.mama_vasi)
    for outsider in (cast.two_children, cast.vasya.user, cast.curator, other_curator):
        with pytest.raises(Http404):
            selectors.access_message(user=outsider, message_id=message.pk)


def test_the_folders_cost_a_fixed_number_of_queries(cast, django_assert_num_queries):
    for n in range(3):
        _send(cast.petrov.user, cast.mama_vasi, cast.two_children, subject=f"Тема {n}")
    for user, folder, queries in (
        (cast.mama_vasi, selectors.inbox, 2),  # the count, the page with messages and senders
        (cast.petrov.user, selectors.sent, 3),  # the count, the page, the recipients
    ):
        with django_assert_num_queries(queries):
            assert len(list(folder(user))) == 3
    for n in range(30):  # from three senders: none of them is held up
        sender = (cast.ivanova.user, cast.curator, cast.petrov.user)[n % 3]
        _send(sender, cast.mama_vasi, subject=f"Ещё {n}")
    with django_assert_num_queries(2):
        assert len(list(selectors.inbox(cast.mama_vasi))) == selectors.PAGE_SIZE
