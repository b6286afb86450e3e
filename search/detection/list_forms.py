"""Forms of the screening lists and exemptions: they parse input; ``search.detection.actions``
and ``search.detection.triage`` act on it."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import BootstrapForm, DateInput

from ..models import KeyKind
from .triage import REASON_MAX_LENGTH

# An exemption is looked at again at least every two years: a benign account or company can
# change hands, and a key exempted for ever would hide it.
LONGEST_EXEMPTION = datetime.timedelta(days=2 * 366)
USUAL_EXEMPTION = datetime.timedelta(days=365)
ALL_MODELS, THIS_MODEL = "all", "model"


class ScreeningListForm(BootstrapForm):
    code = forms.SlugField(label=_("Code"), max_length=60,
                           help_text=_("Letters, digits, hyphens; how a model names the list."))
    name = forms.CharField(label=_("List name"), max_length=150)
    source = forms.CharField(label=_("Source of the list"), max_length=150, required=False,
                             help_text=_("Who published the list, and when."))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "list-%s")
        super().__init__(*args, **kwargs)


class UploadForm(BootstrapForm):
    file = forms.FileField(label=_("File (.csv or .xlsx)"), help_text=_(
        "The first row names the columns: kind, value, and optionally name and note."))
    kind = forms.ChoiceField(label=_("Kind of every row"), required=False,
                             choices=[("", _("From the file's “kind” column"))] + list(KeyKind.choices))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "upload-%s")
        super().__init__(*args, **kwargs)


class ExemptForm(BootstrapForm):
    subject = forms.TypedChoiceField(label=_("Subject"), coerce=int, widget=forms.RadioSelect)
    scope = forms.ChoiceField(label=_("For"), widget=forms.RadioSelect, initial=THIS_MODEL, choices=[
        (THIS_MODEL, _("This warning model")), (ALL_MODELS, _("Every warning model of the agency"))])
    reason = forms.CharField(label=_("Why the key is benign"), max_length=REASON_MAX_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 2}))
    expires_on = forms.DateField(label=_("Until"), widget=DateInput,
                                 help_text=_("At most two years from today."))
    dispose = forms.BooleanField(label=_("Dispose of this warning as explained, by the same reason"),
                                 required=False, initial=True,
                                 widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))

    def __init__(self, *args, subjects, **kwargs):
        """``subjects``: the warning's subjects as the reader sees them (``reading.Subject``)."""
        kwargs.setdefault("auto_id", "exempt-%s")
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [
            (index, f"{subject.kind_label} {subject.value}") for index, subject in enumerate(subjects)]
        if len(subjects) == 1:
            self.fields["subject"].initial = 0
        self.fields["expires_on"].initial = timezone.localdate() + USUAL_EXEMPTION

    def clean_expires_on(self):
        expires_on = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if expires_on <= today:
            raise forms.ValidationError(_("Choose a day after today."))
        if expires_on > today + LONGEST_EXEMPTION:
            raise forms.ValidationError(
                _("An exemption lasts at most two years; look at the key again then."))
        return expires_on
