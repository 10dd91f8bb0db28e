"""The upload form: only the file's presence and size; its content is judged by the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from .parse import RosterFileError, check_roster_size, megabytes


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label="Файл со списком учеников",
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )

    def __init__(self, *args: Any, upload_stopped: bool = False, **kwargs: Any) -> None:
        """`upload_stopped`: core.uploads.UploadLimit threw the file away as too large, so the
        field has no file to show, and says why."""
        super().__init__(*args, **kwargs)
        limit = megabytes(settings.EJOURNAL_ROSTER_MAX_BYTES)
        self.fields["file"].help_text = f"Таблица XLSX или CSV, не больше {limit} МБ."
        if upload_stopped:
            self.fields["file"].error_messages["required"] = (
                f"Файл слишком большой: можно загрузить не больше {limit} МБ."
            )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        try:
            check_roster_size(upload.size or 0)
        except RosterFileError as error:
            raise forms.ValidationError(str(error)) from error
        return upload
