"""Permissions of linked systems on the investigator's pages: masking per role, the stated
purpose, systems a reader may not read being invisible, the append-only search log and the
commission's review of it."""

from __future__ import annotations

import re

import pytest
from django.contrib.admin.sites import site
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.urls import reverse

from search.models import AccessLog, Sensitivity
from tests.search import test_pages
from tests.search.page_data import (  # noqa: F401 - fixtures
    ID_NUMBER,
    MASKED_ID,
    MASKED_PHONE,
    PHONE,
    _world,
)
from tests.spreadsheets import read_csv

URL = reverse("search:search")
PURPOSE = "核查路灯工程线索"


def record_url(world, external_id: str) -> str:
    return reverse("search:record", args=[world.records[external_id].pk])


def search(client, user, **params):
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200
    return response


def hits_html(response) -> str:
    """The hits as shown, without their links (which carry the query as the user typed it)."""
    html = response.content.decode()
    hits = html[html.index('id="search-hits"'):html.index("</ol>", html.index('id="search-hits"'))]
    return re.sub(r'href="[^"]*"', "", hits)


def ids(response) -> list[str]:
    return sorted(hit.record.external_id for hit in response.context["hits"])


# --- masking ---------------------------------------------------------------------------------


def test_a_commission_leader_sees_identifiers_in_full(client, world):
    html = search(client, world.leader, q="城南路灯损坏", purpose=PURPOSE).content.decode()
    assert ID_NUMBER in html and PHONE in html
    assert MASKED_ID not in html


def test_staff_see_identifiers_masked_everywhere(client, world):
    response = search(client, world.staff, q="城南路灯损坏", purpose=PURPOSE)
    assert ids(response) == ["H1"]
    html = response.content.decode()
    assert ID_NUMBER not in html and PHONE not in html
    assert MASKED_ID in html and MASKED_PHONE in html  # in the body text and in the fields
    record = client.get(record_url(world, "H1")).content.decode()
    assert ID_NUMBER not in record and PHONE not in record
    assert record.count(MASKED_ID) >= 3  # the text, the ID numbers field, the row as received
    assert MASKED_PHONE in record


def test_a_searched_identifier_is_masked_in_its_highlight(client, world):
    response = search(client, world.staff, q=ID_NUMBER, purpose=PURPOSE)
    assert ids(response) == ["H1"]
    html = hits_html(response)
    assert ID_NUMBER not in html
    assert MASKED_ID in html


def test_the_owner_of_a_system_reads_it_masked(client, world, city):
    from agencies.models import Agency
    from tests.factories import member

    clerk = member(Agency.objects.get(code="hotline-office"), username="clerk")
    response = search(client, clerk, q="路灯")  # internal only: no purpose needed
    assert ids(response) == ["H1", "H3"]  # its own system, and nothing else
    html = hits_html(response)
    assert ID_NUMBER not in html and PHONE not in html
    assert MASKED_ID in html and MASKED_PHONE in html
    record = client.get(record_url(world, "H1")).content.decode()
    assert ID_NUMBER not in record and MASKED_ID in record


def test_owning_a_restricted_system_opens_nothing(client, world, city):
    from tests.factories import AgencyFactory, member

    tax_bureau = AgencyFactory(code="tax-bureau", name="市税务局", region=city)
    world.systems["tax"].owner = tax_bureau
    world.systems["tax"].save()
    clerk = member(tax_bureau, username="taxclerk")
    client.force_login(clerk)
    assert client.get(URL, {"q": "路灯"}).status_code == 404  # it reads no system at all
    assert client.get(record_url(world, "X1")).status_code == 404
    assert 'id="nav-records-search"' not in client.get(reverse("agencies:directory")).content.decode()


# --- the stated purpose ------------------------------------------------------------------------


def test_sensitive_systems_wait_for_a_stated_purpose(client, world):
    for purpose in ("", "看看"):
        response = search(client, world.staff, q="路灯", purpose=purpose)
        assert response.context["page"] is None
        html = response.content.decode()
        assert 'id="search-purpose-needed"' in html
        assert "医保结算" in html
        assert "税务征管" not in html  # restricted: the leaders' only
    assert not AccessLog.objects.exists()

    # Searching only what needs no purpose is one link away.
    without = response.context["without_sensitive"]
    narrowed = client.get(f"{URL}?{without}")
    assert ids(narrowed) == ["H1", "H3", "T1"]
    assert AccessLog.objects.get().systems == ["hotline", "tender"]


def test_the_systems_that_need_a_purpose_are_listed_in_the_readers_language(client, world):
    world.systems["hotline"].sensitivity = Sensitivity.SENSITIVE
    world.systems["hotline"].save()
    needed = search(client, world.staff, q="路灯").content.decode()
    assert "12345热线、医保结算" in needed
    client.cookies["django_language"] = "en"
    needed = client.get(URL, {"q": "路灯"}).content.decode()
    assert "12345 Hotline, Medical Insurance" in needed and "、" not in needed


def test_a_search_with_its_purpose_is_logged(client, world):
    response = search(client, world.staff, q="路灯", purpose=f"  {PURPOSE} ", sort="date")
    assert ids(response) == ["H1", "H3", "M1", "T1"]
    entry = AccessLog.objects.get()
    assert entry.action == "search" and entry.user == world.staff
    assert entry.query == "路灯" and entry.purpose == PURPOSE and entry.hits == 4
    assert entry.systems == ["hotline", "medical", "tender"]
    assert entry.ip == "127.0.0.1"
    # The links to records carry the purpose, so that their views are logged with it.
    assert "purpose=" in response.context["record_query"]


def test_a_sensitive_record_asks_for_its_purpose_once_an_hour(client, world):
    client.force_login(world.staff)
    url = record_url(world, "M1")
    asked = client.get(url)
    assert asked.status_code == 200
    html = asked.content.decode()
    assert 'id="record-purpose-form"' in html and "工伤结算" not in html
    assert not AccessLog.objects.exists()

    refused = client.post(url, {"purpose": "看"})
    assert 'id="record-purpose-error"' in refused.content.decode()

    given = client.post(url, {"purpose": PURPOSE})
    assert given.status_code == 302
    shown = client.get(url)
    assert "工伤结算" in shown.content.decode()
    again = client.get(url)
    assert "工伤结算" in again.content.decode()
    views = AccessLog.objects.filter(action="view")
    assert views.count() == 2
    assert {entry.purpose for entry in views} == {PURPOSE}


def test_a_link_from_a_search_with_a_purpose_opens_the_record(client, world):
    client.force_login(world.leader)
    response = client.get(record_url(world, "X1"), {"purpose": PURPOSE})
    assert "照明公司少缴税款" in response.content.decode()
    assert AccessLog.objects.get(action="view").purpose == PURPOSE


# --- systems a reader may not read ---------------------------------------------------------------


def test_systems_a_reader_may_not_read_do_not_exist_for_them(client, world):
    response = search(client, world.auditor, q="路灯")  # public and internal only: no purpose
    assert ids(response) == ["H1", "H3", "T1"]
    assert response.context["page"].total == 3
    systems = next(facet for facet in response.context["facets"] if facet["name"] == "system")
    assert {value["code"] for value in systems["values"]} == {"hotline", "tender"}
    html = response.content.decode()
    assert "医保结算" not in html and "税务征管" not in html

    chosen = search(client, world.auditor, q="路灯", system=["medical", "tax"])
    assert ids(chosen) == ["H1", "H3", "T1"]  # the choice is ignored, not refused
    assert "medical" not in chosen.context["query_string"] and not chosen.context["chosen"]
    assert "medical" not in hits_html(chosen) and 'data-code="medical"' not in chosen.content.decode()
    assert AccessLog.objects.filter(user=world.auditor).last().systems == ["hotline", "tender"]

    assert client.get(record_url(world, "M1")).status_code == 404
    assert client.get(record_url(world, "X1")).status_code == 404
    assert client.get(reverse("search:record", args=[999_999])).status_code == 404


def test_a_reader_of_no_system_gets_404(client, world, charlie):
    for user in (world.outsider, charlie):
        client.force_login(user)
        assert client.get(URL, {"q": "路灯"}).status_code == 404
        assert client.get(record_url(world, "T1")).status_code == 404


def test_the_header_links_to_the_search_for_readers_only(client, world):
    client.force_login(world.auditor)
    assert 'id="nav-records-search"' in client.get(reverse("agencies:directory")).content.decode()
    client.force_login(world.outsider)
    assert 'id="nav-records-search"' not in client.get(reverse("agencies:directory")).content.decode()


# --- the search log --------------------------------------------------------------------------------


def test_the_search_log_refuses_changes(world):
    search_entry = AccessLog.objects.create(user=world.staff, agency=None, action="search", query="路灯")
    search_entry.query = "别的"
    with pytest.raises(PermissionError):
        search_entry.save()
    with pytest.raises(PermissionError):
        search_entry.delete()


@pytest.mark.postgres
def test_the_database_refuses_to_rewrite_the_search_log(world):
    entry = AccessLog.objects.create(user=world.staff, action="search", query="路灯")
    for statement in (
        "UPDATE search_accesslog SET query = 'x' WHERE id = %s",
        "DELETE FROM search_accesslog WHERE id = %s",
    ):
        refused = pytest.raises(DatabaseError, match="append-only")
        with refused, transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLog.objects.filter(pk=entry.pk).update(query="x")
    assert AccessLog.objects.get(pk=entry.pk).query == "路灯"


def test_the_admin_shows_the_search_log_read_only(world, admin_user):
    request = RequestFactory().get("/")
    request.user = admin_user
    model_admin = site._registry[AccessLog]
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_the_commission_reviews_the_search_log(client, world):
    search(client, world.auditor, q="井盖")
    search(client, world.staff, q="路灯", purpose=PURPOSE)
    client.get(record_url(world, "H1"))
    review = reverse("search:search_log")

    for outsider in (world.auditor, world.outsider):
        client.force_login(outsider)
        assert client.get(review).status_code == 404

    client.force_login(world.leader)
    response = client.get(review)
    assert response.status_code == 200
    entries = list(response.context["page"])
    assert [entry.action for entry in entries] == ["view", "search", "search"]  # newest first
    html = response.content.decode()
    assert PURPOSE in html and "医保结算" in html and "审计干部" in html

    only_views = client.get(review, {"action": "view"})
    assert [entry.action for entry in only_views.context["page"]] == ["view"]
    by_user = client.get(review, {"user": "审计"})
    assert [entry.query for entry in by_user.context["page"]] == ["井盖"]
    by_agency = client.get(review, {"agency": "audit"})
    assert [entry.user for entry in by_agency.context["page"]] == [world.auditor]
    bad = client.get(review, {"date_from": "2024-99-01"})
    assert bad.status_code == 200 and "date_from" in bad.context["form"].errors

    exported = client.get(review, {"action": "search", "format": "csv"})
    assert exported["Content-Type"].startswith("text/csv")
    table = read_csv(b"".join(exported.streaming_content))
    assert len(table.rows) == 2  # two searches
    text = str(table.rows)
    assert PURPOSE in text and "井盖" in text
    assert table.title == "查询留痕记录"
    assert "操作：" in table.about["筛选条件"]


def test_the_investigators_nav_links_the_search_log_for_its_reviewers_only(client, world):
    review = reverse("search:search_log")
    link = f'href="{review}"'
    client.force_login(world.leader)
    assert link in search(client, world.leader, q="路灯", purpose=PURPOSE).content.decode()
    page = client.get(review).content.decode()
    around = page[page.index(link) - 120:page.index(link) + 60]
    assert 'id="work-nav"' in page and 'aria-current="page"' in around
    assert link not in search(client, world.auditor, q="井盖").content.decode()


# --- the same on Elasticsearch -----------------------------------------------------------------------


@pytest.mark.elasticsearch
def test_masking_on_elasticsearch(client, world, settings):
    assert settings.SEARCH_BACKEND == "elasticsearch"
    test_staff_see_identifiers_masked_everywhere(client, world)
    test_a_searched_identifier_is_masked_in_its_highlight(client, world)


@pytest.mark.elasticsearch
def test_paging_and_invisible_systems_on_elasticsearch(client, world, settings):
    assert settings.SEARCH_BACKEND == "elasticsearch"
    test_pages.test_paging_reaches_every_hit_once(client, world)
    test_systems_a_reader_may_not_read_do_not_exist_for_them(client, world)


def test_numbers_typed_into_searches_are_masked_for_reviewers_who_may_not_see_them(client, world):
    search(client, world.leader, q=f"身份证:{ID_NUMBER}", purpose=f"核查{PHONE}来电")
    review = reverse("search:search_log")

    client.force_login(world.staff)  # a commission member: reviews the record, masked
    html = client.get(review).content.decode()
    assert ID_NUMBER not in html and PHONE not in html
    assert MASKED_ID in html and MASKED_PHONE in html
    exported = b"".join(client.get(review, {"format": "csv"}).streaming_content).decode("utf-8-sig")
    assert ID_NUMBER not in exported and MASKED_ID in exported and MASKED_PHONE in exported

    client.force_login(world.leader)  # sees identifiers in every system searched: as typed
    assert ID_NUMBER in client.get(review).content.decode()
