"""The forms of the issue page's actions, and the fields the new-issue page shares with them:
they parse input; the actions (``issues.workflow``) act on it."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from agencies.names import search_keys
from common.forms import BootstrapForm, DateInput

from ..attachments import ALLOWED_EXTENSIONS, MAX_ATTACHMENT_SIZE, validate_uploads

TEXT_LIMIT = 5000


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return obj.display_name


class AgencyMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return obj.display_name


def active_agencies():
    agencies = Agency.objects.filter(is_active=True).select_related("region")
    return agencies.order_by("level", "region__code", "code")


def grouped_agency_choices(agencies, *, blank: bool):
    """Agencies grouped by region, in the order of ``active_agencies``: a long list stays findable."""
    groups: dict[str, list] = {}
    for agency in agencies:
        groups.setdefault(agency.region.display_name, []).append((agency.pk, agency.display_name))
    choices = list(groups.items())
    return [("", "---------"), *choices] if blank else choices


class _AgencyOptions:
    """Each option carries the agency's search keys (``data-search``): the type-to-filter box
    matches short and common names and pinyin initials, not only the name shown."""

    search: dict[str, str] = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        keys = self.search.get(str(value))
        if keys:
            option["attrs"]["data-search"] = keys
        return option


class AgencySelect(_AgencyOptions, forms.Select):
    pass


class AgencySelectMultiple(_AgencyOptions, forms.SelectMultiple):
    pass


def use_agencies(form, *names, exclude: Agency | None = None) -> None:
    """Offer the active agencies (but ``exclude``) in the named fields, grouped, filterable."""
    agencies = active_agencies()
    if exclude is not None:
        agencies = agencies.exclude(pk=exclude.pk)
    listed = list(agencies)
    search = {str(agency.pk): search_keys(agency) for agency in listed}
    for name in names:
        field = form.fields[name]
        field.queryset = agencies
        single = not isinstance(field, forms.ModelMultipleChoiceField)
        widget = (AgencySelect if single else AgencySelectMultiple)(attrs=field.widget.attrs)
        widget.search, widget.is_required = search, field.required
        field.widget = widget
        field.choices = grouped_agency_choices(listed, blank=single)
        field.widget.attrs["data-filterable"] = "true"
        field.widget.attrs["data-filter-placeholder"] = _("Type a name, short name or pinyin initials (zjj)")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files at once (Django's documented pattern), checked for size, type and content."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            _("Up to %(size)s each: %(types)s")
            % {
                "size": f"{MAX_ATTACHMENT_SIZE // (1024 * 1024)} MB",
                "types": " ".join(sorted(ALLOWED_EXTENSIONS)),
            },
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        items = data if isinstance(data, list | tuple) else [data]
        files = [single(item, initial) for item in items]
        files = [f for f in files if f]
        validate_uploads(files)
        return files


def not_past(value):
    if value is not None and value < timezone.localdate():
        raise ValidationError(_("The date cannot be in the past."))
    return value


# --- the issue page's action forms -------------------------------------------------------------


class ActionForm(BootstrapForm):
    """Base of every action form; the assignment, when the action is on one, comes as a hidden field."""

    compact = True
    assignment = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # The agency the page was shown for: a user who switched agency in another tab still acts
    # for the one whose buttons they pressed.
    agency = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, acting_agency: Agency | None = None, **kwargs):
        # Lists of bodies leave out the agency acting: no action sends work to itself.
        self.acting_agency = acting_agency
        super().__init__(*args, **kwargs)

    @property
    def target_key(self):
        """What the form acts on, for the ids of its folded panel: the assignment, or the issue."""
        return self["assignment"].value() or "issue"


class ReasonForm(ActionForm):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_LIMIT
    )


class DeclineForm(ReasonForm):
    # Optional, as in ``issues.workflow.decline``: a department often knows only that it is not its own.
    suggested = AgencyChoiceField(
        label=_("Suggested body"),
        queryset=Agency.objects.none(),
        required=False,
        help_text=_("Which body should handle it instead."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_agencies(self, "suggested", exclude=self.acting_agency)


class TransferForm(ReasonForm):
    to = AgencyChoiceField(label=_("Transfer to"), queryset=Agency.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_agencies(self, "to", exclude=self.acting_agency)


class AssignForm(ActionForm):
    co_handlers = AgencyMultipleChoiceField(
        label=_("Co-handlers"), queryset=Agency.objects.none(), widget=forms.SelectMultiple(attrs={"size": 6})
    )
    deadline = forms.DateField(
        label=_("Their deadline"),
        widget=DateInput,
        required=False,
        help_text=_("Leave empty to give them the lead's deadline."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_agencies(self, "co_handlers", exclude=self.acting_agency)

    def clean_deadline(self):
        return not_past(self.cleaned_data.get("deadline"))


class ReportForm(ActionForm):
    text = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 5}), max_length=TEXT_LIMIT
    )
    attachments = AttachmentsField(label=_("Evidence"))


class UrgeForm(ActionForm):
    text = forms.CharField(
        label=_("Instructions"), widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_LIMIT
    )
    due_date = forms.DateField(label=_("Due"), widget=DateInput)

    def clean_due_date(self):
        return not_past(self.cleaned_data.get("due_date"))


class BodiesForm(ActionForm):
    bodies = AgencyMultipleChoiceField(
        label=_("Bodies"), queryset=Agency.objects.none(), widget=forms.SelectMultiple(attrs={"size": 6})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_agencies(self, "bodies", exclude=self.acting_agency)


class ConsultForm(BodiesForm):
    question = forms.CharField(
        label=_("Question"), widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_LIMIT
    )


class CommentForm(ActionForm):
    text = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_LIMIT
    )


class CommentCorrectionForm(ActionForm):
    """A correction of one comment, named by a hidden field."""

    # Read by the view as a number; anything else names no comment of the issue, which the
    # action says in words (a hidden field's own error would show nowhere).
    comment = forms.CharField(widget=forms.HiddenInput, required=False)

    @property
    def target_key(self):
        return self["comment"].value() or "issue"


class AmendCommentForm(CommentCorrectionForm):
    text = forms.CharField(
        label=_("Corrected comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_LIMIT
    )


class WithdrawCommentForm(CommentCorrectionForm):
    reason = forms.CharField(
        label=_("Why (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=TEXT_LIMIT,
        required=False,
    )


class ReopenForm(ReasonForm):
    deadline = forms.DateField(
        label=_("New deadline"),
        widget=DateInput,
        required=False,
        help_text=_("For every handler working on again; leave empty to keep their deadlines."),
    )

    def clean_deadline(self):
        return not_past(self.cleaned_data.get("deadline"))


class CloseForm(ActionForm):
    summary = forms.CharField(
        label=_("Verification summary"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_LIMIT,
        required=False,
    )


class ExtensionRequestForm(ReasonForm):
    deadline = forms.DateField(label=_("Proposed deadline"), widget=DateInput)

    def clean_deadline(self):
        return not_past(self.cleaned_data.get("deadline"))


class GrantExtensionForm(ActionForm):
    deadline = forms.DateField(
        label=_("New deadline"),
        widget=DateInput,
        required=False,
        help_text=_("Leave empty to grant the date asked for."),
    )

    def clean_deadline(self):
        return not_past(self.cleaned_data.get("deadline"))
