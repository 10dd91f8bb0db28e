from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from ejournal.core.models import TimeStampedModel
from ejournal.schools.roles import Role

login_validator = RegexValidator(
    r"^[A-Za-z0-9_.\-]{3,40}$",
    "Логин: от 3 до 40 латинских букв, цифр и знаков _ - .",
)


class UserManager(BaseUserManager["User"]):
    def for_login(self, *, school_id: int | None, login: str) -> User | None:
        """The user with this login at this school, whatever the case."""
        return (
            self.alias(login_lower=Lower("login"))
            .filter(school=school_id, login_lower=login.lower())
            .first()
        )


class User(AbstractBaseUser, TimeStampedModel):
    """An account. Every account but the platform operator's belongs to one school."""

    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, null=True, blank=True, related_name="users"
    )
    login = models.CharField("Логин", max_length=40, validators=[login_validator])
    role = models.CharField(max_length=10, choices=Role.choices)
    last_name = models.CharField("Фамилия", max_length=100, blank=True)
    first_name = models.CharField("Имя", max_length=100, blank=True)
    middle_name = models.CharField("Отчество", max_length=100, blank=True)
    email = models.EmailField("Электронная почта", blank=True)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    must_change_password = models.BooleanField(default=False)
    language = models.CharField(max_length=8, default="ru")
    # A letter to a confirmed address when a message arrives (messaging); the profile's switch.
    message_letters = models.BooleanField("Письма о новых сообщениях", default=True)
    is_active = models.BooleanField(default=True)

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    USERNAME_FIELD = "login"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        constraints = [
            models.UniqueConstraint("school", Lower("login"), name="user_unique_login_per_school"),
            models.UniqueConstraint(
                Lower("login"), condition=Q(school__isnull=True), name="user_unique_operator_login"
            ),
            models.CheckConstraint(
                condition=Q(school__isnull=True, role="operator")
                | Q(school__isnull=False) & ~Q(role="operator"),
                name="user_school_matches_role",
            ),
        ]
        indexes = [models.Index(fields=["school", "role"], name="user_school_role")]

    def __str__(self) -> str:
        return self.login

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    @property
    def is_curator(self) -> bool:
        return self.role == Role.CURATOR

    @property
    def is_operator(self) -> bool:
        return self.role == Role.OPERATOR


class ApiToken(TimeStampedModel):
    """A token an app logs in with (`Authorization: Bearer …`), stored only as its SHA-256.

    Written by `accounts.api_tokens`; a revoked token is deleted. The school is the user's,
    kept here so that the lookup by hash is within one school (and its index starts with it).
    """

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64)
    device = models.CharField("Устройство", max_length=100)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("school", "key_hash", name="api_token_unique_hash"),
        ]
        indexes = [models.Index(fields=["school", "user"], name="api_token_school_user")]

    def __str__(self) -> str:
        return self.device
