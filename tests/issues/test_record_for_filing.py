"""The record for filing holds everything a file needs: every co-handler, the extensions asked
and granted, and every attachment with its checksum."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from issues import workflow
from issues.models import Attachment, HandlerRole
from tests.factories import pushed_issue

PDF = b"%PDF-1.7\n%%EOF\n"


def test_the_record_lists_co_handlers_extensions_and_attachments(
    client, settings, tmp_path, carol, city_commission, our_agency, other_agency, alice
):
    settings.MEDIA_ROOT = tmp_path
    issue = pushed_issue(
        carol, city_commission, our_agency, co_handlers=[other_agency],
        attachments=[SimpleUploadedFile("现场照片说明.pdf", PDF, content_type="application/pdf")],
    )
    lead = issue.assignments.get(role=HandlerRole.LEAD)
    workflow.sign(acting_user=alice, agency=our_agency, issue=issue, assignment=lead)
    later = timezone.localdate() + dt.timedelta(days=40)
    workflow.request_extension(
        acting_user=alice, agency=our_agency, issue=issue, assignment=lead, reason="雨季施工受阻",
        deadline=later,
    )
    workflow.grant_extension(acting_user=carol, agency=city_commission, issue=issue, assignment=lead)

    client.force_login(carol)
    html = client.get(reverse("issues:record", args=[issue.pk])).content.decode()

    co_handlers = html[html.index('id="record-co-handlers"'):]
    assert co_handlers.split("</p>")[0].count(other_agency.name) == 1
    extensions = html[html.index('id="record-extensions"'):].split("</table>")[0]
    assert "雨季施工受阻" in extensions and later.isoformat() in extensions and "已同意" in extensions
    attachments = html[html.index('id="record-attachments"'):].split("</table>")[0]
    assert "现场照片说明.pdf" in attachments
    assert hashlib.sha256(PDF).hexdigest() in attachments
    assert Attachment.objects.filter(issue=issue).count() == 1


def test_an_issue_without_them_says_none(client, carol, city_commission, our_agency):
    issue = pushed_issue(carol, city_commission, our_agency)
    client.force_login(carol)
    html = client.get(reverse("issues:record", args=[issue.pk])).content.decode()
    assert 'id="record-extensions">无</p>' in html and 'id="record-attachments">无</p>' in html
