"""The upload page's form: it parses input; ``search.ingest.actions`` acts on it."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.forms import BootstrapForm

from .upload_checks import checked_format, max_upload_bytes


class UploadForm(BootstrapForm):
    system = forms.ModelChoiceField(label=_("Linked system"), queryset=None)
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, systems, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = systems
        self.fields["file"].widget.attrs["accept"] = ".csv,.jsonl,.ndjson,.txt"
        self.fields["file"].help_text = _(
            "CSV with a header row, or JSON Lines (one object a line); UTF-8 or GB18030; up to %(size)s."
        ) % {"size": f"{max_upload_bytes() // (1024 * 1024)} MB"}

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is not None:
            try:
                cleaned["format"] = checked_format(upload)
            except ValidationError as error:
                self.add_error("file", error)
        return cleaned
