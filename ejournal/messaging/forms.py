"""The new message's form: recipients picked by group or by name within a group."""

from __future__ import annotations

from typing import Any

from django import forms

from .circle import RecipientGroup
from .models import SUBJECT_MAX_LENGTH, TEXT_MAX_LENGTH


class MessageForm(forms.Form):
    groups = forms.MultipleChoiceField(
        label="Группы целиком", required=False, widget=forms.CheckboxSelectMultiple
    )
    recipients = forms.TypedMultipleChoiceField(
        label="Кому", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    subject = forms.CharField(label="Тема", max_length=SUBJECT_MAX_LENGTH)
    text = forms.CharField(
        label="Текст", max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 8})
    )

    def __init__(self, *args: Any, circle: list[RecipientGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.circle = circle
        self.fields["groups"].choices = [(g.key, g.name) for g in circle]  # type: ignore[attr-defined]
        people = {p.user_id: p.full_name for g in circle for p in g.people}
        self.fields["recipients"].choices = sorted(people.items())  # type: ignore[attr-defined]

    def recipient_ids(self) -> set[int]:
        """The people chosen one by one and those of every group chosen whole."""
        chosen = set(self.cleaned_data["recipients"])
        whole = set(self.cleaned_data["groups"])
        for group in self.circle:
            if group.key in whole:
                chosen |= {person.user_id for person in group.people}
        return chosen


class ReplyForm(forms.Form):
    text = forms.CharField(
        label="Ответ", max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 5})
    )
