from __future__ import annotations

from django import forms

from ..models import User


class NamesForm(forms.ModelForm):  # type: ignore[type-arg]
    """A parent's (or the curator's) own name, as they gave it at registration."""

    class Meta:
        model = User
        fields = ["last_name", "first_name", "middle_name"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["last_name"].required = True
        self.fields["first_name"].required = True
