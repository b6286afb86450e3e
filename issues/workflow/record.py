"""The hash chain of the record (全程留痕).

Each issue's events form a chain: ``hash = sha256(prev_hash + canonical JSON of the event)``,
the first event's ``prev_hash`` being the genesis value. Changing, removing or reordering any
event breaks every hash after it, and ``manage.py audit_verify`` names the first broken link.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

GENESIS = "0" * 64


def canonical(event) -> str:
    """The event's content as canonical JSON: sorted keys, no spaces, ids not objects."""
    payload = {
        "issue": event.issue_id,
        "seq": event.seq,
        "assignment": event.assignment_id,
        "action": event.action,
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "agency": event.agency_id,
        "related_agency": event.related_agency_id,
        "before": event.before,
        "after": event.after,
        "reason": event.reason,
        "automation_rule": event.automation_rule,
        "request_id": event.request_id,
        "created_at": event.created_at.isoformat(timespec="microseconds"),
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def chain_hash(prev_hash: str, event) -> str:
    return hashlib.sha256((prev_hash + canonical(event)).encode("utf-8")).hexdigest()


@dataclass
class Break:
    event_id: int
    issue_id: int
    seq: int
    why: str


def verify(events: Iterable) -> Break | None:
    """Walk events ordered by (issue, seq); return the first broken link, or None."""
    current_issue = None
    prev_hash = GENESIS
    expected_seq = 1
    for event in events:
        if event.issue_id != current_issue:
            current_issue, prev_hash, expected_seq = event.issue_id, GENESIS, 1
        if event.seq != expected_seq:
            return Break(event.pk, event.issue_id, event.seq, f"expected event number {expected_seq}")
        if event.prev_hash != prev_hash:
            return Break(event.pk, event.issue_id, event.seq, "does not link to the event before it")
        if chain_hash(prev_hash, event) != event.hash:
            return Break(event.pk, event.issue_id, event.seq, "its content does not match its hash")
        prev_hash, expected_seq = event.hash, expected_seq + 1
    return None
