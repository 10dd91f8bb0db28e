from __future__ import annotations

from django.db import models
from django.db.models import Q

from ejournal.core.models import TimeStampedModel


class LetterKind(models.TextChoices):
    CONFIRMATION = "confirmation", "Подтверждение электронной почты"
    RECOVERY = "recovery", "Восстановление пароля"
    PASSWORD_CHANGED = "password_changed", "Пароль изменён"
    PASSWORD_SET_BY_CURATOR = "password_set_by_curator", "Куратор сменил пароль"
    MESSAGE = "message", "Новое сообщение"


class LetterStatus(models.TextChoices):
    QUEUED = "queued", "В очереди"
    SENT = "sent", "Отправлено"
    FAILED = "failed", "Не отправлено"


class Letter(TimeStampedModel):
    """The outbox: one row per letter, written in the transaction of the change behind it.

    A task sends it after that transaction commits; the row is locked while it is sent
    and marked sent in the same transaction, so it is never sent twice. Secret parts of
    the context (one-time links) are erased once the letter is sent or given up on.
    """

    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=32, choices=LetterKind.choices)
    to_email = models.EmailField()
    language = models.CharField(max_length=8, default="ru")
    context = models.JSONField(default=dict, blank=True)
    subject = models.CharField(max_length=255, blank=True)
    status = models.CharField(
        max_length=10, choices=LetterStatus.choices, default=LetterStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # When the task for the next attempt is due; send_queued_letters looks for letters
    # still queued well after this time (their task was lost).
    next_attempt_at = models.DateTimeField()
    task_id = models.CharField(max_length=64, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["school", "-created_at"], name="letter_school_time"),
            # Only queued letters: small, and all that send_queued_letters reads.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="queued"),
                name="letter_queued_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.to_email} ({self.status})"
