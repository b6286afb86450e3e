"""The buttons the issue page offers (issues.available) agree with what issues.actions allows.

For a handful of issue states and every persona, each action is tried for real, inside a savepoint
that is rolled back: an offered action must succeed, an action not offered must be refused with
NotPermitted or another ActionError (never a crash, never a silent success).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from agencies.actions import save_agency
from agencies.models import Role
from issues import workflow
from issues.models import AssignmentState, IssueState
from issues.reading.pages import assignments_of
from issues.workflow.available import available_actions
from tests.factories import AgencyFactory, member, pushed_issue

ISSUE_ACTIONS = ["assign", "copy", "consult", "close", "withdraw", "reopen", "comment"]
ASSIGNMENT_ACTIONS = [
    "sign",
    "decline",
    "transfer",
    "report",
    "approve_report",
    "accept_report",
    "reject_report",
    "urge",
]


class _RolledBack(Exception):
    pass


@pytest.fixture
def cast(
    city, city_commission, our_agency, other_agency, our_group, carol, cora, alice, alan, gina, bob, bert
):
    copied_body = AgencyFactory(code="copied-body", name="统计局", region=city)
    spare = AgencyFactory(code="spare-body", name="交通运输局", region=city)
    return {
        "commission": city_commission,
        "our": our_agency,
        "other": other_agency,
        "copied": copied_body,
        "spare": spare,
        # (label, user, agency, role)
        "personas": [
            ("carol", carol, city_commission, Role.STAFF),
            ("cora", cora, city_commission, Role.LEADER),
            ("alice", alice, our_agency, Role.STAFF),
            ("alan", alan, our_agency, Role.LEADER),
            ("gina", gina, our_group, Role.LIAISON),
            ("bob", bob, other_agency, Role.STAFF),
            ("bert", bert, other_agency, Role.LEADER),
            ("cody", member(copied_body, username="cody"), copied_body, Role.STAFF),
            ("cole", member(copied_body, role=Role.LEADER, username="cole"), copied_body, Role.LEADER),
        ],
    }


def _push(cast, **fields):
    return pushed_issue(
        cast["personas"][0][1], cast["commission"], cast["our"], copied=[cast["copied"]], **fields
    )


def _lead(issue, cast):
    return issue.assignments.get(agency=cast["our"])


def _sign(issue, cast, agency_key="our"):
    user = {"our": "alice", "other": "bob"}[agency_key]
    who = _persona(cast, user)
    assignment = issue.assignments.get(agency=cast[agency_key], state=AssignmentState.PENDING)
    workflow.sign(acting_user=who, agency=cast[agency_key], issue=issue, assignment=assignment)
    return assignment


def _report(issue, cast, agency_key="our"):
    user = {"our": "alice", "other": "bob"}[agency_key]
    assignment = issue.assignments.get(agency=cast[agency_key], state=AssignmentState.SIGNED)
    workflow.report(
        acting_user=_persona(cast, user),
        agency=cast[agency_key],
        issue=issue,
        assignment=assignment,
        text="已整改",
    )
    return assignment


def _persona(cast, label):
    return next(user for name, user, _agency, _role in cast["personas"] if name == label)


def _accept(issue, cast, assignment):
    workflow.accept_report(
        acting_user=_persona(cast, "carol"), agency=cast["commission"], issue=issue, assignment=assignment
    )


def build(state: str, cast):
    """An issue in the named state, with the copied body on it throughout."""
    issue = _push(cast)
    if state == "pushed":
        return issue
    if state == "two_handlers_pushed":
        return _push(cast, co_handlers=[cast["other"]])
    if state == "two_handlers_one_reported":
        issue = _push(cast, co_handlers=[cast["other"]])
        _sign(issue, cast, "our")
        _sign(issue, cast, "other")
        _report(issue, cast, "our")
        return issue
    if state == "consulted":
        # The copied body is asked in as a consultee too: now it may comment, still not act.
        workflow.consult(
            acting_user=_persona(cast, "carol"), agency=cast["commission"], issue=issue,
            bodies=[cast["copied"]], question="请提供统计口径",
        )  # fmt: skip
        return issue
    if state == "transferred":
        workflow.transfer(
            acting_user=_persona(cast, "alan"), agency=cast["our"], issue=issue,
            assignment=_lead(issue, cast), to=cast["other"], reason="应由财政局办理",
        )  # fmt: skip
        return issue
    if state == "declined":
        workflow.decline(
            acting_user=_persona(cast, "alice"),
            agency=cast["our"],
            issue=issue,
            assignment=_lead(issue, cast),
            reason="不属于我局职责",
            suggested=cast["other"],
        )
        return issue
    _sign(issue, cast)
    if state == "in_progress":
        return issue
    if state == "awaiting_approval":
        cast["our"].report_needs_approval = True
        save_agency(cast["our"])
        _report(issue, cast)
        cast["our"].report_needs_approval = False
        save_agency(cast["our"])
        return issue
    assignment = _report(issue, cast)
    if state == "reported":
        return issue
    _accept(issue, cast, assignment)
    if state == "accepted":
        return issue
    workflow.close(acting_user=_persona(cast, "carol"), agency=cast["commission"], issue=issue)
    if state == "closed":
        return issue
    if state == "withdrawn":
        issue = _push(cast)
        workflow.withdraw(
            acting_user=_persona(cast, "cora"), agency=cast["commission"], issue=issue, reason="重复推送"
        )
        return issue
    raise ValueError(state)


def arguments(action: str, cast) -> dict:
    today = timezone.localdate()
    spare = cast["spare"]
    return {
        "sign": {},
        "decline": {"reason": "不是我们的", "suggested": spare},
        "transfer": {"to": spare, "reason": "应由交通运输局办理"},
        "report": {"text": "已整改完毕"},
        "approve_report": {},
        "accept_report": {},
        "reject_report": {"reason": "缺少照片"},
        "urge": {"text": "请尽快办理", "due_date": today + dt.timedelta(days=3)},
        "assign": {"co_handlers": [spare]},
        "copy": {"bodies": [spare]},
        "consult": {"bodies": [spare], "question": "请会商"},
        "close": {"summary": "整改到位"},
        "withdraw": {"reason": "撤回"},
        "reopen": {"reason": "群众再次反映"},
        "comment": {"text": "请补充材料"},
    }[action]


def attempt(action, user, agency, issue, cast, assignment=None):
    """Call the action in a savepoint that is always rolled back; None on success, else the error."""
    kwargs = arguments(action, cast)
    if assignment is not None:
        kwargs["assignment"] = assignment.pk
    try:
        with transaction.atomic():
            getattr(workflow, action)(acting_user=user, agency=agency, issue=issue.pk, **kwargs)
            raise _RolledBack
    except _RolledBack:
        return None
    except workflow.ActionError as error:
        return error


STATES = [
    "pushed",
    "in_progress",
    "awaiting_approval",
    "reported",
    "accepted",
    "closed",
    "withdrawn",
    "declined",
    "consulted",
    "transferred",
    "two_handlers_pushed",
    "two_handlers_one_reported",
]


@pytest.mark.parametrize("state", STATES)
def test_offered_actions_succeed_and_others_are_refused(state, cast):
    issue = build(state, cast)
    issue.refresh_from_db()
    mismatches = []
    for label, user, agency, role in cast["personas"]:
        assignments = assignments_of(issue)
        offered = available_actions(agency, role, issue, assignments)
        targets = [(name, None) for name in ISSUE_ACTIONS] + [
            (name, assignment) for assignment in assignments for name in ASSIGNMENT_ACTIONS
        ]
        for name, assignment in targets:
            shown = offered.allows(name, assignment)
            error = attempt(name, user, agency, issue, cast, assignment)
            where = f"{label}: {name}" + (
                f" on {assignment.agency.code}/{assignment.state}" if assignment else ""
            )
            if shown and error is not None:
                mismatches.append(f"{where} is offered but fails: {type(error).__name__}: {error}")
            elif not shown and error is None:
                mismatches.append(f"{where} is not offered but succeeds")
    assert mismatches == []


def test_the_states_are_the_ones_named(cast):
    """The scenarios above really reach the states they are named after."""
    expected = {
        "pushed": IssueState.PUSHED,
        "in_progress": IssueState.IN_PROGRESS,
        "awaiting_approval": IssueState.IN_PROGRESS,
        "reported": IssueState.REPORTED,
        "accepted": IssueState.REPORTED,
        "closed": IssueState.CLOSED,
    }
    for state, issue_state in expected.items():
        issue = build(state, cast)
        issue.refresh_from_db()
        assert issue.state == issue_state, state


def test_the_page_offers_each_role_its_own_buttons(cast):
    issue = build("in_progress", cast)
    issue.refresh_from_db()
    assignment = _lead(issue, cast)
    assignments = assignments_of(issue)

    def offered(label):
        _, user, agency, role = next(p for p in cast["personas"] if p[0] == label)
        return available_actions(agency, role, issue, assignments)

    assert offered("alice").by_assignment[assignment.pk] == ["decline", "report", "request_extension"]
    assert set(offered("alan").by_assignment[assignment.pk]) == {
        "decline", "report", "transfer", "request_extension"
    }
    assert "assign" in offered("alan").issue_actions and "assign" not in offered("alice").issue_actions
    assert offered("gina").by_assignment[assignment.pk] == ["urge"]
    assert not offered("bob")
    assert offered("cody").issue_actions == []  # copied: reads only


def test_nothing_is_offered_without_an_agency(cast):
    issue = build("pushed", cast)
    assert not available_actions(None, None, issue, assignments_of(issue))
    assert not available_actions(cast["our"], None, issue, assignments_of(issue))
