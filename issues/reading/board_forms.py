"""The board's query string, read by one form: tab, filters, sort and page cursor.

A field with a bad value (a malformed date, an agency that is not on the list) gets its
message and is left out of the filters; the rest still apply, so the page always renders.
Tab, sort and cursor only ever come from the page's own links: an unknown value falls back to
the default quietly instead of showing the user an error about a link they did not type.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agencies.models import Agency, SupervisionClass
from agencies.queries import active_agencies, in_directory_order
from common.forms import BootstrapForm, DateInput

from ..deadlines.lights import Light
from .board import SORT_LABELS, TAB_SLUGS, BoardFilters

DEFAULT_SORT = "updated"
KEYWORD_MAX_LENGTH = 100
# The filters a user sets in the form; tab, sort and cursor are the page's own navigation.
FILTER_FIELDS = ("supervision_class", "agency", "light", "due_from", "due_to", "q")


class SearchInput(forms.TextInput):
    input_type = "search"


def agency_choices(exclude: Agency | None = None) -> list:
    """Active agencies grouped by region (<optgroup>), in directory order, as (code, name).

    A plain select rather than a search widget: a few hundred options render fast, work without
    script and need nothing from a CDN.
    """
    queryset = in_directory_order(active_agencies().select_related("region"))
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude.pk)
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    region_id = None
    for agency in queryset.only("code", "name", "name_en", "region__name", "region__name_en"):
        if agency.region_id != region_id:
            region_id = agency.region_id
            groups.append((agency.region.display_name, []))
        groups[-1][1].append((agency.code, agency.display_name))
    return [("", _("Any agency")), *groups]


class BoardForm(BootstrapForm):
    # A filter bar: small controls beside a keyword box of the full size.
    compact = True
    full_size = ("q",)
    unstyled = ("cursor",)
    errors_described = True

    tab = forms.CharField(required=False, widget=forms.HiddenInput)
    supervision_class = forms.ChoiceField(
        label=_("Supervision class"),
        required=False,
        choices=[("", _("All classes")), *SupervisionClass.choices],
    )
    agency = forms.ChoiceField(label=_("Agency involved"), required=False)
    light = forms.ChoiceField(
        label=pgettext_lazy("traffic light", "Light"),
        required=False,
        choices=[("", _("All lights")), *Light.choices],
    )
    due_from = forms.DateField(label=_("Due from"), required=False, widget=DateInput)
    due_to = forms.DateField(label=_("Due until"), required=False, widget=DateInput)
    q = forms.CharField(
        label=_("Keyword"),
        required=False,
        max_length=KEYWORD_MAX_LENGTH,
        widget=SearchInput(attrs={"placeholder": _("Title words or issue number")}),
    )
    # A select over the known sorts, but cleaned leniently (clean_sort), not as a choice field.
    sort = forms.CharField(
        label=pgettext_lazy("order of a list", "Sort"),
        required=False,
        # Shown beside the list, outside the <form>: the HTML form attribute still ties it to it.
        widget=forms.Select(
            choices=list(SORT_LABELS.items()),
            attrs={"form": "board-filters", "onchange": "this.form.requestSubmit()"},
        ),
    )
    cursor = forms.CharField(required=False)

    def __init__(self, data=None, *, agency: Agency | None = None):
        """``agency`` is the one the user acts for: it is party to everything it sees, so it is
        no use as a filter and is left off the list."""
        super().__init__(data)
        self.fields["agency"].choices = agency_choices(exclude=agency)

    def clean_tab(self) -> str:
        tab = self.cleaned_data["tab"]
        return tab if tab in TAB_SLUGS else ""

    def clean_sort(self) -> str:
        sort = self.cleaned_data["sort"]
        return sort if sort in SORT_LABELS else DEFAULT_SORT

    def clean_agency(self):
        code = self.cleaned_data["agency"]
        if not code:
            return None
        # The choice field has already refused codes that are not on the list.
        return active_agencies().filter(code=code).first()

    def clean(self):
        cleaned = super().clean()
        due_from, due_to = cleaned.get("due_from"), cleaned.get("due_to")
        if due_from and due_to and due_from > due_to:
            self.add_error("due_to", _("The end of the deadline range is before its start."))
        return cleaned

    # --- what the view asks for; valid fields only, whatever happened to the others ----------

    def _value(self, name, default=None):
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name, default)

    # Not named after their fields: a property called "tab" would hide the field of that name.
    @property
    def tab_slug(self) -> str:
        return self._value("tab", "")

    @property
    def sort_key(self) -> str:
        return self._value("sort", DEFAULT_SORT)

    @property
    def page_cursor(self) -> str:
        return self._value("cursor", "")

    def board_filters(self) -> BoardFilters:
        return BoardFilters(
            supervision_class=self._value("supervision_class", ""),
            agency=self._value("agency"),
            light=self._value("light", ""),
            due_from=self._value("due_from"),
            due_to=self._value("due_to"),
            keyword=self._value("q", ""),
        )

    @property
    def has_filters(self) -> bool:
        """Whether the user set any filter (valid or not): the phone layout then opens them."""
        return bool(self.data) and any(self.data.get(name) for name in FILTER_FIELDS)

    @property
    def filter_fields(self):
        # The agency first: on a phone it takes a whole line, and the others then pair up.
        return [self[name] for name in ("agency", "supervision_class", "light", "due_from", "due_to")]
