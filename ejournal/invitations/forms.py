from __future__ import annotations

from typing import Any

from django import forms

from ejournal.core.params import ModelChoiceByIdField
from ejournal.schools.models import AcademicYear, School, SchoolClass
from ejournal.schools.roles import Role

ROLE_CHOICES = [
    (Role.STUDENT.value, "Ученики"),
    (Role.PARENT.value, "Родители"),
    (Role.TEACHER.value, "Учителя"),
    (Role.CURATOR.value, "Куратор"),
]
FORMAT_CHOICES = [("pdf", "PDF — приглашения для печати"), ("csv", "CSV — таблица")]


class ClassChoiceField(ModelChoiceByIdField):
    def label_from_instance(self, obj: SchoolClass) -> str:
        return obj.label


class IssueForm(forms.Form):
    role = forms.ChoiceField(label="Кому", choices=ROLE_CHOICES, initial=Role.STUDENT.value)
    school_class = ClassChoiceField(
        label="Класс",
        queryset=SchoolClass.objects.none(),
        required=False,
        empty_label="— выберите класс —",
        help_text="Для кодов учеников и родителей. Коды учителей и куратора — на всю школу.",
    )
    format = forms.ChoiceField(label="Формат", choices=FORMAT_CHOICES, initial="pdf")
    revoke_previous = forms.BooleanField(
        label="Отозвать ранее выданные неиспользованные коды",
        required=False,
        help_text="Для тех, кому выдаются новые коды: старые перестанут действовать.",
    )

    def __init__(self, *args: Any, school: School, year: AcademicYear, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        classes = self.fields["school_class"]
        assert isinstance(classes, ClassChoiceField)  # noqa: S101 — narrows the type for mypy
        classes.queryset = SchoolClass.objects.filter(school=school, year=year).order_by(
            "grade", "letter"
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        role = cleaned.get("role")
        # A class means nothing for teacher and curator codes: they are for the whole school.
        if role in (Role.TEACHER, Role.CURATOR):
            cleaned["school_class"] = None
        # A whole school's cards are a long job for one request (the issue_invitations command
        # does it); the curator prints a class's codes right after issuing them.
        elif role in (Role.STUDENT, Role.PARENT) and not self._has_class(cleaned):
            self.add_error(
                "school_class", "Выберите класс: коды учеников и родителей выдаются по классу."
            )
        return cleaned

    def _has_class(self, cleaned: dict[str, Any]) -> bool:
        """A class chosen, or one refused already (its own error says why)."""
        return cleaned.get("school_class") is not None or "school_class" in self.errors
