"""What the pages of background work share: the search an action takes, and the status answer
every progress bar polls (search/static/search/jobs.js documents it)."""

from __future__ import annotations

from django.http import Http404, JsonResponse
from django.urls import reverse

from ..investigate import permissions
from ..investigate.forms import SearchForm
from ..models import JobState


def search_behind(request) -> tuple[permissions.Reader, SearchForm, str]:
    """The search whose result set an action takes (export, save), read from the query string
    by the search page's own form, and the link back to that search. 404 for a reader who may
    read no linked system, as the search page itself."""
    reader = permissions.reader_for(request)
    accesses = permissions.readable(reader)
    if not accesses:
        raise Http404
    form = SearchForm(request.GET, accesses=accesses)
    form.is_valid()
    return reader, form, f"{reverse('search:search')}?{form.query_string()}"


def percent(state: str, done: int, total: int | None) -> int | None:
    """How far a job is, or None when its size is not known yet (the bar shows it striped)."""
    if state == JobState.DONE:
        return 100
    if total:
        return min(100, done * 100 // total)
    return 0 if total == 0 else None


def status(state: str, done: int, total: int | None, label: str) -> JsonResponse:
    response = JsonResponse(
        {"state": state, "done": done, "total": total, "percent": percent(state, done, total), "label": label}
    )
    response["Cache-Control"] = "no-store"
    return response
