"""What a version of a warning model finds, without changing anything (DESIGN §12, runs).

``find(version, scope)`` compiles the version's template to its one query, restricted to the
linked systems the owning agency may read now, executes it, and groups its rows into warnings:
one per set of subjects, identified by ``fingerprint`` (a hash of the model's key and the sorted
subjects), with the linked records that show it. Subjects exempted for the model are left out.
A full scope reads every record; an incremental one keeps only the warnings that a record of
the given ingest runs (or ingested since a moment) takes part in, with all of their evidence:
each template computes only the groups such a record can be in (``patterns.Context.touched``),
the relation path excepted, whose chains are walked in full and filtered at the end.

The actions (``actions.run_model``) write what this finds; the backtest shows it.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from ..models import Record
from . import patterns
from .models import Exemption, WarningModel, WarningModelVersion
from .permissions import readable_systems

RECORDS = Record._meta.db_table


@dataclass(frozen=True)
class Scope:
    """The linked records a run looks at: all (the default), those written by some ingest runs,
    or those ingested at or after ``since``."""

    ingest_runs: tuple[int, ...] = ()
    since: datetime.datetime | None = None

    @property
    def is_full(self) -> bool:
        return not self.ingest_runs and self.since is None

    def as_json(self) -> dict:
        if self.ingest_runs:
            return {"ingest_runs": list(self.ingest_runs)}
        return {"since": self.since.isoformat()} if self.since else {}


FULL = Scope()


@dataclass
class Hit:
    """One warning as found: its fingerprint, its subjects (sorted [kind, value] pairs) and the
    ids of its evidence records."""

    fingerprint: str
    subjects: list[list[str]]
    records: set[int] = field(default_factory=set)


@dataclass
class Findings:
    hits: list[Hit]
    exempted: int = 0
    systems_read: list[str] = field(default_factory=list)
    systems_dropped: list[str] = field(default_factory=list)  # named by the version, unreadable now


def fingerprint(model_key: str, subjects) -> str:
    """sha256 of the model's key and the sorted subjects: the same warning, however often found."""
    canonical = json.dumps([model_key, sorted([str(kind), str(value)] for kind, value in subjects)],
                           ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def find(version: WarningModelVersion, scope: Scope = FULL, *,
         today: datetime.date | None = None) -> Findings:
    model = version.model
    readable = readable_systems(model.agency)
    allowed = {code: readable[code] for code in version.systems if code in readable}
    findings = Findings([], systems_read=sorted(allowed),
                        systems_dropped=sorted(set(version.systems) - set(allowed)))
    if not allowed:
        return findings
    chosen, chosen_params = scope_records(scope)
    context = patterns.Context(allowed, connection.vendor, chosen, tuple(chosen_params))
    query = patterns.template(version.template).compile(version.parameters, context)
    sql, params = statement(query, scope)
    groups: dict[str, tuple[set, set]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for group, kind, value, record_id in cursor:
            subjects, records = groups.setdefault(group, (set(), set()))
            subjects.add((kind, value))
            records.add(record_id)
    exempt = exempted_keys(model, today or timezone.localdate())
    by_fingerprint: dict[str, Hit] = {}
    for subjects, records in groups.values():
        if exempt and not exempt.isdisjoint(subjects):
            findings.exempted += 1
            continue
        key = fingerprint(model.key, subjects)
        hit = by_fingerprint.setdefault(key, Hit(key, sorted([kind, value] for kind, value in subjects)))
        hit.records |= records
    findings.hits = sorted(by_fingerprint.values(), key=lambda hit: hit.subjects)
    return findings


def scope_records(scope: Scope) -> tuple[str, list]:
    """An SQL query giving the ids of the linked records in ``scope``, with its bound values; empty
    for a full scope."""
    if scope.ingest_runs:
        values = list(scope.ingest_runs)
        chosen = f"ingest_run_id IN ({', '.join(['%s'] * len(values))})"
    elif scope.since is not None:
        chosen, values = "ingested_at >= %s", [connection.ops.adapt_datetimefield_value(scope.since)]
    else:
        return "", []
    return f"SELECT id FROM {RECORDS} WHERE {chosen}", values  # noqa: S608


def statement(query: patterns.Query, scope: Scope) -> tuple[str, list]:
    """The template's query as one statement, its rows named (grp, kind, value, record_id), kept
    to the warnings the scope's linked records take part in. Only names and placeholders are
    put into the text; every value is bound.

    The templates have restricted their work to what the scope's records can take part in
    already (``Context.touched``); what that leaves is filtered here to the warnings one of them
    is evidence of, which is what a full run finds, filtered the same way."""
    ctes = [f"{name} AS {'MATERIALIZED ' if name in query.materialized else ''}({body})"
            for name, body in query.ctes]
    ctes.append(f"found (grp, kind, value, record_id) AS ({query.select})")
    sql = f"WITH {', '.join(ctes)} SELECT grp, kind, value, record_id FROM found"  # noqa: S608
    params = list(query.params)
    kept, values = scope_records(scope)
    if not kept:
        return sql, params
    sql += f" WHERE grp IN (SELECT grp FROM found WHERE record_id IN ({kept}))"  # noqa: S608
    return sql, params + values


def exempted_keys(model: WarningModel, today: datetime.date) -> set[tuple[str, str]]:
    """The (kind, value) pairs exempted for the model on ``today``: its own exemptions and its
    agency's for every model, those expired left out."""
    return set(
        Exemption.objects.filter(Q(model__isnull=True) | Q(model=model), agency_id=model.agency_id,
                                 expires_on__gte=today).values_list("kind", "value")
    )
