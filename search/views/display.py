"""Linked records as a reader may see them: masked unless their access allows identifiers, escaped always.

What a hit shows comes from ``masking.shown_record`` (the one masking decision); the marks and
excerpts are then cut from that masked text by ``search.index.highlight``, which escapes the record's
text and adds only its own <mark>. Everything else is escaped by the template or here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from agencies.models import Agency, Region

from ..index import highlight
from ..investigate import permissions
from ..investigate.profiles import ProfileLink, links_of_records
from ..masking import shown_record
from ..models import Record, SourceSystem

BODY_PREVIEW = 200


def system_label(system: SourceSystem) -> str:
    """A system's name in the page's language (its English name when there is one)."""
    if system.name_en and (get_language() or "").startswith("en"):
        return system.name_en
    return system.name


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
    profiles: list[ProfileLink] = field(default_factory=list)  # the people and companies it names

    @property
    def amount(self) -> str:
        amount = self.record.amount
        return "" if amount is None else f"{amount:,.2f}"


def _safe(marked_html: str) -> SafeString:
    return mark_safe(marked_html)  # noqa: S308 - escaped by search.index.highlight, <mark> its only markup


def _preview(body: str) -> list[SafeString]:
    """The start of the (masked) body, for a hit whose words are not in it."""
    if not body:
        return []
    preview = body[:BODY_PREVIEW] + ("…" if len(body) > BODY_PREVIEW else "")
    return [escape(preview)]


def _names(names: list[str], marked: dict[int, str]) -> SafeString:
    """Every name of the record, those that matched with their marks."""
    shown = [_safe(marked[index]) if index in marked else escape(name) for index, name in enumerate(names)]
    return mark_safe("、".join(shown))  # noqa: S308 - each part is escaped or marked by search.index.highlight


def shown_hits(hits, accesses: dict[str, permissions.SystemAccess], tree=None, *,
               user=None) -> list[ShownHit]:
    """The page's hits with their records loaded (one query), masked per their system's access,
    the words of the query ``tree`` marked in what is shown; with ``user``, each with the links
    to the profiles of the people and companies it names (signed for that user).

    A hit whose record has gone from the database since it was indexed is left out."""
    records = Record.objects.select_related("system", "region").in_bulk([hit.record_id for hit in hits])
    words = highlight.words_to_mark(tree)
    profiles = links_of_records(user, accesses, records.values()) if user is not None else {}
    shown = []
    for hit in hits:
        record = records.get(hit.record_id)
        access = accesses.get(hit.system)
        if record is None or access is None:
            continue
        seen = shown_record(record, identifiers=access.identifiers)
        marks = highlight.marked(seen, words)
        shown.append(
            ShownHit(
                record=record,
                system_name=system_label(access.system),
                title=_safe(marks.title) if marks.title else escape(seen.title),
                fragments=[_safe(fragment) for fragment in marks.fragments] or _preview(seen.body),
                names=_names(seen.names, marks.names),
                id_numbers=seen.id_numbers,
                phones=seen.phones,
                identifiers=access.identifiers,
                profiles=profiles.get(record.pk, []),
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
