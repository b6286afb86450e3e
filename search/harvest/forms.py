"""Forms of the clue pages: they parse input; ``search.harvest.actions`` acts on it. Pushing a
clue reuses the board's new-issue form and its checks."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.forms import BootstrapForm
from issues.forms import TEXT_LIMIT, NewIssueForm


class RecordIdsField(forms.Field):
    """Linked record ids posted as repeated values (the search page's ticked hits)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        try:
            return list(dict.fromkeys(int(item) for item in value or ()))
        except (TypeError, ValueError):
            raise ValidationError(_("Choose records from a search.")) from None

    def validate(self, value):
        if not value:
            raise ValidationError(_("Tick at least one hit."))


class ClueForm(BootstrapForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 5}), max_length=TEXT_LIMIT, required=False,
        help_text=_("What the records suggest, and what should be checked."),
    )
    records = RecordIdsField()
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)


class AddEvidenceForm(forms.Form):
    """Posted by the search page's hits form: the ticked hits are its ``record`` checkboxes."""

    clue = forms.IntegerField()
    record = RecordIdsField()
    q = forms.CharField(required=False, max_length=2000)


class PushClueForm(NewIssueForm):
    """The board's push form without what the clue gives itself: title, description, source, files."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("title", "description", "source", "attachments"):
            del self.fields[name]
