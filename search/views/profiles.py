"""A person's or a company's profile (画像): the linked records that name them, by system, the other
keys and the people, companies and units on those records, and the warnings, clues and issues
that name them; governed like a search (search.investigate.profiles) and written to the search log
on every view."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..detection import profiles as work
from ..investigate import permissions, profiles
from ..investigate.forms import PurposeForm
from ..masking import shown_record
from ..models import KeyKind
from ..roles import role_label
from .display import system_label

PAGE_SIZE = 20


@login_required
@require_GET
def profile(request, kind: str, token: str):
    reader = permissions.reader_for(request)
    accesses = permissions.readable(reader)
    if not accesses:
        raise Http404  # as the search page: to whoever may search nothing, profiles do not exist
    subject = profiles.subject_of(reader, accesses, kind, token)
    form = PurposeForm(request.GET) if "purpose" in request.GET else PurposeForm()
    purpose = form.cleaned_data["purpose"] if form.is_bound and form.is_valid() else ""
    scope = profiles.Scope.of(accesses, purpose)
    systems = profiles.systems_naming(subject, scope)
    chosen = next((count for count in systems if count.access.system.code == request.GET.get("system")), None)
    records = profiles.records_naming(subject, scope, chosen.access.system.pk if chosen else None)
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))  # junk or past the end: a page
    clues = work.clues_naming(reader, subject, scope)
    relations = profiles.relations(subject, scope, request.user)
    read = [count.access.system.code for count in systems] or [subject.key.system.code]
    profiles.log_viewed(reader, subject, scope, systems=read, hits=sum(count.records for count in systems),
                        ip=permissions.client_ip(request))
    context = {
        "subject": subject,
        "kind_label": KeyKind(subject.kind).label,
        "shown_subject": profiles.shown_subject(subject, scope),
        "scope": scope,
        "form": form,
        "withheld": [system_label(access.system) for access in scope.withheld],
        "systems": [(count, system_label(count.access.system)) for count in systems],
        "chosen": chosen,
        "total": sum(count.records for count in systems),
        "page": page,
        "records": _shown_records(subject, page.object_list, scope),
        "paging": _paging(request, scope, chosen),
        "record_query": urlencode({"purpose": scope.purpose}) if scope.purpose else "",
        "keys": profiles.other_keys(subject, scope),
        "relations": relations,
        "relation_rows": [(relation, system_label(relation.access.system)) for relation in relations.shown],
        "warnings": work.warnings_naming(reader, subject),
        "clues": clues,
        "issues": work.issues_from(reader, clues.shown),
    }
    return render(request, "search/profile.html", context)


def _shown_records(subject, records, scope) -> list[dict]:
    """The page's records, masked as the reader's access to their system says, with the roles the
    subject plays in them."""
    records = list(records)
    roles = profiles.subject_roles(subject, [record.pk for record in records])
    shown = []
    for record in records:
        access = scope.accesses[record.system.code]
        shown.append({
            "record": record,
            "system_name": system_label(record.system),
            "title": shown_record(record, identifiers=access.identifiers).title,
            "roles": [role_label(role) for role in roles.get(record.pk, [])],
        })
    return shown


def _paging(request, scope, chosen) -> str:
    """What a link to another page of records keeps: the purpose and the system chosen."""
    kept = {"purpose": scope.purpose} if scope.purpose else {}
    if chosen:
        kept["system"] = chosen.access.system.code
    return urlencode(kept)
