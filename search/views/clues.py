"""Harvest: ticked hits become a clue (问题线索), and a clue is pushed to the board as an issue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from agencies.acting import acting_membership
from issues import workflow as board
from issues.workflow.catalogue import SPECS, Action

from ..harvest import actions
from ..harvest.clues import access_clue, clues_of, evidence_records, shown_evidence, with_words
from ..harvest.forms import AddEvidenceForm, ClueForm, PushClueForm
from ..investigate import permissions
from ..investigate.profiles import subjects_of_records
from ..models import Record

PUSHED_FIELDS = ("category", "priority", "deadline", "lead", "co_handlers", "copied")


def _harvester(request) -> permissions.Reader:
    """Whoever reads at least one linked system may harvest; to anyone else the pages do not exist."""
    reader = permissions.reader_for(request)
    if reader is None or not permissions.readable(reader):
        raise Http404
    return reader


def _back(request):
    """Back to the page the hits were ticked on (the search), if it is one of ours."""
    referer = request.META.get("HTTP_REFERER", "")
    if url_has_allowed_host_and_scheme(referer, {request.get_host()}, require_https=request.is_secure()):
        return redirect(referer)
    return redirect("search:search")


def _may_push(request) -> bool:
    membership = acting_membership(request)
    return membership is not None and SPECS[Action.PUSH].may(membership.role)


@login_required
@require_GET
def clue_list(request):
    reader = _harvester(request)
    clues = with_words(reader, clues_of(reader).order_by("-created_at"))
    return render(request, "search/clues.html", {"clues": clues, "agency": reader.agency})


@login_required
@require_POST
def clue_new(request):
    """The ticked hits arrive from the search page; the form asks for a title and a summary."""
    reader = _harvester(request)
    if "title" in request.POST:
        form = ClueForm(request.POST)
        if form.is_valid():
            try:
                clue = actions.create_clue(
                    acting_user=request.user, agency=reader.agency, title=form.cleaned_data["title"],
                    summary=form.cleaned_data["summary"], records=form.cleaned_data["records"],
                    query=form.cleaned_data["query"], ip=permissions.client_ip(request),
                )
            except actions.ClueError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Clue “%(title)s” created.") % {"title": clue.title})
                return redirect("search:clue", clue.pk)
        status = 400
    else:
        # The search page's hits form: its ticked ``record`` checkboxes and the query.
        ticked = request.POST.getlist("record")
        form = ClueForm(initial={"records": ticked, "query": request.POST.get("q", "")})
        status = 200
    ids = form["records"].value() or []
    accesses = permissions.readable(reader)
    try:
        chosen = Record.objects.filter(pk__in=[int(pk) for pk in ids], system__code__in=list(accesses))
    except (TypeError, ValueError):
        chosen = Record.objects.none()
    records = shown_evidence(reader, chosen.select_related("system", "region").order_by("-occurred_at"))
    if not records and status == 200:
        messages.error(request, _("Tick at least one hit to make a clue of."))
        return _back(request)
    return render(request, "search/clue_new.html", {"form": form, "records": records}, status=status)


@login_required
@require_POST
def clue_add(request):
    """The ticked hits added to a clue not yet pushed."""
    reader = _harvester(request)
    form = AddEvidenceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a clue and tick at least one hit."))
        return _back(request)
    clue = access_clue(reader, form.cleaned_data["clue"])
    try:
        added = actions.add_evidence(
            acting_user=request.user, agency=reader.agency, clue=clue, records=form.cleaned_data["record"],
            query=form.cleaned_data["q"], ip=permissions.client_ip(request),
        )
    except actions.ClueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, ngettext(
            "%(count)d record added to the clue.", "%(count)d records added to the clue.", added
        ) % {"count": added})
    return redirect("search:clue", clue.pk)


def _clue_page(request, reader, clue, push_form=None, status=200):
    if push_form is None and clue.issue_id is None and _may_push(request):
        push_form = PushClueForm(initiator=reader.agency)
    (clue,) = with_words(reader, [clue])
    records = shown_evidence(reader, evidence_records(clue))
    context = {
        "clue": clue,
        "records": records,
        "profiles": subjects_of_records(request.user, permissions.readable(reader),
                                        [item.record for item in records if item.readable]),
        "push_form": push_form,
    }
    return render(request, "search/clue.html", context, status=status)


@login_required
@require_GET
def clue_detail(request, pk):
    reader = _harvester(request)
    return _clue_page(request, reader, access_clue(reader, pk))


@login_required
@require_POST
def clue_push(request, pk):
    reader = _harvester(request)
    clue = access_clue(reader, pk)
    if not _may_push(request):
        raise Http404
    form = PushClueForm(request.POST, initiator=reader.agency)
    if form.is_valid():
        fields = {name: form.cleaned_data[name] for name in PUSHED_FIELDS}
        try:
            issue = actions.push_clue(acting_user=request.user, agency=reader.agency, clue=clue, **fields)
        except (actions.ClueError, board.ActionError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Clue pushed to the board as issue %(number)s.")
                             % {"number": issue.number})
            return redirect(issue)
    return _clue_page(request, reader, clue, push_form=form, status=400)
