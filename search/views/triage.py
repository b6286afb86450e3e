"""The triage of warnings (DESIGN §12): the owning agency's list, one warning's page, and the
actions on them (``search.detection.triage``). Anyone but a member of an agency that owns warning
models finds no page here; a warning of another agency answers 404 as a missing one does."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from ..detection import live, triage
from ..detection.list_forms import ALL_MODELS, ExemptForm
from ..detection.permissions import access_warning, log_warning_viewed
from ..detection.reading import (
    owns_models,
    shown_subjects,
    state_counts,
    warning_page,
    warnings_of,
    with_subjects,
)
from ..detection.triage_forms import (
    CONFIRM_AND_PUSH,
    AssignForm,
    BulkForm,
    ConfirmForm,
    DisposeForm,
    TriageFilterForm,
)
from ..harvest.clues import clues_of, with_words
from ..investigate import permissions

PER_PAGE = 25
OFFERED_CLUES = 50


def triager(request) -> permissions.Reader:
    """A member of an agency that owns warning models, as they act now; anyone else gets 404."""
    reader = permissions.reader_for(request)
    if not owns_models(reader):
        raise Http404
    return reader


@login_required
@require_GET
def warning_list(request):
    reader = triager(request)
    filters = TriageFilterForm(request.GET, agency=reader.agency)
    warnings = filters.apply(warnings_of(reader), request.user)
    counted = TriageFilterForm({**request.GET.dict(), "state": ""}, agency=reader.agency)
    page = Paginator(warnings, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    # The state buttons keep the other filters, as their counts do.
    other_filters = query.copy()
    other_filters.pop("state", None)
    context = {
        "filters": filters,
        "counts": state_counts(counted.apply(warnings_of(reader), request.user)),
        "page": page,
        "warnings": with_subjects(reader, page.object_list),
        "query": query.urlencode(),
        "other_filters": other_filters.urlencode(),
        "chosen_state": filters.data.get("state", ""),
        "bulk": BulkForm(agency=reader.agency),
        "live": live.position(reader.agency.pk),
    }
    return render(request, "search/triage/list.html", context)


def _confirm_form(reader, data=None) -> ConfirmForm:
    """The confirmation, offering the agency's newest clues not yet pushed to join."""
    open_clues = clues_of(reader).filter(issue__isnull=True).order_by("-created_at")[:OFFERED_CLUES]
    titles = {clue.pk: clue.words.title for clue in with_words(reader, open_clues)}
    return ConfirmForm(data, clues=clues_of(reader).filter(pk__in=list(titles)), titles=titles)


def _page(request, reader, warning, *, assign=None, dispose=None, confirm=None, exempt=None, status=200):
    log_warning_viewed(reader, warning, ip=permissions.client_ip(request))
    page = warning_page(reader, warning)
    context = {
        "page": page,
        "exempt_form": exempt or ExemptForm(subjects=page.subjects),
        "warning": warning,
        "assign_form": assign or AssignForm(agency=reader.agency),
        "dispose_form": dispose or DisposeForm(),
        "confirm_form": confirm or _confirm_form(reader),
    }
    return render(request, "search/triage/warning.html", context, status=status)


@login_required
@require_GET
def warning_detail(request, pk):
    reader = triager(request)
    return _page(request, reader, access_warning(reader, pk))


def _done(request, warning, text: str):
    messages.success(request, text)
    return redirect("search:warning", warning.pk)


@login_required
@require_POST
def warning_take(request, pk):
    reader = triager(request)
    warning = access_warning(reader, pk)
    try:
        triage.take(acting_user=request.user, agency=reader.agency, warning=warning)
    except triage.TriageError as error:
        messages.error(request, str(error))
        return redirect("search:warning", warning.pk)
    return _done(request, warning, _("You have taken the warning into triage."))


def _attempt(form, act):
    """What ``act(cleaned_data)`` returns when the form is valid and the action accepts it; None
    otherwise, the action's refusal then shown on the form."""
    if not form.is_valid():
        return None
    try:
        return act(form.cleaned_data)
    except triage.TriageError as error:
        form.add_error(None, str(error))
        return None


@login_required
@require_POST
def warning_assign(request, pk):
    reader = triager(request)
    warning = access_warning(reader, pk)
    form = AssignForm(request.POST, agency=reader.agency)
    assigned = _attempt(form, lambda data: triage.assign(
        acting_user=request.user, agency=reader.agency, warning=warning, assignee=data["assignee"]))
    if assigned is None:
        return _page(request, reader, warning, assign=form, status=400)
    name = assigned.assigned_to.get_full_name() or assigned.assigned_to.get_username()
    return _done(request, warning, _("The warning is assigned to %(name)s.") % {"name": name})


@login_required
@require_POST
def warning_dispose(request, pk):
    reader = triager(request)
    warning = access_warning(reader, pk)
    form = DisposeForm(request.POST)
    disposed = _attempt(form, lambda data: triage.dispose(
        acting_user=request.user, agency=reader.agency, warning=warning, state=data["state"],
        reason=data["reason"], duplicate_of=data["duplicate_of"], ip=permissions.client_ip(request)))
    if disposed is None:
        return _page(request, reader, warning, dispose=form, status=400)
    return _done(request, warning, _("The warning is disposed of: %(state)s.")
                 % {"state": disposed.get_state_display()})


@login_required
@require_POST
def warning_confirm(request, pk):
    reader = triager(request)
    warning = access_warning(reader, pk)
    form = _confirm_form(reader, request.POST)
    clue = _attempt(form, lambda data: triage.confirm(
        acting_user=request.user, agency=reader.agency, warning=warning, reason=data["reason"],
        clue=data["clue"], title=data["title"], ip=permissions.client_ip(request)))
    if clue is None:
        return _page(request, reader, warning, confirm=form, status=400)
    if form.cleaned_data["then"] == CONFIRM_AND_PUSH:
        messages.success(request, _("The warning is confirmed; its evidence is in the clue."))
        return redirect(reverse("search:clue", args=[clue.pk]) + "#push-form")
    return _done(request, warning, _("The warning is confirmed; its evidence is in the clue."))


@login_required
@require_POST
def warning_exempt(request, pk):
    reader = triager(request)
    warning = access_warning(reader, pk)
    form = ExemptForm(request.POST, subjects=shown_subjects(permissions.readable(reader), warning))
    if not form.is_valid():
        return _page(request, reader, warning, exempt=form, status=400)
    data = form.cleaned_data
    try:
        triage.exempt_subject(
            acting_user=request.user, agency=reader.agency, warning=warning, subject=data["subject"],
            whole_agency=data["scope"] == ALL_MODELS, reason=data["reason"], expires_on=data["expires_on"],
            dispose=data["dispose"], ip=permissions.client_ip(request))
    except triage.TriageError as error:
        form.add_error(None, str(error))
        return _page(request, reader, warning, exempt=form, status=400)
    return _done(request, warning,
                 _("The subject is exempted until %(date)s.") % {"date": data["expires_on"].isoformat()})


@login_required
@require_POST
def warning_bulk(request):
    """The ticked warnings assigned, or disposed of, at once: all of them or, with a message, none."""
    reader = triager(request)
    form = BulkForm(request.POST, agency=reader.agency)
    ticked = request.POST.getlist("warning")
    back = reverse("search:warnings") + (f"?{request.POST['query']}" if request.POST.get("query") else "")
    if not form.is_valid():
        messages.error(request, _("Choose what to do with the ticked warnings."))
        return redirect(back)
    data = form.cleaned_data
    try:
        if data["do"] == BulkForm.ASSIGN:
            done = triage.assign_many(acting_user=request.user, agency=reader.agency, warnings=ticked,
                                      assignee=data["assignee"] or request.user)
        else:
            done = triage.dispose_many(acting_user=request.user, agency=reader.agency, warnings=ticked,
                                       state=data["state"], reason=data["reason"],
                                       ip=permissions.client_ip(request))
    except triage.TriageError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, ngettext("%(count)d warning changed.", "%(count)d warnings changed.", done)
                         % {"count": done})
    return redirect(back)
