"""The error envelope every JSON answer uses: from a service's ValidationError, from a form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from ejournal.core.errors import ErrorCode, error_envelope, error_list, form_errors


def test_a_services_errors_name_their_field_and_keep_their_code_or_get_the_default():
    error = ValidationError(
        {
            "weight": ["Вес оценки — от 1 до 5."],
            NON_FIELD_ERRORS: [ValidationError("Урок отменён.", code="cancelled")],
        }
    )
    assert error_envelope(error_list(error)) == {
        "errors": [
            {"param": "weight", "code": "refused", "message": "Вес оценки — от 1 до 5."},
            {"param": None, "code": "cancelled", "message": "Урок отменён."},
        ]
    }


def test_an_error_without_a_field_has_no_param_and_the_code_asked_for():
    assert error_list(ValidationError(["Первое.", "Второе."]), code="closed") == [
        {"param": None, "code": "closed", "message": "Первое."},
        {"param": None, "code": "closed", "message": "Второе."},
    ]


class _Form(forms.Form):
    count = forms.IntegerField(error_messages={"invalid": "Нужно число."})
    text = forms.CharField()

    def clean(self):
        raise ValidationError("Форма не годится.")


def test_a_forms_errors_carry_djangos_codes_and_the_form_wide_one_has_no_param():
    form = _Form({"count": "x"})
    assert not form.is_valid()
    assert form_errors(form) == [
        {"param": "count", "code": "invalid", "message": "Нужно число."},
        {"param": "text", "code": "required", "message": "Обязательное поле."},
        {"param": None, "code": ErrorCode.INVALID, "message": "Форма не годится."},
    ]
