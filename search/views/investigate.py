"""The investigator's search page: query box, facets, ranges, sorting and complete paging.

The permissions of linked systems decide everything the page may show
(search.investigate.permissions): the systems searched are always within what the reader may
read, a search of a sensitive system waits for a stated purpose, identifiers are masked unless
the reader's access allows them, and each search is written to the search log.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .. import index
from ..index.types import FACETS, QueryRejected
from ..investigate import permissions
from ..investigate.forms import FACET_PARAMETERS, Cursor, SearchForm
from ..models import AccessAction
from . import loading
from .display import facet_labels, shown_hits, system_label
from .query_help import help_panel

logger = logging.getLogger(__name__)


@login_required
@require_GET
def search(request):
    reader = permissions.reader_for(request)
    accesses = permissions.readable(reader)
    if not accesses:
        raise Http404  # no linked system is open to this reader: for them the page does not exist
    form = SearchForm(request.GET, accesses=accesses)
    form.is_valid()  # errors are shown beside their fields; the valid fields still apply
    context = {
        "form": form,
        "accesses": accesses,
        "query_string": form.query_string(),
        "purpose_systems": [system_label(access.system) for access in form.searched_systems
                            if access.needs_purpose],
        "without_sensitive": _without_sensitive(form),
        "page": None,
        "syntax": form.syntax_echo,
        "help": help_panel(accesses),
        # Links to a record carry the stated purpose, so that its view is logged with it, and
        # this page, so that the record page links back to it.
        "record_query": _record_query(form),
        "demo_loading": loading.panel(),
    }
    ready = form.tree is not None and not form.purpose_missing and "after" not in form.errors
    if ready:
        context.update(_results(request, reader, form))
    labels = context.get("labels") or facet_labels({}, accesses, _chosen_codes(form))
    context["chosen"] = _chosen(form, labels)
    return render(request, "search/search.html", context)


def _results(request, reader, form: SearchForm) -> dict:
    cursor = form.cursor
    try:
        page = index.search(
            form.tree,
            form.filters(),
            sort=form.sort_key,
            size=form.page_size,
            after=cursor.after if cursor else None,
            pit=cursor.pit if cursor else None,
        )
        if page.next_after is None:
            index.close(page.pit)  # the last page: nothing will ask for this snapshot again
    except QueryRejected:
        # The parser's and search.investigate.interpret's bounds keep every query within what the backends
        # take; should one still be refused, it is the query that needs to change, not the wait.
        logger.warning("The search backend refused query %r", form.query_text, exc_info=True)
        return {"backend_error": "paging" if cursor else "rejected"}
    except Exception:
        # Whatever the search service answers (down, a snapshot that expired, a tampered page
        # token it cannot read), the investigator gets an explanation, not a server error.
        logger.exception("Search failed for query %r", form.query_text)
        return {"backend_error": "paging" if cursor else "search"}
    if cursor is None:
        # Logged once per search: the first page runs the query; the pages after it read on
        # through the same result set and are not written to the search log again.
        permissions.log(
            reader,
            AccessAction.SEARCH,
            systems=[access.system.code for access in form.searched_systems],
            query=form.query_text,
            purpose=form.stated_purpose,
            hits=page.total if page.total_exact else None,  # past the exact count: not known
            ip=permissions.client_ip(request),
        )
    number = cursor.page if cursor else 1
    labels = facet_labels(page.facets, form.accesses, _chosen_codes(form))
    return {
        "page": page,
        "page_number": number,
        "first_number": (number - 1) * form.page_size + 1,
        "total_shown": f"{page.total:,}",
        # Past the exact count the embedded backend lists the newest first and counts the facets
        # over the newest hits only: the page says so rather than pass either off as exact.
        "listed_newest_first": page.sort != form.sort_key,
        "facets_counted": f"{page.facets_counted:,}" if page.facets_counted else None,
        "hits": shown_hits(page.hits, form.accesses, form.tree, user=request.user),
        "facets": _facets(form, page.facets, labels),
        "labels": labels,
        "next_query": _paging_query(form, Cursor(page.next_after, page.pit, number + 1))
        if page.next_after is not None
        else None,
        "first_query": _paging_query(form, None) if cursor else None,
    }


def _record_query(form: SearchForm) -> str:
    """What a hit's link to its record carries: the stated purpose and the way back to this page."""
    this_page = form.query_string(after=form.data.get("after"), size=form.data.get("size"))
    carried = {"back": f"{reverse('search:search')}?{this_page}"}
    if form.stated_purpose:
        carried["purpose"] = form.stated_purpose
    return urlencode(carried)


def _paging_query(form: SearchForm, cursor: Cursor | None) -> str:
    changes = {"after": cursor.token() if cursor else None}
    if form.data.get("size"):
        changes["size"] = str(form.page_size)
    return form.query_string(**changes)


def _chosen_codes(form: SearchForm) -> dict[str, list[str]]:
    return {parameter: form.chosen(parameter) for parameter in FACET_PARAMETERS}


def _facets(form: SearchForm, facets, labels) -> list[dict]:
    """Each facet's values with their counts, names and the link that adds or removes them."""
    titles = _facet_titles()
    shown = []
    for name in FACETS:
        chosen = form.chosen(name)
        values = [
            {
                "code": code,
                "label": labels[name].get(code, code),
                "count": f"{count:,}",
                "chosen": code in chosen,
                "query": form.toggled(name, code),
            }
            for code, count in facets.get(name, [])
            if name != "system" or code in form.accesses
        ]
        if name == "year":
            values.sort(key=lambda value: value["code"], reverse=True)
        if values:
            shown.append({"name": name, "title": titles[name], "values": values})
    return shown


def _chosen(form: SearchForm, labels) -> list[dict]:
    """The filters chosen from the facets, each with the link that removes it (every page)."""
    return [
        {"name": name, "label": labels[name].get(code, code), "query": form.toggled(name, code), "code": code}
        for name in FACET_PARAMETERS
        for code in form.chosen(name)
    ]


def _without_sensitive(form: SearchForm) -> str | None:
    """The search again over only the systems that need no stated purpose, if there are any."""
    plain = [access.system.code for access in form.searched_systems if not access.needs_purpose]
    if not plain or not form.needs_purpose:
        return None
    return form.query_string(system=plain)


def _facet_titles() -> dict[str, str]:
    return {
        "system": _("Linked system"),
        "region": _("Region"),
        "year": _("Year"),
        "agency": _("Agency"),
    }
