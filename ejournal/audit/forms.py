"""The filters of the audit page."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from .registry import REGISTRY
from .selectors import EventFilters, target_types

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
    action = forms.ChoiceField(label="Действие", required=False)
    actor = forms.CharField(label="Кто (логин)", required=False, max_length=40)
    date_from = _date_field("С")
    date_to = _date_field("По")
    target_type = forms.ChoiceField(label="Объект", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # What the apps registered (audit.registry), read once they all have.
        cast(forms.ChoiceField, self.fields["action"]).choices = [
            ("", "Все"),
            *((code, spec.label) for code, spec in REGISTRY.actions.items()),
        ]
        cast(forms.ChoiceField, self.fields["target_type"]).choices = [
            ("", "Все"),
            *target_types(),
        ]

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
