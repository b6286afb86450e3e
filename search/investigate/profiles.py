"""Profiles (画像): what the linked records say about one person (an ID number) or one company (a
unified social credit code), read through their record keys and governed like a search.

A profile is opened from a link made for one reader: a token signed with the portal's secret,
salted for profiles, naming the record key the link was made from and the user it was made for,
valid for ``TOKEN_HOURS``. The number itself is never in the URL (a signed value is readable by
anyone who has the URL: it is only protected from change), so a masked number cannot leak
through a link, a browser's history or a proxy's log; a token is useless to another user, and
once the linked record's keys are written again (a reload of its row) its links simply expire.

What a profile reads is what the reader may search (``permissions.readable``): the records of
other systems do not exist for it. The records of a system that needs a stated purpose are read
only once the reader has stated one, as on the search page. Every profile viewed is written to
the search log as a search, its query saying whose profile it was as the reader saw it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db.models import Case, Count, IntegerField, Max, Min, QuerySet, When
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from ..masking import shown_key
from ..models import AccessAction, KeyKind, Record, RecordKey
from ..roles import role_label
from . import permissions
from .permissions import Reader, SystemAccess

# The kinds of key a profile is about, by the word its URL uses.
PROFILE_KINDS = {"person": KeyKind.ID_NUMBER, "company": KeyKind.CREDIT_CODE}
SLUGS = {kind: slug for slug, kind in PROFILE_KINDS.items()}
# The keys that tie the subject to someone else: people, companies and units.
PARTY_KINDS = (KeyKind.ID_NUMBER, KeyKind.CREDIT_CODE, KeyKind.ORGANISATION)
# The keys that describe how to reach or find them: phones, addresses, plates, projects.
OTHER_KINDS = tuple(kind for kind in KeyKind.values if kind not in PARTY_KINDS)

TOKEN_SALT = "search.profiles"  # noqa: S105 - a salt, not a secret
TOKEN_HOURS = 12  # a working day: a page of hits opened in the morning still links in the evening
KEYS_SHOWN = 30  # of each section, the most frequent; the count of the rest is given
RELATIONS_SHOWN = 40


# --- links ---------------------------------------------------------------------------------------


def token_for(user, key_pk: int) -> str:
    return signing.dumps([key_pk, user.pk], salt=TOKEN_SALT)


def key_of_token(user, token: str) -> int | None:
    """The record key a token was made for, if it was made for ``user`` and has not expired."""
    try:
        key_pk, user_pk = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_HOURS * 3600)
    except (signing.BadSignature, TypeError, ValueError):  # forged, expired, or not a pair
        return None
    if not isinstance(key_pk, int) or user_pk != user.pk:
        return None
    return key_pk


def profile_url(user, kind: str, key_pk: int) -> str:
    return reverse("search:profile", args=[SLUGS[kind], token_for(user, key_pk)])


@dataclass(frozen=True)
class ProfileLink:
    """A person's or company's key as one reader sees it, with the link to their profile."""

    kind: str
    shown: str
    url: str
    role: str = ""
    count: int = 0  # of a clue's subjects: on how many of its records

    @property
    def role_label(self) -> str:
        return role_label(self.role) if self.role else ""


def _keys_of_records(accesses: dict[str, SystemAccess], records):
    """(record id, key id, kind, value, role, identifiers) of each person's and company's key of
    the records of systems the reader reads, in one query."""
    by_id = {record.pk: record for record in records}
    keys = RecordKey.objects.filter(record_id__in=list(by_id), kind__in=list(SLUGS))
    for pk, record_id, kind, value, role in keys.order_by("record_id", "pk").values_list(
        "pk", "record_id", "kind", "value", "role"
    ):
        access = accesses.get(by_id[record_id].system.code)
        if access is not None:
            yield record_id, pk, kind, value, role, access.identifiers


def links_of_records(user, accesses: dict[str, SystemAccess], records) -> dict[int, list[ProfileLink]]:
    """For each of ``records``, the people and companies its keys name, each once, masked as its
    system's access says: what a hit and a linked record link to."""
    links: dict[int, list[ProfileLink]] = {}
    seen: set[tuple[int, str, str]] = set()
    for record_id, pk, kind, value, role, identifiers in _keys_of_records(accesses, records):
        if (record_id, kind, value) not in seen:
            seen.add((record_id, kind, value))
            links.setdefault(record_id, []).append(ProfileLink(
                kind, shown_key(kind, value, identifiers=identifiers), profile_url(user, kind, pk), role,
            ))
    return links


def subjects_of_records(user, accesses: dict[str, SystemAccess], records) -> list[ProfileLink]:
    """The people and companies a set of records names (a clue's evidence), each once, on how
    many of them, the most first; shown in full if one of their systems shows identifiers."""
    found: dict[tuple[str, str], dict] = {}
    for record_id, pk, kind, value, _role, identifiers in _keys_of_records(accesses, records):
        subject = found.setdefault((kind, value), {"pk": pk, "records": set(), "identifiers": False})
        subject["records"].add(record_id)
        subject["identifiers"] |= identifiers
    links = [
        ProfileLink(kind, shown_key(kind, value, identifiers=subject["identifiers"]),
                    profile_url(user, kind, subject["pk"]), count=len(subject["records"]))
        for (kind, value), subject in found.items()
    ]
    return sorted(links, key=lambda link: (-link.count, link.kind, link.shown))


def link_to(user, accesses: dict[str, SystemAccess], kind: str, value: str) -> ProfileLink | None:
    """The link to the profile of a key given by its value (a warning's subject), made from a key
    of a system the reader reads; None when no such system names it, or it has no profile."""
    if kind not in SLUGS or not accesses:
        return None
    keys = RecordKey.objects.filter(kind=kind, value=value, system_id__in=_ids(accesses))
    key_pk = keys.order_by("pk").values_list("pk", flat=True).first()
    if key_pk is None:
        return None
    shown = shown_key(kind, value, identifiers=keys.filter(system_id__in=_ids(accesses, True)).exists())
    return ProfileLink(kind, shown, profile_url(user, kind, key_pk))


def _ids(accesses: dict[str, SystemAccess], identifiers_only: bool = False) -> list[int]:
    return [access.system.pk for access in accesses.values() if access.identifiers or not identifiers_only]


# --- whose profile, read how ----------------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    """Whose profile: a key's kind and value, and the key the link was made from."""

    kind: str
    value: str
    key: RecordKey

    @property
    def slug(self) -> str:
        return SLUGS[self.kind]


def subject_of(reader: Reader, accesses: dict[str, SystemAccess], slug: str, token: str) -> Subject:
    """The subject a link names; 404 alike for an unknown kind, a forged, expired or another
    user's token, a key gone since, and a key of a system the reader may no longer read."""
    kind = PROFILE_KINDS.get(slug)
    key_pk = key_of_token(reader.user, token) if kind else None
    key = RecordKey.objects.select_related("record", "system").filter(pk=key_pk, kind=kind).first() \
        if key_pk is not None else None
    if key is None or key.system.code not in accesses:
        raise Http404
    return Subject(kind, key.value, key)


@dataclass(frozen=True)
class Scope:
    """The systems a profile reads for one reader: all they may search, but those that need a
    stated purpose only once one is given (``withheld`` until then)."""

    accesses: dict[str, SystemAccess]
    purpose: str
    withheld: tuple[SystemAccess, ...]

    @classmethod
    def of(cls, accesses: dict[str, SystemAccess], purpose: str) -> Scope:
        purpose = purpose.strip() if permissions.purpose_is_given(purpose) else ""
        withheld = () if purpose else tuple(
            access for access in accesses.values() if access.needs_purpose
        )
        read = {code: access for code, access in accesses.items() if access not in withheld}
        return cls(read, purpose, withheld)

    @property
    def system_ids(self) -> list[int]:
        return _ids(self.accesses)

    def access_of(self, system_id: int) -> SystemAccess | None:
        return next((access for access in self.accesses.values() if access.system.pk == system_id), None)


def _naming(subject: Subject, scope: Scope) -> QuerySet:
    """The subject's own keys in the systems read."""
    return RecordKey.objects.filter(kind=subject.kind, value=subject.value, system_id__in=scope.system_ids)


def records_naming(subject: Subject, scope: Scope, system_id: int | None = None) -> QuerySet:
    """The linked records that name the subject, by system (as the page groups them), newest first."""
    keys = _naming(subject, scope)
    if system_id is not None:
        keys = keys.filter(system_id=system_id)
    return (
        Record.objects.filter(pk__in=keys.values("record_id"))
        .select_related("system", "region")
        .order_by("system__code", "-occurred_at", "-pk")
    )


def shows_subject(subject: Subject, scope: Scope) -> bool:
    """Whether the reader sees the subject's number: only when a system whose identifiers they
    see names it (they could read it there anyway)."""
    return _naming(subject, scope).filter(system_id__in=_ids(scope.accesses, True)).exists()


def shown_subject(subject: Subject, scope: Scope) -> str:
    return shown_key(subject.kind, subject.value, identifiers=shows_subject(subject, scope))


@dataclass(frozen=True)
class SystemCount:
    access: SystemAccess
    records: int


def systems_naming(subject: Subject, scope: Scope) -> list[SystemCount]:
    """How many records of each system read name the subject, the most first."""
    counts = _naming(subject, scope).values("system_id").annotate(records=Count("record_id", distinct=True))
    found = [SystemCount(scope.access_of(row["system_id"]), row["records"]) for row in counts]
    return sorted((count for count in found if count.access), key=lambda count: (-count.records,
                                                                                  count.access.system.code))


def subject_roles(subject: Subject, record_ids) -> dict[int, list[str]]:
    """The roles the subject plays in each of these records."""
    roles: dict[int, list[str]] = {}
    keys = RecordKey.objects.filter(record_id__in=list(record_ids), kind=subject.kind, value=subject.value)
    for record_id, role in keys.order_by("pk").values_list("record_id", "role"):
        roles.setdefault(record_id, []).append(role)
    return roles


# --- what the records say besides -----------------------------------------------------------------


@dataclass(frozen=True)
class KeyCount:
    """Another key on the subject's records: how many of them it is on."""

    kind: str
    shown: str
    records: int

    @property
    def kind_label(self) -> str:
        return KeyKind(self.kind).label


@dataclass(frozen=True)
class Listing:
    """The most frequent of a section, and how many there are in all."""

    shown: list
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.shown)


def _beside(subject: Subject, scope: Scope, kinds) -> QuerySet:
    """The keys of these kinds on the records read that name the subject, the subject's own not."""
    return (
        RecordKey.objects.filter(record_id__in=_naming(subject, scope).values("record_id"), kind__in=kinds,
                                 system_id__in=scope.system_ids)
        .exclude(kind=subject.kind, value=subject.value)
    )


def _identifiers_seen(scope: Scope) -> Max:
    """1 when some key of a group is in a system whose identifiers the reader sees."""
    return Max(Case(When(system_id__in=_ids(scope.accesses, True), then=1), default=0,
                    output_field=IntegerField()))


def other_keys(subject: Subject, scope: Scope) -> Listing:
    """Phones, addresses, plates and projects on the subject's records, the most frequent first."""
    groups = (
        _beside(subject, scope, OTHER_KINDS).values("kind", "value")
        .annotate(records=Count("record_id", distinct=True), identifiers=_identifiers_seen(scope))
        .order_by("-records", "kind", "value")
    )
    shown = [
        KeyCount(row["kind"], shown_key(row["kind"], row["value"], identifiers=bool(row["identifiers"])),
                 row["records"])
        for row in groups[:KEYS_SHOWN]
    ]
    return Listing(shown, groups.count())


@dataclass(frozen=True)
class Relation:
    """Someone the records tie the subject to: a person, a company or a unit, the role it plays
    (``role``), the subject's roles on the same records (``subject_roles``), in one system."""

    kind: str
    shown: str
    role: str
    subject_roles: tuple[str, ...]
    access: SystemAccess
    records: int
    url: str  # empty for a unit, which has no profile

    @property
    def role_label(self) -> str:
        return role_label(self.role)

    @property
    def subject_role_labels(self) -> list[str]:
        return [role_label(role) for role in self.subject_roles]


def relations(subject: Subject, scope: Scope, user) -> Listing:
    """The people, companies and units named beside the subject on its records, by the role
    each plays there, the most records first (legal representative of a company, spouse of an
    official, the unit an official works in, the company a person represents…)."""
    beside = _beside(subject, scope, PARTY_KINDS)
    groups = (
        beside.values("kind", "value", "role", "system_id")
        .annotate(records=Count("record_id", distinct=True), key_pk=Min("pk"),
                  identifiers=_identifiers_seen(scope))
        .order_by("-records", "kind", "value", "role", "system_id")
    )
    top = list(groups[:RELATIONS_SHOWN])
    their_roles: dict[tuple, set[str]] = {}
    if top:
        # The subject's roles on the records of each relation shown, joined on the same record.
        # (The filter comes first: the role read after it is of the key it joined.)
        pairs = beside.filter(
            value__in={row["value"] for row in top},
            record__record_keys__kind=subject.kind, record__record_keys__value=subject.value,
        ).values_list("kind", "value", "role", "system_id", "record__record_keys__role").distinct()
        for kind, value, role, system_id, subject_role in pairs:
            their_roles.setdefault((kind, value, role, system_id), set()).add(subject_role)
    shown = []
    for row in top:
        access = scope.access_of(row["system_id"])
        kind, value = row["kind"], row["value"]
        shown.append(Relation(
            kind=kind, shown=shown_key(kind, value, identifiers=access.identifiers), role=row["role"],
            subject_roles=tuple(sorted(their_roles.get((kind, value, row["role"], row["system_id"]), ()))),
            access=access, records=row["records"],
            url=profile_url(user, kind, row["key_pk"]) if kind in SLUGS else "",
        ))
    return Listing(shown, groups.count())


# --- the search log -------------------------------------------------------------------------------


def log_viewed(reader: Reader, subject: Subject, scope: Scope, *, systems, hits: int, ip: str | None) -> None:
    """A profile viewed, as a search of the systems it read: its query names the subject as the
    reader saw it (a masked number stays masked in the search log) with the kind and role of the
    key the link was made from, and its linked record, so a reviewer who may see the number
    finds it there."""
    with translation.override(settings.LANGUAGE_CODE):  # the search log is written in one language
        query = gettext("Profile: %(kind)s %(value)s (%(role)s)") % {
            "kind": KeyKind(subject.kind).label, "value": shown_subject(subject, scope),
            "role": role_label(subject.key.role),
        }
    permissions.log(reader, AccessAction.SEARCH, systems=systems, query=query, purpose=scope.purpose,
                    record=subject.key.record, hits=hits, ip=ip)
