"""Forms of the investigator's background work: batch searches and saved searches.

Exports need no form of their own: they take the search page's query string, read by the
search page's own form (search.investigate.forms.SearchForm), so an export means what the page showed.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from common.forms import BootstrapForm

from ..models import BatchKind
from .batch import MAX_TERMS, MAX_UPLOAD_BYTES, TermListError, decode, read_terms

SEARCH_NAME = pgettext_lazy("a saved or batch search", "Search name")


def _terms_help() -> str:
    return gettext("One term a line; at most %(limit)d terms.") % {"limit": MAX_TERMS}


class BatchSearchForm(BootstrapForm):
    name = forms.CharField(label=SEARCH_NAME, max_length=100, required=False)
    kind = forms.ChoiceField(label=_("The list holds"), choices=BatchKind.choices, initial=BatchKind.NAMES)
    file = forms.FileField(
        label=_("A file"),
        required=False,
        help_text=_(".txt or .csv, one term a line (a CSV's first column), UTF-8 or GB18030, up to 1 MB"),
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.csv,text/plain,text/csv"}),
    )
    text = forms.CharField(
        label=_("Or paste the list"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        # Formatted when shown, not when this module is imported, so it is in the reader's language.
        help_text=lazy(_terms_help, str)(),
    )
    purpose = forms.CharField(label=_("Stated purpose (查询事由)"), max_length=500, required=False)

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        text = cleaned.get("text") or ""
        if upload is not None:
            if upload.size > MAX_UPLOAD_BYTES:
                raise ValidationError(_("The file is larger than 1 MB."))
            try:
                text = decode(upload.read())
            except TermListError as error:
                raise ValidationError(str(error)) from None
        if not text.strip():
            raise ValidationError(_("Choose a file or paste the list."))
        try:
            cleaned["terms"] = read_terms(text, cleaned.get("kind") or BatchKind.KEYWORDS)
        except TermListError as error:
            raise ValidationError(str(error)) from None
        return cleaned


class SaveSearchForm(BootstrapForm):
    name = forms.CharField(label=SEARCH_NAME, max_length=100)
    alerts = forms.BooleanField(label=_("Tell me about new records"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alerts"].widget.attrs["class"] = "form-check-input"


class RenameForm(BootstrapForm):
    name = forms.CharField(label=SEARCH_NAME, max_length=100)
