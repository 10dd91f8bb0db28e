"""The curator's forms for classes, students, teachers and the school's settings.

They parse input; the services decide.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict
from django.utils import timezone

from ejournal.core.params import BoundedIntegerField, ModelChoiceByIdField

from .labels import parse_class_label
from .models import CLOSE_AFTER_DAYS_MAX, PeriodKind, SchoolClass, Teacher
from .people import NAME_FIELDS, NAME_MAX_LENGTH, validate_birth_date, validate_person_name
from .services.settings import CLOSE_AFTER_DAYS_MESSAGE

T = TypeVar("T")
_NAME_RULES = {field: (label, required) for field, label, required in NAME_FIELDS}


def post_data(request: HttpRequest) -> QueryDict | None:
    """The data to bind a form to: the POST body on POST (even an empty one), nothing on GET."""
    return request.POST if request.method == "POST" else None


def submit(
    request: HttpRequest, form: forms.Form, service: Callable[[dict[str, Any]], T]
) -> T | None:
    """On a POST the form accepts, the service's result for the cleaned data; None when the
    form or the service refused, the service's reasons then shown on the form."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return service(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's ValidationError on the form: under its field if the form has one, else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class ClassTeacherField(ModelChoiceByIdField):
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
    return forms.CharField(label=label, max_length=NAME_MAX_LENGTH, required=required)


class PersonNameForm(forms.Form):
    """A person's last, first and middle name, by the rules the roster import follows too."""

    last_name = _name_field("Фамилия")
    first_name = _name_field("Имя")
    middle_name = _name_field("Отчество", required=False)

    def clean_last_name(self) -> str:
        return self._clean_name("last_name")

    def clean_first_name(self) -> str:
        return self._clean_name("first_name")

    def clean_middle_name(self) -> str:
        return self._clean_name("middle_name")

    def _clean_name(self, field: str) -> str:
        label, required = _NAME_RULES[field]
        return validate_person_name(self.cleaned_data[field], label, required=required)


class StudentForm(PersonNameForm):
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

    def clean_birth_date(self) -> dt.date:
        """A pupil's age (people.validate_birth_date), when the date is new or changed: a record
        kept for years is not refused for an age it has grown out of."""
        birth_date: dt.date = self.cleaned_data["birth_date"]
        if "birth_date" in self.changed_data:
            validate_birth_date(birth_date, timezone.localdate())
        return birth_date


class StudentCreateForm(StudentForm):
    field_order = ["school_class"]

    def __init__(self, *args: Any, classes: QuerySet[SchoolClass], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school_class"] = ModelChoiceByIdField(
            queryset=classes,
            label="Класс",
            empty_label="— выберите класс —",
            error_messages={"invalid_choice": "Выберите класс из списка."},
        )
        self.order_fields(self.field_order)


class StudentMoveForm(forms.Form):
    def __init__(self, *args: Any, classes: QuerySet[SchoolClass], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_class"] = ModelChoiceByIdField(
            queryset=classes,
            label="Новый класс",
            empty_label="— выберите класс —",
            error_messages={"invalid_choice": "Выберите класс из списка."},
        )


class TeacherForm(PersonNameForm):
    pass


def _scale_field(label: str) -> BoundedIntegerField:
    message = "Введите целое число от 1 до 10."
    return BoundedIntegerField(
        label=label,
        min_value=1,
        max_value=10,
        widget=forms.NumberInput(attrs={"min": 1, "max": 10}),
        error_messages={
            "required": message,
            "invalid": message,
            "min_value": message,
            "max_value": message,
        },
    )


class SchoolSettingsForm(forms.Form):
    name = forms.CharField(
        label="Название школы",
        max_length=200,
        error_messages={"required": "Введите название школы."},
    )
    period_kind = forms.ChoiceField(
        label="Деление учебного года",
        choices=PeriodKind.choices,
        error_messages={"invalid_choice": "Выберите деление года из списка."},
        help_text="Итоговые оценки выставляются за каждый период.",
    )
    from_next_year = forms.BooleanField(
        label="Со следующего учебного года",
        required=False,
        help_text=(
            "Периоды этого года останутся как есть, новое деление получат следующие годы."
            " Нужно, если за этот год уже выставлены итоговые оценки."
        ),
    )
    mark_min = _scale_field("Наименьшая оценка")
    mark_max = _scale_field("Наибольшая оценка")
    close_periods_after_days = BoundedIntegerField(
        label="Закрывать период через, дней",
        strip=True,
        required=False,
        min_value=0,
        max_value=CLOSE_AFTER_DAYS_MAX,
        widget=forms.NumberInput(attrs={"min": 0, "max": CLOSE_AFTER_DAYS_MAX}),
        help_text=(
            "Через столько дней после конца периода его оценки, посещаемость и итоговые"
            " оценки закрываются для изменений. Пусто — периоды закрывает только куратор."
        ),
        error_messages={
            "invalid": CLOSE_AFTER_DAYS_MESSAGE,
            "min_value": CLOSE_AFTER_DAYS_MESSAGE,
            "max_value": CLOSE_AFTER_DAYS_MESSAGE,
        },
    )
