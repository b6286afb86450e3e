"""The triage's actions: taking and assigning a warning, disposing of it (one by one and in bulk,
all or nothing), confirming it into a clue, its history and the search log."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import Count

from search.detection import triage
from search.detection.models import ImmutableHistory, TriageStep, Warning, WarningEvent, WarningState
from search.models import AccessAction, AccessLog, Clue, ClueEvidence
from tests.factories import pushed_issue

FALSE_POSITIVE, DUPLICATE = WarningState.FALSE_POSITIVE, WarningState.DUPLICATE


def states(warnings) -> list[str]:
    chosen = Warning.objects.filter(pk__in=[w.pk for w in warnings]).order_by("pk")
    return list(chosen.values_list("state", flat=True))


def test_taking_a_warning_assigns_it_to_oneself(alice, watcher, raised):
    taken = triage.take(acting_user=alice, agency=watcher, warning=raised[0])
    assert (taken.state, taken.assigned_to) == (WarningState.IN_TRIAGE, alice)
    step = WarningEvent.objects.get(warning=taken)
    assert (step.step, step.actor, step.actor_name, step.assigned_to) == (
        TriageStep.TAKEN, alice, "艾丽", alice)


def test_the_history_is_never_changed_nor_deleted(alice, watcher, raised):
    step = WarningEvent.objects.get(warning=triage.take(acting_user=alice, agency=watcher, warning=raised[0]))
    step.reason = "改写"
    with pytest.raises(ImmutableHistory):
        step.save()
    with pytest.raises(ImmutableHistory):
        step.delete()
    assert WarningEvent.objects.get(pk=step.pk).reason == ""


@pytest.mark.postgres
def test_on_postgresql_not_even_raw_sql_changes_the_history(alice, watcher, raised):
    step = WarningEvent.objects.get(warning=triage.take(acting_user=alice, agency=watcher, warning=raised[0]))
    for statement in ("UPDATE search_warningevent SET reason = '改写' WHERE id = %s",
                      "DELETE FROM search_warningevent WHERE id = %s"):
        refused = pytest.raises(DatabaseError, match="append-only")
        with refused, transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [step.pk])


def test_it_assigns_to_a_member_only(alice, dave, bob, watcher, raised):
    assigned = triage.assign(acting_user=alice, agency=watcher, warning=raised[0], assignee=dave)
    assert (assigned.state, assigned.assigned_to) == (WarningState.IN_TRIAGE, dave)
    with pytest.raises(triage.TriageError, match="member of the agency"):
        triage.assign(acting_user=alice, agency=watcher, warning=raised[1], assignee=bob)
    assert Warning.objects.get(pk=raised[1].pk).assigned_to is None


def test_another_agency_cannot_touch_the_warnings(bob, watcher, raised):
    bobs_agency = bob.memberships.get().agency
    with pytest.raises(triage.TriageError, match="do not act"):
        triage.take(acting_user=bob, agency=watcher, warning=raised[0])
    with pytest.raises(triage.TriageError, match="does not exist"):
        triage.dispose(acting_user=bob, agency=bobs_agency, warning=raised[0], state=FALSE_POSITIVE,
                       reason="x")
    assert states(raised) == [WarningState.NEW] * 3


def test_disposing_needs_a_reason_and_writes_the_search_log(alice, watcher, raised):
    for reason in ("", "   ", None, "长" * (triage.REASON_MAX_LENGTH + 1)):
        with pytest.raises(triage.TriageError):
            triage.dispose(acting_user=alice, agency=watcher, warning=raised[0], state=FALSE_POSITIVE,
                           reason=reason)
    with pytest.raises(triage.TriageError, match="Choose how"):
        triage.dispose(acting_user=alice, agency=watcher, warning=raised[0], state=WarningState.CONFIRMED,
                       reason="确认")
    assert not AccessLog.objects.filter(action=AccessAction.WARNING_DISPOSED).exists()
    done = triage.dispose(acting_user=alice, agency=watcher, warning=raised[0], state=FALSE_POSITIVE,
                          reason="  系同名不同人  ", ip="10.0.0.9")
    assert (done.state, done.disposition_reason, done.disposed_by) == (FALSE_POSITIVE, "系同名不同人", alice)
    assert done.disposed_at is not None
    logged = AccessLog.objects.get(action=AccessAction.WARNING_DISPOSED)
    assert logged.query.endswith(": false_positive") and f"#{done.pk}" in logged.query
    with pytest.raises(triage.TriageError, match="disposed of already"):
        triage.dispose(acting_user=alice, agency=watcher, warning=raised[0], state=FALSE_POSITIVE,
                       reason="再次")


def test_a_duplicate_names_the_warning_it_repeats(alice, watcher, raised):
    with pytest.raises(triage.TriageError, match="itself"):
        triage.dispose(acting_user=alice, agency=watcher, warning=raised[0], state=DUPLICATE, reason="重复",
                       duplicate_of=raised[0].pk)
    with pytest.raises(triage.TriageError, match="does not exist"):
        triage.dispose(acting_user=alice, agency=watcher, warning=raised[0], state=DUPLICATE, reason="重复",
                       duplicate_of=999_999)
    done = triage.dispose(acting_user=alice, agency=watcher, warning=raised[0], state=DUPLICATE,
                          reason="重复", duplicate_of=str(raised[1].pk))
    assert done.duplicate_of == raised[1]


def test_bulk_disposal_is_all_or_nothing(alice, watcher, bob, raised):
    triage.dispose(acting_user=alice, agency=watcher, warning=raised[2], state=FALSE_POSITIVE, reason="已核")
    with pytest.raises(triage.TriageError, match=f"Warning {raised[2].pk} has been disposed"):
        triage.dispose_many(acting_user=alice, agency=watcher, warnings=[w.pk for w in raised],
                            state=FALSE_POSITIVE, reason="批量")
    assert states(raised[:2]) == [WarningState.NEW] * 2
    others = Warning.objects.exclude(model__agency=watcher)
    assert not others.exists()  # bob's model has not run: an id no agency owns is refused alike
    with pytest.raises(triage.TriageError, match="does not exist"):
        triage.dispose_many(acting_user=alice, agency=watcher, warnings=[raised[0].pk, 999_999],
                            state=FALSE_POSITIVE, reason="批量")
    with pytest.raises(triage.TriageError, match="Choose warnings"):
        triage.dispose_many(acting_user=alice, agency=watcher, warnings=[raised[0].pk, "1; drop"],
                            state=FALSE_POSITIVE, reason="批量")
    assert states(raised[:2]) == [WarningState.NEW] * 2
    assert WarningEvent.objects.filter(warning__in=raised[:2]).count() == 0
    done = triage.dispose_many(acting_user=alice, agency=watcher, warnings=[raised[0].pk, raised[1].pk],
                               state=WarningState.EXPLAINED, reason="政策允许")
    assert done == 2 and states(raised) == [WarningState.EXPLAINED] * 2 + [FALSE_POSITIVE]
    assert AccessLog.objects.filter(action=AccessAction.WARNING_DISPOSED).count() == 3


def test_bulk_assignment_is_all_or_nothing(alice, dave, watcher, raised):
    triage.dispose(acting_user=alice, agency=watcher, warning=raised[0], state=FALSE_POSITIVE, reason="已核")
    with pytest.raises(triage.TriageError):
        triage.assign_many(acting_user=alice, agency=watcher, warnings=[w.pk for w in raised], assignee=dave)
    assert not Warning.objects.filter(assigned_to=dave).exists()
    assert triage.assign_many(acting_user=alice, agency=watcher, warnings=[raised[1].pk, raised[2].pk],
                              assignee=dave) == 2
    assert Warning.objects.filter(assigned_to=dave, state=WarningState.IN_TRIAGE).count() == 2


def test_confirming_makes_a_clue_of_the_evidence(alice, watcher, raised):
    warning = raised[0]
    clue = triage.confirm(acting_user=alice, agency=watcher, warning=warning, reason="死亡后仍领取救助金")
    warning.refresh_from_db()
    assert (warning.state, warning.clue, warning.disposed_by) == (WarningState.CONFIRMED, clue, alice)
    assert (clue.agency, clue.summary) == (watcher, "死亡后仍领取救助金")
    assert f"Warning {warning.pk}" in clue.title
    assert set(ClueEvidence.objects.filter(clue=clue).values_list("record_id", flat=True)) == set(
        warning.evidence.values_list("record_id", flat=True))
    assert AccessLog.objects.filter(action=AccessAction.HARVEST).count() == 1


def test_confirming_adds_to_a_clue_not_yet_pushed(alice, watcher, raised):
    clue = triage.confirm(acting_user=alice, agency=watcher, warning=raised[0], reason="一",
                          title="同一批冒领")
    again = triage.confirm(acting_user=alice, agency=watcher, warning=raised[1], reason="二", clue=clue)
    assert again == clue and clue.title == "同一批冒领"
    assert ClueEvidence.objects.filter(clue=clue).count() == 4
    assert Clue.objects.count() == 1
    assert list(Warning.objects.filter(clue=clue).aggregate(n=Count("id")).values()) == [2]


def test_confirming_into_another_agencys_clue_changes_nothing(alice, bob, watcher, raised):
    foreign = Clue.objects.create(title="他人的", created_by=bob, agency=bob.memberships.get().agency)
    with pytest.raises(triage.TriageError, match="does not exist"):
        triage.confirm(acting_user=alice, agency=watcher, warning=raised[1], reason="二", clue=foreign)
    assert states([raised[1]]) == [WarningState.NEW]
    assert not ClueEvidence.objects.filter(clue=foreign).exists()
    assert not WarningEvent.objects.exists()


def test_a_pushed_clue_takes_no_more_evidence(alice, watcher, raised, other_agency):
    clue = triage.confirm(acting_user=alice, agency=watcher, warning=raised[0], reason="一")
    Clue.objects.filter(pk=clue.pk).update(issue=pushed_issue(alice, watcher, lead=other_agency))
    clue.refresh_from_db()
    with pytest.raises(triage.TriageError, match="pushed"):
        triage.confirm(acting_user=alice, agency=watcher, warning=raised[1], reason="二", clue=clue)
    assert states([raised[1]]) == [WarningState.NEW]
