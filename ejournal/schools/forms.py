"""The curator's forms for classes, students and teachers. They parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict

from .labels import parse_class_label
from .models import SchoolClass, Teacher

NAME_MAX = 100


def post_data(request: HttpRequest) -> QueryDict | None:
    """The data to bind a form to: the POST body on POST (even an empty one), nothing on GET."""
    return request.POST if request.method == "POST" else None


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's ValidationError on the form: under its field if the form has one, else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class ClassTeacherField(forms.ModelChoiceField):
    def __init__(self, *, teachers: QuerySet[Teacher], **kwargs: Any) -> None:
        super().__init__(
            queryset=teachers,
            label="Классный руководитель",
            required=False,
            empty_label="— не назначен —",
            error_messages={"invalid_choice": "Выберите учителя из списка."},
            **kwargs,
        )


class ClassCreateForm(forms.Form):
    label = forms.CharField(
        label="Класс",
        max_length=10,
        help_text="Номер и буква, например 6А.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "6А"}),
    )

    def __init__(self, *args: Any, teachers: QuerySet[Teacher], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["class_teacher"] = ClassTeacherField(teachers=teachers)

    def clean_label(self) -> tuple[int, str]:
        """(grade, letter) from "6А", "6 а", "6-A"."""
        return parse_class_label(self.cleaned_data["label"])


class ClassEditForm(forms.Form):
    def __init__(self, *args: Any, teachers: QuerySet[Teacher], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["class_teacher"] = ClassTeacherField(teachers=teachers)


def _name_field(label: str, *, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, max_length=NAME_MAX, required=required)


class StudentForm(forms.Form):
    last_name = _name_field("Фамилия")
    first_name = _name_field("Имя")
    middle_name = _name_field("Отчество", required=False)
    birth_date = forms.DateField(
        label="Дата рождения",
        # The browser's date picker sends ISO; typed by hand it is usually 12.03.2014.
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Введите дату рождения в виде ДД.ММ.ГГГГ, например 12.03.2014."},
    )
    parent_email = forms.EmailField(
        label="Электронная почта родителя",
        required=False,
        help_text="Необязательно; для справки куратора. Родители регистрируются по своим кодам.",
        error_messages={
            "invalid": "Введите адрес электронной почты, например ivanova@example.com."
        },
    )


class StudentCreateForm(StudentForm):
    field_order = ["school_class"]

    def __init__(self, *args: Any, classes: QuerySet[SchoolClass], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school_class"] = forms.ModelChoiceField(
            queryset=classes,
            label="Класс",
            empty_label="— выберите класс —",
            error_messages={"invalid_choice": "Выберите класс из списка."},
        )
        self.order_fields(self.field_order)


class StudentMoveForm(forms.Form):
    def __init__(self, *args: Any, classes: QuerySet[SchoolClass], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_class"] = forms.ModelChoiceField(
            queryset=classes,
            label="Новый класс",
            empty_label="— выберите класс —",
            error_messages={"invalid_choice": "Выберите класс из списка."},
        )


class TeacherForm(forms.Form):
    last_name = _name_field("Фамилия")
    first_name = _name_field("Имя")
    middle_name = _name_field("Отчество", required=False)
