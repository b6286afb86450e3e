"""Forms of the triage pages: they parse input; ``search.detection.triage`` acts on it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import BootstrapForm

from ..masking import mask_text
from .models import Scenario, Severity, WarningState
from .permissions import agency_models
from .reading import members_of
from .triage import DISPOSED_WITHOUT_CLUE, REASON_MAX_LENGTH

MINE, UNASSIGNED = "mine", "none"
CONFIRM, CONFIRM_AND_PUSH = "confirm", "confirm_push"


class TriageFilterForm(BootstrapForm):
    """The list's filters, from the address; a value that is not one of the choices is ignored."""

    compact = True

    scenario = forms.ModelChoiceField(label=_("Scenario"), queryset=Scenario.objects.none(), required=False,
                                      empty_label=_("All scenarios"))
    model = forms.ModelChoiceField(label=_("Warning model"), queryset=None, required=False,
                                   empty_label=_("All models"))
    severity = forms.ChoiceField(label=_("Severity"), required=False,
                                 choices=[("", _("All severities")), *Severity.choices])
    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=[("", _("All states")), *WarningState.choices])
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False, choices=[
        ("", _("Anyone or no one")), (MINE, _("Me")), (UNASSIGNED, _("No one yet")),
    ])

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        models = agency_models(agency)
        self.fields["model"].queryset = models
        self.fields["scenario"].queryset = Scenario.objects.filter(models__agency=agency).distinct()

    # The filters that are one lookup each, by field.
    LOOKUPS = {"scenario": "model__scenario", "model": "model", "severity": "severity", "state": "state"}

    def apply(self, warnings, user):
        """``warnings`` narrowed by every filter that parsed; one that did not (a hand-edited
        address) is left out, as Django leaves it out of ``cleaned_data``."""
        self.is_valid()
        data = self.cleaned_data
        chosen = {lookup: data[name] for name, lookup in self.LOOKUPS.items() if data.get(name)}
        warnings = warnings.filter(**chosen)
        if data.get("assignee") == MINE:
            warnings = warnings.filter(assigned_to=user)
        elif data.get("assignee") == UNASSIGNED:
            warnings = warnings.filter(assigned_to__isnull=True)
        return warnings


class AssignForm(BootstrapForm):
    assignee = forms.ModelChoiceField(label=_("Assign to"), queryset=None)

    def __init__(self, *args, agency, **kwargs):
        kwargs.setdefault("auto_id", "assign-%s")  # three forms on the warning page: ids of their own
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = members_of(agency)
        self.fields["assignee"].label_from_instance = lambda user: user.get_full_name() or user.get_username()


class ReasonField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(label=_("Reason"), max_length=REASON_MAX_LENGTH,
                         widget=forms.Textarea(attrs={"rows": 3}), **kwargs)


class DisposeForm(BootstrapForm):
    state = forms.ChoiceField(label=_("Disposition"), choices=[
        (state.value, state.label) for state in DISPOSED_WITHOUT_CLUE
    ], widget=forms.RadioSelect)
    reason = ReasonField()
    duplicate_of = forms.IntegerField(label=_("Duplicate of warning no."), required=False, min_value=1,
                                      help_text=_("For a duplicate: the number of the warning it repeats."))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "dispose-%s")
        super().__init__(*args, **kwargs)


class ConfirmForm(BootstrapForm):
    """Confirmed: a new clue of the evidence, or the evidence added to a clue not yet pushed."""

    reason = ReasonField()
    title = forms.CharField(label=_("Title of the new clue"), max_length=200, required=False,
                            help_text=_("Empty: named after the warning."))
    clue = forms.ModelChoiceField(label=_("Or add to the clue"), queryset=None, required=False,
                                  empty_label=_("— a new clue —"))
    then = forms.ChoiceField(choices=[(CONFIRM, CONFIRM), (CONFIRM_AND_PUSH, CONFIRM_AND_PUSH)],
                             required=False, widget=forms.HiddenInput)

    def __init__(self, *args, clues, titles: dict[int, str], **kwargs):
        """``clues``: those the warning may join; ``titles``: theirs as the reader may read them
        (``search.harvest.clues.with_words``), as a title may hold a number typed into it."""
        kwargs.setdefault("auto_id", "confirm-%s")
        super().__init__(*args, **kwargs)
        self.fields["clue"].queryset = clues
        self.fields["clue"].label_from_instance = lambda clue: titles.get(clue.pk) or mask_text(clue.title)


class BulkForm(BootstrapForm):
    """What to do with the list's ticked warnings (their ``warning`` checkboxes, which the view
    hands to the action as posted: it refuses ids that are not the agency's open warnings)."""

    ASSIGN, DISPOSE = "assign", "dispose"

    do = forms.ChoiceField(choices=[(ASSIGN, ASSIGN), (DISPOSE, DISPOSE)], widget=forms.HiddenInput)
    assignee = forms.ModelChoiceField(label=_("Assign to"), queryset=None, required=False)
    state = forms.ChoiceField(label=_("Disposition"), required=False, choices=[
        ("", "—"), *((state.value, state.label) for state in DISPOSED_WITHOUT_CLUE)
    ])
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX_LENGTH, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = members_of(agency)
        self.fields["assignee"].label_from_instance = lambda user: user.get_full_name() or user.get_username()


class StatisticsForm(BootstrapForm):
    """The statistics page's filters, from the address."""

    compact = True

    scenario = forms.ModelChoiceField(label=_("Scenario"), queryset=None, required=False,
                                      empty_label=_("All scenarios"))
    first_seen_from = forms.DateField(label=_("First seen from"), required=False,
                                      widget=forms.DateInput(attrs={"type": "date"}))
    first_seen_to = forms.DateField(label=_("First seen until"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scenario"].queryset = Scenario.objects.filter(models__agency=agency).distinct()

    def chosen(self) -> list[tuple[str, str]]:
        """(label, value) of the filters in use, in the page's words (the spreadsheet heading)."""
        data = self.cleaned_data if self.is_valid() else {}
        return [(str(self.fields[name].label), str(value)) for name, value in data.items() if value]
