"""The letters that tell recipients a message is waiting: written by a task, not the request
(a teacher's message to a class's sixty parents is one task)."""

from __future__ import annotations

from django.urls import reverse
from django_tasks import task

from ejournal.core.tenancy import school_base_url
from ejournal.notifications.models import LetterKind
from ejournal.notifications.services import letter_send

from .models import Delivery, Message


@task()
def message_letters_send(message_id: int) -> int:
    """A letter to each recipient of the message with a confirmed address and the letters
    on (the profile's switch): its subject and sender, not its text. Returns how many."""
    message = Message.objects.select_related("school", "sender").filter(pk=message_id).first()
    if message is None:
        return 0
    recipients = [
        delivery.recipient
        for delivery in Delivery.objects.filter(
            school_id=message.school_id,
            message=message,
            recipient__is_active=True,
            recipient__message_letters=True,
            recipient__email_confirmed_at__isnull=False,
        )
        .exclude(recipient__email="")
        .select_related("recipient")
    ]
    url = school_base_url(message.school) + reverse("messaging:message", args=[message.pk])
    sender = message.sender.full_name or message.sender.login
    for user in recipients:
        letter_send(
            kind=LetterKind.MESSAGE,
            to=user.email,
            user=user,
            school=message.school,
            language=user.language,
            context={"sender_name": sender, "subject": message.subject, "message_url": url},
        )
    return len(recipients)
