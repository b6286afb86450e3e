"""Records as a reader may see them: masked unless their access allows identifiers, escaped always.

Highlight fragments arrive from the backend already HTML-escaped, with only our <mark> as
markup; they are marked safe here and only after masking. Every other piece of a record's text
is escaped by the template (or by ``escape`` here), never rendered raw.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from agencies.models import Agency, Region

from .. import governance
from ..models import Record, SourceSystem

BODY_PREVIEW = 200
MARK = re.compile(r"</?mark>")


def system_label(system: SourceSystem) -> str:
    """A system's name in the page's language (its English name when there is one)."""
    from django.utils.translation import get_language

    if system.name_en and (get_language() or "").startswith("en"):
        return system.name_en
    return system.name


def masked_text(text: str, *, identifiers: bool) -> str:
    return text if identifiers else governance.mask_text(text)


def masked_fragment(fragment: str, *, identifiers: bool) -> SafeString:
    """A highlight fragment, already escaped by the backend, masked and then marked safe."""
    return mark_safe(fragment if identifiers else governance.mask_fragment(fragment))  # noqa: S308


def masked_list(values, mask, *, identifiers: bool) -> list[str]:
    return list(values or []) if identifiers else [mask(value) for value in values or []]


@dataclass
class ShownHit:
    record: Record
    system_name: str
    title: SafeString
    fragments: list[SafeString]
    names: SafeString
    id_numbers: list[str]
    phones: list[str]
    identifiers: bool

    @property
    def amount(self) -> str:
        amount = self.record.amount
        return "" if amount is None else f"{amount:,.2f}"


def _escaped(text: str, *, identifiers: bool) -> SafeString:
    return mark_safe(escape(masked_text(text, identifiers=identifiers)))  # noqa: S308 - escaped here


def _names(names: list[str], marked: list[str], *, identifiers: bool) -> SafeString:
    """Every name of the record, those that matched with their marks (a fragment is one whole name)."""
    by_name = {MARK.sub("", fragment): fragment for fragment in marked}
    shown = []
    for name in names:
        fragment = by_name.get(str(escape(name)))
        shown.append(
            masked_fragment(fragment, identifiers=identifiers)
            if fragment
            else _escaped(name, identifiers=identifiers)
        )
    return mark_safe("、".join(shown))  # noqa: S308 - each part is escaped or a masked fragment


def shown_hits(hits, accesses: dict[str, governance.SystemAccess]) -> list[ShownHit]:
    """The page's hits with their records loaded (one query), masked per their system's access.

    A hit whose record has gone from the database since it was indexed is left out."""
    records = Record.objects.select_related("system", "region").in_bulk([hit.record_id for hit in hits])
    shown = []
    for hit in hits:
        record = records.get(hit.record_id)
        access = accesses.get(hit.system)
        if record is None or access is None:
            continue
        identifiers = access.identifiers
        marks = hit.highlights
        title = (
            masked_fragment(marks["title"][0], identifiers=identifiers)
            if marks.get("title")
            else _escaped(record.title, identifiers=identifiers)
        )
        if marks.get("body"):
            fragments = [masked_fragment(fragment, identifiers=identifiers) for fragment in marks["body"]]
        else:
            preview = record.body[:BODY_PREVIEW] + ("…" if len(record.body) > BODY_PREVIEW else "")
            fragments = [_escaped(preview, identifiers=identifiers)] if preview else []
        names = _names(record.names or [], marks.get("names", []), identifiers=identifiers)
        shown.append(
            ShownHit(
                record=record,
                system_name=system_label(access.system),
                title=title,
                fragments=fragments,
                names=names,
                id_numbers=masked_list(record.id_numbers, governance.mask_id_number, identifiers=identifiers),
                phones=masked_list(record.phones, governance.mask_phone, identifiers=identifiers),
                identifiers=identifiers,
            )
        )
    return shown


def facet_labels(facets: dict[str, list[tuple[str, int]]], accesses, chosen: dict[str, list[str]]):
    """Names for the codes of the facets and of the chosen filters: systems, regions and agencies
    by name in the page's language; years as they are."""
    regions = {code for code, _count in facets.get("region", [])} | set(chosen.get("region", []))
    agencies = {code for code, _count in facets.get("agency", [])} | set(chosen.get("agency", []))
    return {
        "system": {code: system_label(access.system) for code, access in accesses.items()},
        "region": {region.code: region.display_name for region in Region.objects.filter(code__in=regions)},
        "agency": {agency.code: agency.display_name for agency in Agency.objects.filter(code__in=agencies)},
        "year": {},
    }
