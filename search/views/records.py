"""One linked record, as its reader may see it, with every view written to the search log.

A record of a system that needs a stated purpose is shown only once the reader has given one
for it; the purpose is remembered in the session for an hour, so going back to the record
while working on it does not ask again (each view is still written to the search log).
"""

from __future__ import annotations

import time

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from .. import masking
from ..investigate import permissions
from ..investigate.forms import PurposeForm
from ..investigate.profiles import links_of_records
from ..models import AccessAction
from .display import system_label

SESSION_KEY = "search_record_purposes"
PURPOSE_KEPT_SECONDS = 3600


def remembered_purpose(request, pk: int) -> str:
    purpose, given_at = request.session.get(SESSION_KEY, {}).get(str(pk), ("", 0))
    return purpose if time.time() - given_at < PURPOSE_KEPT_SECONDS else ""


def remember_purpose(request, pk: int, purpose: str) -> None:
    now = time.time()
    kept = {
        key: value
        for key, value in request.session.get(SESSION_KEY, {}).items()
        if now - value[1] < PURPOSE_KEPT_SECONDS
    }
    kept[str(pk)] = (purpose, now)
    request.session[SESSION_KEY] = kept


@login_required
@require_http_methods(["GET", "POST"])
def record(request, pk: int):
    reader = permissions.reader_for(request)
    record, access = permissions.readable_record(reader, pk)  # 404 for a record the reader may not read
    back = _back_link(request)
    if request.method == "POST":
        form = PurposeForm(request.POST)
        if form.is_valid():
            remember_purpose(request, pk, form.cleaned_data["purpose"])
            return redirect(request.get_full_path())  # the same record, its ``back`` link kept
    else:
        form = PurposeForm()
        # A link from a search that stated a purpose carries it: the same purpose covers the record.
        given = request.GET.get("purpose", "").strip()
        if permissions.purpose_is_given(given):
            remember_purpose(request, pk, given)
    purpose = remembered_purpose(request, pk)
    context = {"record": record, "access": access, "system_name": system_label(access.system), "back": back}
    if access.needs_purpose and not purpose:
        return render(request, "search/record_purpose.html", {**context, "form": form})
    permissions.log(
        reader,
        AccessAction.VIEW,
        systems=[record.system.code],
        purpose=purpose,
        record=record,
        ip=permissions.client_ip(request),
    )
    profiles = links_of_records(request.user, {record.system.code: access}, [record]).get(record.pk, [])
    context.update(shown_record(record, access), profiles=profiles)
    return render(request, "search/record.html", context)


def shown_record(record, access) -> dict:
    """The record's fields and its row as received, as ``masking.shown_record`` shows them."""
    seen = masking.shown_record(record, identifiers=access.identifiers)
    return {
        "title": seen.title,
        "body": seen.body,
        "names": seen.names,
        "id_numbers": seen.id_numbers,
        "phones": seen.phones,
        "amount": "" if record.amount is None else f"{record.amount:,.2f}",
        "raw": seen.raw,
    }


def _back_link(request) -> str:
    """The search the reader came from (kept through the purpose form), else none."""
    back = request.GET.get("back", "")
    search_url = reverse("search:search")
    ours = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
    if back.startswith(search_url) and ours:
        return back
    return ""
