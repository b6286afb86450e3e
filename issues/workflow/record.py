"""The issue record (全程留痕): each issue's events as a hash chain, appended to by the actions.

Each issue's events form a chain: ``hash = sha256(prev_hash + canonical JSON of the event)``,
the first event's ``prev_hash`` being the genesis value. Changing, removing or reordering any
event breaks every hash after it, and ``manage.py audit_verify`` names the first broken link.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from common import request_ids

from ..models import OPEN_ASSIGNMENT_STATES, Assignment, Issue, IssueEvent, IssueState
from .errors import Conflict

GENESIS = "0" * 64
logger = logging.getLogger("issues.actions")  # the name operators filter the actions' log on


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


def append(
    issue: Issue,
    actor,
    action: str,
    *,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
    assignment: Assignment | None = None,
    related_agency=None,
    automation_rule: str = "",
) -> IssueEvent:
    """Append one event to the issue's hash chain and move the chain's head.

    That is all it does: the action that called it then refreshes the ledger lines, queues the
    live message and writes the notices, by name. The head moves by compare-and-set on the
    event count, together with the issue's earliest open deadline (the board sorts by it), so
    two actions racing on one issue cannot both append event N.

    The event carries the id of the request (or Celery task) that took the action, so that the
    issue record and the logs meet; an action from a command has none.
    """
    event = IssueEvent(
        issue=issue,
        seq=issue.event_count + 1,
        assignment=assignment,
        action=action,
        actor=actor.user if actor else None,
        actor_name=(actor.user.get_full_name() if actor else _("Deadline rule")),
        agency=actor.agency if actor else None,
        related_agency=related_agency,
        before=before or {},
        after=after or {},
        reason=reason,
        automation_rule=automation_rule,
        request_id=request_ids.current(),
        created_at=timezone.now(),
        prev_hash=issue.record_head or GENESIS,
    )
    event.hash = chain_hash(event.prev_hash, event)
    event.save()
    due_date = _earliest_open_deadline(issue)
    moved = Issue.objects.filter(pk=issue.pk, event_count=issue.event_count).update(
        event_count=event.seq, record_head=event.hash, due_date=due_date
    )
    if not moved:
        raise Conflict(_("Someone else changed this issue at the same moment; nothing was saved."))
    issue.event_count, issue.record_head, issue.due_date = event.seq, event.hash, due_date
    if event.request_id:  # a request's or task's log meets the issue record; commands stay quiet
        logger.info("issue %s: event #%s %s by %s", issue.number, event.seq, action, event.actor_name)
    return event


def _earliest_open_deadline(issue) -> dt.date | None:
    if issue.state in (IssueState.CLOSED, IssueState.WITHDRAWN):
        return None
    return (
        Assignment.objects.filter(issue=issue, state__in=OPEN_ASSIGNMENT_STATES, deadline__isnull=False)
        .order_by("deadline")
        .values_list("deadline", flat=True)
        .first()
    )
