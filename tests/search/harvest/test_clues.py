"""Harvest: ticked hits become a clue, and the clue is pushed to the board through the board's push."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from agencies.models import Role
from issues.models import Issue, IssueEvent, Source
from issues.permissions import visible_issues
from search.harvest import actions
from search.investigate.permissions import seed_default_grants
from search.models import AccessLog, Clue, ClueEvidence, Record, Sensitivity, SourceSystem, SystemGrant
from tests.factories import commission, member
from tests.spreadsheets import read_csv

ID_NUMBER = "530102198002291234"
MASKED_ID = "530102********1234"


def signed_in(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def city_commission(city):
    return commission(city, code="test-jw", name="测试市纪委监委", name_en="Test City Commission")


@pytest.fixture
def carol(city_commission):
    """The commission's staff: reads the internal systems, ID numbers masked."""
    return member(city_commission, username="carol", full_name="卡萝")


@pytest.fixture
def cora(city_commission):
    """The commission's leader: sees ID numbers in full."""
    return member(city_commission, role=Role.LEADER, username="cora", full_name="科拉")


@pytest.fixture
def systems(db, our_agency):
    hotline = SourceSystem.objects.create(code="hotline", name="12345热线", sensitivity=Sensitivity.INTERNAL)
    tenders = SourceSystem.objects.create(code="tenders", name="招投标", owner=our_agency,
                                          sensitivity=Sensitivity.INTERNAL)
    seed_default_grants()
    # Read by the audit office only: closed to the commission.
    closed = SourceSystem.objects.create(code="audit-only", name="审计数据", sensitivity=Sensitivity.INTERNAL)
    SystemGrant.objects.create(system=closed, supervision_class="audit")
    return {"hotline": hotline, "tenders": tenders, "closed": closed}


def record(system, external_id, title, **fields):
    fields.setdefault("occurred_at", timezone.make_aware(dt.datetime(2024, 3, 5, 9, 30)))
    return Record.objects.create(system=system, external_id=external_id, title=title, **fields)


@pytest.fixture
def hits(systems):
    return [
        record(systems["hotline"], "RX-1", f"投诉人{ID_NUMBER}反映城南路灯不亮"),
        record(systems["tenders"], "ZB-7", "城南路灯改造项目中标公告"),
    ]


@pytest.fixture
def unreadable(systems):
    return record(systems["closed"], "SJ-1", "城南路灯审计")


def deadline():
    return (timezone.localdate() + dt.timedelta(days=20)).isoformat()


def make_clue(user, agency, records, **fields):
    fields.setdefault("title", "城南路灯改造疑似围标")
    fields.setdefault("summary", "热线投诉与中标公告指向同一项目。")
    return actions.create_clue(acting_user=user, agency=agency, records=[r.pk for r in records], **fields)


# --- creating a clue ---------------------------------------------------------------------------


def test_ticked_hits_open_the_form_masked(client, carol, hits):
    response = signed_in(client, carol).post(
        reverse("search:clue_new"), {"record": [r.pk for r in hits], "q": "城南路灯"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="clue-form"' in html
    assert MASKED_ID in html and ID_NUMBER not in html
    assert html.count('class="list-group-item evidence-record"') == 2
    assert response.context["form"]["query"].value() == "城南路灯"


def test_a_leader_sees_the_numbers_in_full(client, cora, hits):
    response = signed_in(client, cora).post(reverse("search:clue_new"), {"record": [hits[0].pk]})
    assert ID_NUMBER in response.content.decode()


def test_it_creates_the_clue_with_its_evidence_and_records_the_harvest(client, carol, city_commission, hits):
    response = signed_in(client, carol).post(reverse("search:clue_new"), {
        "title": "城南路灯改造疑似围标", "summary": "两条线索指向同一项目。",
        "records": [r.pk for r in hits], "query": "城南路灯",
    })
    clue = Clue.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("search:clue", args=[clue.pk])
    assert (clue.agency, clue.created_by, clue.query) == (city_commission, carol, "城南路灯")
    assert set(clue.evidence.values_list("record_id", flat=True)) == {r.pk for r in hits}
    entry = AccessLog.objects.get(action="harvest")
    assert (entry.user, entry.agency, entry.hits, entry.query) == (carol, city_commission, 2, "城南路灯")
    assert entry.systems == ["hotline", "tenders"]


def test_an_unreadable_record_is_refused_as_missing(client, carol, city_commission, hits, unreadable):
    with translation.override("en"), pytest.raises(
        actions.ClueError, match=f"Linked record {unreadable.pk} does not exist"
    ):
        make_clue(carol, city_commission, [hits[0], unreadable])
    response = signed_in(client, carol).post(reverse("search:clue_new"), {
        "title": "标题", "records": [hits[0].pk, unreadable.pk],
    })
    assert response.status_code == 400
    assert f"Linked record {unreadable.pk} does not exist" in response.content.decode()
    assert "城南路灯审计" not in response.content.decode()
    assert not Clue.objects.exists() and not AccessLog.objects.exists()


def test_a_missing_record_is_refused_alike(carol, city_commission, hits):
    with translation.override("en"), pytest.raises(
        actions.ClueError, match="Linked record 999999 does not exist"
    ):
        actions.create_clue(acting_user=carol, agency=city_commission, title="t", summary="",
                            records=[999999])


def test_a_clue_needs_a_title_and_records(client, carol, hits):
    response = signed_in(client, carol).post(reverse("search:clue_new"), {"title": " ", "records": []})
    assert response.status_code == 400
    assert "Tick at least one hit." in response.content.decode()
    assert not Clue.objects.exists()


def test_someone_reading_no_system_cannot_harvest(client, bob, charlie, hits):
    for user in (bob, charlie):
        signed_in(client, user)
        assert client.post(reverse("search:clue_new"), {"record": [hits[0].pk]}).status_code == 404
        assert client.get(reverse("search:clues")).status_code == 404


def test_a_department_harvests_from_its_own_system(client, alice, our_agency, hits):
    clue = make_clue(alice, our_agency, [hits[1]])
    assert clue.agency == our_agency
    with pytest.raises(actions.ClueError):
        make_clue(alice, our_agency, [hits[0]])  # the hotline is not its to read


# --- seeing clues ------------------------------------------------------------------------------


def test_the_agency_lists_and_opens_its_clues(client, carol, cora, city_commission, hits):
    clue = make_clue(carol, city_commission, hits)
    signed_in(client, cora)
    assert clue.title in client.get(reverse("search:clues")).content.decode()
    page = client.get(reverse("search:clue", args=[clue.pk]))
    assert page.status_code == 200
    assert ID_NUMBER in page.content.decode()  # the leader's right, not the maker's, decides


def test_evidence_a_member_may_not_read_shows_only_its_system(client, carol, cora, city_commission, hits):
    restricted = SourceSystem.objects.create(
        code="officials", name="公职人员信息", sensitivity=Sensitivity.SECRET
    )
    seed_default_grants()  # the leader reads it; the staff do not
    secret = record(restricted, "GZ-3", f"公职人员{ID_NUMBER}亲属持股", body="亲属持股明细", amount=120000,
                    occurred_at=timezone.make_aware(dt.datetime(2023, 11, 20, 8, 0)))
    clue = make_clue(cora, city_commission, [hits[0], secret])

    leader = signed_in(client, cora).get(reverse("search:clue", args=[clue.pk])).content.decode()
    assert "亲属持股" in leader and "GZ-3" in leader and f'href="/records/{secret.pk}/"' in leader

    response = signed_in(client, carol).get(reverse("search:clue", args=[clue.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    evidence = html[html.index('id="evidence"'):html.index("</ul>", html.index('id="evidence"'))]
    assert evidence.count('class="list-group-item evidence-record') == 2  # each listed once
    assert "公职人员信息" in evidence and "evidence-closed" in evidence  # there is one, from that system
    for detail in ("亲属持股", "GZ-3", "120000", "2023-11-20", f"/records/{secret.pk}/"):
        assert detail not in evidence, detail
    assert "RX-1" in evidence and MASKED_ID in evidence  # the hotline record, masked for the staff
    assert client.get(reverse("search:record", args=[secret.pk])).status_code == 404


def test_the_query_and_the_summary_are_masked_for_who_may_not_see_numbers(
    client, carol, cora, city_commission, our_agency, hits
):
    clue = make_clue(cora, city_commission, hits, query=f"身份证:{ID_NUMBER}", title=f"核查{ID_NUMBER}",
                     summary=f"投诉人身份证{ID_NUMBER}。")
    assert ID_NUMBER in signed_in(client, cora).get(reverse("search:clue", args=[clue.pk])).content.decode()
    signed_in(client, carol)
    for page in (reverse("search:clue", args=[clue.pk]), reverse("search:clues")):
        html = client.get(page).content.decode()
        assert f"核查{MASKED_ID}" in html and ID_NUMBER not in html
    clue_page = client.get(reverse("search:clue", args=[clue.pk])).content.decode()
    assert f"身份证:{MASKED_ID}" in clue_page and f"投诉人身份证{MASKED_ID}" in clue_page
    issue = actions.push_clue(acting_user=cora, agency=city_commission, clue=clue, category="construction",
                              priority="normal", deadline=None, lead=our_agency)
    assert MASKED_ID in issue.description and ID_NUMBER not in issue.description
    assert issue.title == f"核查{MASKED_ID}"  # the board's parties read the title too


def test_another_agency_gets_404(client, carol, city_commission, alice, hits):
    clue = make_clue(carol, city_commission, hits)
    signed_in(client, alice)  # reads the tenders system, but the clue is the commission's
    assert client.get(reverse("search:clue", args=[clue.pk])).status_code == 404
    assert client.post(reverse("search:clue_push", args=[clue.pk]), {}).status_code == 404
    assert clue.title not in client.get(reverse("search:clues")).content.decode()


def test_hits_are_added_to_a_clue_once(client, carol, city_commission, hits):
    clue = make_clue(carol, city_commission, hits[:1])
    signed_in(client, carol)
    for _ in range(2):
        response = client.post(
            reverse("search:clue_add"), {"clue": clue.pk, "record": [r.pk for r in hits], "q": "路灯"}
        )
        assert response.status_code == 302
    assert ClueEvidence.objects.filter(clue=clue).count() == 2
    assert AccessLog.objects.filter(action="harvest", query="路灯").count() == 2


# --- pushing a clue to the board ---------------------------------------------------------------


def push_form(lead, **fields):
    return {"category": "construction", "priority": "urgent", "deadline": deadline(), "lead": lead.pk,
            **fields}


def test_it_pushes_the_clue_through_the_boards_push(client, carol, city_commission, our_agency, alice, hits):
    clue = make_clue(carol, city_commission, hits)
    url = reverse("search:clue_push", args=[clue.pk])
    response = signed_in(client, carol).post(url, push_form(our_agency))
    issue = Issue.objects.get()
    assert response.status_code == 302 and response["Location"] == issue.get_absolute_url()
    clue.refresh_from_db()
    assert clue.issue == issue and clue.pushed_at is not None
    assert (issue.initiator, issue.created_by, issue.source) == (city_commission, carol, Source.DATA)
    assert issue.title == clue.title and issue.priority == "urgent"
    # The description is the summary and the count: the records are listed once, under the
    # issue's evidence, and in the attached list.
    assert issue.description.startswith(clue.summary)
    assert "2" in issue.description.removeprefix(clue.summary)
    for item in hits:
        assert item.external_id not in issue.description
    assert IssueEvent.objects.filter(issue=issue, action="push").count() == 1
    assert visible_issues(alice).filter(pk=issue.pk).exists()  # on the lead's board
    attachment = issue.attachments.get()
    content = attachment.file.read()
    assert ID_NUMBER.encode() not in content
    table = read_csv(content)
    assert {row[1] for row in table.rows} >= {"RX-1", "ZB-7"}
    assert table.title == f"Evidence records of the clue “{clue.title}”"
    assert table.about["Exported by"].startswith(carol.get_full_name())


def test_a_clue_is_pushed_once(client, carol, city_commission, our_agency, other_agency, hits):
    clue = make_clue(carol, city_commission, hits)
    signed_in(client, carol)
    client.post(reverse("search:clue_push", args=[clue.pk]), push_form(our_agency))
    again = client.post(reverse("search:clue_push", args=[clue.pk]), push_form(other_agency))
    assert again.status_code == 400
    number = Issue.objects.get().number
    assert f"This clue was pushed already, as issue {number}." in again.content.decode()
    with pytest.raises(actions.ClueError):
        actions.add_evidence(acting_user=carol, agency=city_commission, clue=clue, records=[hits[0].pk])


def test_the_boards_checks_show_as_form_errors(client, carol, city_commission, our_agency, hits):
    clue = make_clue(carol, city_commission, hits)
    response = signed_in(client, carol).post(
        reverse("search:clue_push", args=[clue.pk]), push_form(our_agency, co_handlers=[our_agency.pk])
    )
    assert response.status_code == 400
    assert "The lead handler cannot also be a co-handler." in response.content.decode()
    assert not Issue.objects.exists()
    clue.refresh_from_db()
    assert clue.issue is None


def test_a_role_that_cannot_push_gets_404(client, city_commission, our_agency, hits):
    admin = member(city_commission, role=Role.ADMINISTRATOR, username="adam")
    clue = make_clue(admin, city_commission, hits)
    signed_in(client, admin)
    assert 'id="push-form"' not in client.get(reverse("search:clue", args=[clue.pk])).content.decode()
    assert client.post(reverse("search:clue_push", args=[clue.pk]), push_form(our_agency)).status_code == 404


def test_the_issue_page_lists_the_evidence(client, carol, city_commission, our_agency, alice, hits):
    clue = make_clue(carol, city_commission, hits)
    issue = actions.push_clue(acting_user=carol, agency=city_commission, clue=clue, category="construction",
                              priority="normal", deadline=None, lead=our_agency)
    html = signed_in(client, alice).get(issue.get_absolute_url()).content.decode()
    assert 'id="issue-evidence"' in html
    assert html.count('class="evidence-record"') == 2
    for item in hits:  # listed once: in the evidence, not again in the description
        assert html.count(item.external_id) == 1
    assert f'href="/records/{hits[1].pk}/"' in html  # tenders: the department's own system
    # The hotline is closed to the department: its evidence is listed, not linked to a 404.
    assert hits[0].external_id in html and f'href="/records/{hits[0].pk}/"' not in html
    assert MASKED_ID in html and ID_NUMBER not in html
    commission_html = signed_in(client, carol).get(issue.get_absolute_url()).content.decode()
    assert f'href="/records/{hits[0].pk}/"' in commission_html


def test_an_issue_without_a_clue_has_no_evidence_section(client, carol, city_commission, our_agency, alice):
    from tests.factories import pushed_issue

    issue = pushed_issue(carol, city_commission, our_agency)
    html = signed_in(client, alice).get(issue.get_absolute_url()).content.decode()
    assert 'id="issue-evidence"' not in html


def test_nothing_ticked_goes_back_to_the_search(client, carol, hits):
    signed_in(client, carol)
    search = "http://testserver/records/?q=%E5%9F%8E%E5%8D%97"
    response = client.post(reverse("search:clue_new"), {"q": "城南"}, HTTP_REFERER=search)
    assert response.status_code == 302 and response["Location"] == search
    elsewhere = client.post(reverse("search:clue_new"), {}, HTTP_REFERER="https://example.com/")
    assert elsewhere["Location"] == reverse("search:search")
    assert not Clue.objects.exists()


def test_the_search_page_offers_the_open_clues(client, carol, city_commission, our_agency, hits):
    open_clue = make_clue(carol, city_commission, hits, title="未推送的线索")
    pushed = make_clue(carol, city_commission, hits, title="已推送的线索")
    actions.push_clue(acting_user=carol, agency=city_commission, clue=pushed, category="construction",
                      priority="normal", deadline=None, lead=our_agency)
    html = signed_in(client, carol).get(reverse("search:search"), {"q": "城南路灯"}).content.decode()
    assert 'id="create-clue"' in html
    assert f'<option value="{open_clue.pk}">未推送的线索</option>' in html and "已推送的线索" not in html


def test_the_work_pages_offer_uploads_to_those_who_may_upload(client, carol, alice, systems):
    uploads = f'href="{reverse("search:uploads")}"'
    assert uploads not in signed_in(client, carol).get(reverse("search:clues")).content.decode()
    assert uploads in signed_in(client, alice).get(reverse("search:clues")).content.decode()  # owns tenders


def test_the_evidence_file_is_named_after_the_clue(client, carol, city_commission, our_agency, alice, hits):
    clue = make_clue(carol, city_commission, hits, title="城南路灯/改造：疑似围标?")
    client.force_login(carol)  # in the portal's default language, Chinese
    client.post(reverse("search:clue_push", args=[clue.pk]), push_form(our_agency))
    attachment = Issue.objects.get().attachments.get()
    # Named for what it is and whose, the characters a file name cannot hold left out.
    assert attachment.name == "线索证据记录：城南路灯 改造：疑似围标.csv"
    # The lead's download keeps that name (RFC 6266's UTF-8 form for the Chinese).
    client.force_login(alice)
    response = client.get(reverse("issues:attachment", args=[attachment.issue_id, attachment.pk]))
    assert response.status_code == 200
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert "%E7%BA%BF%E7%B4%A2%E8%AF%81%E6%8D%AE" in response["Content-Disposition"]  # 线索证据
