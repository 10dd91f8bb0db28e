"""Reads of the audit log: the school's events for the curator's page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, CharField, F, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Cast, Concat

from ejournal.accounts.models import User
from ejournal.schools.models import SchoolClass, Student, Teacher

from .models import AuditEvent

# What the events point at; the name a curator knows them by.
TARGET_TYPES = {
    "user": "Пользователь",
    "student": "Ученик",
    "teacher": "Учитель",
    "schoolclass": "Класс",
    "invitation": "Пригласительный код",
    "rosterimport": "Загрузка списка",
}
# The keys services put in `before`/`after`, in the curator's words.
FIELD_LABELS = {
    "last_name": "Фамилия",
    "first_name": "Имя",
    "middle_name": "Отчество",
    "birth_date": "Дата рождения",
    "parent_email": "Email родителя",
    "class": "Класс",
    "class_id": "Класс (id)",
    "label": "Класс",
    "class_teacher": "Классный руководитель",
    "class_teacher_id": "Классный руководитель (id)",
    "archived_at": "Выбыл",
    "role": "Роль",
    "issued": "Выдано кодов",
    "revoked": "Отозвано кодов",
    "reissue": "Повторная выдача",
    "filename": "Файл",
    "created": "Добавлено",
    "skipped": "Пропущено",
    "classes_created": "Новые классы",
    "must_change_password": "Сменить пароль при входе",
    "temporary": "Временный пароль",
    "notice_sent": "Уведомление на почту",
    "email": "Электронная почта",
}


@dataclass(frozen=True)
class EventFilters:
    action: str = ""
    actor_login: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    target_type: str = ""


def school_events(*, school_id: int, filters: EventFilters) -> QuerySet[AuditEvent]:
    """The school's events, newest first, with the actor and a name for the target: one query."""
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
        .annotate(target_name=_target_name(school_id))
        .order_by("-created_at", "-id")
    )


def _target_name(school_id: int) -> Case:
    """The target's login, name or class label, looked up by its type (only in this school)."""

    def named(model: Any, name: Any) -> Subquery:
        found = model.objects.filter(school_id=school_id, pk=OuterRef("target_id"))
        return Subquery(found.annotate(name=name).values("name")[:1])

    person = Concat("last_name", Value(" "), "first_name", output_field=CharField())
    label = Concat(Cast("grade", CharField()), "letter", output_field=CharField())
    return Case(
        When(target_type="user", then=named(User, F("login"))),
        When(target_type="student", then=named(Student, person)),
        When(target_type="teacher", then=named(Teacher, person)),
        When(target_type="schoolclass", then=named(SchoolClass, label)),
        default=Value(""),
        output_field=CharField(),
    )


def event_target(event: AuditEvent) -> str:
    """ "Ученик Николаев Василий", "Пользователь nikolaev", "Класс 6А" or the type and id."""
    label = TARGET_TYPES.get(event.target_type, event.target_type)
    name = getattr(event, "target_name", "")
    if name:
        return f"{label} {name}"
    if event.target_id is not None:
        return f"{label} №{event.target_id}"
    return label


def event_changes(event: AuditEvent) -> list[tuple[str, str, str]]:
    """(field, before, after) for every key of before or after, in the curator's words."""
    keys = list(dict.fromkeys([*event.before, *event.after]))
    return [
        (
            FIELD_LABELS.get(key, key),
            _value(event.before[key]) if key in event.before else "",
            _value(event.after[key]) if key in event.after else "",
        )
        for key in keys
    ]


def _value(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    return str(value)
