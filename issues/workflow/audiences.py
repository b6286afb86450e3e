"""Who hears of an event on an issue, and what they read in their inbox.

``NOTICES`` is the whole mapping: an action's name to the notices it gives, each naming the
agencies that hear (derived from the recorded event alone, as it stands when ``_record`` writes
it), the kind and the text. ``notify`` runs inside the action's transaction, so an action that
fails notifies nobody. Every active member of a hearing agency gets one notification per event,
whatever their role; the acting agency never hears of its own action, nor the acting user.

Automatic urges (``auto_urge``, an event with an ``automation_rule``) are not here: the ladder
step that made them notifies its own audience (issues.deadlines.reminders), and a second
notification of the same urge would only be noise.

The texts are stored, not rendered per reader (a notification reaches many readers at once), so
they are written in the site's language, as the ladder's are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agencies.models import Membership
from notifications.inbox import NotificationBatch
from notifications.models import NotificationKind as Kind

from .models import OPEN_ASSIGNMENT_STATES, Assignment, AssignmentState


@dataclass(frozen=True)
class Notice:
    hears: Callable[[object], Iterable[int | None]]  # the event → the ids of the agencies that hear
    kind: str
    text: str  # a gettext_noop source, filled with ``_context``


# --- who hears -----------------------------------------------------------------------------------


def _initiator(event) -> list[int]:
    return [event.issue.initiator_id]


def _related(event) -> list[int | None]:
    return [event.related_agency_id]


def _handler(event) -> list[int]:
    """The handler whose assignment the event is about."""
    return [event.assignment.agency_id]


def _listed(key: str) -> Callable:
    """The agencies the event's ``after`` lists under ``key`` (those just added)."""
    return lambda event: event.after.get(key) or []


def _pushed_handlers(event) -> list[int]:
    return [event.after["lead"], *event.after.get("co_handlers", [])]


def _handlers_in(*states: str) -> Callable:
    """The handlers of the issue's assignments now in ``states`` (those the action just moved)."""

    def hears(event):
        return Assignment.objects.filter(issue_id=event.issue_id, state__in=states).values_list(
            "agency_id", flat=True
        )

    return hears


def _transfer_onlookers(event) -> list[int]:
    """The initiator, and the handler the assignment was taken from (unless it had declined it)."""
    heard = _initiator(event)
    if event.before.get("state") != AssignmentState.DECLINED:
        heard.append(event.before.get("agency"))
    return heard


def _initiator_and_assigner(event) -> list[int]:
    """Who waits on a handler: the initiator, and the body that assigned it the work (a lead,
    for its co-handlers)."""
    return [event.issue.initiator_id, event.assignment.assigned_by_id]


def _report_readers(event) -> list[int]:
    # A report still waiting for its leader's approval has not gone out yet.
    if event.after.get("state") != AssignmentState.REPORTED:
        return []
    return _initiator_and_assigner(event)


def _withdrawn_report_readers(event) -> list[int]:
    if event.before.get("state") != AssignmentState.REPORTED:
        return []
    return _initiator_and_assigner(event)


def _reopen_readers(event) -> list[int]:
    # The commission may reopen (re-supervision): then the initiator hears too.
    return [*_initiator(event), *_handlers_in(*OPEN_ASSIGNMENT_STATES)(event)]


# --- the mapping ---------------------------------------------------------------------------------

ASSIGNED = gettext_noop("%(agency)s assigned issue %(number)s “%(title)s” to your agency.")
COPIED = gettext_noop("%(agency)s copied issue %(number)s “%(title)s” to your agency.")
REPORTED = gettext_noop("%(agency)s reported on issue %(number)s “%(title)s”.")

NOTICES: dict[str, tuple[Notice, ...]] = {
    "push": (
        Notice(_pushed_handlers, Kind.ASSIGNED, ASSIGNED),
        Notice(_listed("copied"), Kind.COPIED, COPIED),
    ),
    "assign": (Notice(_listed("co_handlers"), Kind.ASSIGNED, ASSIGNED),),
    "transfer": (
        Notice(
            _related, Kind.TRANSFERRED,
            gettext_noop("%(agency)s transferred issue %(number)s “%(title)s” to your agency."),
        ),
        Notice(
            _transfer_onlookers, Kind.TRANSFERRED,
            gettext_noop("%(agency)s transferred issue %(number)s “%(title)s” to %(related)s."),
        ),
    ),
    "decline": (
        Notice(
            _initiator_and_assigner, Kind.DECLINED,
            gettext_noop("%(agency)s declined issue %(number)s “%(title)s”."),
        ),
    ),
    "copy": (Notice(_listed("copied"), Kind.COPIED, COPIED),),
    "consult": (
        Notice(
            _listed("consultee"), Kind.CONSULTED,
            gettext_noop("%(agency)s asks your agency's opinion on issue %(number)s “%(title)s”."),
        ),
    ),
    "urge": (
        Notice(
            _related, Kind.URGED,
            gettext_noop(
                "%(agency)s urged your agency on issue %(number)s “%(title)s”: answer by %(due_date)s."
            ),
        ),
    ),
    "report": (Notice(_report_readers, Kind.REPORTED, REPORTED),),
    "approve_report": (Notice(_report_readers, Kind.REPORTED, REPORTED),),
    "reject_report": (
        Notice(
            _handler, Kind.RETURNED,
            gettext_noop("%(agency)s returned your agency's report on issue %(number)s “%(title)s”."),
        ),
    ),
    "accept_report": (
        Notice(
            _handler, Kind.ACCEPTED,
            gettext_noop("%(agency)s accepted your agency's report on issue %(number)s “%(title)s”."),
        ),
    ),
    "close": (
        Notice(
            _handlers_in(AssignmentState.ACCEPTED), Kind.CLOSED,
            gettext_noop("%(agency)s closed issue %(number)s “%(title)s”."),
        ),
    ),
    "withdraw": (
        Notice(
            _handlers_in(AssignmentState.WITHDRAWN), Kind.WITHDRAWN,
            gettext_noop("%(agency)s withdrew issue %(number)s “%(title)s”."),
        ),
    ),
    "reopen": (
        Notice(
            _reopen_readers, Kind.REOPENED,
            gettext_noop("%(agency)s reopened issue %(number)s “%(title)s”."),
        ),
    ),
    # Only a report that had gone out was heard of; one still waiting for its leader was not.
    "withdraw_report": (
        Notice(
            _withdrawn_report_readers, Kind.WITHDRAWN,
            gettext_noop(
                "%(agency)s withdrew its report on issue %(number)s “%(title)s” to work on it again."
            ),
        ),
    ),
    # Amended and withdrawn comments notify nobody: comments never did.
    "request_extension": (
        Notice(
            _initiator, Kind.EXTENSION,
            gettext_noop(
                "%(agency)s asks for more time on issue %(number)s “%(title)s”, until %(proposed_deadline)s."
            ),
        ),
    ),
    "grant_extension": (
        Notice(
            _handler, Kind.EXTENSION_GRANTED,
            gettext_noop(
                "%(agency)s extended your agency's deadline on issue %(number)s “%(title)s” "
                "to %(granted_deadline)s."
            ),
        ),
    ),
    "refuse_extension": (
        Notice(
            _handler, Kind.EXTENSION_REFUSED,
            gettext_noop(
                "%(agency)s refused your agency's request for more time on issue %(number)s “%(title)s”."
            ),
        ),
    ),
}


# --- writing them --------------------------------------------------------------------------------


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
    notices = NOTICES.get(event.action, ())
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
