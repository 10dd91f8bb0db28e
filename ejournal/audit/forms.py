"""The filters of the audit page."""

from __future__ import annotations

from typing import Any

from django import forms

from .models import AuditAction
from .selectors import TARGET_TYPES, EventFilters

_DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=_DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Введите дату в виде ДД.ММ.ГГГГ, например 01.09.2025."},
    )


class EventFilterForm(forms.Form):
    action = forms.ChoiceField(
        label="Действие", required=False, choices=[("", "Все"), *AuditAction.choices]
    )
    actor = forms.CharField(label="Кто (логин)", required=False, max_length=40)
    date_from = _date_field("С")
    date_to = _date_field("По")
    target_type = forms.ChoiceField(
        label="Объект", required=False, choices=[("", "Все"), *TARGET_TYPES.items()]
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "Конец периода раньше его начала.")
        return data

    def filters(self) -> EventFilters:
        """The valid filters; an invalid one is left out (and its error shown on the form)."""
        data = self.cleaned_data if self.is_valid() else {}
        return EventFilters(
            action=data.get("action", ""),
            actor_login=data.get("actor", "").strip(),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            target_type=data.get("target_type", ""),
        )
