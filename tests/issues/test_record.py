"""The issue record (全程留痕): one event per action, hash-chained per issue; audit_verify names a break."""

from __future__ import annotations

import contextlib
import io

import pytest
from django.core.management import CommandError, ManagementUtility, call_command

from issues import workflow
from issues.models import Issue, IssueEvent
from issues.workflow import record
from tests.factories import pushed_issue
from tests.issues.tamper import tampering


def audit(*args) -> str:
    out = io.StringIO()
    call_command("audit_verify", *args, stdout=out)
    return out.getvalue()


def exit_code(*args) -> tuple[int, str]:
    """Run audit_verify as ``manage.py`` would, returning its exit status and error output."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            ManagementUtility(["manage.py", "audit_verify", *args]).execute()
        except SystemExit as exit:
            return exit.code, err.getvalue()
    return 0, err.getvalue()


def all_events():
    return IssueEvent.objects.order_by("issue_id", "seq")


def test_each_action_appends_one_linked_event(closed):
    events = list(closed.events.order_by("seq"))
    assert [e.action for e in events] == ["push", "sign", "report", "accept_report", "close"]
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert events[0].prev_hash == record.GENESIS
    for before, after in zip(events, events[1:], strict=False):
        assert after.prev_hash == before.hash
    for event in events:
        assert event.hash == record.chain_hash(event.prev_hash, event)
    assert (closed.event_count, closed.record_head) == (5, events[-1].hash)
    assert record.verify(all_events()) is None


def test_a_refused_action_writes_no_event(signed, assignment, bob, other_agency):
    with pytest.raises(workflow.NotPermitted):
        workflow.sign(acting_user=bob, agency=other_agency, issue=signed, assignment=assignment)
    assert signed.events.count() == 2


def test_each_action_sends_its_live_event_on_commit_only(
    django_capture_on_commit_callbacks, carol, city_commission, our_agency
):
    with django_capture_on_commit_callbacks() as callbacks:
        issue = pushed_issue(carol, city_commission, our_agency)
        workflow.comment(acting_user=carol, agency=city_commission, issue=issue, text="请尽快办理")
    assert len(callbacks) == 2


def test_audit_verify_passes_and_exits_zero_on_an_intact_record(closed, carol, city_commission, our_agency):
    pushed_issue(carol, city_commission, our_agency)
    assert audit() == "The record holds: 6 events verified.\n"
    assert exit_code() == (0, "")


def test_changing_an_event_breaks_the_chain_there(closed):
    third = closed.events.get(seq=3)
    with tampering():
        IssueEvent.objects.filter(pk=third.pk).update(reason="伪造的理由")
    broken = record.verify(all_events())
    assert (broken.event_id, broken.seq, broken.why) == (third.pk, 3, "its content does not match its hash")
    with pytest.raises(CommandError, match=rf"event {third.pk} \(issue {closed.pk}, number 3\)"):
        audit()
    code, err = exit_code()
    assert code != 0 and f"event {third.pk}" in err


def test_rehashing_a_changed_event_still_breaks_the_next_link(closed):
    second = closed.events.get(seq=2)
    second.after = {**second.after, "state": "accepted"}
    with tampering():
        IssueEvent.objects.filter(pk=second.pk).update(
            after=second.after, hash=record.chain_hash(second.prev_hash, second)
        )
    broken = record.verify(all_events())
    assert (broken.seq, broken.why) == (3, "does not link to the event before it")


def test_removing_an_event_in_the_middle_is_a_gap(closed):
    with tampering():
        closed.events.filter(seq=2).delete()
    broken = record.verify(all_events())
    assert (broken.seq, broken.why) == (3, "expected event number 2")
    assert exit_code()[0] != 0


def test_removing_the_last_events_shows_against_the_issue_head(closed):
    with tampering():
        closed.events.filter(seq__gte=4).delete()
    assert record.verify(all_events()) is None  # what is left still links up
    with pytest.raises(CommandError, match=rf"Issue {closed.pk}: the record ends before event 5"):
        audit()


def test_audit_verify_of_one_issue(closed, carol, city_commission, our_agency):
    other = pushed_issue(carol, city_commission, our_agency)
    with tampering():
        IssueEvent.objects.filter(issue=closed, seq=1).update(actor_name="someone else")
    assert audit("--issue", str(other.pk)) == "The record holds: 1 events verified.\n"
    with pytest.raises(CommandError):
        audit("--issue", str(closed.pk))


def test_an_event_appended_behind_the_actions_back_is_caught(closed):
    """Anyone can compute a hash: a well-linked forged tail shows only against the issue's head."""
    head = closed.events.get(seq=5)
    forged = IssueEvent(
        issue=closed,
        seq=6,
        action="reopen",
        actor_name="nobody",
        created_at=head.created_at,
        prev_hash=head.hash,
    )
    forged.hash = record.chain_hash(forged.prev_hash, forged)
    forged.save()
    assert record.verify(all_events()) is None
    with pytest.raises(CommandError, match=rf"event {forged.pk} \(issue {closed.pk}, number 6\) runs past"):
        audit()


def test_a_head_that_does_not_match_the_last_event_is_caught(closed):
    Issue.objects.filter(pk=closed.pk).update(record_head="f" * 64)
    with pytest.raises(CommandError, match="not the event the issue's record ends at"):
        audit()


def test_events_of_an_issue_that_remembers_none_are_caught(closed):
    Issue.objects.filter(pk=closed.pk).update(event_count=0, record_head="")
    with pytest.raises(CommandError, match="runs past"):
        audit()
