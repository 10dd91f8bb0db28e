"""The curator's set-up of the school year: bells, holidays, timetable, assignments, groups,
lessons. The forms parse input and offer only this school's records; the services decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from ejournal.core.params import ModelChoiceByIdField, ModelMultipleChoiceByIdField
from ejournal.schools.models import SchoolClass, Student, Subject, Teacher

from ..models import Group, Holiday, HolidayKind, TeachingAssignment, TimetableEntry, Weekday

# The bell schedule form's rows: the model allows lesson numbers up to 12.
BELL_ROWS = 10
DATE_INPUT = {"type": "date"}
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


def _pick(queryset: QuerySet[Any], label: str, *, required: bool = True, empty: str = "—") -> Any:
    return ModelChoiceByIdField(
        queryset=queryset,
        label=label,
        required=required,
        empty_label=empty,
        error_messages={
            "invalid_choice": "Выберите из списка.",
            "required": "Обязательное поле.",
        },
    )


class BellsForm(forms.Form):
    """Lessons 1…BELL_ROWS, each with a start and an end; the rows left empty end the day."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number in range(1, BELL_ROWS + 1):
            for part in ("start", "end"):
                label = f"Урок {number}: {'начало' if part == 'start' else 'конец'}"
                self.fields[f"{part}_{number}"] = forms.TimeField(
                    required=False,
                    label=label,
                    widget=forms.TimeInput(
                        attrs={"type": "time", "aria-label": label}, format="%H:%M"
                    ),
                    error_messages={"invalid": "Время в виде ЧЧ:ММ."},
                )

    def rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        return [(n, self[f"start_{n}"], self[f"end_{n}"]) for n in range(1, BELL_ROWS + 1)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        times: list[tuple[dt.time, dt.time]] = []
        gap = False
        for number in range(1, BELL_ROWS + 1):
            start, end = data.get(f"start_{number}"), data.get(f"end_{number}")
            if f"start_{number}" in self.errors or f"end_{number}" in self.errors:
                continue
            if start is None and end is None:
                gap = True
                continue
            if start is None or end is None:
                raise ValidationError(f"Урок {number}: укажите и начало, и конец.")
            if gap:
                raise ValidationError(f"Урок {number}: перед ним пропущен урок.")
            times.append((start, end))
        if not times and not self.errors:
            raise ValidationError("Укажите время хотя бы одного урока.")
        data["times"] = times
        return data


class HolidayForm(forms.Form):
    name = forms.CharField(label="Название", max_length=100)
    kind = forms.ChoiceField(label="Вид", choices=HolidayKind.choices)
    starts_on = forms.DateField(
        label="С", input_formats=DATE_FORMATS, widget=forms.DateInput(DATE_INPUT, "%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label="По", input_formats=DATE_FORMATS, widget=forms.DateInput(DATE_INPUT, "%Y-%m-%d")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            raise ValidationError("Дата окончания раньше даты начала.")
        return data


class HolidayDeleteForm(forms.Form):
    """A holiday of the year, to delete."""

    def __init__(self, *args: Any, holidays: QuerySet[Holiday], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["holiday"] = _pick(holidays, "Каникулы или праздник")


class TimetableSlotForm(forms.Form):
    """One slot of the weekly timetable: a weekday and a lesson number, and what goes there."""

    def __init__(
        self,
        *args: Any,
        numbers: list[int],
        subjects: QuerySet[Subject],
        teachers: QuerySet[Teacher],
        groups: QuerySet[Group],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["weekday"] = forms.TypedChoiceField(
            label="День", choices=Weekday.choices, coerce=int
        )
        self.fields["number"] = forms.TypedChoiceField(
            label="Урок",
            choices=[(n, str(n)) for n in numbers],
            coerce=int,
            error_messages={"invalid_choice": "Такого урока нет в расписании звонков."},
        )
        self.fields["subject"] = _pick(subjects, "Предмет")
        self.fields["teacher"] = _pick(teachers, "Учитель")
        self.fields["group"] = _group_pick(groups)
        self.fields["room"] = forms.CharField(label="Кабинет", max_length=20, required=False)


class EntryForm(forms.Form):
    """A timetable entry of the class, to clear."""

    def __init__(self, *args: Any, entries: QuerySet[TimetableEntry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entry"] = _pick(entries, "Урок")


class AssignmentForm(forms.Form):
    def __init__(
        self,
        *args: Any,
        subjects: QuerySet[Subject],
        teachers: QuerySet[Teacher],
        groups: QuerySet[Group],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["teacher"] = _pick(teachers, "Учитель")
        self.fields["subject"] = _pick(subjects, "Предмет")
        self.fields["group"] = _group_pick(groups)


class AssignmentDeleteForm(forms.Form):
    def __init__(
        self, *args: Any, assignments: QuerySet[TeachingAssignment], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignment"] = _pick(assignments, "Назначение")


def _group_pick(groups: QuerySet[Group]) -> ModelChoiceByIdField:
    field = _pick(groups.select_related("subject"), "Группа", required=False, empty="весь класс")
    field.label_from_instance = lambda group: f"{group.subject.name}: {group.name}"  # type: ignore[method-assign]
    return field


def _students(students: QuerySet[Student]) -> ModelMultipleChoiceByIdField:
    return ModelMultipleChoiceByIdField(
        queryset=students,
        label="Ученики",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Выберите учеников из списка."},
    )


class GroupCreateForm(forms.Form):
    def __init__(
        self,
        *args: Any,
        subjects: QuerySet[Subject],
        students: QuerySet[Student],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject"] = _pick(subjects, "Предмет")
        self.fields["name"] = forms.CharField(label="Название группы", max_length=50)
        self.fields["students"] = _students(students)


class GroupMembersForm(forms.Form):
    def __init__(
        self,
        *args: Any,
        groups: QuerySet[Group],
        students: QuerySet[Student],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"] = _pick(groups, "Группа")
        self.fields["students"] = _students(students)


class LessonsGenerateForm(forms.Form):
    starts_on = forms.DateField(
        label="С", input_formats=DATE_FORMATS, widget=forms.DateInput(DATE_INPUT, "%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label="По", input_formats=DATE_FORMATS, widget=forms.DateInput(DATE_INPUT, "%Y-%m-%d")
    )

    def __init__(self, *args: Any, classes: QuerySet[SchoolClass], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school_class"] = _pick(classes, "Класс", required=False, empty="все классы")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end:
            if end < start:
                raise ValidationError("Дата окончания раньше даты начала.")
            if (end - start).days > 400:
                raise ValidationError("Не больше одного учебного года за раз.")
        return data
