"""Profiles (画像) of a person and of a company: what they gather, for whom, masked how, opened by
which links, and the search log of every view.

The city: an official (``OFFICIAL``) whose spouse (``SPOUSE``) is the legal representative of a
company (``COMPANY``) that won a tender of the official's own unit, which the seeded relation-path
model of the commission finds. alice leads the commission (she sees every system, numbers in
full); bob is its staff (numbers masked, the officials' system closed to him); carol is of
another commission with a warning of its own about the company; dave's department reads nothing.
"""

from __future__ import annotations

import base64
import time

import pytest
from django.core import signing
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from agencies.models import Role
from search import index
from search.detection import actions as detection
from search.detection.models import Warning
from search.harvest import actions as harvest
from search.ingest.registry import SYSTEMS
from search.investigate import profiles
from search.masking import mask_identifier
from search.models import AccessAction, AccessLog, Clue, KeyKind, Record, RecordKey
from search.roles import ROLE_LABELS
from tests.factories import AgencyFactory, commission, member
from tests.search.detection.conftest import english, load, systems  # noqa: F401 - fixtures
from tests.search.detection.linked import company, person, switched_on

ID, CODE = KeyKind.ID_NUMBER, KeyKind.CREDIT_CODE
OFFICIAL, SPOUSE, STRANGER = person(1), person(2), person(3)
COMPANY = company(1)
UNIT = "江州市住房和城乡建设局"
PHONE = "13812345678"
PURPOSE = "核查亲属经商线索"
RELATIVE_WINS = {
    "start_system": "public-officials", "start_kind": ID, "start_roles": ["official"],
    "close_kind": "organisation", "close_start_roles": ["employer"], "close_end_roles": ["tenderer"],
    "hops": [
        {"via": "record", "kind": ID, "roles": ["spouse", "child"]},
        {"via": "value", "system": "market-entities", "roles": ["legal_representative"]},
        {"via": "record", "kind": CODE, "roles": ["registrant"]},
        {"via": "value", "system": "public-resource-trading", "roles": ["winning_bidder"]},
    ],
}


@pytest.fixture
def city_commission(systems, city):  # noqa: F811 - the fixture imported above
    return commission(city, code="test-jw", name="测试市纪委监委")


@pytest.fixture
def alice(city_commission):
    return member(city_commission, username="alice", full_name="艾丽", role=Role.LEADER)


@pytest.fixture
def bob(city_commission):
    return member(city_commission, username="bob", full_name="鲍勃")


@pytest.fixture
def carol(city):
    other = commission(city, code="other-jw", name="邻市纪委监委")
    return member(other, username="carol", full_name="卡萝", role=Role.LEADER)


@pytest.fixture
def dave(city):
    return member(AgencyFactory(code="dept", name="市档案馆", region=city), username="dave")


@pytest.fixture
def world(load, city_commission):  # noqa: F811 - the fixture imported above
    load("public-officials", [load.official(OFFICIAL, UNIT, "2020-01-01", spouse=SPOUSE)])
    load("market-entities", [load.registration(COMPANY, SPOUSE, "2019-05-01")])
    load("public-resource-trading", [
        {**load.bid("GC-2024-1", COMPANY, "2024-03-01", rep=SPOUSE, won=True, tenderer=UNIT),
         "联系电话": PHONE},
        load.bid("GC-2024-2", COMPANY, "2024-04-01", rep=SPOUSE, tenderer="江州市水务局"),
        load.bid("GC-2024-3", company(2), "2024-03-01", rep=STRANGER, tenderer=UNIT),
    ])
    load("social-assistance", [load.assistance(SPOUSE, "2024-02-10")])
    model = switched_on(city_commission, "relation_path", RELATIVE_WINS, key="relative-wins")
    detection.run_model(model)
    assert Warning.objects.filter(model=model).count() == 1


def key_of(kind: str, value: str, system: str = "") -> RecordKey:
    keys = RecordKey.objects.filter(kind=kind, value=value).order_by("pk")
    return keys.filter(system__code=system).first() if system else keys.first()


def url(user, kind: str, value: str, system: str = "") -> str:
    return profiles.profile_url(user, kind, key_of(kind, value, system).pk)


def systems_read(response) -> dict[str, int]:
    return {count.access.system.code: count.records for count, _name in response.context["systems"]}


def opened(client, user, kind, value, from_system="", **params):
    """The profile, opened by a link made from the key of ``from_system`` (else the first key)."""
    client.force_login(user)
    response = client.get(url(user, kind, value, from_system), params)
    assert response.status_code == 200
    return response, response.content.decode()


def test_it_gathers_a_persons_records_relations_and_keys(client, world, alice):
    response, html = opened(client, alice, ID, SPOUSE, purpose=PURPOSE)
    assert response.context["shown_subject"] == SPOUSE
    assert systems_read(response) == {
        "public-officials": 1, "market-entities": 1, "public-resource-trading": 2, "social-assistance": 1}
    assert response.context["total"] == 5
    assert html.count('class="list-group-item px-2 px-sm-3 profile-record"') == 5
    relations = {(relation.role, relation.shown, relation.subject_roles, relation.records)
                 for relation in response.context["relations"].shown}
    assert relations == {
        ("official", OFFICIAL, ("spouse",), 1),
        ("employer", UNIT, ("spouse",), 1),
        ("registrant", COMPANY, ("legal_representative",), 1),
        ("bidder", COMPANY, ("legal_representative",), 2),
        ("winning_bidder", COMPANY, ("legal_representative",), 1),
        ("tenderer", UNIT, ("legal_representative",), 1),
        ("tenderer", "江州市水务局", ("legal_representative",), 1),
    }
    keys = {(key.kind, key.shown, key.records) for key in response.context["keys"].shown}
    assert (KeyKind.PHONE, PHONE, 1) in keys and (KeyKind.PROJECT, "GC-2024-1", 1) in keys
    assert STRANGER not in html  # on a record of the same tenderer, not of hers


def test_a_companys_relations_name_its_legal_representative(client, world, alice):
    response, html = opened(client, alice, CODE, COMPANY)
    legal = [relation for relation in response.context["relations"].shown
             if relation.role == "legal_representative"]
    assert {(relation.access.system.code, relation.shown, relation.records) for relation in legal} == {
        ("market-entities", SPOUSE, 1), ("public-resource-trading", SPOUSE, 2)}
    assert all(relation.url for relation in legal)  # a person: linked to her profile
    assert 'id="profile-relations"' in html and "法定代表人" in html  # in the reader's language


def test_a_reader_with_a_mask_sees_masked_numbers_only(client, world, bob):
    response, html = opened(client, bob, CODE, COMPANY)
    assert mask_identifier(SPOUSE) in html  # the legal representative, masked
    assert mask_identifier(PHONE) in html
    for number in (SPOUSE, OFFICIAL, PHONE, STRANGER):
        assert number not in html
    # The warning names the official too, whose system is closed to bob: masked, and not linked.
    assert mask_identifier(OFFICIAL) in html
    assert response.context["warnings"].total == 1


def test_a_masked_subject_is_masked_in_the_page_the_url_and_the_search_log(client, world, bob):
    address = url(bob, ID, SPOUSE, "market-entities")
    token = address.rstrip("/").rsplit("/", 1)[1]
    payload = base64.urlsafe_b64decode(token.split(":")[0] + "==").decode()  # what signing leaves readable
    assert SPOUSE not in address and SPOUSE not in payload
    client.force_login(bob)
    html = client.get(address).content.decode()
    assert mask_identifier(SPOUSE) in html and SPOUSE not in html
    entry = AccessLog.objects.get(action=AccessAction.SEARCH)
    assert SPOUSE not in entry.query and mask_identifier(SPOUSE) in entry.query
    assert entry.query.startswith("画像")
    assert (entry.user, entry.record, entry.hits) == (bob, key_of(ID, SPOUSE, "market-entities").record, 3)
    assert set(entry.systems) == {"market-entities", "public-resource-trading"}


def test_a_reader_who_sees_numbers_sees_them_and_the_log_says_whose(client, world, alice):
    opened(client, alice, ID, OFFICIAL, purpose=PURPOSE)
    entry = AccessLog.objects.get(action=AccessAction.SEARCH)
    assert OFFICIAL in entry.query and entry.purpose == PURPOSE


def test_every_view_is_written_to_the_search_log(client, world, alice):
    for page in ("1", "2"):
        opened(client, alice, CODE, COMPANY, page=page)
    assert AccessLog.objects.filter(action=AccessAction.SEARCH, user=alice).count() == 2


def test_systems_that_need_a_purpose_wait_for_one(client, world, bob):
    response, html = opened(client, bob, ID, SPOUSE, "market-entities")
    assert "social-assistance" not in systems_read(response)
    assert 'id="profile-purpose-form"' in html
    response, html = opened(client, bob, ID, SPOUSE, "market-entities", purpose="查")  # too short
    assert 'id="profile-purpose-error"' in html and response.context["total"] == 3
    response, html = opened(client, bob, ID, SPOUSE, "market-entities", purpose=PURPOSE)
    assert response.context["total"] == 4 and 'id="profile-purpose-form"' not in html
    # The officials' system is restricted to leaders: no purpose opens it to bob.
    assert "public-officials" not in systems_read(response)


def test_only_the_readers_agencys_warnings_are_shown(client, world, alice, carol):
    theirs = switched_on(carol.memberships.get().agency, "relation_path", RELATIVE_WINS, key="theirs")
    detection.run_model(theirs)
    assert Warning.objects.count() == 2
    response, html = opened(client, alice, CODE, COMPANY)
    assert [warning.model.key for warning in response.context["warnings"].shown] == ["relative-wins"]
    ours = Warning.objects.get(model__key="relative-wins")
    assert f'href="/records/warnings/{ours.pk}/"' in html  # on to the warning's triage
    response, html = opened(client, carol, CODE, COMPANY)
    assert [warning.model.key for warning in response.context["warnings"].shown] == ["theirs"]


def test_a_warning_is_shown_only_where_the_subject_is_one_of_its_subjects(client, world, alice):
    # The spouse is on the warning's evidence, not among its subjects (the official and the company).
    response, _html = opened(client, alice, ID, SPOUSE)
    assert response.context["warnings"].total == 0
    response, _html = opened(client, alice, ID, OFFICIAL, purpose=PURPOSE)
    assert response.context["warnings"].total == 1


def test_clues_and_the_issues_pushed_from_them(client, world, alice, city):
    won = Record.objects.get(record_keys__kind=CODE, record_keys__role="winning_bidder")
    agency = alice.memberships.get().agency
    clue = harvest.create_clue(acting_user=alice, agency=agency, title="亲属企业中标", summary="",
                               records=[won.pk])
    lead = AgencyFactory(code="housing", name=UNIT, region=city)
    issue = harvest.push_clue(acting_user=alice, agency=agency, clue=clue, category="construction",
                              priority="normal", deadline=None, lead=lead)
    response, html = opened(client, alice, CODE, COMPANY)
    assert [item.pk for item in response.context["clues"].shown] == [clue.pk]
    assert [item.pk for item in response.context["issues"]] == [issue.pk]
    assert issue.number in html and reverse("search:clue", args=[clue.pk]) in html
    # The clue's page lists the people and companies of its evidence, linked to their profiles.
    clue_page = client.get(reverse("search:clue", args=[clue.pk])).content.decode()
    assert 'id="clue-profiles"' in clue_page and COMPANY in clue_page
    assert "/records/profiles/company/" in clue_page
    # Another commission's member finds neither.
    other = member(commission(city, code="third-jw"), username="erin", role=Role.LEADER)
    response, _html = opened(client, other, CODE, COMPANY)
    assert response.context["clues"].total == 0 and response.context["issues"] == []
    assert Clue.objects.count() == 1


@pytest.mark.parametrize("hostile", ["forged", "another users", "expired", "wrong kind", "unknown kind",
                                     "not a pair", "gone"])
def test_hostile_links_find_no_page(client, world, alice, bob, monkeypatch, hostile):
    key = key_of(CODE, COMPANY)
    token = profiles.token_for(alice, key.pk)
    kind = "company"
    if hostile == "forged":
        token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    elif hostile == "another users":
        token = profiles.token_for(bob, key.pk)
    elif hostile == "expired":
        now = time.time()
        monkeypatch.setattr(signing.time, "time", lambda: now - profiles.TOKEN_HOURS * 3600 - 60)
        token = profiles.token_for(alice, key.pk)
        monkeypatch.setattr(signing.time, "time", lambda: now)
    elif hostile == "wrong kind":
        kind = "person"
    elif hostile == "unknown kind":
        kind = "plate"
    elif hostile == "not a pair":
        token = signing.dumps({"key": key.pk}, salt=profiles.TOKEN_SALT)
    elif hostile == "gone":
        RecordKey.objects.filter(pk=key.pk).delete()
    client.force_login(alice)
    response = client.get(reverse("search:profile", args=[kind, token]))
    assert response.status_code == 404
    assert not AccessLog.objects.filter(action=AccessAction.SEARCH).exists()


def test_a_link_made_elsewhere_in_the_site_does_not_open_a_profile(client, world, alice):
    token = signing.dumps([key_of(CODE, COMPANY).pk, alice.pk], salt="search.something-else")
    client.force_login(alice)
    assert client.get(reverse("search:profile", args=["company", token])).status_code == 404


def test_a_key_of_a_system_the_reader_may_not_read_finds_no_page(client, world, bob):
    client.force_login(bob)  # the officials' system is restricted to leaders
    assert client.get(url(bob, ID, OFFICIAL, "public-officials")).status_code == 404


def test_whoever_may_search_nothing_finds_no_profile(client, world, dave):
    client.force_login(dave)
    assert client.get(url(dave, CODE, COMPANY)).status_code == 404


@pytest.mark.parametrize("number", ["999999999999999999999999", "-3", "abc", "1.5", "２"])
def test_junk_and_huge_pages_show_a_page(client, world, alice, number):
    response, html = opened(client, alice, CODE, COMPANY, page=number, system="no-such-system")
    assert response.context["page"].number in (1, response.context["page"].paginator.num_pages)
    assert response.context["chosen"] is None


def test_records_are_paged_and_narrowed_to_one_system(client, world, alice, monkeypatch):
    monkeypatch.setattr("search.views.profiles.PAGE_SIZE", 1)
    response, html = opened(client, alice, CODE, COMPANY)
    assert response.context["page"].paginator.num_pages == 3 and 'id="profile-next"' in html
    response, html = opened(client, alice, CODE, COMPANY, system="public-resource-trading", page="2")
    assert response.context["page"].paginator.num_pages == 2
    assert [item["record"].system.code for item in response.context["records"]] == ["public-resource-trading"]
    assert "system=public-resource-trading" in html  # the next pages keep the system


def test_hits_and_linked_records_link_to_profiles(client, world, alice, bob, own_search_index):
    index.index(Record.objects.select_related("system", "region"))
    index.refresh()
    client.force_login(bob)
    response = client.get(reverse("search:search"), {"q": "GC-2024-1", "system": "public-resource-trading"})
    hits = response.context["hits"]
    assert hits and hits[0].profiles
    html = response.content.decode()
    assert "/records/profiles/company/" in html and "/records/profiles/person/" in html
    assert mask_identifier(SPOUSE) in html and SPOUSE not in html
    record = Record.objects.get(record_keys__kind=KeyKind.PROJECT, record_keys__value="GC-2024-1")
    page = client.get(reverse("search:record", args=[record.pk])).content.decode()
    assert 'id="record-profiles"' in page and SPOUSE not in page
    link = next(link for link in response.context["hits"][0].profiles if link.kind == CODE)
    assert client.get(link.url).status_code == 200


def test_the_template_tag_links_a_warnings_subject(world, alice, bob, rf: RequestFactory):
    template = Template("{% load profiles %}{% profile_link kind value %}")

    def rendered(user, kind, value):
        request = rf.get("/")
        request.user = user
        request.session = {}
        return template.render(Context({"request": request, "kind": kind, "value": value}))

    full = rendered(alice, ID, OFFICIAL)
    assert "/records/profiles/person/" in full and OFFICIAL in full
    closed = rendered(bob, ID, OFFICIAL)  # no system bob reads names the official
    assert "href" not in closed and mask_identifier(OFFICIAL) in closed and OFFICIAL not in closed
    masked = rendered(bob, ID, SPOUSE)
    assert "/records/profiles/person/" in masked and SPOUSE not in masked
    assert "href" not in rendered(alice, KeyKind.PHONE, PHONE)  # phones have no profile
    assert "href" not in rendered(alice, "nonsense", "<script>") and "&lt;script&gt;" in rendered(
        alice, "nonsense", "<script>")


def test_every_role_of_the_registry_has_words():
    roles = {key["role"] for spec in SYSTEMS for key in spec.field_mapping.get("keys", [])}
    assert roles - set(ROLE_LABELS) == set()
