"""Numbers and ids from a request, parsed strictly: one rule for forms, query strings and URLs.

Python is generous with digits: `str.isdigit()` passes "²", which `int()` then refuses (a 500);
`int()` takes "𝟙", " 1", "1_0" and numbers of any size, and SQLite cannot bind an integer past
2**63 - 1 to a foreign key or an `__in` lookup (OverflowError; PostgreSQL just finds nothing).
Here a number is ASCII digits only, within the bounds of its field, and an id is 1..ID_MAX.

- `BoundedIntegerField`, `IdField`: form fields (a refusal is the form's error, before any write);
- `parse_id`, `chosen`: an id in a query string or a button's hidden field, where a value that is
  not an id is a 404, like the id of something that does not exist;
- `ModelChoiceByIdField`, `ModelMultipleChoiceByIdField`: a choice of records by id;
- `IdConverter`: `<id:lesson_id>` in URL patterns, registered in CoreConfig.ready().
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import Http404

# Ids are BigAutoField (DEFAULT_AUTO_FIELD), the same range on SQLite and PostgreSQL.
ID_MAX = 2**63 - 1
# ASCII digits, no sign, no spaces; 19 digits hold every id (and int() of them is cheap).
_DIGITS = re.compile(r"[0-9]{1,19}")

Item = TypeVar("Item", bound=Model)


class BoundedIntegerField(forms.IntegerField):
    """A whole number typed or sent as ASCII digits, within [min_value, max_value].

    Unlike forms.IntegerField it refuses "²", "𝟙", " 1", "1.0", "-1" and "+1", and it always has
    bounds, so the number fits the column it is compared with or stored in.
    """

    def __init__(
        self, *, min_value: int, max_value: int, strip: bool = False, **kwargs: Any
    ) -> None:
        self.strip = strip  # typed by hand into a text box: spaces around it are dropped
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)

    def to_python(self, value: Any) -> int | None:
        if self.strip and isinstance(value, str):
            value = value.strip()
        if value in self.empty_values:
            return None
        if not _DIGITS.fullmatch(str(value)):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(value)


class IdField(BoundedIntegerField):
    """A record's id; anything else, too large included, is refused with `message`."""

    widget = forms.HiddenInput

    def __init__(self, *, message: str = "Нет такой записи.", **kwargs: Any) -> None:
        messages = {"invalid": message, "min_value": message, "max_value": message}
        kwargs["error_messages"] = {**messages, **kwargs.get("error_messages", {})}
        super().__init__(min_value=1, max_value=ID_MAX, **kwargs)


_ID = IdField()


def parse_id(value: str | None) -> int | None:
    """The id a query parameter (or a button's hidden field) names: None when absent or empty;
    a 404 when it is anything but an id."""
    if not value:
        return None
    try:
        return _ID.clean(value)
    except ValidationError:
        raise Http404 from None


def chosen(items: Sequence[Item], value: str | None) -> Item | None:
    """The item whose id the parameter names; None when it names none; 404 for a value that
    is not the id of one of them."""
    item_id = parse_id(value)
    if item_id is None:
        return None
    for item in items:
        if item.pk == item_id:
            return item
    raise Http404


def _check_id(field: forms.Field, value: Any) -> None:
    """A value that is not an id is not one of the choices: refused before any query."""
    if isinstance(value, Model):
        return
    try:
        _ID.clean(value)
    except ValidationError:
        raise ValidationError(
            field.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        ) from None


class ModelChoiceByIdField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A ModelChoiceField whose value must be an id (Django's would take "𝟙" for 1)."""

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values:
            _check_id(self, value)
        return super().to_python(value)


class ModelMultipleChoiceByIdField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """A ModelMultipleChoiceField whose values must be ids (Django's passes an id past 2**63
    to `pk__in`, which SQLite cannot bind)."""

    def clean(self, value: Any) -> Any:
        for item in value if isinstance(value, list | tuple) else ():  # else: Django refuses it
            _check_id(self, item)
        return super().clean(value)


class IdConverter:
    """`<id:name>` in a URL: an id by IdField's rule; anything else does not match (404)."""

    regex = _DIGITS.pattern

    def to_python(self, value: str) -> int:
        try:
            number: int = _ID.clean(value)
        except ValidationError:
            raise ValueError(value) from None
        return number

    def to_url(self, value: int) -> str:
        return str(value)
