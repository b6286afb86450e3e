"""Saved searches: saved from the search page, listed, renamed, paused, resumed, deleted, and the
page a notification links to, showing exactly the new hits it told of."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ..index.types import Hit
from ..investigate import actions, permissions
from ..investigate.alerts import told_at, told_stamp
from ..investigate.stored_query import search_params
from ..investigate.work_forms import RenameForm, SaveSearchForm
from ..models import SavedSearch, SavedSearchHit
from . import jobs
from .display import shown_hits

HITS_PER_PAGE = 50


@login_required
@require_POST
def saved_new(request):
    """POST to ``?<the search's query string>`` with a name: keeps the search as the page shows it."""
    reader, search, back = jobs.search_behind(request)
    form = SaveSearchForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the saved search a name."))
        return redirect(back)
    try:
        saved = actions.save_search(
            reader=reader, name=form.cleaned_data["name"], query=search.query_text, filters=search.filters(),
            purpose=search.stated_purpose, alerts=form.cleaned_data["alerts"],
        )
    except actions.WorkError as error:
        messages.error(request, str(error))
        return redirect(back)
    messages.success(request, _("Search saved as “%(name)s”.") % {"name": saved.name})
    return redirect(back)


@login_required
@require_GET
def saved_list(request):
    saved = (
        SavedSearch.objects.filter(owner=request.user)
        .annotate(hit_count=Count("hits", filter=Q(hits__notified_at__isnull=False)),
                  last_told=Max("hits__notified_at"))
        .order_by("name", "pk")
    )
    rows = [
        {
            "saved": item,
            "search": search_params(item.query, item.filters, purpose=item.purpose),
            "told": told_stamp(item.last_told) if item.last_told else None,
        }
        for item in saved
    ]
    return render(request, "search/saved_list.html", {"rows": rows})


@login_required
@require_GET
def saved_page(request, pk: int):
    """The saved search's hits, newest first; ``?told=`` keeps those one notification told of."""
    saved = get_object_or_404(SavedSearch, pk=pk, owner=request.user)
    accesses = permissions.readable(permissions.reader_for(request))
    moment = told_at(request.GET.get("told"))
    hits = (
        SavedSearchHit.objects.filter(saved_search=saved, notified_at__isnull=False,
                                      record__system__code__in=list(accesses))
        .select_related("record__system")
        .order_by("-notified_at", "-record__occurred_at", "-pk")
    )
    if moment is not None:
        hits = hits.filter(notified_at=moment)
    page = Paginator(hits, HITS_PER_PAGE).get_page(request.GET.get("page"))
    found = [Hit(hit.record_id, hit.record.system.code, hit.record.external_id, None) for hit in page]
    shown = shown_hits(found, accesses, user=request.user)
    return render(
        request,
        "search/saved.html",
        {
            "saved": saved,
            "page": page,
            "hits": shown,
            "moment": moment,
            "search": search_params(saved.query, saved.filters, purpose=saved.purpose),
            "rename_form": RenameForm(initial={"name": saved.name}),
            "record_query": "",
        },
    )


ACTIONS = {"rename", "pause", "resume", "delete"}


@login_required
@require_POST
def saved_act(request, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404
    try:
        if action == "rename":
            form = RenameForm(request.POST)
            name = form.cleaned_data["name"] if form.is_valid() else ""
            actions.rename_saved_search(acting_user=request.user, pk=pk, name=name)
        elif action in ("pause", "resume"):
            actions.set_alerts(acting_user=request.user, pk=pk, active=action == "resume")
        else:
            actions.delete_saved_search(acting_user=request.user, pk=pk)
    except actions.WorkError as error:
        if not SavedSearch.objects.filter(pk=pk, owner=request.user).exists():
            raise Http404 from None
        messages.error(request, str(error))
    return redirect("search:saved_list")
