"""The new-issue page's form: it parses input and proposes the deadline of the deadline policy;
``issues.workflow.push`` acts on it."""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from common.forms import BootstrapForm, DateInput

from .deadlines.policy import Suggestion, proposed_deadline, suggestions
from .models import Category, Priority, Source
from .workflow.forms import (
    TEXT_LIMIT,
    AgencyChoiceField,
    AgencyMultipleChoiceField,
    AttachmentsField,
    not_past,
    use_agencies,
)

__all__ = ["TEXT_LIMIT", "NewIssueForm", "deadline_help"]


def deadline_help(suggestion: Suggestion | None) -> str:
    """What the deadline field says under it, in the reader's language (the form is built per request)."""
    if suggestion is None:
        return gettext("No deadline policy covers this category and priority: choose a date or none.")
    text = gettext("By the deadline policy of this category and priority: %(suggestion)s; it can be changed.")
    return text % {"suggestion": suggestion.text}


class NewIssueForm(BootstrapForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 6}), max_length=TEXT_LIMIT
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL)
    # Proposed by the deadline policy of the category and priority chosen; the page's script
    # (issues/deadline-suggestion.js) follows a change of either with the data set in __init__.
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput, required=False)
    lead = AgencyChoiceField(label=_("Lead handler"), queryset=Agency.objects.none())
    co_handlers = AgencyMultipleChoiceField(
        label=_("Co-handlers"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    copied = AgencyMultipleChoiceField(
        label=_("Copy to"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    attachments = AttachmentsField(label=_("Attachments"))

    def __init__(self, *args, initiator: Agency | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.initiator = initiator
        use_agencies(self, "lead", "co_handlers", "copied", exclude=initiator)
        self._propose_deadline()

    def _chosen(self, name: str) -> str:
        if self.is_bound:
            return self.data.get(self.add_prefix(name), "")
        return self.initial.get(name) or self.fields[name].initial or self.fields[name].choices[0][0]

    def _propose_deadline(self) -> None:
        proposed = suggestions()
        field = self.fields["deadline"]
        chosen = proposed.get((self._chosen("category"), self._chosen("priority")))
        if not self.is_bound and "deadline" not in self.initial:
            field.initial = chosen.deadline if chosen else None
        field.help_text = deadline_help(chosen)
        field.widget.attrs["data-deadline-from"] = " ".join(map(self.add_prefix, ("category", "priority")))
        field.widget.attrs["data-deadline-suggestions"] = json.dumps(
            {
                f"{category}|{priority}": {
                    "date": suggestion.deadline.isoformat() if suggestion else "",
                    "help": str(deadline_help(suggestion)),
                }
                for category in Category.values
                for priority in Priority.values
                for suggestion in [proposed.get((category, priority))]
            },
            ensure_ascii=False,
        )

    def clean_title(self):
        return self.cleaned_data["title"].strip()

    def clean_deadline(self):
        return not_past(self.cleaned_data.get("deadline"))

    def clean(self):
        cleaned = super().clean()
        lead = cleaned.get("lead")
        co_handlers = cleaned.get("co_handlers") or []
        if lead is not None and lead in co_handlers:
            self.add_error("co_handlers", _("The lead handler cannot also be a co-handler."))
        handlers = {a.pk for a in co_handlers} | ({lead.pk} if lead else set())
        if any(body.pk in handlers for body in cleaned.get("copied") or []):
            self.add_error("copied", _("A handler is already a party; copy other bodies."))
        # Left empty, the deadline is the policy's for the chosen category and priority.
        if cleaned.get("deadline") is None and cleaned.get("category") and cleaned.get("priority"):
            cleaned["deadline"] = proposed_deadline(cleaned["category"], cleaned["priority"])
        return cleaned
