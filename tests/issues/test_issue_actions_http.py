"""The issue page's action endpoint: POST /issues/<pk>/act/<action>/ calls issues.actions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from agencies.actions import save_agency
from issues import workflow
from issues.models import AssignmentState, Attachment, IssueState, Participant, PartyRole, Urge

PDF = b"%PDF-1.4\n%%EOF\n"


def post(client, user, issue, action, language=None, **data):
    client.force_login(user)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.post(reverse("issues:act", args=[issue.pk, action]), data)


def new_events(issue, before: int) -> list[str]:
    return list(issue.events.filter(seq__gt=before).order_by("seq").values_list("action", flat=True))


def assert_done(response, issue, before, action):
    assert response.status_code == 302
    assert response.url == f"{issue.get_absolute_url()}#timeline"
    assert new_events(issue, before) == [action]
    # Every action taken through a request ties its event to that request.
    event = issue.events.get(seq=before + 1)
    assert event.request_id and event.request_id == response["X-Request-ID"]
    issue.refresh_from_db()


@pytest.fixture
def spare(city):
    from tests.factories import AgencyFactory

    return AgencyFactory(code="spare", name="交通运输局", name_en="Transport Bureau", region=city)


@pytest.fixture
def approving(our_agency):
    """Our agency wants its leader to approve staff reports."""
    our_agency.report_needs_approval = True
    return save_agency(our_agency)


def test_sign(client, issue, assignment, alice):
    response = post(client, alice, issue, "sign", assignment=assignment.pk)
    assert_done(response, issue, 1, "sign")
    assignment.refresh_from_db()
    assert (issue.state, assignment.state) == (IssueState.IN_PROGRESS, AssignmentState.SIGNED)


def test_sign_shows_the_success_message(client, issue, assignment, alice):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = post(client, alice, issue, "sign", assignment=assignment.pk)
    page = client.get(response.url).content.decode()
    assert "Signed for." in page


def test_decline(client, issue, assignment, alice, other_agency):
    response = post(
        client,
        alice,
        issue,
        "decline",
        assignment=assignment.pk,
        reason="非我局职责",
        suggested=other_agency.pk,
    )
    assert_done(response, issue, 1, "decline")
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.DECLINED
    assert (assignment.end_reason, assignment.suggested_agency) == ("非我局职责", other_agency)


def test_decline_without_a_suggestion(client, issue, assignment, alice):
    response = post(
        client, alice, issue, "decline", assignment=assignment.pk, reason="不清楚归属", suggested=""
    )
    assert_done(response, issue, 1, "decline")
    assignment.refresh_from_db()
    assert (assignment.state, assignment.suggested_agency) == (AssignmentState.DECLINED, None)


def test_transfer_by_the_leader(client, issue, assignment, alan, other_agency):
    response = post(
        client, alan, issue, "transfer", assignment=assignment.pk, to=other_agency.pk, reason="应由财政局办理"
    )
    assert_done(response, issue, 1, "transfer")
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.TRANSFERRED
    new = issue.assignments.get(transferred_from=assignment)
    assert (new.agency, new.state) == (other_agency, AssignmentState.PENDING)


def test_report_with_a_pdf(client, signed, assignment, alice, media_root):
    evidence = SimpleUploadedFile("整改照片.pdf", PDF, content_type="application/pdf")
    response = post(
        client, alice, signed, "report", assignment=assignment.pk, text="已安装路灯", attachments=[evidence]
    )
    assert_done(response, signed, 2, "report")
    assignment.refresh_from_db()
    assert (assignment.state, assignment.report_text) == (AssignmentState.REPORTED, "已安装路灯")
    assert signed.state == IssueState.REPORTED
    stored = Attachment.objects.get(assignment=assignment)
    assert stored.name == "整改照片.pdf"
    assert stored.file.read() == PDF
    assert str(media_root) in stored.file.path


def test_approve_report(client, signed, assignment, alice, alan, approving):
    post(client, alice, signed, "report", assignment=assignment.pk, text="已整改")
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.AWAITING_APPROVAL
    response = post(client, alan, signed, "approve_report", assignment=assignment.pk)
    assert_done(response, signed, 3, "approve_report")
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.REPORTED


def test_accept_report(client, reported, assignment, carol):
    response = post(client, carol, reported, "accept_report", assignment=assignment.pk)
    assert_done(response, reported, 3, "accept_report")
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.ACCEPTED


def test_reject_report(client, reported, assignment, carol):
    response = post(client, carol, reported, "reject_report", assignment=assignment.pk, reason="缺少现场照片")
    assert_done(response, reported, 3, "reject_report")
    assignment.refresh_from_db()
    assert (assignment.state, reported.state) == (AssignmentState.SIGNED, IssueState.IN_PROGRESS)
    assert reported.events.get(action="reject_report").reason == "缺少现场照片"


def test_close(client, reported, assignment, carol, city_commission):
    workflow.accept_report(acting_user=carol, agency=city_commission, issue=reported, assignment=assignment)
    response = post(client, carol, reported, "close", summary="整改到位")
    assert_done(response, reported, 4, "close")
    assert reported.state == IssueState.CLOSED and reported.closed_at is not None


def test_urge(client, issue, assignment, gina, our_group):
    due = timezone.localdate() + dt.timedelta(days=2)
    response = post(
        client, gina, issue, "urge", assignment=assignment.pk, text="请三日内签收", due_date=due.isoformat()
    )
    assert_done(response, issue, 1, "urge")
    urge = Urge.objects.get(assignment=assignment)
    assert (urge.by_agency, urge.text, urge.due_date) == (our_group, "请三日内签收", due)


def test_assign_co_handlers(client, issue, assignment, alan, other_agency):
    response = post(client, alan, issue, "assign", co_handlers=[other_agency.pk])
    assert_done(response, issue, 1, "assign")
    co = issue.assignments.get(agency=other_agency)
    assert (co.role, co.state, co.deadline) == ("co_handler", AssignmentState.PENDING, assignment.deadline)


def test_copy(client, issue, alice, spare):
    response = post(client, alice, issue, "copy", bodies=[spare.pk])
    assert_done(response, issue, 1, "copy")
    assert Participant.objects.filter(issue=issue, agency=spare, role=PartyRole.COPIED).exists()


def test_consult(client, issue, gina, spare):
    response = post(client, gina, issue, "consult", bodies=[spare.pk], question="是否涉及违规发包？")
    assert_done(response, issue, 1, "consult")
    assert Participant.objects.filter(issue=issue, agency=spare, role=PartyRole.CONSULTEE).exists()
    assert issue.comments.get().text == "是否涉及违规发包？"


def test_comment(client, issue, carol):
    response = post(client, carol, issue, "comment", text="请注意夜间施工安全")
    assert_done(response, issue, 1, "comment")
    assert issue.comments.get().text == "请注意夜间施工安全"


def test_withdraw(client, issue, assignment, cora):
    response = post(client, cora, issue, "withdraw", reason="重复推送")
    assert_done(response, issue, 1, "withdraw")
    assignment.refresh_from_db()
    assert (issue.state, assignment.state) == (IssueState.WITHDRAWN, AssignmentState.WITHDRAWN)


def test_reopen(client, closed, assignment, cora):
    before = closed.event_count
    response = post(client, cora, closed, "reopen", reason="群众再次反映")
    assert_done(response, closed, before, "reopen")
    assignment.refresh_from_db()
    assert (closed.state, assignment.state) == (IssueState.IN_PROGRESS, AssignmentState.SIGNED)


def test_reopen_with_a_new_deadline(client, closed, assignment, cora):
    deadline = timezone.localdate() + dt.timedelta(days=7)
    response = post(client, cora, closed, "reopen", reason="整改反弹", deadline=deadline.isoformat())
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert (assignment.state, assignment.deadline) == (AssignmentState.SIGNED, deadline)


def test_reopen_with_a_past_deadline_is_refused(client, closed, assignment, cora):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = post(client, cora, closed, "reopen", language="en", reason="整改反弹", deadline=yesterday)
    assert response.status_code == 400
    assert "The date cannot be in the past." in response.content.decode()
    closed.refresh_from_db()
    assert closed.state == IssueState.CLOSED


# --- when it does not work ----------------------------------------------------------------------


def test_a_stale_second_post_is_a_conflict(client, issue, assignment, alice, alan):
    assert post(client, alice, issue, "sign", assignment=assignment.pk).status_code == 302
    response = post(client, alan, issue, "sign", language="en", assignment=assignment.pk)
    assert response.status_code == 409
    html = response.content.decode()
    assert 'id="action-error"' in html
    assert "This assignment has already been signed for or has ended." in html
    assert new_events(issue, 1) == ["sign"]


def test_an_invalid_form_keeps_the_input_and_answers_in_chinese(
    client, issue, assignment, alice, other_agency
):
    response = post(
        client, alice, issue, "decline", assignment=assignment.pk, reason="  ", suggested=other_agency.pk
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    with translation.override("zh-hans"):
        required = translation.gettext("This field is required.")
    # Django's "这个字段是必填项。", or Wagtail's "必需字段", whose catalogue takes precedence.
    assert required in ("这个字段是必填项。", "必需字段")
    assert required in html
    # The form is open again, with the body chosen still chosen.
    form = response.context["assignments"][0].action_forms
    decline_form = {spec.name: f for spec, f in form}["decline"]
    assert decline_form.is_bound and decline_form["suggested"].value() == str(other_agency.pk)
    assert f'<option value="{other_agency.pk}" selected data-search="' in html  # kept, with its search keys
    assert f'id="form-decline-{assignment.pk}"' in html
    assert "collapse show issue-action-form" in html
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.PENDING
    assert issue.events.count() == 1


def test_an_action_error_is_shown_in_the_users_language(client, issue, assignment, alan, city_commission):
    response = post(
        client,
        alan,
        issue,
        "transfer",
        language="en",
        assignment=assignment.pk,
        to=city_commission.pk,
        reason="退回纪委",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose another body to transfer to." in html
    assert "退回纪委" in html  # the reason typed is kept
    assert '<html lang="en">' in html
    assert issue.events.count() == 1


def test_a_missing_or_foreign_assignment_is_refused(client, issue, alice, carol, city_commission, our_agency):
    from tests.factories import pushed_issue

    other = pushed_issue(carol, city_commission, our_agency).assignments.get()
    for data in ({}, {"assignment": other.pk}, {"assignment": "x"}):
        response = post(client, alice, issue, "sign", **data)
        assert response.status_code == 400
    other.refresh_from_db()
    assert other.state == AssignmentState.PENDING
    assert issue.events.count() == 1


def test_get_is_not_allowed(client, issue, alice):
    client.force_login(alice)
    assert client.get(reverse("issues:act", args=[issue.pk, "sign"])).status_code == 405


def test_an_empty_comment_is_shown_under_the_comment_box(client, issue, carol):
    response = post(client, carol, issue, "comment", text="   ")
    assert response.status_code == 400
    form = response.context["comment_form"]
    assert form.is_bound and "text" in form.errors
    html = response.content.decode()
    comments = html[html.index('id="comments"') : html.index('id="timeline"')]
    assert form.errors["text"][0] in comments
    assert issue.comments.count() == 0 and issue.events.count() == 1
