"""The one error envelope of every JSON answer: `{"errors": [{"param", "code", "message"}]}`.

`param` names the field (None for the request as a whole), `code` is machine-readable, and
`message` is the Russian sentence a person reads. The HTML grid's JSON and both APIs build it
here, from a form's errors or a service's ValidationError, so a refusal reads the same
everywhere. An app with codes of its own keeps them in its own enum (journal.errors).
"""

from __future__ import annotations

import enum
from typing import TypedDict

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class ErrorCode(enum.StrEnum):
    """The codes every app shares."""

    INVALID = "invalid"  # a field the form could not read (Django's own code when it has one)
    REFUSED = "refused"  # the rules refuse it: a service's ValidationError without a code


class ErrorItem(TypedDict):
    param: str | None
    code: str
    message: str


def error_list(error: ValidationError, *, code: str = ErrorCode.REFUSED) -> list[ErrorItem]:
    """A service's ValidationError as the envelope's errors; `code` where the error has none."""
    fields = error.error_dict if hasattr(error, "error_dict") else {None: error.error_list}
    return [
        {
            "param": None if param == NON_FIELD_ERRORS else param,
            "code": item.code or code,
            "message": message,
        }
        for param, items in fields.items()
        for item in items
        for message in item.messages
    ]


def form_errors(form: forms.Form) -> list[ErrorItem]:
    """A bound form's errors as the envelope's errors (a non-field error has no `param`)."""
    return [
        {
            "param": None if name == NON_FIELD_ERRORS else name,
            "code": item.code or ErrorCode.INVALID,
            "message": message,
        }
        for name, items in form.errors.as_data().items()
        for item in items
        for message in item.messages
    ]


def error_envelope(errors: list[ErrorItem]) -> dict[str, list[ErrorItem]]:
    return {"errors": errors}
