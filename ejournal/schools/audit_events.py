"""The school's own audit events (its settings, classes, people, roster) and their targets."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, CharField, F, Subquery, Value, When
from django.db.models.functions import Cast, Concat

from ejournal.audit.models import AuditAction
from ejournal.audit.registry import (
    NAME_FIELDS,
    Field,
    Fields,
    actions_register,
    choices,
    date,
    moment,
    record_name,
    target_register,
)

from .models import Period, PeriodKind, PeriodStatus, School, SchoolClass, Student, Teacher
from .roles import Role

# A user's role, in the accounts' events and the invitations': Role is kept here.
ROLE = Field("Роль", choices(dict(Role.choices)))


def person_name() -> Concat:
    """ "Николаев Василий"."""
    return Concat("last_name", Value(" "), "first_name", output_field=CharField())


def _school_name(school_id: int, pk: Any) -> Subquery:
    return Subquery(School.objects.filter(pk=school_id).filter(pk=pk).values("name")[:1])


def _periods(value: object) -> str:
    """ "1 четверть: 01.09.2026–26.10.2026; 2 четверть: …"."""
    if not isinstance(value, list):
        return str(value)
    kinds = dict(PeriodKind.choices)
    return "; ".join(
        f"{p['number']} {kinds.get(p['kind'], p['kind']).lower()}: "
        f"{date(p['starts_on'])}–{date(p['ends_on'])}"
        for p in value
    )


def period_name(school_id: int, pk: Any) -> Subquery:
    """ "1 четверть"."""
    kinds = Case(
        *(When(kind=kind, then=Value(label.lower())) for kind, label in PeriodKind.choices),
        default=F("kind"),
        output_field=CharField(),
    )
    name = Concat(Cast("number", CharField()), Value(" "), kinds, output_field=CharField())
    return record_name(Period, name)(school_id, pk)


teacher_name = record_name(Teacher, person_name())
PERIOD_STATE: Fields = {
    "status": Field("Решение о периоде", choices(dict(PeriodStatus.choices))),
    "closed": "Период закрыт",
}

STUDENT: Fields = {
    **NAME_FIELDS,
    "birth_date": Field("Дата рождения", date),
    "parent_email": "Email родителя",
    "class": "Класс",
}
LEFT: Fields = {
    "archived_at": Field("Выбыл(а)", moment),
    "invitations_revoked": "Отозвано кодов",
    "account_closed": "Аккаунт закрыт",
}

target_register("school", "Школа", name=_school_name)
target_register("student", "Ученик", name=record_name(Student, person_name()))
target_register("teacher", "Учитель", name=teacher_name)
target_register(
    "schoolclass",
    "Класс",
    name=record_name(
        SchoolClass, Concat(Cast("grade", CharField()), F("letter"), output_field=CharField())
    ),
    url_name="schools:class_detail",
)
target_register("period", "Период", name=period_name)
target_register("rosterimport", "Загрузка списка")
actions_register(
    (
        AuditAction.SCHOOL_UPDATED,
        {
            "name": "Название школы",
            "period_kind": Field("Деление года", choices(dict(PeriodKind.choices))),
            "mark_min": "Низшая оценка",
            "mark_max": "Высшая оценка",
            "periods": Field("Периоды", _periods),
            "close_periods_after_days": "Закрывать периоды через, дней",
        },
    ),
    (AuditAction.PERIOD_CLOSED, PERIOD_STATE),
    (AuditAction.PERIOD_REOPENED, PERIOD_STATE),
    (AuditAction.STUDENT_CREATED, STUDENT),
    (AuditAction.STUDENT_UPDATED, STUDENT),
    (
        AuditAction.STUDENT_MOVED,
        {"class_id": Field("Класс (id)", listed=False), "class": "Класс"},
    ),
    (AuditAction.STUDENT_ARCHIVED, {"class": "Класс", **LEFT}),
    (AuditAction.TEACHER_CREATED, NAME_FIELDS),
    (AuditAction.TEACHER_UPDATED, NAME_FIELDS),
    (AuditAction.TEACHER_ARCHIVED, {**NAME_FIELDS, **LEFT}),
    (AuditAction.CLASS_CREATED, {"label": "Класс"}),
    (
        AuditAction.CLASS_UPDATED,
        {
            "label": "Класс",
            "class_teacher_id": Field("Классный руководитель (id)", listed=False),
            "class_teacher": "Классный руководитель",
        },
    ),
    (
        AuditAction.ROSTER_IMPORTED,
        {
            "filename": "Файл",
            "created": "Добавлено учеников",
            "moved": "Переведено в другой класс",
            "skipped": "Пропущено (уже в списке)",
            "classes_created": "Новые классы",
        },
    ),
)
