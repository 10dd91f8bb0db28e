from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ejournal.core.models import TimeStampedModel
from ejournal.schools.roles import Role


class InvitationStatus(models.TextChoices):
    UNUSED = "unused", "Не использован"
    REDEEMED = "redeemed", "Использован"
    REVOKED = "revoked", "Отозван"
    EXPIRED = "expired", "Истёк"


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def usable(self) -> InvitationQuerySet:
        """Neither redeemed, revoked nor expired."""
        return self.filter(
            redeemed_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(TimeStampedModel):
    """A printed invitation code. Only its keyed hash is kept: the code itself is never stored."""

    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(
        max_length=10, choices=[c for c in Role.choices if c[0] != Role.OPERATOR]
    )
    code_hash = models.CharField(max_length=64)
    student = models.ForeignKey(
        "schools.Student",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
    )
    teacher = models.ForeignKey(
        "schools.Teacher",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
    )
    class_label = models.CharField(max_length=4, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    expires_at = models.DateTimeField()
    redeemed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    redeemed_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "code_hash"], name="invitation_unique_code"),
            models.CheckConstraint(
                condition=(
                    Q(
                        role__in=[Role.STUDENT, Role.PARENT],
                        student__isnull=False,
                        teacher__isnull=True,
                    )
                    | Q(role=Role.TEACHER, student__isnull=True, teacher__isnull=False)
                    | Q(role=Role.CURATOR, student__isnull=True)
                ),
                name="invitation_person_matches_role",
            ),
            models.CheckConstraint(
                condition=Q(redeemed_at__isnull=True) | Q(revoked_at__isnull=True),
                name="invitation_not_redeemed_and_revoked",
            ),
        ]
        indexes = [
            models.Index(fields=["school", "student", "role"], name="invitation_school_student"),
            models.Index(fields=["school", "teacher"], name="invitation_school_teacher"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.class_label}".strip()

    @property
    def status(self) -> InvitationStatus:
        if self.redeemed_at:
            return InvitationStatus.REDEEMED
        if self.revoked_at:
            return InvitationStatus.REVOKED
        if self.expires_at <= timezone.now():
            return InvitationStatus.EXPIRED
        return InvitationStatus.UNUSED
