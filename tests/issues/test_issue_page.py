"""The issue page (/issues/<pk>/), its attachments and its printable record (/issues/<pk>/record/)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies.acting import SESSION_KEY
from issues import attachments as attachment_rules
from issues import workflow
from issues.models import AssignmentState, Attachment, IssueEvent
from issues.reading.pages import assignments_of
from issues.workflow.available import available_actions
from tests.factories import AgencyFactory, member, pushed_issue
from tests.issues.tamper import tampering

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="证据.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def detail_url(issue_or_pk):
    return reverse("issues:detail", args=[getattr(issue_or_pk, "pk", issue_or_pk)])


def signed_in(client, user, language=None):
    client.force_login(user)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def files_under(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.fixture
def with_evidence(signed, assignment, alice, our_agency, media_root):
    """``signed`` after alice reported with a PDF as evidence."""
    workflow.report(
        acting_user=alice,
        agency=our_agency,
        issue=signed,
        assignment=assignment,
        text="已整改",
        attachments=[pdf()],
    )
    return Attachment.objects.get(issue=signed)


# --- who may open it -------------------------------------------------------------------------------


def test_it_requires_sign_in(client, issue):
    for url in (detail_url(issue), reverse("issues:record", args=[issue.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_signed_out_posts_change_nothing(client, issue, assignment):
    response = client.post(reverse("issues:act", args=[issue.pk, "sign"]), {"assignment": assignment.pk})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.PENDING


@pytest.mark.parametrize("who", ["carol", "alice", "alan", "gina"])
def test_parties_can_open_it(client, issue, who, request):
    response = signed_in(client, request.getfixturevalue(who)).get(detail_url(issue))
    assert response.status_code == 200
    assert issue.title in response.content.decode()


def test_copied_and_consulted_bodies_can_open_it(client, issue, gina, our_group, city):
    copied_body = AgencyFactory(code="copied", name="统计局", region=city)
    consultee = AgencyFactory(code="consultee", name="审计局", region=city)
    carol = issue.created_by
    workflow.copy(acting_user=carol, agency=issue.initiator, issue=issue, bodies=[copied_body])
    workflow.consult(acting_user=gina, agency=our_group, issue=issue, bodies=[consultee], question="请会商")
    for body in (copied_body, consultee):
        response = signed_in(client, member(body)).get(detail_url(issue))
        assert response.status_code == 200
        assert response.context["issue"] == issue


def test_it_answers_404_to_a_non_party_and_for_a_missing_issue(client, issue, assignment, bob, with_evidence):
    missing = issue.pk + 1000
    signed_in(client, bob)
    for pk in (issue.pk, missing):
        assert client.get(detail_url(pk)).status_code == 404
        assert client.get(reverse("issues:record", args=[pk])).status_code == 404
        url = reverse("issues:attachment", args=[pk, with_evidence.pk])
        assert client.get(url).status_code == 404
        response = client.post(reverse("issues:act", args=[pk, "sign"]), {"assignment": assignment.pk})
        assert response.status_code == 404
    assert issue.events.count() == 3  # push, sign, report: bob changed nothing


def test_a_user_with_no_agency_gets_404(client, issue, charlie):
    assert signed_in(client, charlie).get(detail_url(issue)).status_code == 404


# --- which buttons it shows ----------------------------------------------------------------------


def shown_forms(html: str) -> set[tuple[str, str]]:
    """(action, "issue" or the assignment's id) of every action form on the page."""
    forms = set(re.findall(r'id="form-([a-z_]+)-(\w+)" data-action=', html))
    if re.search(r'action="/issues/\d+/act/comment/"', html):
        forms.add(("comment", "issue"))
    return forms


def offered_forms(user, agency, role, issue) -> set[tuple[str, str]]:
    issue.refresh_from_db()
    offered = available_actions(agency, role, issue, assignments_of(issue))
    forms = {(name, "issue") for name in offered.issue_actions}
    for assignment_pk, names in offered.by_assignment.items():
        forms |= {(name, str(assignment_pk)) for name in names}
    return forms


def buttons(client, user, issue):
    return shown_forms(signed_in(client, user).get(detail_url(issue)).content.decode())


def test_it_shows_exactly_the_available_actions(client, issue, assignment, alice, alan, gina, carol, bob):
    from agencies.models import Membership

    for user in (alice, alan, gina, carol):
        membership = Membership.objects.get(user=user)
        expected = offered_forms(user, membership.agency, membership.role, issue)
        assert buttons(client, user, issue) == expected, user.username
    key = str(assignment.pk)
    alice_sees = buttons(client, alice, issue)
    assert {("sign", key), ("decline", key)} <= alice_sees
    assert ("transfer", key) not in alice_sees  # a leader's action
    assert ("transfer", key) in buttons(client, alan, issue)
    assert ("urge", key) in buttons(client, gina, issue)
    assert ("accept_report", key) not in buttons(client, carol, issue)


def test_the_initiator_verifies_once_reported_and_closes_once_accepted(
    client, reported, assignment, carol, city_commission
):
    key = str(assignment.pk)
    seen = buttons(client, carol, reported)
    assert {("accept_report", key), ("reject_report", key)} <= seen
    assert ("close", "issue") not in seen
    workflow.accept_report(acting_user=carol, agency=city_commission, issue=reported, assignment=assignment)
    seen = buttons(client, carol, reported)
    assert ("close", "issue") in seen
    assert ("accept_report", key) not in seen


def test_a_wrong_role_cannot_post_the_action(client, issue, assignment, alice, other_agency):
    before = issue.events.count()
    signed_in(client, alice)
    url = reverse("issues:act", args=[issue.pk, "transfer"])
    for data in ({"assignment": assignment.pk, "to": other_agency.pk, "reason": "不归我们"}, {}):
        assert client.post(url, data).status_code == 404
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.PENDING
    assert issue.events.count() == before


def test_an_unknown_action_is_404(client, issue, carol):
    signed_in(client, carol)
    for action in ("push", "delete", "chain_hash"):
        assert client.post(reverse("issues:act", args=[issue.pk, action])).status_code == 404


def test_it_hints_which_of_my_agencies_can_act(client, issue, our_agency, other_agency):
    from agencies.actions import add_member

    user = member(other_agency, username="dana")
    add_member(user, our_agency)
    signed_in(client, user)
    session = client.session
    session[SESSION_KEY] = other_agency.pk  # acting for the agency that is not a party
    session.save()
    response = client.get(detail_url(issue))
    assert response.status_code == 200
    assert response.context["switch_to"] == [our_agency]
    assert 'id="switch-hint"' in response.content.decode()


# --- escaping ------------------------------------------------------------------------------------


def payload(n: int) -> str:
    return f"<script>alert({n})</script>"


def escaped(n: int) -> str:
    return f"&lt;script&gt;alert({n})&lt;/script&gt;"


def test_user_text_is_escaped_on_the_page_and_the_record(client, carol, city_commission, our_agency, alice):
    issue = pushed_issue(carol, city_commission, our_agency, title=payload(1), description=payload(2))
    assignment = issue.assignments.get()
    workflow.comment(acting_user=carol, agency=city_commission, issue=issue, text=payload(3))
    workflow.sign(acting_user=alice, agency=our_agency, issue=issue, assignment=assignment)
    workflow.report(acting_user=alice, agency=our_agency, issue=issue, assignment=assignment, text=payload(4))
    workflow.reject_report(
        acting_user=carol, agency=city_commission, issue=issue, assignment=assignment, reason=payload(5)
    )
    workflow.decline(
        acting_user=alice,
        agency=our_agency,
        issue=issue,
        assignment=assignment,
        reason=payload(6),
        suggested=None,
    )
    for url, who, numbers in (
        (detail_url(issue), carol, (1, 2, 3, 5, 6)),
        (reverse("issues:record", args=[issue.pk]), carol, (1, 2, 5, 6)),
        (detail_url(issue), alice, (1, 2, 3, 6)),
    ):
        html = signed_in(client, who).get(url).content.decode()
        assert "<script>alert(" not in html, url
        for n in numbers:
            assert escaped(n) in html, (url, n)


def test_report_text_is_escaped(client, signed, assignment, alice, our_agency, carol):
    workflow.report(
        acting_user=alice, agency=our_agency, issue=signed, assignment=assignment, text=payload(7)
    )
    for url in (detail_url(signed), reverse("issues:record", args=[signed.pk])):
        html = signed_in(client, carol).get(url).content.decode()
        assert escaped(7) in html and "<script>alert(" not in html


# --- attachments ---------------------------------------------------------------------------------


def test_a_party_downloads_an_attachment(client, with_evidence, signed, carol, gina):
    url = reverse("issues:attachment", args=[signed.pk, with_evidence.pk])
    for user in (carol, gina):
        response = signed_in(client, user).get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert "filename" in response["Content-Disposition"]
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"


def test_an_attachment_only_downloads_through_its_own_issue(
    client, with_evidence, carol, city_commission, our_agency
):
    other_issue = pushed_issue(carol, city_commission, our_agency)
    url = reverse("issues:attachment", args=[other_issue.pk, with_evidence.pk])
    assert signed_in(client, carol).get(url).status_code == 404


def test_a_missing_file_is_404(client, with_evidence, signed, carol):
    with_evidence.file.storage.delete(with_evidence.file.name)
    url = reverse("issues:attachment", args=[signed.pk, with_evidence.pk])
    assert signed_in(client, carol).get(url).status_code == 404


def test_the_page_links_report_attachments(client, with_evidence, signed, carol):
    html = signed_in(client, carol).get(detail_url(signed)).content.decode()
    assert reverse("issues:attachment", args=[signed.pk, with_evidence.pk]) in html
    assert with_evidence.name in html


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: pdf("tool.exe", b"MZ\x90\x00" + b"\x00" * 64), "files of this type cannot be attached"),
        (lambda: pdf("fake.pdf", b"MZ\x90\x00 not a pdf at all"), "does not look like a PDF file"),
        (lambda: pdf("big.pdf", PDF + b"x" * 2048), "the limit is"),
    ],
    ids=["exe", "fake-pdf", "oversized"],
)
def test_a_refused_report_attachment_saves_nothing(
    client, signed, assignment, alice, our_agency, media_root, monkeypatch, upload, message
):
    monkeypatch.setattr(attachment_rules, "MAX_ATTACHMENT_SIZE", 1024)
    events = signed.events.count()
    signed_in(client, alice, language="en")
    response = client.post(
        reverse("issues:act", args=[signed.pk, "report"]),
        {"assignment": assignment.pk, "agency": our_agency.pk, "text": "已整改", "attachments": [upload()]},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "已整改" in response.content.decode()  # the text typed is kept
    assert Attachment.objects.count() == 0
    assert signed.events.count() == events
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.SIGNED and assignment.report_text == ""
    assert files_under(media_root) == []


def test_the_action_itself_refuses_an_oversized_file(
    signed, assignment, alice, our_agency, media_root, monkeypatch
):
    """The limit the form reads is the one the action reads: a caller that skips the form is held too."""
    monkeypatch.setattr(attachment_rules, "MAX_ATTACHMENT_SIZE", 1024)
    with pytest.raises(workflow.ActionError):
        workflow.report(
            acting_user=alice,
            agency=our_agency,
            issue=signed,
            assignment=assignment,
            text="已整改",
            attachments=[pdf("big.pdf", PDF + b"x" * 2048)],
        )
    assert Attachment.objects.count() == 0
    assert files_under(media_root) == []


# --- the printable record ------------------------------------------------------------------------


def test_the_record_lists_every_event_with_its_hash(client, reported, carol):
    response = signed_in(client, carol, language="en").get(reverse("issues:record", args=[reported.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    events = list(IssueEvent.objects.filter(issue=reported).order_by("seq"))
    assert len(events) == 3
    assert html.count('class="issue-event"') == len(events)
    for event in events:
        assert f'data-action="{event.action}"' in html
        assert event.hash in html
    assert "The hash chain of this issue record holds (3 events)." in html
    assert reported.number in html


def test_the_record_is_chinese_by_default(client, issue, carol):
    html = signed_in(client, carol).get(reverse("issues:record", args=[issue.pk])).content.decode()
    assert '<html lang="zh-hans">' in html


@pytest.mark.parametrize("tamper", ["hash", "reason"])
def test_the_record_says_when_the_chain_is_broken(client, reported, carol, tamper):
    first = IssueEvent.objects.filter(issue=reported, seq=1)
    with tampering():
        if tamper == "hash":
            first.update(hash="f" * 64)
        else:
            first.update(reason="事后补记")
    signed_in(client, carol, language="en")
    html = client.get(reverse("issues:record", args=[reported.pk])).content.decode()
    assert "The hash chain of this issue record is broken" in html
    assert "holds" not in html
    page = client.get(detail_url(reported)).content.decode()
    assert "Issue record broken" in page and "Issue record intact" not in page


def test_an_intact_record_shows_intact_on_the_page(client, reported, carol):
    html = signed_in(client, carol, language="en").get(detail_url(reported)).content.decode()
    assert "Issue record intact" in html
    assert html.count('class="issue-event"') == 3


def test_the_transfer_list_leaves_out_the_agency_acting(client, signed, alan, our_agency, other_agency):
    html = signed_in(client, alan).get(detail_url(signed)).content.decode()
    form = html[html.index('id="form-transfer-'):]
    form = form[: form.index("</form>")]
    assert f'<option value="{other_agency.pk}"' in form
    assert f'<option value="{our_agency.pk}"' not in form  # no transferring to ourselves
