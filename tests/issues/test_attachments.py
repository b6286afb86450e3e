"""Attachments: a refused file leaves nothing behind, and neither does an action that fails later."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import override

from issues import attachments, workflow
from issues.models import Assignment, Attachment, Issue, IssueEvent
from tests.factories import pushed_issue

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def files_in(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def report(user, agency, issue, assignment, files):
    return workflow.report(
        acting_user=user, agency=agency, issue=issue, assignment=assignment, text="已整改", attachments=files
    )


def test_push_stores_its_attachments_with_their_digest(media_root, carol, city_commission, our_agency):
    issue = pushed_issue(carol, city_commission, our_agency, attachments=[upload("现场照片.png", PNG)])
    [stored] = issue.attachments.all()
    assert (stored.name, stored.size, stored.content_type, stored.assignment) == (
        "现场照片.png",
        len(PNG),
        "image/png",
        None,
    )
    assert stored.uploaded_by == carol and stored.agency == city_commission
    assert len(stored.sha256) == 64
    assert stored.file.name.startswith(f"issues/{issue.pk}/")
    assert (media_root / stored.file.name).read_bytes() == PNG
    assert issue.events.get().after["attachments"] == [stored.pk]


def test_report_stores_its_attachments_on_the_assignment(media_root, signed, assignment, alice, our_agency):
    report(
        alice,
        our_agency,
        signed,
        assignment,
        [upload("整改报告.pdf", PDF), upload("明细.csv", b"a,b\n1,2\n")],
    )
    assert list(assignment.attachments.values_list("name", flat=True)) == ["整改报告.pdf", "明细.csv"]
    assert len(files_in(media_root)) == 2


REFUSED = [
    pytest.param(upload("tool.exe", b"MZ\x90\x00"), "cannot be attached", id="extension"),
    pytest.param(upload("scan.pdf", b"MZ\x90\x00 not a pdf"), "does not look like a PDF", id="magic-bytes"),
    pytest.param(upload("photo.jpg", PNG), "does not look like a JPG", id="other-picture"),
    pytest.param(upload("notes.txt", b"MZ\x00\x00\x00binary"), "does not look like a TXT", id="binary-text"),
    pytest.param(upload("empty.pdf", b""), "is empty", id="empty"),
    pytest.param(upload("长" * 197 + ".pdf", PDF), "file name is longer", id="long-name"),
]


@pytest.mark.parametrize(("bad", "message"), REFUSED)
def test_push_with_a_refused_file_saves_nothing(media_root, carol, city_commission, our_agency, bad, message):
    good = upload("ok.pdf", PDF)
    with override("en"), pytest.raises(workflow.ActionError) as refused:
        pushed_issue(carol, city_commission, our_agency, attachments=[good, bad])
    assert message in str(refused.value)
    assert not Issue.objects.exists() and not Assignment.objects.exists()
    assert not Attachment.objects.exists() and not IssueEvent.objects.exists()
    assert files_in(media_root) == []


@pytest.mark.parametrize(("bad", "message"), REFUSED)
def test_report_with_a_refused_file_saves_nothing(
    media_root, signed, assignment, alice, our_agency, bad, message
):
    with override("en"), pytest.raises(workflow.ActionError) as refused:
        report(alice, our_agency, signed, assignment, [upload("ok.pdf", PDF), bad])
    assert message in str(refused.value)
    assignment.refresh_from_db()
    assert assignment.state == "signed" and assignment.report_text == ""
    assert not Attachment.objects.exists()
    assert list(signed.events.values_list("action", flat=True)) == ["push", "sign"]
    assert files_in(media_root) == []


def test_an_oversized_file_is_refused_by_its_size(
    media_root, monkeypatch, signed, assignment, alice, our_agency
):
    monkeypatch.setattr(attachments, "MAX_ATTACHMENT_SIZE", len(PDF) - 1)
    with override("en"), pytest.raises(workflow.ActionError, match="the limit is"):
        report(alice, our_agency, signed, assignment, [upload("big.pdf", PDF)])
    assert not Attachment.objects.exists() and files_in(media_root) == []


def test_the_size_limit_is_twenty_megabytes():
    big = upload("big.pdf", PDF)
    big.size = attachments.MAX_ATTACHMENT_SIZE + 1
    with pytest.raises(attachments.ValidationError):
        attachments.validate_upload(big)
    big.size = attachments.MAX_ATTACHMENT_SIZE
    attachments.validate_upload(big)


def test_too_many_files_are_refused(media_root, carol, city_commission, our_agency):
    many = [upload(f"{n}.pdf", PDF) for n in range(attachments.MAX_ATTACHMENTS + 1)]
    with override("en"), pytest.raises(workflow.ActionError, match="at most"):
        pushed_issue(carol, city_commission, our_agency, attachments=many)
    assert not Issue.objects.exists() and files_in(media_root) == []


# --- a failure after the files were stored takes them away ---------------------------------------


def test_push_failing_after_storing_removes_its_files(
    media_root, monkeypatch, carol, city_commission, our_agency
):
    def refuse(*args, **kwargs):
        raise workflow.Conflict("someone else was first")

    monkeypatch.setattr(workflow.record, "append", refuse)
    with pytest.raises(workflow.Conflict):
        pushed_issue(
            carol, city_commission, our_agency, attachments=[upload("a.pdf", PDF), upload("b.png", PNG)]
        )
    assert not Issue.objects.exists() and not Attachment.objects.exists()
    assert files_in(media_root) == []


def test_report_failing_after_storing_removes_its_files(
    media_root, monkeypatch, signed, assignment, alice, our_agency
):
    def refuse(issue):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(workflow.handling, "_settle_issue_state", refuse)
    with pytest.raises(RuntimeError):
        report(alice, our_agency, signed, assignment, [upload("a.pdf", PDF)])
    assert not Attachment.objects.exists() and files_in(media_root) == []


def test_a_file_failing_to_save_takes_the_ones_before_it(
    media_root, monkeypatch, carol, city_commission, our_agency
):
    from django.core.files.storage import FileSystemStorage

    real_save = FileSystemStorage._save

    def save_one_then_fail(self, name, content):
        if name.endswith("b.pdf"):
            raise OSError("disk full")
        return real_save(self, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", save_one_then_fail)
    with pytest.raises(OSError, match="disk full"):
        pushed_issue(
            carol, city_commission, our_agency, attachments=[upload("a.pdf", PDF), upload("b.pdf", PDF)]
        )
    assert not Attachment.objects.exists() and files_in(media_root) == []


def test_a_nested_guard_hands_its_files_to_the_outer_one(media_root, carol, city_commission, our_agency):
    """A successful inner block does not mean the outer one will succeed."""
    with pytest.raises(RuntimeError), attachments.files_removed_on_failure():
        pushed_issue(carol, city_commission, our_agency, attachments=[upload("a.pdf", PDF)])
        assert len(files_in(media_root)) == 1
        raise RuntimeError("the caller's next step failed")
    assert files_in(media_root) == []


def test_a_successful_action_keeps_its_files(media_root, carol, city_commission, our_agency):
    with attachments.files_removed_on_failure():
        pushed_issue(carol, city_commission, our_agency, attachments=[upload("a.pdf", PDF)])
    assert len(files_in(media_root)) == 1


def test_a_request_larger_than_any_valid_upload_is_refused_unread(client, issue, alice, carol):
    from django.urls import reverse

    from issues.views.limits import MAX_REQUEST_SIZE

    client.force_login(alice)
    events = issue.events.count()
    for url in (reverse("issues:act", args=[issue.pk, "comment"]), reverse("issues:new")):
        response = client.post(url, {"text": "附件太大"}, CONTENT_LENGTH=str(MAX_REQUEST_SIZE + 1),
                               HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 413
        assert "Nothing was saved" in response.content.decode()
    assert issue.events.count() == events
