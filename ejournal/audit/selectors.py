"""Reads of the audit log: the school's events for the curator's page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import BigIntegerField, Case, CharField, OuterRef, QuerySet, Value, When
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from .models import AuditEvent
from .registry import REGISTRY, Field


def _name_annotation(key: str, side: str) -> str:
    return f"{side}_{key}_name"


@dataclass(frozen=True)
class EventFilters:
    action: str = ""
    actor_login: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    target_type: str = ""


def school_events(*, school_id: int, filters: EventFilters) -> QuerySet[AuditEvent]:
    """The school's events, newest first, with the actor, a name for the target and names
    for the records their before/after point at (the keys apps declared with a name
    lookup, audit.registry): one query."""
    events = AuditEvent.objects.filter(school_id=school_id)
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.actor_login:
        events = events.filter(actor__login__iexact=filters.actor_login)
    if filters.date_from:
        events = events.filter(created_at__date__gte=filters.date_from)
    if filters.date_to:
        events = events.filter(created_at__date__lte=filters.date_to)
    if filters.target_type:
        events = events.filter(target_type=filters.target_type)
    return (
        events.select_related("actor")
        .annotate(target_name=_target_name(school_id), **_field_refs())
        .annotate(**_field_names(school_id))
        .order_by("-created_at", "-id")
    )


def _field_refs() -> dict[str, Case]:
    """The ids before/after hold under the keys the apps declared as naming a record, for
    the actions that declared them."""
    refs = {}
    for key, (_, actions) in REGISTRY.named_fields().items():
        for side in ("before", "after"):
            refs[f"ref_{side}_{key}"] = Case(
                When(action__in=actions, then=Cast(KT(f"{side}__{key}"), BigIntegerField())),
                default=Value(None),
                output_field=BigIntegerField(),
            )
    return refs


def _field_names(school_id: int) -> dict[str, object]:
    """The names of the records `_field_refs` points at, looked up in this school only."""
    return {
        _name_annotation(key, side): lookup(school_id, OuterRef(f"ref_{side}_{key}"))
        for key, (lookup, _) in REGISTRY.named_fields().items()
        for side in ("before", "after")
    }


def _target_name(school_id: int) -> Case:
    """The target's login, name or class label, looked up by its type (only in this school)."""
    return Case(
        *(
            When(target_type=target.type, then=target.name(school_id, OuterRef("target_id")))
            for target in REGISTRY.targets.values()
            if target.name is not None
        ),
        default=Value(""),
        output_field=CharField(),
    )


def target_types() -> list[tuple[str, str]]:
    """(type, label) of every kind of record events point at, for the page's filter."""
    return [(target.type, target.label) for target in REGISTRY.targets.values()]


def event_label(event: AuditEvent) -> str:
    """What happened, in the curator's words."""
    spec = REGISTRY.actions.get(event.action)
    return spec.label if spec else event.action


def event_target(event: AuditEvent) -> str:
    """ "Ученик Николаев Василий", "Пользователь nikolaev", "Класс 6А",
    "Урок Математика, 6А, 24.11.2026, 2-й урок" or the type and id."""
    target = REGISTRY.targets.get(event.target_type)
    label = target.label if target else event.target_type
    name = getattr(event, "target_name", "")
    if name:
        return f"{label} {name}"
    if event.target_id is not None:
        return f"{label} №{event.target_id}"
    return label


def event_target_url(event: AuditEvent) -> str:
    """The page of a target that still exists in this school (its name was found)."""
    target = REGISTRY.targets.get(event.target_type)
    if target is None or not getattr(event, "target_name", "") or event.target_id is None:
        return ""
    return target.url(event.target_id)


def event_changes(event: AuditEvent) -> list[tuple[str, str, str]]:
    """(field, before, after) for every key of before or after, in the curator's words, in
    the order its app declared them (PostgreSQL's jsonb keeps no order of its own).

    A key empty on both sides is left out, and so is one declared as not listed. A record's
    id reads as its name ("Предмет: Математика"); where the change happened (a journal
    cell's lesson, subject, period) is listed once, as an "after" with no "before".
    """
    action = REGISTRY.actions.get(event.action)
    if action is None:  # an old event of an action no app declares any more: as stored
        keys = dict.fromkeys([*event.before, *event.after])
        fields = {key: Field(key) for key in keys}
    else:
        fields = action.fields
    changes = []
    for key, spec in fields.items():
        if not spec.listed or (key not in event.before and key not in event.after):
            continue
        before = _shown(event, key, spec, "before") if key in event.before else ""
        after = _shown(event, key, spec, "after") if key in event.after else ""
        if spec.place:
            before, after = "", after or before
        if before or after:
            changes.append((spec.label, before, after))
    return changes


def _shown(event: AuditEvent, key: str, spec: Field, side: str) -> str:
    value = getattr(event, side)[key]
    if spec.name is not None:
        name = getattr(event, _name_annotation(key, side), None)
        return name or (f"№{value}" if value is not None else "—")
    return spec.show(value)
