"""The new-issue page (/issues/new/): a body's staff or leader pushes a problem to the handlers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from issues.models import Attachment, Issue, IssueEvent, IssueState, Participant, PartyRole

URL = reverse("issues:new")
PDF = b"%PDF-1.7\n%%EOF\n"


@pytest.fixture
def statistics(city):
    from tests.factories import AgencyFactory

    return AgencyFactory(code="stats", name="统计局", name_en="Statistics Bureau", region=city)


@pytest.fixture
def valid(our_agency, other_agency, statistics):
    return {
        "title": "园区入口缺少路灯",
        "description": "夜间无照明，已发生两起剐蹭事故。",
        "category": "construction",
        "source": "supervision",
        "priority": "urgent",
        "deadline": (timezone.localdate() + dt.timedelta(days=15)).isoformat(),
        "lead": our_agency.pk,
        "co_handlers": [other_agency.pk],
        "copied": [statistics.pk],
    }


def signed_in(client, user, language=None):
    client.force_login(user)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.parametrize("who", ["carol", "alice", "alan"])
def test_staff_and_leaders_open_it(client, who, request, issue):
    response = signed_in(client, request.getfixturevalue(who)).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="new-issue-form"' in html
    assert 'enctype="multipart/form-data"' in html


def test_the_initiator_is_not_offered_as_a_handler(client, carol, city_commission, our_agency):
    form = signed_in(client, carol).get(URL).context["form"]
    offered = {pk for _group, options in form.fields["lead"].choices[1:] for pk, _name in options}
    assert our_agency.pk in offered and city_commission.pk not in offered


@pytest.mark.parametrize("who", ["gina", "charlie"])
def test_a_liaison_or_a_user_without_agency_gets_404(client, who, request, issue):
    signed_in(client, request.getfixturevalue(who))
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"title": "x"}).status_code == 404
    assert Issue.objects.count() == 1


def test_it_requires_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_it_pushes_the_issue(
    client, carol, city_commission, our_agency, other_agency, statistics, our_group, valid, media_root
):
    data = {**valid, "attachments": [SimpleUploadedFile("线索.pdf", PDF, content_type="application/pdf")]}
    response = signed_in(client, carol).post(URL, data)
    issue = Issue.objects.get()
    assert response.status_code == 302
    assert response.url == issue.get_absolute_url()
    assert (issue.title, issue.state, issue.priority, issue.initiator) == (
        "园区入口缺少路灯",
        IssueState.PUSHED,
        "urgent",
        city_commission,
    )
    assert issue.deadline.isoformat() == valid["deadline"]
    parties = set(Participant.objects.filter(issue=issue).values_list("agency__code", "role"))
    assert {
        (city_commission.code, PartyRole.INITIATOR),
        (our_agency.code, PartyRole.LEAD),
        (other_agency.code, PartyRole.CO_HANDLER),
        (statistics.code, PartyRole.COPIED),
        (our_group.code, PartyRole.SUPERVISOR),
    } <= parties
    assert list(IssueEvent.objects.filter(issue=issue).values_list("action", flat=True)) == ["push"]
    attachment = Attachment.objects.get(issue=issue)
    assert (attachment.name, attachment.assignment) == ("线索.pdf", None)
    assert attachment.file.read() == PDF
    # The message shown on the issue page names the number.
    page = client.get(response.url).content.decode()
    assert issue.number in page


def test_the_lead_cannot_also_be_a_co_handler(client, carol, valid, our_agency):
    response = signed_in(client, carol, "en").post(URL, {**valid, "co_handlers": [our_agency.pk]})
    assert response.status_code == 400
    assert "The lead handler cannot also be a co-handler." in response.content.decode()
    assert Issue.objects.count() == 0


def test_the_deadline_cannot_be_past(client, carol, valid):
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = signed_in(client, carol, "en").post(URL, {**valid, "deadline": yesterday})
    assert response.status_code == 400
    assert "The date cannot be in the past." in response.content.decode()
    assert Issue.objects.count() == 0


def test_a_title_is_required_and_the_rest_is_kept(client, carol, valid, other_agency):
    response = signed_in(client, carol).post(URL, {**valid, "title": "   "})
    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == ["title"]
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "夜间无照明，已发生两起剐蹭事故。" in html
    assert f'<option value="{other_agency.pk}" selected data-search="' in html  # kept, with its search keys
    assert Issue.objects.count() == 0


def test_an_empty_post_shows_the_errors(client, carol):
    response = signed_in(client, carol).post(URL, {})
    assert response.status_code == 400
    assert {"title", "description", "lead"} <= set(response.context["form"].errors)
    assert Issue.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.exe", b"MZ\x90\x00", "files of this type cannot be attached"),
        ("scan.pdf", b"GIF89a not a pdf", "does not look like a PDF file"),
    ],
)
def test_a_bad_attachment_saves_nothing(client, carol, valid, media_root, name, content, message):
    data = {**valid, "attachments": [SimpleUploadedFile(name, content)]}
    response = signed_in(client, carol, "en").post(URL, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Issue.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert not media_root.exists() or not any(path.is_file() for path in media_root.rglob("*"))


def test_html_in_the_title_is_escaped_on_the_form(client, carol, valid):
    response = signed_in(client, carol).post(URL, {**valid, "lead": "", "title": "<script>alert(9)</script>"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "<script>alert(9)" not in html and "&lt;script&gt;alert(9)&lt;/script&gt;" in html
