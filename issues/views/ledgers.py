"""台账 pages: a ledger table with filters, its drill-down lists, exports and the dashboard."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from agencies.acting import acting_membership
from agencies.models import Agency, AgencyKind, Region, SupervisionClass
from common.forms import DateInput

from .. import exports
from ..forms import BootstrapForm
from ..ledgers import DIMENSIONS, KINDS, LedgerFilters, drill_issues, ledger
from ..lights import annotate_light
from .board import label_rows

DRILL_PAGE_SIZE = 200  # a drill-down says how many there are; the list shows the first ones


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
    if export in ("xlsx", "csv"):
        return _export(table, export)
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


def _export(table, export: str) -> HttpResponse:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"ledger-{table.kind.slug}-{table.dimension.slug}-{stamp}"
    if export == "xlsx":
        response = HttpResponse(
            exports.to_xlsx(table, str(table.kind.label)),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    response = HttpResponse(exports.to_csv(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@login_required
@require_GET
def ledger_issues(request):
    """The issues behind one ledger number: the same filters, the group and the metric."""
    membership = acting_membership(request)
    if membership is None:
        return render(request, "issues/ledger_issues.html", {"membership": None})
    form = LedgerForm(request.GET)
    kind, dimension = form.value("kind", "issues"), form.value("dimension", "agency")
    metric = request.GET.get("metric", "total")
    issues = drill_issues(
        request.user,
        membership.agency,
        form.ledger_filters(),
        kind,
        dimension,
        metric,
        request.GET.get("key", ""),
    )
    count = issues.count()
    rows = list(
        annotate_light(issues).select_related("initiator").order_by("-pushed_at", "-id")[:DRILL_PAGE_SIZE]
    )
    label_rows(rows)
    return render(
        request,
        "issues/ledger_issues.html",
        {
            "membership": membership,
            "agency": membership.agency,
            "issues": rows,
            "count": count,
            "truncated": count > len(rows),
            "back": _query_without(request, "metric", "key"),
        },
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
