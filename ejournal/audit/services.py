from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import models

from .models import AuditAction, AuditEvent
from .registry import record_check

if TYPE_CHECKING:  # the apps above audit, named for the types only
    from ejournal.accounts.models import User
    from ejournal.schools.models import School


def audit_record(
    *,
    school: School,
    actor: User | None,
    action: AuditAction,
    target: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Appends an event. Its action, its target's kind and every key of before and after
    must be declared in audit.registry (by the app's audit_events.py): otherwise this
    raises, and the curator's page never shows a raw key."""
    target_type = target._meta.model_name or "" if target is not None else ""
    before, after = before or {}, after or {}
    record_check(action=action, target_type=target_type, before=before, after=after)
    return AuditEvent.objects.create(
        school=school,
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=target.pk if target is not None else None,
        before=before,
        after=after,
    )


def audit_record_many(
    *,
    school: School,
    actor: User | None,
    action: AuditAction,
    changes: Sequence[tuple[models.Model, dict[str, Any], dict[str, Any]]],
) -> None:
    """Appends one event per (target, before, after), checked as audit_record checks one, in
    one insert: for a change that touches many records at once (a holiday moving homework)."""
    events = []
    for target, before, after in changes:
        target_type = target._meta.model_name or ""
        record_check(action=action, target_type=target_type, before=before, after=after)
        events.append(
            AuditEvent(
                school=school,
                actor=actor,
                action=action,
                target_type=target_type,
                target_id=target.pk,
                before=before,
                after=after,
            )
        )
    AuditEvent.objects.bulk_create(events, batch_size=500)
