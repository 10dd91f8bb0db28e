from typing import Any

from django.db import models

from ejournal.accounts.models import User
from ejournal.schools.models import School

from .models import AuditAction, AuditEvent


def audit_record(
    *,
    school: School,
    actor: User | None,
    action: AuditAction,
    target: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        school=school,
        actor=actor,
        action=action,
        target_type=target._meta.model_name or "" if target is not None else "",
        target_id=target.pk if target is not None else None,
        before=before or {},
        after=after or {},
    )
