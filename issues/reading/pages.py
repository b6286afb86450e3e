"""What the issue page and the printable issue record show, gathered in a handful of queries."""

from __future__ import annotations

from collections import defaultdict

from django.utils import timezone

from agencies.acting import user_memberships

from ..deadlines.lights import Light, date_light
from ..models import (
    ENDED_ASSIGNMENT_STATES,
    OPEN_ISSUE_STATES,
    AssignmentState,
    Attachment,
    IssueGroupObjectPermission,
    PartyRole,
)
from ..permissions import SUPERVISE, agency_holds
from ..workflow.available import available_actions, comment_corrections
from ..workflow.catalogue import SPECS, Action
from .timeline import timeline

# Parties in the order a reader looks for them.
PARTY_ORDER = [
    PartyRole.INITIATOR,
    PartyRole.LEAD,
    PartyRole.CO_HANDLER,
    PartyRole.SUPERVISOR,
    PartyRole.COPIED,
    PartyRole.CONSULTEE,
    PartyRole.FORMER_HANDLER,
    PartyRole.FORMER_SUPERVISOR,
]


def _assignment_light(assignment, today):
    if assignment.state in ENDED_ASSIGNMENT_STATES:
        return None
    finished = assignment.state == AssignmentState.ACCEPTED
    done_at = assignment.reported_at or assignment.accepted_at
    return date_light(
        assignment.deadline,
        finished=finished,
        closed_on=timezone.localdate(done_at) if done_at else None,
        today=today,
    )


def issue_light(issue, today=None):
    finished = issue.state in ("closed", "withdrawn")
    closed_on = timezone.localdate(issue.closed_at) if issue.closed_at else None
    due = issue.deadline if finished else issue.due_date
    return date_light(due, finished=finished, closed_on=closed_on, today=today)


def parties_by_role(issue):
    grouped = defaultdict(list)
    for party in issue.participants.select_related("agency").order_by("created_at", "id"):
        grouped[party.role].append(party.agency)
    return [(PartyRole(role).label, role, grouped[role]) for role in PARTY_ORDER if grouped.get(role)]


def assignments_of(issue, today=None):
    today = today or timezone.localdate()
    assignments = list(
        issue.assignments.select_related(
            "agency", "suggested_agency", "transferred_from__agency", "assigned_by"
        )
        .prefetch_related("urges__by_agency", "attachments", "extensions")
        .order_by("created_at", "id")
    )
    for assignment in assignments:
        assignment.light = _assignment_light(assignment, today)
    return assignments


def _action_form(spec, agency, assignment=None, data=None, files=None):
    key = assignment.pk if assignment else "issue"
    return spec.form(
        data,
        files,
        auto_id=f"{spec.name}-{key}-%s",
        initial={"assignment": assignment.pk if assignment else None, "agency": agency.pk},
        acting_agency=agency,
    )


def action_forms(agency, available, assignments, bound=None):
    """Forms for every button shown: (spec, form) issue-wide, and per assignment id.

    ``bound`` is the (action, assignment id, form) that was just submitted and failed: it takes
    its place, with the user's input and errors, so nothing typed is lost.
    """

    def form_for(spec, assignment=None):
        if (
            bound is not None
            and bound[0] == spec.name
            and bound[1] == (assignment.pk if assignment else None)
        ):
            return bound[2]
        return _action_form(spec, agency, assignment)

    issue_forms = [(SPECS[name], form_for(SPECS[name])) for name in available.issue_actions]
    by_assignment = {
        assignment.pk: [
            (SPECS[name], form_for(SPECS[name], assignment))
            for name in available.by_assignment.get(assignment.pk, [])
        ]
        for assignment in assignments
    }
    return issue_forms, by_assignment


def comment_versions(events) -> dict[int, list[tuple]]:
    """Each comment's texts in order, read from the issue record: {comment id: [(time, text), ...]}."""
    versions: dict[int, list[tuple]] = {}
    for event in events:
        pk = (event.after or {}).get("comment")
        if pk is None:
            continue
        if event.action in ("comment", "consult"):
            versions.setdefault(pk, []).append((event.created_at, event.reason))
        elif event.action == "amend_comment":
            versions.setdefault(pk, []).append((event.created_at, event.after.get("text", "")))
    return versions


def comments_of(request, issue, membership, events, bound=None) -> list:
    """The issue's comments, each with its earlier texts (when amended or withdrawn) and the
    forms of the corrections the user may make to it."""
    agency = membership.agency if membership else None
    role = membership.role if membership else None
    versions = comment_versions(events)
    comments = list(issue.comments.select_related("author", "agency"))
    for comment in comments:
        texts = versions.get(comment.pk, [])
        # Amended: every text before the current one; withdrawn: everything it ever said.
        comment.history = texts if comment.withdrawn_at else texts[:-1] if comment.amended_at else []
        names = comment_corrections(request.user, agency, role, issue, comment)
        comment.action_forms = [
            (SPECS[name], _correction_form(SPECS[name], agency, comment, bound)) for name in names
        ]
    return comments


def _correction_form(spec, agency, comment, bound):
    if bound is not None and bound[0] == spec.name and bound[1] == comment.pk:
        return bound[2]
    initial = {"comment": comment.pk, "agency": agency.pk}
    if spec.name == "amend_comment":
        initial["text"] = comment.text
    return spec.form(None, auto_id=f"{spec.name}-{comment.pk}-%s", initial=initial, acting_agency=agency)


def withdrawn_reports(events) -> dict[int, list]:
    """Reports taken back by their handler, by assignment id: the events that withdrew them."""
    found: dict[int, list] = {}
    for event in events:
        if event.action == "withdraw_report" and event.assignment_id:
            found.setdefault(event.assignment_id, []).append(event)
    return found


def other_party_memberships(request, issue, acting_agency):
    """The user's other agencies that are party to the issue: a hint to switch who they act for."""
    mine = {m.agency.group_id: m.agency for m in user_memberships(request) if m.agency != acting_agency}
    if not mine:
        return []
    groups = set(
        IssueGroupObjectPermission.objects.filter(content_object=issue, group_id__in=mine).values_list(
            "group_id", flat=True
        )
    )
    return [agency for group_id, agency in mine.items() if group_id in groups]


def nothing_to_urge(agency, role, issue, available) -> bool:
    """A supervisor who may urge, on an open issue, with no urge button: the page says why."""
    return (
        agency is not None
        and SPECS[Action.URGE].may(role)
        and issue.state in OPEN_ISSUE_STATES
        and not any("urge" in actions for actions in available.by_assignment.values())
        and agency_holds(agency, issue, SUPERVISE)
    )


def issue_page(request, issue, membership, bound=None) -> dict:
    agency = membership.agency if membership else None
    assignments = assignments_of(issue)
    available = available_actions(agency, membership.role if membership else None, issue, assignments)
    issue_forms, assignment_forms = (
        action_forms(agency, available, assignments, bound) if agency else ([], {})
    )
    for assignment in assignments:
        assignment.action_forms = assignment_forms.get(assignment.pk, [])
    shown = [form for _, form in issue_forms] + [f for pairs in assignment_forms.values() for _, f in pairs]
    events, chain_holds = timeline(issue)
    taken_back = withdrawn_reports(events)
    for assignment in assignments:
        assignment.withdrawn_reports = taken_back.get(assignment.pk, [])
    comments = comments_of(request, issue, membership, events, bound)
    shown += [form for comment in comments for _, form in comment.action_forms]
    comment_form = next((form for spec, form in issue_forms if spec.name == "comment"), None)
    return {
        "issue": issue,
        "light": issue_light(issue),
        "lights": Light,
        "parties": parties_by_role(issue),
        "assignments": assignments,
        "issue_forms": [(spec, form) for spec, form in issue_forms if spec.name != "comment"],
        "comment_form": comment_form,
        "comments": comments,
        "attachments": Attachment.objects.filter(issue=issue, assignment__isnull=True),
        "events": events,
        "chain_holds": chain_holds,
        "acting_agency": agency,
        # A submitted form whose button is gone (the issue moved on): its errors show on top.
        "orphan_form": bound[2] if bound is not None and bound[2] not in shown else None,
        "nothing_to_urge": nothing_to_urge(agency, membership.role if membership else None, issue, available),
        "switch_to": other_party_memberships(request, issue, agency) if not available else [],
    }
