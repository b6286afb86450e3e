"""Telling the agencies that hear of an event, as the action's catalogue entry says.

An action calls ``notify`` after recording its event, inside its transaction, so an action that
fails notifies nobody. Every active member of a hearing agency gets one notification per event,
whatever their role; the acting agency never hears of its own action, nor the acting user.

Automatic urges (``auto_urge``, an event with an ``automation_rule``) notify nobody here: the
ladder step that made them notifies its own audience (issues.deadlines.reminders), and a second
notification of the same urge would only be noise.

The texts are stored, not rendered per reader (a notification reaches many readers at once), so
they are written in the site's language, as the ladder's are.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from agencies.models import Membership
from notifications.inbox import NotificationBatch

from .catalogue import SPECS


def _context(event) -> dict:
    context = {
        "agency": event.agency,
        "related": event.related_agency or "",
        "number": event.issue.number,
        "title": event.issue.title,
    }
    for key in ("due_date", "proposed_deadline", "granted_deadline"):
        context[key] = event.after.get(key) or ""
    return context


def notify(event) -> int:
    """Write the notifications of a just-recorded ``IssueEvent``; returns how many."""
    notices = SPECS[event.action].notices
    if not notices or event.automation_rule:
        return 0
    hearing = [
        {agency_id for agency_id in notice.hears(event) if agency_id and agency_id != event.agency_id}
        for notice in notices
    ]
    members: dict[int, set[int]] = {}
    rows = Membership.objects.filter(
        agency_id__in=set().union(*hearing), agency__is_active=True, user__is_active=True
    ).exclude(user_id=event.actor_id)
    for agency_id, user_id in rows.values_list("agency_id", "user_id"):
        members.setdefault(agency_id, set()).add(user_id)
    box, told = NotificationBatch(event.created_at), set()
    with translation.override(settings.LANGUAGE_CODE):
        context = _context(event)
        for notice, agency_ids in zip(notices, hearing, strict=True):
            # A user in two hearing agencies reads the first notice that reaches them, once.
            users = set().union(*(members.get(agency_id, set()) for agency_id in agency_ids)) - told
            told |= users
            box.add(users, issue_id=event.issue_id, kind=notice.kind, text=_(notice.text) % context)
    count = len(box.rows)
    box.send()
    return count
