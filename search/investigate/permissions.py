"""Permissions of linked systems: who may read which system, what they see of it, and the
search log of every reading (§7).

A reader is a user acting for one agency in one role (``agencies.acting``). They may read a
system when a ``SystemGrant`` matches their agency and role, or when their agency owns it and it
is not restricted (a restricted system is read only by the roles its grants name). ID numbers and
phone numbers are masked unless a matching grant lets them be seen; ownership never unmasks.
What a masked linked record shows is decided in ``search.masking``.
Searching a sensitive or restricted system needs a stated purpose (查询事由). Every search,
linked record view, export, batch search and harvest is written to the append-only search log
(``AccessLog``), which members of a discipline commission review.

Views and tasks call only this module for these decisions, so that one rule holds everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from agencies.acting import acting_membership
from agencies.models import AgencyKind, Membership, Role, SupervisionClass

from ..models import AccessLog, Record, Sensitivity, SourceSystem, SystemGrant

PURPOSE_NEEDED = frozenset({Sensitivity.SENSITIVE, Sensitivity.SECRET})
PURPOSE_MIN_LENGTH = 4  # "核查线索" is the shortest honest purpose


@dataclass(frozen=True)
class Reader:
    user: object
    agency: object
    role: str

    @classmethod
    def of(cls, membership: Membership) -> Reader:
        return cls(user=membership.user, agency=membership.agency, role=membership.role)


def reader_for(request) -> Reader | None:
    """The signed-in user as they act right now, or None for someone with no agency."""
    membership = acting_membership(request)
    return Reader.of(membership) if membership else None


def _matching_grants(reader: Reader):
    agency = reader.agency
    return SystemGrant.objects.filter(
        (Q(agency__isnull=True) | Q(agency=agency))
        & (Q(supervision_class="") | Q(supervision_class=agency.supervision_class or "-"))
        & (Q(agency_kind="") | Q(agency_kind=agency.kind))
        & (Q(role="") | Q(role=reader.role)),
        system__is_active=True,
    )


@dataclass(frozen=True)
class SystemAccess:
    """What one reader may do with one system."""

    system: SourceSystem
    identifiers: bool  # may see ID and phone numbers unmasked
    export: bool

    @property
    def needs_purpose(self) -> bool:
        return self.system.sensitivity in PURPOSE_NEEDED


def readable(reader: Reader | None) -> dict[str, SystemAccess]:
    """Every system the reader may search, by code, with what they may do in it.

    The one decision of who reads what (every page, hit, export, batch, clue and notice asks it):
    the grants that match the reader's agency and role, and the systems their agency owns, except
    a restricted one, which only a grant opens. Identifiers are shown only where a grant says
    so: owning a system never unmasks it."""
    if reader is None:
        return {}
    rights: dict[int, tuple[bool, bool]] = {}
    for system_id, identifiers, export in _matching_grants(reader).values_list(
        "system_id", "may_see_identifiers", "may_export"
    ):
        seen = rights.get(system_id, (False, False))
        rights[system_id] = (seen[0] or identifiers, seen[1] or export)
    for system_id in _owned(reader).values_list("pk", flat=True):
        seen = rights.get(system_id, (False, False))
        rights[system_id] = (seen[0], True)  # an owner reads and exports its own data, masked
    systems = SourceSystem.objects.filter(pk__in=rights).select_related("owner")
    return {
        system.code: SystemAccess(system, identifiers=rights[system.pk][0], export=rights[system.pk][1])
        for system in systems
    }


def readable_by_agency(agency) -> dict[str, SystemAccess]:
    """Every system some member of ``agency`` may read, whatever their role: what the agency's
    warning models may read (search.detection). The union over its roles of ``readable``: a
    system only its leaders may read is read by its models too, whose warnings its leaders see."""
    accesses: dict[str, SystemAccess] = {}
    for role in Role.values:
        for code, access in readable(Reader(user=None, agency=agency, role=role)).items():
            seen = accesses.get(code)
            accesses[code] = access if seen is None else SystemAccess(
                access.system, identifiers=seen.identifiers or access.identifiers,
                export=seen.export or access.export,
            )
    return accesses


def _owned(reader: Reader):
    """The systems the reader's agency owns and may read as their owner: all but restricted ones."""
    return SourceSystem.objects.filter(owner=reader.agency, is_active=True).exclude(
        sensitivity=Sensitivity.SECRET
    )


def may_read_any(reader: Reader | None) -> bool:
    """Whether ``readable(reader)`` would name any system, in one query (the header's link)."""
    if reader is None:
        return False
    return SourceSystem.objects.filter(
        Q(pk__in=_matching_grants(reader).values("system_id")) | Q(pk__in=_owned(reader).values("pk")),
        is_active=True,
    ).exists()


def shows_identifiers(accesses: dict[str, SystemAccess], codes) -> bool:
    """Whether words typed about these systems (a query, a stated purpose) may be shown to the
    reader as typed: only if their access shows identifiers in every one of them. A number
    someone typed into a search is as private as the record it finds."""
    codes = list(codes)
    return bool(codes) and all(code in accesses and accesses[code].identifiers for code in codes)


def identifiers_shown_in(accesses: dict[str, SystemAccess]) -> tuple[str, ...]:
    """The systems, of these, whose identifiers the reader sees: searched in their text as stored
    (``search.index.types.Filters.identifiers_shown``); the others in the masked text."""
    return tuple(sorted(code for code, access in accesses.items() if access.identifiers))


def needs_purpose(accesses) -> bool:
    """Whether searching these systems (SystemAccess values) needs a stated purpose."""
    return any(access.needs_purpose for access in accesses)


def purpose_is_given(purpose: str | None) -> bool:
    return len((purpose or "").strip()) >= PURPOSE_MIN_LENGTH


def may_review_search_log(reader: Reader | None) -> bool:
    """The commission reviews the search log: any member of a discipline commission."""
    return reader is not None and reader.agency.is_commission


def readable_record(reader: Reader | None, pk: int) -> tuple[Record, SystemAccess]:
    """The linked record and the reader's access to its system; 404 when they may not read it."""
    record = Record.objects.select_related("system", "region").filter(pk=pk).first()
    access = readable(reader).get(record.system.code) if record else None
    if access is None:
        raise Http404
    return record, access


# --- the search log ------------------------------------------------------------------------


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def log(reader: Reader, action: str, *, systems=(), query: str = "", purpose: str = "",
        record: Record | None = None, hits: int | None = None, ip: str | None = None) -> AccessLog:
    """Write one entry of the search log (never updated, never deleted)."""
    return AccessLog.objects.create(
        user=reader.user, agency=reader.agency, action=action, systems=sorted(systems), query=query,
        purpose=(purpose or "").strip(), record=record, hits=hits, ip=ip,
    )


# --- the grants a new installation starts with ------------------------------------------------

# (sensitivities, supervision class, agency kind, role, may see identifiers): the README's table
# "Who reads what", row for row (tests/search/investigate/test_who_reads_what.py holds them to each other).
# Commission leaders see everything in full; every commission member and stationed group reads
# all but the restricted system, masked; audit and financial supervision what is not sensitive;
# every supervisory body what is public. A system's owner reads it as ``readable`` says.
DEFAULT_GRANTS = [
    ({"public", "internal", "sensitive", "secret"}, SupervisionClass.PARTY, AgencyKind.SUPERVISORY,
     Role.LEADER, True),
    ({"public", "internal", "sensitive"}, SupervisionClass.PARTY, AgencyKind.SUPERVISORY, "", False),
    ({"public", "internal", "sensitive"}, "", AgencyKind.STATIONED_GROUP, "", False),
    ({"public", "internal"}, SupervisionClass.AUDIT, AgencyKind.SUPERVISORY, "", False),
    ({"public", "internal"}, SupervisionClass.FINANCIAL, AgencyKind.SUPERVISORY, "", False),
    ({"public"}, "", AgencyKind.SUPERVISORY, "", False),
]


def seed_default_grants() -> int:
    """Give each system that has no grant yet the default ones; returns how many were made.

    A system with any grant is left alone: an administrator has decided who reads it."""
    made = 0
    for system in SourceSystem.objects.filter(grants__isnull=True):
        for sensitivities, supervision_class, kind, role, identifiers in DEFAULT_GRANTS:
            if system.sensitivity in sensitivities:
                SystemGrant.objects.create(
                    system=system, supervision_class=supervision_class, agency_kind=kind, role=role,
                    may_see_identifiers=identifiers,
                )
                made += 1
    return made
