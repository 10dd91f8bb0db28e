"""Messages between the people of a school («Сообщения»): written once, delivered to each
recipient as their own copy of the message's state (read, removed from the inbox)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from ejournal.core.models import TimeStampedModel

SUBJECT_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 10_000


class Message(TimeStampedModel):
    """What a sender wrote. A reply names the message it answers; the thread is the first
    message of the chain (itself for a first message: `thread_id` is then its own id)."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    sender = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="messages_sent"
    )
    subject = models.CharField("Тема", max_length=SUBJECT_MAX_LENGTH)
    text = models.TextField("Текст", max_length=TEXT_MAX_LENGTH)
    reply_to = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replies"
    )
    thread = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # Removed from the sender's "Отправленные"; the recipients keep theirs.
    sender_removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["school", "sender", "-created_at"],
                name="message_sent",
                condition=Q(sender_removed_at__isnull=True),
            ),
            models.Index(fields=["school", "thread", "created_at"], name="message_thread"),
        ]

    def __str__(self) -> str:
        return self.subject


class Delivery(models.Model):
    """One recipient's copy of a message: in the inbox until removed, unread until read."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="deliveries"
    )
    read_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "school", "message", "recipient", name="delivery_unique_recipient"
            ),
        ]
        indexes = [
            models.Index(
                fields=["school", "recipient", "-message"],
                name="delivery_inbox",
                condition=Q(removed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} → {self.recipient_id}"
