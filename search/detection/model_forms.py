"""Forms of the model-building pages: what a warning model is called and where it belongs
(``ModelForm``), and a template's parameters form narrowed to what the owning agency may use
(``parameters_form``). They parse input; ``actions.create_model`` and ``actions.save_version``
check it again and make the change."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import BootstrapForm

from . import patterns
from .models import Scenario, ScreeningList, Severity, WarningModel
from .patterns.base import SystemField, SystemsField
from .permissions import readable_systems

NOTE_LIMIT = 2_000
KEY_LENGTH = WarningModel._meta.get_field("key").max_length
NAME_LENGTH = WarningModel._meta.get_field("name").max_length
PREFIX = "p"  # the parameters' fields, kept apart from the model's own (both forms post together)


class ModelForm(BootstrapForm):
    """A new model's name, key and scenario, and the severity and note of the version being
    saved. Saving a model again makes a new version: only the severity and note are asked then
    (the name, the scenario and the key, of which warnings' fingerprints are made, stay)."""

    name = forms.CharField(label=_("Model name"), max_length=NAME_LENGTH)
    key = forms.SlugField(label=_("Key"), max_length=KEY_LENGTH,
                          help_text=_("Letters, digits and hyphens; fixed once the model is made."))
    scenario = forms.ModelChoiceField(label=_("Scenario"), queryset=Scenario.objects.all(),
                                      empty_label=None)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, initial=Severity.MEDIUM)
    note = forms.CharField(label=_("Note on this version"), required=False, max_length=NOTE_LIMIT,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("What this version changes, and why."))

    def __init__(self, *args, model: WarningModel | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if model is not None:
            for name in ("name", "key", "scenario"):
                del self.fields[name]


def parameters_form(template: str, agency, *, data=None, initial=None) -> patterns.PatternForm:
    """The template's parameters form, offering only the linked systems and screening lists the
    agency's models may read: another system posted anyway is refused by the field's choices,
    and by the action (a system named in a relation path's hops) if it gets that far."""
    pattern = patterns.template(template)
    form = pattern.form_class(data, initial=initial, prefix=PREFIX)
    readable = readable_systems(agency)
    for field in form.fields.values():
        if isinstance(field, SystemField | SystemsField):
            field.choices = [(code, label) for code, label in field.choices if not code or code in readable]
    if "screening_list" in form.fields:
        form.fields["screening_list"].choices = list(
            ScreeningList.objects.filter(agency=agency).values_list("code", "name")
        )
    return form

