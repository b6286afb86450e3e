"""While linked records load in the background (`make run` loads the demo's beside the portal), the
search page says so and how far the loading has got (``search.ingest.loading``); its bar polls ``status``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ..ingest.loading import Progress, current
from ..investigate import permissions
from ..models import JobState
from . import jobs


def progress() -> Progress | None:
    """The loading run in progress, if any (in demo mode, the demo's records)."""
    return current()


def panel() -> dict | None:
    """What the search page's panel shows, or None when there is nothing to say."""
    loading = progress()
    if loading is None:
        return None
    return {"total": loading.total, "percent": loading.percent, "label": label(loading)}


def label(loading: Progress | None) -> str:
    if loading is None:
        return _("The demo's records are all loaded.")
    return _("%(done)s of %(total)s records loaded (%(percent)s%%)") % {
        "done": f"{loading.done:,}", "total": f"{loading.total:,}", "percent": loading.percent,
    }


@login_required
@require_GET
def status(request):
    if not permissions.readable(permissions.reader_for(request)):
        raise Http404  # as the search page itself
    loading = progress()
    if loading is None:
        return jobs.status(JobState.DONE, 0, None, label(None))
    return jobs.status(JobState.RUNNING, loading.done, loading.total, label(loading))
