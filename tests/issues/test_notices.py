"""Every event an agency should hear of reaches its members' inboxes (issues.notices).

For each action: who gets a notification and of which kind, and who does not: the acting
agency (the actor and colleagues), an agency with no part in it, an inactive member.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from agencies.models import Role
from issues import workflow
from issues.workflow.catalogue import SPECS
from notifications.models import LiveOutbox, Notification
from tests.factories import AgencyFactory, commission, member, pushed_issue, stationed_group

pytestmark = pytest.mark.django_db

LATER = dt.timedelta(days=30)


class Scene:
    """The commission pushes to our bureau (lead) and copies a third body; others look on."""

    def __init__(self, city, our_agency, other_agency, alice):
        self.jw = commission(
            city, code="notice-jw", name="测试市纪委监委", name_en="Test Discipline Commission"
        )
        self.group = stationed_group(self.jw, stationed_at=[our_agency], code="notice-group")
        self.lead, self.other = our_agency, other_agency
        self.copied = AgencyFactory(region=city, code="notice-copied")
        self.consultee = AgencyFactory(region=city, code="notice-consultee")
        self.unrelated = AgencyFactory(region=city, code="notice-unrelated")
        self.users = {
            "carol": member(self.jw, role=Role.LEADER, username="carol"),  # pushes: the actor
            "cora": member(self.jw, username="cora"),  # carol's colleague
            "alice": alice,
            "alan": member(our_agency, role=Role.LEADER, username="alan"),
            "bert": member(other_agency, role=Role.LEADER, username="bert"),
            "cody": member(self.copied, username="cody"),
            "connie": member(self.consultee, username="connie"),
            "gina": member(self.group, role=Role.LIAISON, username="gina"),
            "uma": member(self.unrelated, username="uma"),
        }
        gone = member(our_agency, username="gone")
        gone.is_active = False
        gone.save()
        self.seen = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def __getattr__(self, name):
        return self.__dict__["users"][name]

    def push(self, **fields):
        issue = pushed_issue(self.carol, self.jw, self.lead, copied=[self.copied], **fields)
        return issue, issue.assignments.get(agency=self.lead)

    def report(self, issue, assignment, *, by=None, agency=None, text="已整改"):
        workflow.report(
            acting_user=by or self.alice, agency=agency or self.lead, issue=issue, assignment=assignment,
            text=text,
        )

    def news(self) -> dict[str, str]:
        """username → kind of each notification written since the last call (at most one each)."""
        rows = list(
            Notification.objects.filter(pk__gt=self.seen)
            .order_by("pk")
            .values_list("pk", "recipient__username", "kind")
        )
        if rows:
            self.seen = rows[-1][0]
        heard = {username: kind for _pk, username, kind in rows}
        assert len(heard) == len(rows), "one notification per user and event"
        return heard


@pytest.fixture
def scene(city, our_agency, other_agency, alice):
    return Scene(city, our_agency, other_agency, alice)


@pytest.fixture
def pushed(scene):
    issue, assignment = scene.push()
    scene.news()
    return issue, assignment


@pytest.fixture
def signed(scene, pushed):
    issue, assignment = pushed
    workflow.sign(acting_user=scene.alice, agency=scene.lead, issue=issue, assignment=assignment)
    scene.news()
    return issue, assignment


@pytest.fixture
def reported(scene, signed):
    issue, assignment = signed
    scene.report(issue, assignment)
    scene.news()
    return issue, assignment


def test_push_tells_the_handlers_and_the_copied_body(scene):
    scene.push()
    assert scene.news() == {"alice": "assigned", "alan": "assigned", "cody": "copied"}


def test_push_to_a_lead_and_a_co_handler_tells_both(scene):
    pushed_issue(scene.carol, scene.jw, scene.lead, co_handlers=[scene.other])
    assert scene.news() == {"alice": "assigned", "alan": "assigned", "bert": "assigned"}


def test_the_text_names_the_issue_in_the_site_language_whatever_the_actors(scene):
    with translation.override("en"):
        issue, _assignment = scene.push(title="路灯缺失")
    note = Notification.objects.get(recipient=scene.alice)
    assert issue.number in note.text and "路灯缺失" in note.text
    # The acting agency by its Chinese name: the site's language, not the English of the actor.
    assert scene.jw.name in note.text and scene.jw.name_en not in note.text
    assert note.issue == issue


def test_delivered_notifications_are_announced_to_open_pages(scene):
    scene.push()
    rows = LiveOutbox.objects.filter(user__isnull=False, digest=False)
    announced = dict(rows.values_list("user__username", "new_notifications"))
    assert announced == {"alice": 1, "alan": 1, "cody": 1}
    assert Notification.objects.filter(recipient=scene.alice, delivered_at__isnull=False).count() == 1


def test_signing_tells_nobody(scene, signed):
    assert scene.news() == {}


def test_assign_tells_the_new_co_handler_only(scene, signed):
    issue, _assignment = signed
    workflow.assign(acting_user=scene.alan, agency=scene.lead, issue=issue, co_handlers=[scene.other])
    assert scene.news() == {"bert": "assigned"}


@pytest.mark.parametrize(
    ("by", "agency", "told"),
    [
        # The handler passes it on: the initiator hears who has it now.
        ("alan", "lead", {"bert": "transferred", "carol": "transferred", "cora": "transferred"}),
        # The initiator re-routes it: the handler it was taken from hears.
        ("carol", "jw", {"bert": "transferred", "alice": "transferred", "alan": "transferred"}),
    ],
)
def test_transfer_tells_the_new_handler_and_the_other_side(scene, pushed, by, agency, told):
    issue, assignment = pushed
    workflow.transfer(
        acting_user=getattr(scene, by), agency=getattr(scene, agency), issue=issue, assignment=assignment,
        to=scene.other, reason="属财政局职责",
    )
    assert scene.news() == told
    onlooker = next(username for username in told if username != "bert")
    text = Notification.objects.get(recipient__username=onlooker, kind="transferred").text
    assert str(scene.other) in text  # "… transferred issue … to 财政局"


def test_decline_tells_the_initiator(scene, pushed):
    issue, assignment = pushed
    workflow.decline(
        acting_user=scene.alice, agency=scene.lead, issue=issue, assignment=assignment, reason="不属本局",
        suggested=scene.other,
    )
    # The suggested body only hears once the initiator transfers the issue to it.
    assert scene.news() == {"carol": "declined", "cora": "declined"}


def test_a_co_handler_declining_tells_the_lead_who_assigned_it_too(scene, signed):
    issue, _assignment = signed
    (co,) = workflow.assign(acting_user=scene.alan, agency=scene.lead, issue=issue, co_handlers=[scene.other])
    scene.news()
    workflow.decline(
        acting_user=scene.bert, agency=scene.other, issue=issue, assignment=co, reason="不属本局",
        suggested=None,
    )
    assert scene.news() == {"carol": "declined", "cora": "declined", "alice": "declined", "alan": "declined"}


def test_copy_and_consult_tell_the_bodies_brought_in(scene, pushed):
    issue, _assignment = pushed
    workflow.copy(acting_user=scene.alice, agency=scene.lead, issue=issue, bodies=[scene.other])
    assert scene.news() == {"bert": "copied"}
    workflow.consult(
        acting_user=scene.carol, agency=scene.jw, issue=issue, bodies=[scene.consultee], question="请提意见"
    )
    assert scene.news() == {"connie": "consulted"}


def test_a_manual_urge_tells_the_handler(scene, pushed):
    issue, assignment = pushed
    due = timezone.localdate() + dt.timedelta(days=2)
    workflow.urge(
        acting_user=scene.gina, agency=scene.group, issue=issue, assignment=assignment, text="请两日内反馈",
        due_date=due,
    )
    assert scene.news() == {"alice": "urged", "alan": "urged"}
    assert due.isoformat() in Notification.objects.get(recipient=scene.alice, kind="urged").text


def test_an_automatic_urge_is_announced_by_its_ladder_step_not_twice(scene, pushed):
    _issue, assignment = pushed
    workflow.auto_urge(
        assignment_id=assignment.pk, rule="deadline-day", due_date=timezone.localdate() + dt.timedelta(days=1)
    )
    # The ladder writes the step's notification right after (tests/issues/deadlines/test_reminders.py).
    assert scene.news() == {}


def test_a_report_tells_the_initiator(scene, signed):
    issue, assignment = signed
    scene.report(issue, assignment)
    assert scene.news() == {"carol": "reported", "cora": "reported"}


def test_a_report_waiting_for_approval_goes_out_when_approved(scene, signed):
    issue, assignment = signed
    scene.lead.report_needs_approval = True
    scene.lead.save()
    scene.report(issue, assignment)
    assert scene.news() == {}
    workflow.approve_report(acting_user=scene.alan, agency=scene.lead, issue=issue, assignment=assignment)
    assert scene.news() == {"carol": "reported", "cora": "reported"}


def test_a_co_handlers_report_tells_the_lead_who_assigned_it(scene, signed):
    issue, _assignment = signed
    (co,) = workflow.assign(acting_user=scene.alan, agency=scene.lead, issue=issue, co_handlers=[scene.other])
    workflow.sign(acting_user=scene.bert, agency=scene.other, issue=issue, assignment=co)
    scene.news()
    scene.report(issue, co, by=scene.bert, agency=scene.other)
    assert scene.news() == {"carol": "reported", "cora": "reported", "alice": "reported", "alan": "reported"}


def test_rejecting_and_accepting_a_report_tell_the_handler(scene, reported):
    issue, assignment = reported
    workflow.reject_report(
        acting_user=scene.cora, agency=scene.jw, issue=issue, assignment=assignment, reason="不全"
    )
    assert scene.news() == {"alice": "returned", "alan": "returned"}
    scene.report(issue, assignment, text="已补充")
    scene.news()
    workflow.accept_report(acting_user=scene.cora, agency=scene.jw, issue=issue, assignment=assignment)
    assert scene.news() == {"alice": "accepted", "alan": "accepted"}


def test_close_and_reopen_tell_the_handlers(scene, reported):
    issue, assignment = reported
    workflow.accept_report(acting_user=scene.cora, agency=scene.jw, issue=issue, assignment=assignment)
    scene.news()
    workflow.close(acting_user=scene.cora, agency=scene.jw, issue=issue, summary="办结")
    assert scene.news() == {"alice": "closed", "alan": "closed"}
    workflow.reopen(acting_user=scene.carol, agency=scene.jw, issue=issue, reason="群众再次反映")
    assert scene.news() == {"alice": "reopened", "alan": "reopened"}


def test_withdraw_tells_the_handlers(scene, pushed):
    """Not the copied body: it follows read-only."""
    issue, _assignment = pushed
    workflow.withdraw(acting_user=scene.carol, agency=scene.jw, issue=issue, reason="重复交办")
    assert scene.news() == {"alice": "withdrawn", "alan": "withdrawn"}


def test_extensions_go_to_the_initiator_and_the_answer_back_to_the_handler(scene, signed):
    issue, assignment = signed
    ask = {"issue": issue, "assignment": assignment, "reason": "雨季施工受阻"}
    workflow.request_extension(
        acting_user=scene.alice, agency=scene.lead, deadline=timezone.localdate() + LATER, **ask
    )
    assert scene.news() == {"carol": "extension", "cora": "extension"}
    workflow.grant_extension(acting_user=scene.cora, agency=scene.jw, issue=issue, assignment=assignment)
    assert scene.news() == {"alice": "extension_granted", "alan": "extension_granted"}
    note = Notification.objects.get(recipient=scene.alice, kind="extension_granted")
    assert (timezone.localdate() + LATER).isoformat() in note.text
    workflow.request_extension(
        acting_user=scene.alice, agency=scene.lead, deadline=timezone.localdate() + 2 * LATER, **ask
    )
    scene.news()
    workflow.refuse_extension(
        acting_user=scene.cora, agency=scene.jw, issue=issue, assignment=assignment, reason="不予延期"
    )
    assert scene.news() == {"alice": "extension_refused", "alan": "extension_refused"}


def test_a_comment_tells_nobody(scene, pushed):
    issue, _assignment = pushed
    workflow.comment(acting_user=scene.alice, agency=scene.lead, issue=issue, text="正在核实")
    assert scene.news() == {}


def test_a_member_of_both_agencies_who_acts_is_not_told_but_colleagues_are(scene, pushed):
    """The acting user is left out even where they also belong to the agency that hears."""
    issue, assignment = pushed
    from agencies import actions as agency_actions

    agency_actions.add_member(scene.alice, scene.jw, role=Role.STAFF)
    workflow.sign(acting_user=scene.alice, agency=scene.lead, issue=issue, assignment=assignment)
    scene.report(issue, assignment)
    assert scene.news() == {"carol": "reported", "cora": "reported"}


def test_every_notice_kind_is_a_notification_kind():
    from notifications.models import NotificationKind

    kinds = {notice.kind for spec in SPECS.values() for notice in spec.notices}
    assert kinds <= set(NotificationKind.values)
    assert len(max(NotificationKind.values, key=len)) <= Notification._meta.get_field("kind").max_length
