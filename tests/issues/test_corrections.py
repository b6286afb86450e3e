"""Corrections on the record: amend or withdraw one's own comment, withdraw a report before it is read."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.translation import override

from agencies.models import Role
from issues import workflow
from issues.models import AssignmentState, Comment, IssueState
from issues.reading.pages import assignments_of
from issues.workflow.available import available_actions
from notifications.models import Notification, NotificationKind


def comment(user, agency, issue, text="请补充现场照片"):
    return workflow.comment(acting_user=user, agency=agency, issue=issue, text=text)


def amend(user, agency, issue, target, text="请补充整改前后的现场照片"):
    return workflow.amend_comment(acting_user=user, agency=agency, issue=issue, comment=target.pk, text=text)


def withdraw_comment(user, agency, issue, target, reason=""):
    return workflow.withdraw_comment(
        acting_user=user, agency=agency, issue=issue, comment=target.pk, reason=reason
    )


def withdraw_report(user, agency, issue, assignment, reason="漏附验收材料，补充后重新反馈"):
    return workflow.withdraw_report(
        acting_user=user, agency=agency, issue=issue, assignment=assignment.pk, reason=reason
    )


def post(client, user, issue, action, **data):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    return client.post(reverse("issues:act", args=[issue.pk, action]), data)


def page(client, user, issue) -> str:
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    return client.get(issue.get_absolute_url()).content.decode()


@pytest.fixture
def remark(issue, carol, city_commission):
    return comment(carol, city_commission, issue)


# --- amend_comment --------------------------------------------------------------------------------


def test_amend_comment_works_and_keeps_the_old_text_on_the_record(issue, remark, carol, city_commission):
    amended = amend(carol, city_commission, issue, remark)
    stored = Comment.objects.get(pk=remark.pk)
    assert stored.text == "请补充整改前后的现场照片" and stored.amended_at and stored.revision == 2
    assert amended.pk == remark.pk
    event = issue.events.get(action="amend_comment")
    assert event.before == {"comment": remark.pk, "text": "请补充现场照片"}
    assert event.after["text"] == "请补充整改前后的现场照片"
    # The comment's own event is untouched: the original stays in the record.
    assert issue.events.get(action="comment").reason == "请补充现场照片"


def test_amend_comment_checks_access(
    issue, remark, alice, our_agency, bob, other_agency, charlie, gina, our_group
):
    for user, agency in ((alice, our_agency), (bob, other_agency), (gina, our_group)):
        with pytest.raises(workflow.NotPermitted):
            amend(user, agency, issue, remark)
    with pytest.raises(workflow.NotPermitted):
        amend(charlie, other_agency, issue, remark)
    assert Comment.objects.get(pk=remark.pk).text == "请补充现场照片"


def test_the_author_acting_for_another_agency_cannot_amend(issue, remark, carol, our_agency):
    from agencies.actions import add_member

    add_member(carol, our_agency, role=Role.STAFF)
    with override("en"), pytest.raises(workflow.NotPermitted, match="Only its author"):
        amend(carol, our_agency, issue, remark)


@pytest.mark.parametrize("text", ["", "   ", "请补充现场照片"])
def test_amend_comment_needs_a_new_text(issue, remark, carol, city_commission, text):
    with pytest.raises(workflow.ActionError):
        amend(carol, city_commission, issue, remark, text=text)
    assert not issue.events.filter(action="amend_comment").exists()


def test_a_comment_of_another_issue_is_refused(issue, remark, carol, city_commission, our_agency):
    from tests.factories import pushed_issue

    other = pushed_issue(carol, city_commission, our_agency)
    with override("en"), pytest.raises(workflow.ActionError, match="not part of this issue"):
        amend(carol, city_commission, other, remark)


def test_comments_stay_correctable_once_the_issue_is_closed(closed, carol, city_commission):
    remark = comment(carol, city_commission, closed, text="结案意见")
    amend(carol, city_commission, closed, remark, text="结案意见：整改到位")
    assert Comment.objects.get(pk=remark.pk).text == "结案意见：整改到位"


def test_a_stale_revision_is_a_conflict(issue, remark, carol, city_commission):
    from issues.workflow.corrections import _move_comment

    Comment.objects.filter(pk=remark.pk).update(revision=7)  # amended elsewhere meanwhile
    with pytest.raises(workflow.Conflict):
        _move_comment(remark, text="新内容")
    assert Comment.objects.get(pk=remark.pk).text == "请补充现场照片"


# --- withdraw_comment -----------------------------------------------------------------------------


def test_withdraw_comment_works(issue, remark, carol, city_commission):
    withdraw_comment(carol, city_commission, issue, remark, reason="发错办件")
    stored = Comment.objects.get(pk=remark.pk)
    assert stored.withdrawn_at is not None and stored.text == "请补充现场照片"
    event = issue.events.get(action="withdraw_comment")
    assert (event.before["text"], event.after, event.reason) == (
        "请补充现场照片",
        {"comment": remark.pk, "withdrawn": True},
        "发错办件",
    )


def test_withdraw_comment_checks_access_and_happens_once(
    issue, remark, carol, city_commission, alice, our_agency
):
    with pytest.raises(workflow.NotPermitted):
        withdraw_comment(alice, our_agency, issue, remark)
    withdraw_comment(carol, city_commission, issue, remark)
    with pytest.raises(workflow.Conflict):
        withdraw_comment(carol, city_commission, issue, remark)
    with pytest.raises(workflow.Conflict):
        amend(carol, city_commission, issue, remark)


def test_a_consultation_question_is_a_comment_its_author_can_amend(issue, gina, our_group, other_agency):
    workflow.consult(
        acting_user=gina, agency=our_group, issue=issue, bodies=[other_agency], question="是否涉及财政资金？"
    )
    question = Comment.objects.get(issue=issue)
    amend(gina, our_group, issue, question, text="是否涉及市级财政资金？")
    assert Comment.objects.get(pk=question.pk).text == "是否涉及市级财政资金？"


# --- withdraw_report ------------------------------------------------------------------------------


def test_withdraw_report_works_before_it_is_read(reported, assignment, alice, our_agency, carol):
    withdraw_report(alice, our_agency, reported, assignment)
    reported.refresh_from_db()
    assignment.refresh_from_db()
    assert (reported.state, assignment.state) == (IssueState.IN_PROGRESS, AssignmentState.SIGNED)
    assert assignment.report_text == "" and assignment.reported_at is None
    event = reported.events.get(action="withdraw_report")
    assert event.before["report_text"] == "已安装路灯，补划标线。" and event.before["state"] == "reported"
    assert event.after["state"] == "signed" and event.reason == "漏附验收材料，补充后重新反馈"
    # The initiator, which was told of the report, is told it was taken back.
    assert Notification.objects.filter(recipient=carol, kind=NotificationKind.WITHDRAWN).count() == 1
    # Reported again, it goes out as a new report.
    workflow.report(
        acting_user=alice, agency=our_agency, issue=reported, assignment=assignment, text="已补充验收材料"
    )
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.REPORTED and assignment.report_text == "已补充验收材料"


def test_a_report_waiting_for_its_leader_is_withdrawn_without_telling_the_initiator(
    signed, assignment, alice, our_agency, carol
):
    from agencies.actions import save_agency

    our_agency.report_needs_approval = True
    save_agency(our_agency)
    workflow.report(acting_user=alice, agency=our_agency, issue=signed, assignment=assignment, text="初稿")
    withdraw_report(alice, our_agency, signed, assignment)
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.SIGNED
    assert not Notification.objects.filter(recipient=carol, kind=NotificationKind.WITHDRAWN).exists()


def test_once_the_initiator_opened_the_page_the_report_is_read(
    client, reported, assignment, alice, our_agency, carol
):
    page(client, carol, reported)
    assignment.refresh_from_db()
    assert assignment.report_read_at is not None
    available = available_actions(our_agency, Role.STAFF, reported, assignments_of(reported))
    assert not available.allows("withdraw_report", assignment)
    with override("en"), pytest.raises(workflow.Conflict, match="read this report at"):
        withdraw_report(alice, our_agency, reported, assignment)
    assert page(client, alice, reported).count("已于") >= 1  # "read by … at …" shows to the handler


def test_other_readers_do_not_make_it_read(client, reported, assignment, alice, gina, our_agency):
    page(client, alice, reported)
    page(client, gina, reported)  # the supervising group is not the verifying agency
    assignment.refresh_from_db()
    assert assignment.report_read_at is None
    assert available_actions(our_agency, Role.STAFF, reported, assignments_of(reported)).allows(
        "withdraw_report", assignment
    )


def test_withdraw_report_after_it_was_accepted_is_a_conflict(
    reported, assignment, alice, our_agency, carol, city_commission
):
    workflow.accept_report(acting_user=carol, agency=city_commission, issue=reported, assignment=assignment)
    with pytest.raises(workflow.Conflict):
        withdraw_report(alice, our_agency, reported, assignment)


def test_withdraw_report_checks_access(
    reported,
    assignment,
    carol,
    city_commission,
    bob,
    other_agency,
    gina,
    our_group,
    charlie,
    with_role,
    our_agency,
):
    for user, agency in (
        (carol, city_commission),
        (bob, other_agency),
        (gina, our_group),
        (charlie, our_agency),
        (with_role(our_agency, Role.LIAISON), our_agency),
    ):
        with pytest.raises(workflow.NotPermitted):
            withdraw_report(user, agency, reported, assignment)
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.REPORTED


def test_withdraw_report_needs_a_reason(reported, assignment, alice, our_agency):
    with pytest.raises(workflow.ActionError):
        withdraw_report(alice, our_agency, reported, assignment, reason="  ")


# --- through the issue page -------------------------------------------------------------------------


def test_the_page_shows_the_current_text_marked_amended_with_its_history(
    client, issue, remark, carol, city_commission
):
    response = post(client, carol, issue, "amend_comment", comment=remark.pk, text="请补充整改前后的现场照片")
    assert response.status_code == 302
    assert issue.events.get(action="amend_comment").request_id == response["X-Request-ID"]
    html = page(client, carol, issue)
    assert "已修改" in html and "请补充整改前后的现场照片" in html
    assert "历史版本 1 条" in html and "请补充现场照片" in html
    assert "修改了评论" in html  # on the record, too


def test_the_page_marks_a_withdrawn_comment(client, issue, remark, carol, alice):
    response = post(client, carol, issue, "withdraw_comment", comment=remark.pk, reason="")
    assert response.status_code == 302
    assert issue.events.get(action="withdraw_comment").request_id == response["X-Request-ID"]
    html = page(client, alice, issue)
    assert "作者已撤回此评论" in html and "撤回了评论" in html
    assert f'data-bs-target="#form-amend_comment-{remark.pk}"' not in html


def test_only_the_author_is_offered_the_corrections(client, issue, remark, carol, alice):
    assert f'data-bs-target="#form-amend_comment-{remark.pk}"' in page(client, carol, issue)
    assert f'data-bs-target="#form-withdraw_comment-{remark.pk}"' in page(client, carol, issue)
    assert f'#form-amend_comment-{remark.pk}"' not in page(client, alice, issue)


def test_someone_elses_comment_in_the_url_answers_404(client, issue, remark, alice, bob, charlie):
    for user in (alice, bob, charlie):
        response = post(client, user, issue, "amend_comment", comment=remark.pk, text="改掉它")
        assert response.status_code == 404
    assert Comment.objects.get(pk=remark.pk).text == "请补充现场照片"


@pytest.mark.parametrize("value", ["", "abc", "99999999999999999999", "-1"])
def test_a_missing_or_odd_comment_id_is_explained(client, issue, remark, carol, value):
    response = post(client, carol, issue, "amend_comment", comment=value, text="改")
    assert response.status_code == 400
    assert "该评论不属于本件" in response.content.decode()


def test_an_overlong_correction_is_explained(client, issue, remark, carol):
    response = post(client, carol, issue, "amend_comment", comment=remark.pk, text="长" * 6000)
    assert response.status_code == 400
    assert Comment.objects.get(pk=remark.pk).text == "请补充现场照片"


def test_withdraw_report_through_the_page(client, reported, assignment, alice):
    html = page(client, alice, reported)
    assert f'data-bs-target="#form-withdraw_report-{assignment.pk}"' in html
    response = post(client, alice, reported, "withdraw_report", assignment=assignment.pk, reason="补充材料")
    assert response.status_code == 302
    assert reported.events.get(action="withdraw_report").request_id == response["X-Request-ID"]
    html = page(client, alice, reported)
    assert "撤回的反馈" in html and "已安装路灯，补划标线。" in html


def test_withdraw_report_after_reading_answers_409_in_chinese(client, reported, assignment, alice, carol):
    page(client, carol, reported)
    response = post(client, alice, reported, "withdraw_report", assignment=assignment.pk, reason="补充材料")
    assert response.status_code == 409
    assert "不能再撤回" in response.content.decode()
