"""台账 pages: a ledger table with filters, its drill-down lists, exports and the dashboard."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from agencies.acting import acting_membership
from agencies.models import Agency, AgencyKind, Region, SupervisionClass
from common import spreadsheets
from common.forms import BootstrapForm, DateInput, chosen_filters

from ..deadlines.lights import annotate_light
from ..ledger_lines import LIVE_ASSIGNMENT_STATES
from ..models import Assignment
from ..reading import exports
from ..reading.ledgers import DIMENSIONS, KINDS, LedgerFilters, drill, ledger
from .board import label_rows

DRILL_PAGE_SIZE = 200  # a drill-down says how many there are; the list shows the first ones
EXPORT_CHUNK = 2_000  # issues read at a time for an export of a drill-down


class LedgerForm(BootstrapForm):
    kind = forms.ChoiceField(
        label=_("Ledger"), required=False, choices=[(k.slug, k.label) for k in KINDS.values()]
    )
    dimension = forms.ChoiceField(
        label=_("Group by"), required=False, choices=[(d.slug, d.label) for d in DIMENSIONS]
    )
    agency = forms.ModelChoiceField(
        label=_("Handling agency"),
        required=False,
        queryset=Agency.objects.filter(
            is_active=True, kind__in=[AgencyKind.DEPARTMENT, AgencyKind.PROJECT_OWNER]
        ).order_by("level", "code"),
    )
    supervision_class = forms.ChoiceField(
        label=_("Supervision class"), required=False, choices=[("", "—"), *SupervisionClass.choices]
    )
    region = forms.ModelChoiceField(label=_("District"), required=False, queryset=Region.objects.all())
    date_from = forms.DateField(
        label=_("Pushed from"), required=False, widget=DateInput
    )
    date_to = forms.DateField(
        label=_("Pushed until"), required=False, widget=DateInput
    )

    def value(self, name: str, default=None):
        return (self.cleaned_data.get(name) if self.is_valid() else None) or default

    def chosen_filters(self) -> list[tuple[str, str]]:
        """The filters chosen, for an exported file (the ledger and grouping are in its title)."""
        return chosen_filters(self, ["agency", "supervision_class", "region", "date_from", "date_to"])

    def ledger_filters(self) -> LedgerFilters:
        if not self.is_valid():
            return LedgerFilters()
        data = self.cleaned_data
        return LedgerFilters(
            agency=data["agency"],
            supervision_class=data["supervision_class"],
            region=data["region"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )


def _query_without(request, *names) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


@login_required
@require_GET
def ledger_page(request):
    membership = acting_membership(request)
    if membership is None:
        return render(request, "issues/ledger.html", {"membership": None})
    form = LedgerForm(request.GET)
    kind, dimension = form.value("kind", "issues"), form.value("dimension", "agency")
    table = ledger(request.user, membership.agency, form.ledger_filters(), kind, dimension)
    export = request.GET.get("format")
    if export in spreadsheets.FORMATS:
        heading = spreadsheets.Heading(
            title=f"{table.kind.label} · {table.dimension.label}",
            exported_by=spreadsheets.exporter(request.user, membership.agency),
            filters=form.chosen_filters(),
        )
        return exports.ledger_download(table, export, heading)
    for row in table.rows:
        row.cells = [(m.slug, row.values[m.slug]) for m in table.metrics]
    return render(
        request,
        "issues/ledger.html",
        {
            "membership": membership,
            "agency": membership.agency,
            "form": form,
            "table": table,
            "totals": [(m.slug, table.totals[m.slug]) for m in table.metrics],
            "query": _query_without(request, "format"),
        },
    )


@login_required
@require_GET
def ledger_issues(request):
    """The issues behind one ledger number: the same filters, the group and the metric."""
    membership = acting_membership(request)
    if membership is None:
        return render(request, "issues/ledger_issues.html", {"membership": None})
    form = LedgerForm(request.GET)
    kind, dimension = form.value("kind", "issues"), form.value("dimension", "agency")
    metric, key = request.GET.get("metric", "total"), request.GET.get("key", "")
    found = drill(request.user, membership.agency, form.ledger_filters(), kind, dimension, metric, key)
    issues = annotate_light(found.issues).select_related("initiator").order_by("-pushed_at", "-id")
    export = request.GET.get("format")
    if export in spreadsheets.FORMATS:
        heading = _drill_heading(request, membership, form, found)
        return exports.issues_download(with_handlers(issues, chunked=True), export, heading, "ledger-issues")
    count = found.issues.count()
    rows = list(with_handlers(issues[:DRILL_PAGE_SIZE]))
    return render(
        request,
        "issues/ledger_issues.html",
        {
            "membership": membership,
            "agency": membership.agency,
            "drill": found,
            "issues": rows,
            "count": count,
            "truncated": count > len(rows),
            "back": _query_without(request, "metric", "key", "format"),
            "query": _query_without(request, "format"),
        },
    )


def with_handlers(issues, chunked: bool = False):
    """The issues labelled as the board shows them, each with the names of its live handlers (a
    drill-down by agency counts an issue once per handler). ``chunked`` reads them a batch at a
    time, for an export of a long list."""
    live = Assignment.objects.filter(state__in=LIVE_ASSIGNMENT_STATES).select_related("agency").order_by("id")
    issues = issues.prefetch_related(Prefetch("assignments", queryset=live, to_attr="live_assignments"))
    for issue in issues.iterator(chunk_size=EXPORT_CHUNK) if chunked else issues:
        issue.handler_names = [assignment.agency.display_name for assignment in issue.live_assignments]
        label_rows([issue])
        yield issue


def _drill_heading(request, membership, form, found) -> spreadsheets.Heading:
    parts = [str(found.kind.label), str(found.dimension.label)]
    if found.group:
        parts.append(found.group)
    if found.metric is not None:
        parts.append(str(found.metric.label))
    return spreadsheets.Heading(
        title=gettext("Issues behind the ledger: %(cell)s") % {"cell": " · ".join(parts)},
        exported_by=spreadsheets.exporter(request.user, membership.agency),
        filters=form.chosen_filters(),
    )


@login_required
@require_GET
def ledger_dashboard(request):
    """Charts of what people compare: the monthly trend, supervision classes, the most overdue."""
    membership = acting_membership(request)
    if membership is None:
        return render(request, "issues/ledger_dashboard.html", {"membership": None})
    form = LedgerForm(request.GET)
    filters = form.ledger_filters()
    user, agency = request.user, membership.agency
    by_month = ledger(user, agency, filters, "issues", "month")
    by_class = ledger(user, agency, filters, "issues", "class")
    overdue = ledger(user, agency, filters, "overdue", "agency")
    charts = {
        "months": [row.key_text for row in by_month.rows],
        "pushed": [row.values["total"] for row in by_month.rows],
        "closed": [row.values["closed"] for row in by_month.rows],
        "overdue": [row.values["overdue"] for row in by_month.rows],
        "classes": [row.label for row in by_class.rows],
        "class_totals": [row.values["total"] for row in by_class.rows],
        "class_overdue": [row.values["overdue"] for row in by_class.rows],
        "departments": [row.label for row in overdue.rows[:10]],
        "department_overdue": [row.values["total"] for row in overdue.rows[:10]],
        "labels": {
            "pushed": str(_("Issues pushed")),
            "closed": str(_("Closed")),
            "overdue": str(_("Overdue now")),
            "overdue_assignments": str(_("Overdue assignments")),
        },
    }
    return render(
        request,
        "issues/ledger_dashboard.html",
        {
            "membership": membership,
            "agency": agency,
            "form": form,
            "charts": charts,
            "query": request.GET.urlencode(),
        },
    )
