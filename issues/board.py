"""The board's tabs, counts, filters and keyset pages for the agency a user acts for.

Every query starts from ``permissions.visible_issues`` (one id subquery over the agency's
permission rows), so a tab can never list what the user could not open.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from .models import Assignment, AssignmentState, IssueState, Participant, PartyRole
from .permissions import visible_issues


@dataclass(frozen=True)
class Tab:
    slug: str
    label: str


TABS = [
    Tab("to-sign", _("To sign for")),
    Tab("handling", _("Handling")),
    Tab("to-verify", _("To verify")),
    Tab("closed", _("Closed")),
    Tab("initiated", _("Initiated by us")),
    Tab("copied", _("Copied to us")),
    Tab("supervised", _("Supervised by us")),
]
TAB_SLUGS = {tab.slug for tab in TABS}


def _our_assignments(agency, states):
    return Exists(Assignment.objects.filter(issue=OuterRef("pk"), agency=agency, state__in=states))


def _party(agency, roles):
    return Exists(Participant.objects.filter(issue=OuterRef("pk"), agency=agency, role__in=roles))


def tab_condition(slug: str, agency) -> Q:
    open_states = [IssueState.PUSHED, IssueState.IN_PROGRESS, IssueState.REPORTED]
    if slug == "to-sign":
        return Q(_our_assignments(agency, [AssignmentState.PENDING]), state__in=open_states)
    if slug == "handling":
        return Q(
            _our_assignments(
                agency, [AssignmentState.SIGNED, AssignmentState.AWAITING_APPROVAL, AssignmentState.REPORTED]
            ),
            state__in=open_states,
        )
    if slug == "to-verify":
        waiting = Exists(
            Assignment.objects.filter(issue=OuterRef("pk"), state=AssignmentState.REPORTED)
        ) | Exists(
            Assignment.objects.filter(
                issue=OuterRef("pk"), state=AssignmentState.DECLINED, transferred_to__isnull=True
            )
        )
        return Q(waiting, initiator=agency, state__in=open_states) | Q(
            initiator=agency, state=IssueState.REPORTED
        )
    if slug == "closed":
        return Q(state=IssueState.CLOSED) & (
            Q(initiator=agency)
            | _party(agency, [PartyRole.LEAD, PartyRole.CO_HANDLER, PartyRole.FORMER_HANDLER])
        )
    if slug == "initiated":
        return Q(initiator=agency)
    if slug == "copied":
        return Q(_party(agency, [PartyRole.COPIED, PartyRole.CONSULTEE]))
    if slug == "supervised":
        return Q(_party(agency, [PartyRole.SUPERVISOR]), state__in=open_states)
    raise ValueError(slug)


def tab_queryset(user, agency, slug: str):
    return visible_issues(user, agency).filter(tab_condition(slug, agency))


def tab_counts(user, agency) -> dict[str, int]:
    return {tab.slug: tab_queryset(user, agency, tab.slug).count() for tab in TABS}


# --- keyset pages --------------------------------------------------------------------------

SORTS = {
    "updated": ("-updated_at", "-id"),
    "deadline": ("deadline", "id"),
    "created": ("-created_at", "-id"),
}


def encode_cursor(values: list) -> str:
    raw = json.dumps([v.isoformat() if hasattr(v, "isoformat") else v for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> list | None:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (ValueError, UnicodeDecodeError):
        return None
    return values if isinstance(values, list) and len(values) == 2 else None
