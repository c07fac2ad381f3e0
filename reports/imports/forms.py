"""The upload form of an import: one file, read (and refused, in Dutch) here."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from core.formatting import format_number
from core.forms import ErrorSummaryMixin

from .files import Upload, read_upload, size_text


class UploadForm(ErrorSummaryMixin, forms.Form):
    bestand = forms.FileField(
        label="Bestand",
        error_messages={
            "required": "Kies een bestand (.xlsx of .csv).",
            "empty": "Het bestand is leeg.",
            "invalid": "Kies een bestand (.xlsx of .csv).",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bestand"].help_text = (
            f"Een Excel-werkmap (.xlsx) of CSV-bestand, hoogstens "
            f"{size_text(settings.IMPORT_MAX_BYTES)} en "
            f"{format_number(settings.IMPORT_MAX_ROWS)} rijen. Begin met het sjabloon."
        )
        self.upload: Upload | None = None
        self.content = b""

    def clean_bestand(self):
        file = self.cleaned_data["bestand"]
        if file.size > settings.IMPORT_MAX_BYTES:
            raise ValidationError(
                f"'{file.name}' is {size_text(file.size)}; een bestand mag hoogstens "
                f"{size_text(settings.IMPORT_MAX_BYTES)} zijn."
            )
        self.content = file.read()
        self.upload = read_upload(file.name, self.content)
        return file
