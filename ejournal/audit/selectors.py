"""Reads of the audit log: the school's events for the curator's page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, Concat, Substr

from ejournal.accounts.models import User
from ejournal.journal.models import (
    AbsenceReason,
    AttendanceStatus,
    ControlType,
    Lesson,
    LessonStatus,
)
from ejournal.schools.models import Period, PeriodKind, SchoolClass, Student, Subject, Teacher

from .models import AuditAction, AuditEvent

# What the events point at; the name a curator knows them by.
TARGET_TYPES = {
    "user": "Пользователь",
    "student": "Ученик",
    "teacher": "Учитель",
    "schoolclass": "Класс",
    "invitation": "Пригласительный код",
    "rosterimport": "Загрузка списка",
    "lesson": "Урок",
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
    # The journal: a mark, attendance or final mark (target: the student), a lesson (target: it).
    "lesson_id": "Урок",
    "subject_id": "Предмет",
    "period_id": "Период",
    "value": "Оценка",
    "weight": "Вес",
    "comment": "Комментарий",
    "status": "Посещаемость",
    "reason": "Причина",
    "topic": "Тема урока",
    "homework": "Домашнее задание",
    "homework_due": "Срок домашнего задания",
    "homework_file": "Файл к домашнему заданию",
    "room": "Кабинет",
    "teacher_id": "Учитель",
    "control_type": "Вид работы",
}
_KEY_ORDER = {key: n for n, key in enumerate(FIELD_LABELS)}
# Where a key means something else for one action.
_ACTION_FIELD_LABELS: dict[str, dict[str, str]] = {
    AuditAction.LESSON_UPDATED: {"status": "Состояние урока"},
}
_JOURNAL_ACTIONS = [action for action in AuditAction if action.startswith("journal.")]
# Stored values of a choice, in the curator's words: "absent" → "н", "illness" → "Болезнь".
_CHOICE_LABELS: dict[str, dict[str, str]] = {
    "reason": dict(AbsenceReason.choices),
    "control_type": dict(ControlType.choices),
}
_STATUS_LABELS = {
    "attendance": dict(AttendanceStatus.choices),
    "lesson": dict(LessonStatus.choices),
}
# Ids of records the page names (`school_events` looks the names up): key → annotation.
_NAMED_IDS = {
    "lesson_id": ("lesson_name", "lesson_name"),
    "subject_id": ("subject_name", "subject_name"),
    "period_id": ("period_name", "period_name"),
    "teacher_id": ("before_teacher_name", "after_teacher_name"),
}
# The cell a mark, attendance or final mark is in: shown once, as where the change happened.
_CELL_KEYS = {"lesson_id", "subject_id", "period_id"}


@dataclass(frozen=True)
class EventFilters:
    action: str = ""
    actor_login: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    target_type: str = ""


def school_events(*, school_id: int, filters: EventFilters) -> QuerySet[AuditEvent]:
    """The school's events, newest first, with the actor, a name for the target and, for the
    journal's events, names for the records their before/after point at: one query."""
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
        .annotate(target_name=_target_name(school_id), **_journal_refs())
        .annotate(**_journal_names(school_id))
        .order_by("-created_at", "-id")
    )


def _named(model: Any, school_id: int, pk: Any, name: Any) -> Subquery:
    found = model.objects.filter(school_id=school_id, pk=pk)
    return Subquery(found.annotate(shown_name=name).values("shown_name")[:1])


def _person() -> Concat:
    return Concat("last_name", Value(" "), "first_name", output_field=CharField())


def _date(field: str) -> Concat:
    """A date column as "24.11.2026" (from its ISO text, which SQLite and PostgreSQL share)."""
    iso = Cast(field, CharField())
    return Concat(
        Substr(iso, 9, 2), Value("."), Substr(iso, 6, 2), Value("."), Substr(iso, 1, 4),
        output_field=CharField(),
    )  # fmt: skip


def _lesson_name(school_id: int, pk: Any) -> Subquery:
    """ "Математика, 6А, 24.11.2026, 2-й урок"."""
    name = Concat(
        "subject__name", Value(", "),
        Cast("school_class__grade", CharField()), "school_class__letter", Value(", "),
        _date("date"), Value(", "), Cast("number", CharField()), Value("-й урок"),
        output_field=CharField(),
    )  # fmt: skip
    return _named(Lesson, school_id, pk, name)


def _journal_refs() -> dict[str, Case]:
    """The ids a journal event's before/after hold: its cell's lesson, subject and period (as
    recorded after, or before for a deletion), and a substitution's teachers."""

    def ref(key: str, *sides: str) -> Case:
        ids = [Cast(KT(f"{side}__{key}"), BigIntegerField()) for side in sides]
        return Case(
            When(action__in=_JOURNAL_ACTIONS, then=Coalesce(*ids) if len(ids) > 1 else ids[0]),
            default=Value(None),
            output_field=BigIntegerField(),
        )

    return {
        "ref_lesson": ref("lesson_id", "after", "before"),
        "ref_subject": ref("subject_id", "after", "before"),
        "ref_period": ref("period_id", "after", "before"),
        "ref_teacher_before": ref("teacher_id", "before"),
        "ref_teacher_after": ref("teacher_id", "after"),
    }


def _journal_names(school_id: int) -> dict[str, Subquery]:
    """The names of the records `_journal_refs` points at, looked up in this school only."""
    kinds = Case(
        *(When(kind=kind, then=Value(label.lower())) for kind, label in PeriodKind.choices),
        default=F("kind"),
        output_field=CharField(),
    )
    period = Concat(Cast("number", CharField()), Value(" "), kinds, output_field=CharField())
    return {
        "lesson_name": _lesson_name(school_id, OuterRef("ref_lesson")),
        "subject_name": _named(Subject, school_id, OuterRef("ref_subject"), F("name")),
        "period_name": _named(Period, school_id, OuterRef("ref_period"), period),
        "before_teacher_name": _named(
            Teacher, school_id, OuterRef("ref_teacher_before"), _person()
        ),
        "after_teacher_name": _named(Teacher, school_id, OuterRef("ref_teacher_after"), _person()),
    }


def _target_name(school_id: int) -> Case:
    """The target's login, name or class label, looked up by its type (only in this school)."""

    def named(model: Any, name: Any) -> Subquery:
        return _named(model, school_id, OuterRef("target_id"), name)

    label = Concat(Cast("grade", CharField()), "letter", output_field=CharField())
    return Case(
        When(target_type="user", then=named(User, F("login"))),
        When(target_type="student", then=named(Student, _person())),
        When(target_type="teacher", then=named(Teacher, _person())),
        When(target_type="schoolclass", then=named(SchoolClass, label)),
        When(target_type="lesson", then=_lesson_name(school_id, OuterRef("target_id"))),
        default=Value(""),
        output_field=CharField(),
    )


def event_target(event: AuditEvent) -> str:
    """ "Ученик Николаев Василий", "Пользователь nikolaev", "Класс 6А",
    "Урок Математика, 6А, 24.11.2026, 2-й урок" or the type and id."""
    label = TARGET_TYPES.get(event.target_type, event.target_type)
    name = getattr(event, "target_name", "")
    if name:
        return f"{label} {name}"
    if event.target_id is not None:
        return f"{label} №{event.target_id}"
    return label


def event_changes(event: AuditEvent) -> list[tuple[str, str, str]]:
    """(field, before, after) for every key of before or after, in the curator's words, in
    the order of FIELD_LABELS (PostgreSQL's jsonb keeps no order of its own).

    A key empty on both sides is left out. A journal event names its records ("Предмет:
    Математика", not an id) and its choices ("н", "Болезнь"); the cell it changed (lesson,
    subject, period) is listed once, as an "after" with no "before".
    """
    labels = {**FIELD_LABELS, **_ACTION_FIELD_LABELS.get(event.action, {})}
    journal = event.action in _JOURNAL_ACTIONS
    changes = []
    keys = dict.fromkeys([*event.before, *event.after])
    for key in sorted(keys, key=lambda key: _KEY_ORDER.get(key, len(_KEY_ORDER))):
        before = _shown(event, key, "before") if key in event.before else ""
        after = _shown(event, key, "after") if key in event.after else ""
        if journal and key in _CELL_KEYS:
            before, after = "", after or before
        if before or after:
            changes.append((labels.get(key, key), before, after))
    return changes


def _shown(event: AuditEvent, key: str, side: str) -> str:
    value = getattr(event, side)[key]
    if event.action not in _JOURNAL_ACTIONS:
        return _value(value)
    if key in _NAMED_IDS:
        name = getattr(event, _NAMED_IDS[key][0 if side == "before" else 1], None)
        return name or (f"№{value}" if value is not None else "—")
    if key == "status":
        kind = "lesson" if event.action == AuditAction.LESSON_UPDATED else "attendance"
        return _STATUS_LABELS[kind].get(value, str(value))
    if key in _CHOICE_LABELS:
        return _CHOICE_LABELS[key].get(value, str(value)) if value else ""
    return _value(value)


def _value(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    return str(value)
