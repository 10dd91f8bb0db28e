"""Writing, replying, reading and removing messages: the web and both APIs call these.

Every recipient must be in the sender's circle (circle.py), checked here for every send and
reply: a forged recipient id refuses the whole message and sends nothing. Each recipient
gets their own delivery (their read and removed state); nothing is ever deleted for the other
side. Sending is throttled per sender; the letters that announce a message leave through a
task once it is committed (tasks.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ejournal.accounts.models import User
from ejournal.core.throttle import Throttle, format_wait

from .circle import circle_user_ids, school_id_of
from .models import SUBJECT_MAX_LENGTH, TEXT_MAX_LENGTH, Delivery, Message
from .selectors import inbox_changed
from .tasks import message_letters_send

# Twenty messages in a row, then growing pauses: a teacher's busy evening is well inside it,
# a pupil flooding a class is not. One message to a whole class counts once.
SENDING = Throttle(
    scope="message-send", free=20, delays=(10, 30, 60, 120, 300), forget_after=30 * 60
)
REPLY_PREFIX = "Re: "


def message_send(*, sender: User, recipient_ids: Iterable[int], subject: str, text: str) -> Message:
    """A new message from `sender` to each of `recipient_ids`; ValidationError (in Russian,
    by field) for an empty or long subject or text, no recipients, anyone outside the
    sender's circle, or too many messages in a row."""
    ids = set(recipient_ids)
    subject, text = _checked(subject=subject, text=text, recipient_ids=ids, sender=sender)
    return _sent(sender=sender, recipient_ids=ids, subject=subject, text=text, reply_to=None)


def message_reply(*, sender: User, message: Message, text: str, to_all: bool) -> Message:
    """A reply in `message`'s thread (one the sender may see: `access_message`): to its
    author, or with `to_all` to its author and its other recipients, those of them the
    sender may write to. Replying to one's own message writes to its recipients."""
    others = set(message.deliveries.values_list("recipient_id", flat=True))
    if message.sender_id == sender.pk:
        wanted = others
    else:
        wanted = {message.sender_id} | (others if to_all else set())
    wanted.discard(sender.pk)
    if to_all:
        wanted &= circle_user_ids(sender)
    subject = (
        message.subject
        if message.subject.startswith(REPLY_PREFIX)
        else (REPLY_PREFIX + message.subject)[:SUBJECT_MAX_LENGTH]
    )
    subject, text = _checked(subject=subject, text=text, recipient_ids=wanted, sender=sender)
    return _sent(sender=sender, recipient_ids=wanted, subject=subject, text=text, reply_to=message)


def message_read(*, user: User, message: Message) -> None:
    """The user has opened the message: their delivery of it (if any) is read."""
    if Delivery.objects.filter(
        school_id=message.school_id, message=message, recipient=user, read_at__isnull=True
    ).update(read_at=timezone.now()):
        inbox_changed([user.pk])


def message_remove(*, user: User, message: Message) -> None:
    """Out of the user's folder (the inbox for a recipient, "Отправленные" for the sender);
    the other side keeps it."""
    now = timezone.now()
    with transaction.atomic():
        if message.sender_id == user.pk:
            Message.objects.filter(pk=message.pk, sender_removed_at__isnull=True).update(
                sender_removed_at=now
            )
        if Delivery.objects.filter(
            school_id=message.school_id, message=message, recipient=user, removed_at__isnull=True
        ).update(removed_at=now):
            inbox_changed([user.pk])


def message_letters_set(*, user: User, on: bool) -> None:
    """The profile's switch: letters about new messages on or off."""
    if user.message_letters != on:
        user.message_letters = on
        user.save(update_fields=["message_letters", "updated_at"])


def _checked(*, subject: str, text: str, recipient_ids: set[int], sender: User) -> tuple[str, str]:
    subject, text = subject.strip(), text.strip()
    errors: dict[str, str] = {}
    if not subject:
        errors["subject"] = "Укажите тему."
    elif len(subject) > SUBJECT_MAX_LENGTH:
        errors["subject"] = f"Тема длиннее {SUBJECT_MAX_LENGTH} знаков."
    if not text:
        errors["text"] = "Напишите текст сообщения."
    elif len(text) > TEXT_MAX_LENGTH:
        errors["text"] = f"Сообщение длиннее {TEXT_MAX_LENGTH} знаков."
    if not recipient_ids:
        errors["recipients"] = "Выберите, кому написать."
    elif not recipient_ids <= circle_user_ids(sender):
        errors["recipients"] = "Среди получателей есть те, кому вы писать не можете."
    if errors:
        raise ValidationError(errors)
    return subject, text


def _sent(
    *,
    sender: User,
    recipient_ids: set[int],
    subject: str,
    text: str,
    reply_to: Message | None,
) -> Message:
    wait = SENDING.acquire(str(sender.pk))
    if wait:
        raise ValidationError(
            f"Слишком много сообщений подряд. Отправить можно через {format_wait(wait)}",
            code="throttled",
        )
    with transaction.atomic():
        message = Message.objects.create(
            school_id=school_id_of(sender),
            sender=sender,
            subject=subject,
            text=text,
            reply_to=reply_to,
            thread_id=reply_to.thread_id if reply_to is not None else None,
        )
        if reply_to is None:
            message.thread = message
            message.save(update_fields=["thread"])
        Delivery.objects.bulk_create(
            Delivery(school_id=school_id_of(sender), message=message, recipient_id=pk)
            for pk in sorted(recipient_ids)
        )
        inbox_changed(recipient_ids)
        # robust: a queue that is down must not fail a message that was sent.
        transaction.on_commit(partial(message_letters_send.enqueue, message.pk), robust=True)
    return message
