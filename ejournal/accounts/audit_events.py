"""The accounts' audit events and the user as their target, for the curator's page."""

from __future__ import annotations

from django.db.models import F

from ejournal.audit.models import AuditAction
from ejournal.audit.registry import (
    NAME_FIELDS,
    Field,
    actions_register,
    count,
    record_name,
    record_number,
    target_register,
)
from ejournal.schools.audit_events import ROLE

from .models import User

DEVICE = {"device": "Устройство"}
EMAIL = {"email": "Электронная почта", "confirmed": "Подтверждена"}

target_register(
    "user",
    "Пользователь",
    name=record_name(User, F("login")),
    url_name="accounts:support_user",
)
actions_register(
    (
        AuditAction.ACCOUNT_REGISTERED,
        {
            "role": ROLE,
            "invitations": Field("Использовано кодов", count),
            "children": Field("Привязано детей", count),
            "email_given": "Указана почта",
        },
    ),
    (
        AuditAction.CHILD_LINKED,
        {"invitation": Field("Пригласительный код", record_number), "class": "Класс"},
    ),
    (AuditAction.PROFILE_UPDATED, NAME_FIELDS),
    (AuditAction.EMAIL_CHANGED, EMAIL),
    (AuditAction.EMAIL_CONFIRMED, EMAIL),
    (AuditAction.PASSWORD_CHANGED, {}),
    (AuditAction.PASSWORD_RECOVERED, {}),
    (
        AuditAction.PASSWORD_SET_BY_CURATOR,
        {
            "must_change_password": "Сменить пароль при входе",
            "temporary": "Временный пароль",
            "notice_sent": "Уведомление на почту",
        },
    ),
    (AuditAction.LOGIN_THROTTLED, {}),
    (AuditAction.API_TOKEN_CREATED, DEVICE),
    (AuditAction.API_TOKEN_REVOKED, DEVICE),
    (AuditAction.API_TOKENS_REVOKED, {"devices": "Приложения и устройства"}),
)
