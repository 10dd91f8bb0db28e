"""The invitations' audit events and the invitation as a target."""

from __future__ import annotations

from ejournal.audit.models import AuditAction
from ejournal.audit.registry import Field, actions_register, choices, target_register
from ejournal.schools.audit_events import ROLE
from ejournal.schools.roles import Role

target_register("invitation", "Пригласительный код")
actions_register(
    (
        AuditAction.INVITATIONS_ISSUED,
        {
            "role": ROLE,
            "class": "Класс",
            "reissue": "Повторная выдача",
            "issued": "Выдано кодов",
            "revoked": "Отозвано кодов",
        },
    ),
    (
        AuditAction.INVITATIONS_REVOKED,
        {
            "role": ROLE,
            "roles": Field("Роли", choices(dict(Role.choices))),
            "class": "Класс",
            "revoked": "Отозвано кодов",
        },
    ),
)
