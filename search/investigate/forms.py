"""The search page's query string, read by one form: query, filters, sort, purpose and page token.

The same form reads the ``query_string`` the search page hands to exports and saved searches,
so a result set means the same thing wherever it is taken.

Fields with a bad value (a malformed date, a date outside the years records can hold, an amount
that is not a number or beyond what a record can hold) get their message and are left out; the
rest still apply. Facet values are kept only when they are among what the
reader may see: a system the reader may not read is dropped without a word, so that the answer
does not reveal it exists. Sort and page token come only from the page's own links: an unknown
sort falls back to relevance; a damaged token is reported, never a server error.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.db.models import Q
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agencies.models import Agency
from common.forms import BootstrapForm, DateInput

from ..index.query import MAX_QUERY_LENGTH, QuerySyntaxError
from ..index.types import SORTS, Filters
from ..models import AccessAction
from . import permissions
from .interpret import read

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# Parameters that only move through the pages of one result set; everything else defines it.
PAGING_PARAMETERS = ("after", "size")
FACET_PARAMETERS = {"system": "systems", "region": "regions", "agency": "agencies", "year": "years"}
SORT_LABELS = {
    "relevance": pgettext_lazy("sort order", "Relevance"),
    "date": pgettext_lazy("sort order", "Newest first"),
    "amount": pgettext_lazy("sort order", "Largest amount first"),
}


# The dates a range may name: every record falls between them, and both backends can count a day
# past either end (0001-01-01 or 9999-12-31 would overflow a date once the time zone is applied).
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2099, 12, 31)
# A facet value comes from the page's own links: a code or a year. Longer ones are no code.
MAX_FACET_VALUE_LENGTH = 100
ECHO_AROUND = 60  # characters of the query shown on each side of a syntax error's place



@dataclass(frozen=True)
class Cursor:
    """Where the next page starts: the last hit's sort values and the snapshot they belong to."""

    after: list
    pit: str | None
    page: int  # the number of the page it opens, for "page N"

    def token(self) -> str:
        raw = json.dumps({"a": self.after, "p": self.pit, "n": self.page}, separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def from_token(cls, token: str) -> Cursor:
        """The cursor in ``token``; ValueError when it is not one this page made."""
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            data = json.loads(raw)
            after, pit, page = data["a"], data["p"], data["n"]
        except (binascii.Error, ValueError, TypeError, KeyError, UnicodeDecodeError) as error:
            raise ValueError("not a page token") from error
        valid = (
            isinstance(after, list)
            and after
            and all(isinstance(value, (int, float, str)) or value is None for value in after)
            and (pit is None or isinstance(pit, str))
            and isinstance(page, int)
            and not isinstance(page, bool)
            and page >= 2
        )
        if not valid:
            raise ValueError("not a page token")
        return cls(after=after, pit=pit, page=page)


class SearchForm(BootstrapForm):
    # Small controls around a query box (and a purpose) of the full size; the page cursor and the
    # page size travel in the address, never as controls.
    compact = True
    full_size = ("q", "purpose")
    unstyled = ("after", "size")
    errors_described = True

    q = forms.CharField(
        label=_("Search for"),
        required=False,
        strip=False,  # the syntax error's position counts in the text as typed
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}),
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput(
        attrs={"min": EARLIEST_DATE.isoformat(), "max": LATEST_DATE.isoformat()}))
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput(
        attrs={"min": EARLIEST_DATE.isoformat(), "max": LATEST_DATE.isoformat()}))
    amount_min = forms.DecimalField(
        label=_("Amount from (yuan)"), required=False, min_value=0, max_digits=16, decimal_places=2
    )
    amount_max = forms.DecimalField(
        label=_("Amount to (yuan)"), required=False, min_value=0, max_digits=16, decimal_places=2
    )
    sort = forms.CharField(
        label=pgettext_lazy("order of a list", "Sort"),
        required=False,
        widget=forms.Select(choices=list(SORT_LABELS.items())),
    )
    purpose = forms.CharField(
        label=_("Stated purpose (查询事由)"),
        required=False,
        max_length=500,
        widget=forms.TextInput(
            attrs={"placeholder": _("e.g. checking a clue about the city's street lighting works")}
        ),
    )
    after = forms.CharField(required=False)
    size = forms.IntegerField(required=False, min_value=1)

    def __init__(self, data, *, accesses: dict[str, permissions.SystemAccess]):
        """``accesses`` is what the reader may read (permissions.readable): it bounds the systems."""
        super().__init__(data)
        self.accesses = accesses
        self.syntax_error: QuerySyntaxError | None = None
        self.tree = None
        self.notes = ()  # what some terms were taken to mean (search.investigate.interpret.Note)
        self.fields["q"].widget.attrs.update({
            "data-max-chars": MAX_QUERY_LENGTH,
            "data-too-long": _("The query is too long: %(count)s characters, at most %(limit)s.") % {
                "count": "%(count)s", "limit": MAX_QUERY_LENGTH},
        })

    def clean_q(self) -> str:
        text = self.cleaned_data["q"]
        if text.strip():
            try:
                reading = read(text, systems=[access.system for access in self.accesses.values()])
            except QuerySyntaxError as error:
                self.syntax_error = error  # shown beside the box with its position, not as a field error
            else:
                self.tree, self.notes = reading.tree, reading.notes
        return text

    def clean_date_from(self):
        return self._within_dates(self.cleaned_data["date_from"])

    def clean_date_to(self):
        return self._within_dates(self.cleaned_data["date_to"])

    @staticmethod
    def _within_dates(day):
        if day is not None and not EARLIEST_DATE <= day <= LATEST_DATE:
            raise forms.ValidationError(
                _("Choose a date from %(earliest)s to %(latest)s.")
                % {"earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()},
                code="out_of_range",
            )
        return day

    def clean_sort(self) -> str:
        sort = self.cleaned_data["sort"]
        return sort if sort in SORTS else "relevance"

    def clean_size(self) -> int:
        size = self.cleaned_data["size"] or getattr(settings, "SEARCH_PAGE_SIZE", DEFAULT_PAGE_SIZE)
        return min(size, MAX_PAGE_SIZE)

    def clean_after(self) -> Cursor | None:
        token = self.cleaned_data["after"]
        if not token:
            return None
        try:
            return Cursor.from_token(token)
        except ValueError:
            raise forms.ValidationError(
                _("This page link is damaged or no longer valid. Start again from the first page."),
                code="bad_token",
            ) from None

    def clean(self):
        cleaned = super().clean()
        for low, high, message in (
            ("date_from", "date_to", _("The end of the date range is before its start.")),
            ("amount_min", "amount_max", _("The largest amount is smaller than the smallest.")),
        ):
            start, end = cleaned.get(low), cleaned.get(high)
            if start is not None and end is not None and start > end:
                self.add_error(high, message)
        return cleaned

    # --- what the view asks for; valid fields only -------------------------------------------

    def _value(self, name, default=None):
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        value = self.cleaned_data.get(name)
        return default if value is None else value

    @property
    def query_text(self) -> str:
        return self._value("q", "").strip()

    @property
    def sort_key(self) -> str:
        return self._value("sort", "relevance")

    @property
    def page_size(self) -> int:
        return self._value("size", getattr(settings, "SEARCH_PAGE_SIZE", DEFAULT_PAGE_SIZE))

    @property
    def cursor(self) -> Cursor | None:
        return self._value("after")

    @property
    def stated_purpose(self) -> str:
        return self._value("purpose", "").strip()

    def chosen(self, parameter: str) -> list[str]:
        """The facet values in the query string that the reader may use, in the order given."""
        values = []
        for value in self.data.getlist(parameter) if hasattr(self.data, "getlist") else []:
            value = value.strip()
            if len(value) > MAX_FACET_VALUE_LENGTH or not value.isprintable():
                continue  # no code looks like that: a link was damaged or made up
            if parameter == "system" and value not in self.accesses:
                continue  # a system the reader may not read is as good as unknown
            if parameter == "year" and not (value.isascii() and value.isdigit() and len(value) == 4):
                continue
            if value and value not in values:
                values.append(value)
        return values

    @property
    def searched_systems(self) -> list[permissions.SystemAccess]:
        """The systems this search reads: the chosen ones the reader may read, else all of those."""
        chosen = self.chosen("system")
        codes = chosen or sorted(self.accesses)
        return [self.accesses[code] for code in codes]

    @property
    def needs_purpose(self) -> bool:
        return permissions.needs_purpose(self.searched_systems)

    @property
    def purpose_missing(self) -> bool:
        return self.needs_purpose and not permissions.purpose_is_given(self.stated_purpose)

    def filters(self) -> Filters:
        return Filters(
            systems=tuple(self.chosen("system")),
            regions=tuple(self.chosen("region")),
            agencies=tuple(self.chosen("agency")),
            years=tuple(int(year) for year in self.chosen("year")),
            occurred_from=self._value("date_from"),
            occurred_to=self._value("date_to"),
            amount_min=self._value("amount_min"),
            amount_max=self._value("amount_max"),
            within_systems=tuple(sorted(self.accesses)),
            identifiers_shown=permissions.identifiers_shown_in(self.accesses),
        )

    def query_string(self, **changes) -> str:
        """The current search's parameters without paging, urlencoded; ``changes`` replace some
        (a list for a facet, None to drop one)."""
        params = QueryDict(mutable=True)
        for key in self.data:
            if key not in PAGING_PARAMETERS:
                # Facets as kept by ``chosen``: a system the reader may not read is not echoed.
                values = self.chosen(key) if key in FACET_PARAMETERS else self.data.getlist(key)
                values = [value for value in values if value != ""]
                if values:
                    params.setlist(key, values)
        for key, value in changes.items():
            params.pop(key, None)
            if value:
                params.setlist(key, value if isinstance(value, list) else [value])
        return params.urlencode()

    def toggled(self, parameter: str, value: str) -> str:
        """The query string with one facet value added, or removed if it was chosen."""
        chosen = self.chosen(parameter)
        values = [item for item in chosen if item != value] if value in chosen else [*chosen, value]
        return self.query_string(**{parameter: values})

    @property
    def range_fields(self):
        return [self[name] for name in ("date_from", "date_to", "amount_min", "amount_max", "sort")]

    @property
    def syntax_echo(self) -> dict | None:
        """The query split around the syntax error's position, to underline where it is."""
        if self.syntax_error is None:
            return None
        text, at = self.cleaned_data["q"], self.syntax_error.position
        start, end = max(0, at - ECHO_AROUND), at + 1 + ECHO_AROUND
        return {
            "before": ("…" if start else "") + text[start:at],
            "at": text[at : at + 1] or " ",
            "after": text[at + 1 : end] + ("…" if end < len(text) else ""),
        }

    @property
    def has_filters(self) -> bool:
        return any(self.data.get(name) for name in (*FACET_PARAMETERS, "date_from", "date_to",
                                                    "amount_min", "amount_max"))



class PurposeForm(forms.Form):
    """The stated purpose asked for before a record of a sensitive system is shown."""

    purpose = forms.CharField(
        label=_("Stated purpose (查询事由)"),
        max_length=500,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )

    def clean_purpose(self) -> str:
        purpose = self.cleaned_data["purpose"].strip()
        if not permissions.purpose_is_given(purpose):
            raise forms.ValidationError(
                _("Say why you need it, in at least %(count)d characters.")
                % {"count": permissions.PURPOSE_MIN_LENGTH},
                code="too_short",
            )
        return purpose


class SearchLogForm(BootstrapForm):
    """The commission's filters over the search log; a bad value is reported and left out."""

    user = forms.CharField(label=_("User"), required=False, max_length=150,
                           widget=forms.TextInput(attrs={"placeholder": _("Name or user name")}))
    agency = forms.ModelChoiceField(label=_("Agency"), required=False, queryset=None, to_field_name="code",
                                    empty_label=_("Any agency"))
    action = forms.ChoiceField(label=_("Action"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)

    def __init__(self, data):
        super().__init__(data)
        self.fields["agency"].queryset = Agency.objects.order_by("code")
        self.fields["action"].choices = [("", _("Any action")), *AccessAction.choices]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date_from") and cleaned.get("date_to") and cleaned["date_from"] > cleaned["date_to"]:
            self.add_error("date_to", _("The end of the date range is before its start."))
        return cleaned

    def filtered(self, entries):
        """``entries`` narrowed by every valid filter."""
        self.is_valid()
        values = self.cleaned_data
        if values.get("user"):
            text = values["user"].strip()
            entries = entries.filter(Q(user__username__icontains=text) | Q(user__full_name__icontains=text))
        if values.get("agency"):
            entries = entries.filter(agency=values["agency"])
        if values.get("action"):
            entries = entries.filter(action=values["action"])
        if values.get("date_from"):
            entries = entries.filter(at__date__gte=values["date_from"])
        if values.get("date_to"):
            entries = entries.filter(at__date__lte=values["date_to"])
        return entries
