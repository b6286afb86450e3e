"""Timeliness scores: the formula's parts, the commission's ranking, a department's own breakdown."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse
from django.utils import timezone

from issues import workflow
from issues.reading.ledgers import LedgerFilters
from issues.reading.scores import Score, scores
from tests.factories import pushed_issue


def test_formula_is_kept_between_0_and_100():
    perfect = Score(1, "甲", 3, 3, 3, 2, 2, 0, 0)
    assert perfect.score == 100
    poor = Score(1, "乙", 3, 2, 1, 2, 1, 30, 5)
    assert poor.score == 0
    middling = Score(1, "丙", 4, 2, 1, 2, 1, 1, 1)
    assert middling.score == round(40 * 0.5 + 60 * 0.5 - 2 - 1, 1)


def test_signing_and_urges_counted(carol, cora, city_commission, our_agency, other_agency, alice, bob):
    first = pushed_issue(carol, city_commission, our_agency)
    pushed_issue(carol, city_commission, other_agency)
    assignment = first.assignments.get()
    workflow.sign(acting_user=alice, agency=our_agency, issue=first, assignment=assignment)
    workflow.urge(
        acting_user=cora,
        agency=city_commission,
        issue=first,
        assignment=assignment,
        text="请加快",
        due_date=first.deadline,
    )
    by_agency = {s.agency_id: s for s in scores(carol, city_commission, LedgerFilters())}
    ours = by_agency[our_agency.pk]
    assert (ours.assignments, ours.signed, ours.signed_on_time, ours.urges) == (1, 1, 1, 1)
    assert by_agency[other_agency.pk].urges == 0
    assert scores(alice, our_agency, LedgerFilters(agency=our_agency))[0].agency_id == our_agency.pk


def test_commission_sees_ranking_department_its_own(
    client, carol, city_commission, our_agency, other_agency, alice
):
    pushed_issue(carol, city_commission, our_agency)
    pushed_issue(carol, city_commission, other_agency)
    client.force_login(carol)
    page = client.get(reverse("issues:scores")).content.decode()
    assert page.count('class="score-row"') == 2 and 'id="score-formula"' in page
    client.force_login(alice)
    page = client.get(reverse("issues:scores"), {"agency": other_agency.pk}).content.decode()
    assert page.count('class="score-row"') == 1 and our_agency.name in page and other_agency.name not in page


def test_signing_after_the_sign_deadline_is_late(carol, city_commission, our_agency, alice):
    """The sign deadline comes from the deadline policy in working days: a Friday push must be
    signed for by Monday; signing on Tuesday is late."""
    friday = timezone.make_aware(dt.datetime(2026, 3, 13, 10))
    with time_machine.travel(friday, tick=False):
        issue = pushed_issue(carol, city_commission, our_agency)
    assignment = issue.assignments.get()
    assert assignment.sign_deadline == dt.date(2026, 3, 16)
    with time_machine.travel(friday + dt.timedelta(days=4), tick=False):
        workflow.sign(acting_user=alice, agency=our_agency, issue=issue, assignment=assignment)
    ours = next(s for s in scores(carol, city_commission, LedgerFilters()) if s.agency_id == our_agency.pk)
    assert (ours.signed, ours.signed_on_time, ours.sign_rate) == (1, 0, 0.0)


def test_nothing_to_count_is_no_score_not_100():
    idle = Score(1, "甲", 0, 0, 0, 0, 0, 0, 0)
    waiting = Score(2, "乙", 3, 0, 0, 0, 0, 0, 0)
    assert idle.score is None and waiting.score is None
    assert (idle.has_items, waiting.has_items) == (False, True)
    signed_only = Score(3, "丙", 2, 2, 1, 0, 0, 0, 0)  # the signing rate carries both weights
    assert signed_only.score == 50.0


def test_the_unscored_are_ranked_apart_after_the_scored():
    from issues.reading.scores import ranked

    result = ranked([
        Score(1, "甲", 0, 0, 0, 0, 0, 0, 0),
        Score(2, "乙", 2, 2, 1, 0, 0, 0, 0),
        Score(3, "丙", 2, 2, 2, 1, 1, 0, 0),
        Score(4, "丁", 2, 2, 2, 1, 1, 0, 0),
    ])
    assert [(s.agency, s.rank) for s in result] == [("丁", 1), ("丙", 1), ("乙", 3), ("甲", None)]


def test_a_department_with_nothing_pushed_reads_no_items(client, carol, city_commission, our_agency, bob):
    pushed_issue(carol, city_commission, our_agency)
    client.force_login(bob)
    html = client.get(reverse("issues:scores")).content.decode()
    assert html.count('class="score-row"') == 1 and "无办件" in html


def test_the_commission_ranks_the_unsigned_apart(
    client, carol, alice, city_commission, our_agency, other_agency
):
    signed = pushed_issue(carol, city_commission, our_agency)
    workflow.sign(acting_user=alice, agency=our_agency, issue=signed, assignment=signed.assignments.get())
    pushed_issue(carol, city_commission, other_agency)  # not signed for yet: nothing to score
    client.force_login(carol)
    ranking = client.get(reverse("issues:scores")).context["scores"]
    assert [(s.agency_id, s.rank) for s in ranking] == [(our_agency.pk, 1), (other_agency.pk, None)]
    html = client.get(reverse("issues:scores")).content.decode()
    assert "暂无可计分办件" in html and "不参与排名" in html


def test_scores_export_with_their_heading(client, carol, city_commission, our_agency, other_agency):
    from tests.spreadsheets import read_xlsx

    pushed_issue(carol, city_commission, our_agency)
    client.force_login(carol)
    table = read_xlsx(client.get(reverse("issues:scores"), {"format": "xlsx"}).content)
    assert table.title == "时效评分" and table.about["导出人"] == "卡萝（测试市纪委监委）"
    assert table.rows[0][:2] == ["不参与排名", our_agency.name]
    assert table.rows[0][-1] == "暂无可计分办件"
