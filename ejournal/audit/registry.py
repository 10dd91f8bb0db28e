"""What each kind of audit event means in the curator's words, declared by the apps.

The audit app sits below the apps that write events, so it never imports them. Each app
declares its events in its own `audit_events.py`, loaded by its AppConfig.ready():

    actions_register(
        (AuditAction.PERIOD_CLOSED, {"period_id": PERIOD, "closed_at": Field("Закрыт", moment)}),
    )
    target_register("period", "Период", name=period_name)

where PERIOD = Field("Период", name=period_name) and period_name(school_id, pk) is a
Subquery of the period's name.

- an action: the keys its `before`/`after` may hold, each a `Field` (or just its label),
  in the order the page lists them;
- a target: the label of a kind of record events point at (the model's name), how its
  name is looked up in the page's one query, and its page, if it has one.

`audit_record` refuses an action, a key or a target nobody declared, so nothing reaches
the curator's page as a raw key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Subquery
from django.urls import reverse
from django.utils import dateparse, timezone

from .models import AuditAction

# A stored value as the curator reads it.
Show = Callable[[Any], str]
# The name of the record with this id in the school: (school_id, id expression) → subquery.
NameLookup = Callable[[int, Any], Subquery]


def plain(value: object) -> str:
    """Nothing → "—", a yes/no → "да"/"нет", a list → its items; anything else as it is."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, list):
        return ", ".join(plain(v) for v in value) or "—"
    return str(value)


def choices(labels: Mapping[str, str]) -> Show:
    """A stored choice by its label: "absent" → "н"; a list of them joined; none → ""."""

    def show(value: object) -> str:
        if isinstance(value, list):
            return ", ".join(labels.get(str(v), str(v)) for v in value)
        return labels.get(str(value), str(value)) if value not in (None, "") else ""

    return show


def date(value: object) -> str:
    """ "2014-03-12" → "12.03.2014"."""
    parsed = dateparse.parse_date(str(value)) if value else None
    return f"{parsed:%d.%m.%Y}" if parsed else plain(value)


def moment(value: object) -> str:
    """An ISO date and time, in the current time zone: "26.11.2026 11:00"."""
    parsed = dateparse.parse_datetime(str(value)) if value else None
    if parsed is None:
        return plain(value)
    if timezone.is_aware(parsed):
        parsed = timezone.localtime(parsed)
    return f"{parsed:%d.%m.%Y %H:%M}"


def count(value: object) -> str:
    """A list of records (their ids) by how many there are."""
    return str(len(value)) if isinstance(value, list) else plain(value)


def record_number(value: object) -> str:
    return f"№{value}" if value not in (None, "") else "—"


def record_name(model: Any, name: Any) -> NameLookup:
    """A NameLookup for a school's records: `name` (an expression over the model) of the
    row with that id in that school."""

    def lookup(school_id: int, pk: Any) -> Subquery:
        found = model.objects.filter(school_id=school_id, pk=pk)
        return Subquery(found.annotate(shown_name=name).values("shown_name")[:1])

    return lookup


@dataclass(frozen=True)
class Field:
    label: str
    show: Show = plain
    # An id of a record: its name is looked up with the events (one query for the page).
    name: NameLookup | None = None
    # Where the change happened (a journal cell's lesson): listed once, as an "after".
    place: bool = False
    # Kept for the record but not listed (an id next to the name it stands for).
    listed: bool = True


# The keys an action declares, each a Field or just its label.
Fields = Mapping[str, "Field | str"]

# The keys of a person's name, as several apps record them.
NAME_FIELDS: Fields = {
    "last_name": "Фамилия",
    "first_name": "Имя",
    "middle_name": "Отчество",
}


@dataclass(frozen=True)
class ActionSpec:
    action: AuditAction
    fields: dict[str, Field]

    @property
    def label(self) -> str:
        return str(self.action.label)


@dataclass(frozen=True)
class TargetSpec:
    type: str
    label: str
    name: NameLookup | None = None
    url_name: str = ""  # the target's page, reversed with its id

    def url(self, pk: int) -> str:
        return reverse(self.url_name, args=[pk]) if self.url_name else ""


@dataclass
class Registry:
    actions: dict[str, ActionSpec] = field(default_factory=dict)
    targets: dict[str, TargetSpec] = field(default_factory=dict)

    def action(self, code: str) -> ActionSpec:
        try:
            return self.actions[code]
        except KeyError:
            raise LookupError(
                f"Audit action {code!r} is not registered: declare it in its app's audit_events.py"
            ) from None

    def named_fields(self) -> dict[str, tuple[NameLookup, list[str]]]:
        """Each key whose value is a record's id: its lookup and the actions that hold it."""
        named: dict[str, tuple[NameLookup, list[str]]] = {}
        for code, spec in self.actions.items():
            for key, spec_field in spec.fields.items():
                if spec_field.name is not None:
                    named.setdefault(key, (spec_field.name, []))[1].append(code)
        return named


REGISTRY = Registry()


def actions_register(*entries: tuple[AuditAction, Fields]) -> None:
    """Declares actions with the keys their before/after may hold (a label is a plain Field)."""
    for action, fields in entries:
        if action.value in REGISTRY.actions:
            raise ValueError(f"Audit action {action.value!r} is registered twice")
        REGISTRY.actions[action.value] = ActionSpec(
            action=action,
            fields={
                key: spec if isinstance(spec, Field) else Field(spec)
                for key, spec in fields.items()
            },
        )
    for key, (lookup, _) in REGISTRY.named_fields().items():
        for spec in REGISTRY.actions.values():
            other = spec.fields.get(key)
            if other is not None and other.name not in (None, lookup):
                raise ValueError(f"Audit key {key!r} names two kinds of record")


def target_register(
    type_: str, label: str, *, name: NameLookup | None = None, url_name: str = ""
) -> None:
    """Declares a kind of record events point at, by its model's name ("schoolclass")."""
    if type_ in REGISTRY.targets:
        raise ValueError(f"Audit target {type_!r} is registered twice")
    REGISTRY.targets[type_] = TargetSpec(type=type_, label=label, name=name, url_name=url_name)


def record_check(
    *, action: str, target_type: str, before: Iterable[str], after: Iterable[str]
) -> None:
    """Raises unless the action, its target's kind and every key are declared."""
    spec = REGISTRY.action(action)
    if target_type and target_type not in REGISTRY.targets:
        raise LookupError(f"Audit target {target_type!r} is not registered")
    undeclared = sorted({*before, *after} - spec.fields.keys())
    if undeclared:
        raise LookupError(f"Audit action {action!r} does not declare {', '.join(undeclared)}")
