"""/issues/: the board page. Tabs and counts per party, filters, sorting, keyset pages, escaping."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from agencies import actions as agency_actions
from agencies.acting import SESSION_KEY
from agencies.models import AgencyKind, Role, SupervisionClass
from issues import workflow
from issues.models import AssignmentState
from issues.reading.board import PAGE_SIZE, TAB_COUNT_CAP, TABS, tab_counts
from issues.views import board as board_view
from tests.factories import AgencyFactory, member, pushed_issue

URL = reverse("issues:board")
TAB_SLUGS = [tab.slug for tab in TABS]


# --- the cast's issues ------------------------------------------------------------------------


@pytest.fixture
def audit_body(city):
    return AgencyFactory(
        code="test-audit",
        name="测试市审计局",
        name_en="Test City Audit Bureau",
        region=city,
        kind=AgencyKind.SUPERVISORY,
        supervision_class=SupervisionClass.AUDIT,
    )


@pytest.fixture
def audrey(audit_body):
    return member(audit_body, username="audrey", full_name="奥黛丽")


@pytest.fixture
def copied_body(city):
    return AgencyFactory(
        code="test-press", name="测试市融媒体中心", name_en="Test City Media Centre", region=city
    )


@pytest.fixture
def cora(copied_body):
    return member(copied_body, username="cora", full_name="科拉")


def _assignment(issue):
    return issue.assignments.get()


def sign(issue, user, agency):
    workflow.sign(acting_user=user, agency=agency, issue=issue, assignment=_assignment(issue))


def report(issue, user, agency):
    workflow.report(
        acting_user=user, agency=agency, issue=issue, assignment=_assignment(issue), text="已整改完毕"
    )


@pytest.fixture
def scene(carol, city_commission, our_agency, our_group, alice, alan, gina, bob, copied_body, cora):
    """Five issues the commission pushed to our agency, one in each place of the lifecycle."""
    waiting = pushed_issue(carol, city_commission, our_agency, title="等待签收的办件")
    handling = pushed_issue(carol, city_commission, our_agency, title="正在办理的办件")
    sign(handling, alice, our_agency)
    reported = pushed_issue(carol, city_commission, our_agency, title="已经反馈的办件")
    sign(reported, alice, our_agency)
    report(reported, alice, our_agency)
    closed = pushed_issue(carol, city_commission, our_agency, title="已经办结的办件")
    sign(closed, alice, our_agency)
    report(closed, alice, our_agency)
    workflow.accept_report(
        acting_user=carol, agency=city_commission, issue=closed, assignment=_assignment(closed)
    )
    workflow.close(acting_user=carol, agency=city_commission, issue=closed)
    copied = pushed_issue(carol, city_commission, our_agency, title="抄送媒体的办件", copied=[copied_body])
    return {
        "waiting": waiting,
        "handling": handling,
        "reported": reported,
        "closed": closed,
        "copied": copied,
    }


def get(client, language: str | None = None, **params):
    headers = {"accept-language": language} if language else {}
    response = client.get(URL, params, headers=headers)
    assert response.status_code == 200
    return response


def listed(response) -> list[str]:
    """The numbers of the issues on the page, in the page's order, read from the HTML."""
    soup = BeautifulSoup(response.content, "html.parser")
    return [row.select_one(".board-number").get_text(strip=True) for row in soup.select("tr[data-issue-id]")]


def numbers(*issues) -> set[str]:
    return {issue.number for issue in issues}


def badge_counts(response) -> dict[str, int]:
    soup = BeautifulSoup(response.content, "html.parser")
    return {slug: int(soup.select_one(f"#count-{slug}").get_text(strip=True)) for slug in TAB_SLUGS}


# --- access -----------------------------------------------------------------------------------


def test_it_requires_sign_in(client, scene):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_works(client, alice, scene):
    client.force_login(alice)
    response = get(client)
    # Alice has work to sign for, so the board opens there.
    assert response.context["tab"]["slug"] == "to-sign"
    assert set(listed(response)) == numbers(scene["waiting"], scene["copied"])
    soup = BeautifulSoup(response.content, "html.parser")
    row = soup.select_one(f'tr[data-issue-id="{scene["waiting"].pk}"]')
    assert row["id"] == f"issue-{scene['waiting'].pk}"
    assert row.select_one(".board-title a")["href"] == scene["waiting"].get_absolute_url()
    assert row.select_one(".board-initiator").get_text(" ", strip=True).endswith("测试市纪委监委")
    assert soup.select_one('.board-tabs a[aria-current="page"]')["data-tab"] == "to-sign"


def test_a_user_without_membership_sees_a_friendly_empty_board(client, charlie):
    client.force_login(charlie)
    response = get(client)
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("#board-no-membership") is not None
    assert soup.select("tr[data-issue-id]") == []
    assert soup.select_one("#board-filters") is None


def test_counts_match_the_tabs(client, alice, scene):
    client.force_login(alice)
    counts = badge_counts(get(client))
    assert counts == tab_counts(alice, alice.memberships.get().agency)
    assert counts == {
        "to-sign": 2,
        "handling": 2,
        "to-verify": 0,
        "closed": 1,
        "initiated": 0,
        "copied": 0,
        "supervised": 0,
        "all": 5,  # every issue our agency is party to
    }
    for slug in TAB_SLUGS:
        assert len(listed(get(client, tab=slug))) == counts[slug], slug


def test_a_huge_tab_shows_its_count_capped(client, alice, scene, monkeypatch):
    capped = {**tab_counts(alice, alice.memberships.get().agency), "closed": TAB_COUNT_CAP}
    monkeypatch.setattr(board_view, "tab_counts", lambda user, agency: capped)
    client.force_login(alice)
    soup = BeautifulSoup(get(client, tab="closed").content, "html.parser")
    badge = soup.select_one("#count-closed")
    assert badge.get_text(strip=True) == f"{TAB_COUNT_CAP - 1}+"
    assert badge["data-count"] == str(TAB_COUNT_CAP)
    assert f"{TAB_COUNT_CAP - 1}+" in soup.select_one("#board-summary").get_text()


# Who sees what on each tab: the handler, the initiator, the stationed group's liaison and the
# copied body. Tabs left out are empty for that persona.
OPEN = ["waiting", "handling", "reported", "copied"]
EXPECTED = {
    "alice": {
        "to-sign": ["waiting", "copied"],
        "handling": ["handling", "reported"],
        "closed": ["closed"],
        "all": [*OPEN, "closed"],
    },
    "carol": {
        "to-verify": ["reported"],
        "closed": ["closed"],
        "initiated": [*OPEN, "closed"],
        # The commission supervises the work of every department of its city (DESIGN §5), its
        # own pushes included.
        "supervised": OPEN,
        "all": [*OPEN, "closed"],
    },
    # A supervisor's "supervised" tab holds open work; what it saw closed stays under "all".
    "gina": {"supervised": OPEN, "all": [*OPEN, "closed"]},
    "cora": {"copied": ["copied"], "all": ["copied"]},
}


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_each_tab_lists_the_right_issues(client, request, scene, persona):
    client.force_login(request.getfixturevalue(persona))
    for slug in TAB_SLUGS:
        expected = numbers(*(scene[name] for name in EXPECTED[persona].get(slug, [])))
        response = get(client, tab=slug)
        assert set(listed(response)) == expected, (persona, slug)
        assert badge_counts(response)[slug] == len(expected), (persona, slug)


def states(response) -> dict[str, str]:
    """Each listed issue's number → what its state column says."""
    soup = BeautifulSoup(response.content, "html.parser")
    shown = {}
    for row in soup.select("tr[data-issue-id]"):
        number = row.select_one(".board-number").get_text(strip=True)
        shown[number] = row.select_one(".board-state").contents[-1].strip()
    return shown


# What the state column says, per persona and tab, in Chinese: our own share where we hold one.
STATE_COLUMN = {
    ("alice", "to-sign"): {"waiting": "待签收", "copied": "待签收"},
    ("alice", "handling"): {"handling": "办理中", "reported": "已反馈"},
    ("alice", "closed"): {"closed": "已办结"},
    ("alice", "all"): {"waiting": "待签收", "copied": "待签收", "handling": "办理中", "reported": "已反馈",
                       "closed": "已办结"},
    ("carol", "to-verify"): {"reported": "反馈待审核"},
    ("carol", "initiated"): {"waiting": "已推送", "handling": "办理中", "reported": "已反馈",
                             "closed": "已办结", "copied": "已推送"},
    ("cora", "copied"): {"copied": "已推送"},
}


@pytest.mark.parametrize(("persona", "slug"), sorted(STATE_COLUMN))
def test_the_state_column_agrees_with_the_tab(client, request, scene, persona, slug):
    client.force_login(request.getfixturevalue(persona))
    shown = states(get(client, tab=slug))
    assert shown == {scene[name].number: text for name, text in STATE_COLUMN[persona, slug].items()}


def test_a_declined_issue_waits_to_be_routed_again(client, carol, alice, our_agency, city_commission, scene):
    waiting = scene["waiting"]
    workflow.decline(acting_user=alice, agency=our_agency, issue=waiting, assignment=_assignment(waiting),
                    reason="不属于本单位职责", suggested=None)
    client.force_login(carol)
    assert states(get(client, tab="to-verify"))[waiting.number] == "被退回，待重新交办"
    client.force_login(alice)
    assert states(get(client, tab="all"))[waiting.number] == "已退回"


def test_a_non_party_sees_none_of_them(client, bob, scene):
    client.force_login(bob)
    for slug in TAB_SLUGS:
        response = get(client, tab=slug)
        assert listed(response) == []
        assert set(badge_counts(response).values()) == {0}
        for issue in scene.values():
            assert issue.number not in response.text
            assert issue.title not in response.text


def test_the_default_tab_is_the_first_with_work(client, carol, gina, scene):
    client.force_login(carol)  # nothing to sign for or handle, one report to verify
    assert get(client).context["tab"]["slug"] == "to-verify"
    client.force_login(gina)  # a liaison has no work tab with anything in it: what it supervises
    assert get(client).context["tab"]["slug"] == "supervised"


def test_with_nothing_anywhere_the_board_opens_on_to_sign(client, bob, scene):
    client.force_login(bob)
    assert get(client).context["tab"]["slug"] == "to-sign"


def test_an_unknown_tab_falls_back_to_the_default(client, alice, scene):
    client.force_login(alice)
    response = get(client, tab="no-such-tab")
    assert response.context["tab"]["slug"] == "to-sign"
    assert not response.context["form"].errors


def test_the_new_issue_button_is_for_staff_and_leaders(client, alice, alan, gina, scene):
    new = reverse("issues:new")
    for user, shown in ((alice, True), (alan, True), (gina, False)):
        client.force_login(user)
        assert (f'href="{new}"' in get(client).text) is shown, user


# --- filters ----------------------------------------------------------------------------------


@pytest.fixture
def spread(carol, city_commission, our_agency, our_group, alice, audrey, audit_body, copied_body):
    """Issues for our agency with different deadlines, initiators and priorities."""
    today = timezone.localdate()
    return {
        "soon": pushed_issue(
            carol, city_commission, our_agency, title="路灯损坏", deadline=today + dt.timedelta(days=1)
        ),
        "later": pushed_issue(
            carol,
            city_commission,
            our_agency,
            title="道路积水",
            deadline=today + dt.timedelta(days=10),
            priority="urgent",
            copied=[copied_body],
        ),
        "audit": pushed_issue(
            audrey,
            audit_body,
            our_agency,
            title="审计发现的路灯采购问题",
            deadline=today + dt.timedelta(days=20),
        ),
        "open": pushed_issue(carol, city_commission, our_agency, title="无期限的办件", deadline=None),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["soon", "later", "audit", "open"]),
        ({"light": "yellow"}, ["soon"]),
        ({"light": "blue"}, ["later", "audit", "open"]),
        ({"light": "red"}, []),
        ({"q": "路灯"}, ["soon", "audit"]),
        ({"q": "路灯 审计"}, ["audit"]),
        ({"agency": "test-audit"}, ["audit"]),
        ({"agency": "test-press"}, ["later"]),
        # The commission supervises its city's departments, so it is party to every issue here.
        ({"agency": "test-jw"}, ["soon", "later", "audit", "open"]),
        ({"supervision_class": "audit"}, ["audit"]),
        # The stationed group and the commission supervise every one: party class matches all.
        ({"supervision_class": "party"}, ["soon", "later", "audit", "open"]),
        ({"supervision_class": "media"}, []),
        ({"due_from": "+5", "due_to": "+15"}, ["later"]),
        ({"due_from": "+5"}, ["later", "audit"]),
        ({"due_to": "+5"}, ["soon"]),
        ({"light": "blue", "agency": "test-audit"}, ["audit"]),
        ({"light": "yellow", "agency": "test-audit"}, []),
    ],
)
def test_it_filters(client, alice, spread, params, expected):
    client.force_login(alice)
    today = timezone.localdate()
    for key in ("due_from", "due_to"):
        if key in params:
            params = {**params, key: (today + dt.timedelta(days=int(params[key]))).isoformat()}
    response = get(client, tab="to-sign", **params)
    assert set(listed(response)) == numbers(*(spread[name] for name in expected))
    assert not response.context["form"].errors
    if params:
        assert response.context["matching"] == len(expected)


def test_the_keyword_finds_an_issue_number(client, alice, spread):
    client.force_login(alice)
    assert listed(get(client, q=spread["later"].number.lower())) == [spread["later"].number]


def test_the_light_shows_in_words_and_colour(client, alice, spread):
    with time_machine.travel(timezone.now() + dt.timedelta(days=12), tick=False):
        client.force_login(alice)  # a session lasts a working day
        soup = BeautifulSoup(get(client, light="red").content, "html.parser")
    rows = soup.select("tr[data-issue-id]")
    assert {row.select_one(".board-number").get_text(strip=True) for row in rows} == numbers(
        spread["soon"], spread["later"]
    )
    with translation.override(settings.LANGUAGE_CODE):
        overdue = gettext("Overdue")
    for row in rows:
        assert row["data-light"] == "red"
        assert row.select_one(".light-badge.light-red").get_text(strip=True) == overdue


def test_urgent_issues_carry_a_priority_badge(client, alice, spread):
    client.force_login(alice)
    soup = BeautifulSoup(get(client).content, "html.parser")
    badges = {
        row["data-issue-id"]: row.select_one(".priority-badge") for row in soup.select("tr[data-issue-id]")
    }
    assert badges[str(spread["later"].pk)] is not None
    assert "priority-urgent" in badges[str(spread["later"].pk)]["class"]
    assert badges[str(spread["soon"].pk)] is None


def test_the_agency_list_leaves_out_the_acting_agency(client, alice, spread, our_agency, other_agency):
    client.force_login(alice)
    soup = BeautifulSoup(get(client).content, "html.parser")
    options = {option["value"] for option in soup.select("#id_agency option")}
    assert {"test-audit", "test-jw", "other-bureau"} <= options
    assert "our-bureau" not in options
    assert soup.select("#id_agency optgroup")  # grouped by region


@pytest.mark.parametrize(
    ("language", "message"), [("en", "Enter a valid date."), ("zh-hans", "输入一个有效的日期。")]
)
def test_a_malformed_date_shows_a_message_not_an_error(client, alice, spread, language, message):
    client.force_login(alice)
    response = get(client, language=language, due_from="2026-13-45", q="路灯")
    assert f'<html lang="{language}">' in response.text
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("#id_due_from-error").get_text(strip=True) == message
    assert "is-invalid" in soup.select_one("#id_due_from")["class"]
    assert soup.select_one("#board-filter-errors") is not None
    # The filters that were fine still apply.
    assert set(listed(response)) == numbers(spread["soon"], spread["audit"])


def get_en(client, **params):
    return get(client, language="en", **params)


def test_a_reversed_deadline_range_is_refused(client, alice, spread):
    client.force_login(alice)
    response = get_en(client, due_from="2030-02-01", due_to="2030-01-01")
    assert response.context["form"].errors["due_to"] == ["The end of the deadline range is before its start."]
    assert len(listed(response)) == 0  # the valid start still filters: nothing is due after 2030


def test_an_unknown_agency_or_light_is_refused_politely(client, alice, spread):
    client.force_login(alice)
    response = get_en(client, agency="no-such-agency", light="purple")
    errors = response.context["form"].errors
    assert set(errors) == {"agency", "light"}
    assert "Select a valid choice" in errors["agency"][0]
    assert len(listed(response)) == 4  # both ignored


def test_an_overlong_keyword_is_refused_politely(client, alice, spread):
    client.force_login(alice)
    response = get_en(client, q="路" * 101)
    assert "q" in response.context["form"].errors
    assert len(listed(response)) == 4


# --- sorting and keyset pages -----------------------------------------------------------------


def next_link(response) -> str | None:
    match = re.search(r'id="board-next-page"', response.text) and re.search(
        r'<a [^>]*href="([^"]*)"[^>]*id="board-next-page"', response.text
    )
    return html.unescape(match.group(1)) if match else None


def first_link(response) -> str | None:
    match = re.search(r'<a [^>]*href="([^"]*)"[^>]*id="board-first-page"', response.text)
    return html.unescape(match.group(1)) if match else None


@pytest.fixture
def many(carol, city_commission, our_agency, our_group, alice):
    """More issues than one page holds, on three deadlines so the deadline sort has ties."""
    today = timezone.localdate()
    return [
        pushed_issue(
            carol,
            city_commission,
            our_agency,
            title=f"批量办件{n:02d}",
            deadline=today + dt.timedelta(days=5 + n % 3),
        )
        for n in range(PAGE_SIZE * 2 + 3)
    ]


@pytest.mark.parametrize("sort", ["updated", "created", "due"])
def test_next_pages_have_no_duplicates_or_gaps(client, alice, many, sort):
    client.force_login(alice)
    seen: list[str] = []
    response = get(client, sort=sort, tab="to-sign", q="批量")
    pages = 1
    while True:
        rows = listed(response)
        assert 0 < len(rows) <= PAGE_SIZE
        seen += rows
        link = next_link(response)
        if link is None:
            break
        # The link keeps the tab, the filters and the sort.
        assert "tab=to-sign" in link and f"sort={sort}" in link and "q=" in link
        response = client.get(URL + link)
        pages += 1
        assert first_link(response) is not None
    assert pages == 3
    assert len(seen) == len(set(seen)) == len(many)
    by_number = {issue.number: issue for issue in many}
    if sort == "due":
        keys = [(by_number[n].due_date, by_number[n].pk) for n in seen]
        assert keys == sorted(keys)
    else:
        field = "updated_at" if sort == "updated" else "created_at"
        keys = [(getattr(by_number[n], field), by_number[n].pk) for n in seen]
        assert keys == sorted(keys, reverse=True)


def test_the_first_page_link_keeps_the_filters_but_not_the_cursor(client, alice, many):
    client.force_login(alice)
    page_two = client.get(URL + next_link(get(client, q="批量", sort="due")))
    link = first_link(page_two)
    assert "cursor" not in link and "q=" in link and "sort=due" in link
    assert listed(client.get(URL + link)) == listed(get(client, q="批量", sort="due"))


def test_tab_links_keep_the_filters_but_not_the_cursor(client, alice, many):
    client.force_login(alice)
    page_two = client.get(URL + next_link(get(client, q="批量", light="blue")))
    soup = BeautifulSoup(page_two.content, "html.parser")
    href = soup.select_one('.board-tabs a[data-tab="closed"]')["href"]
    assert "cursor" not in href and "tab=closed" in href and "q=" in href and "light=blue" in href


def test_a_garbled_cursor_shows_the_first_page(client, alice, many):
    client.force_login(alice)
    assert listed(get(client, cursor="not-a-cursor!")) == listed(get(client))


def test_its_query_count_does_not_grow_with_the_rows(
    client, alice, carol, city_commission, our_agency, our_group
):
    client.force_login(alice)
    pushed_issue(carol, city_commission, our_agency)
    get(client)  # warm the session and content-type caches
    with CaptureQueriesContext(connection) as one:
        get(client)
    for _ in range(6):
        pushed_issue(carol, city_commission, our_agency, priority="critical")
    with CaptureQueriesContext(connection) as seven:
        assert len(listed(get(client))) == 7
    assert len(seven) == len(one)


# --- escaping and languages ------------------------------------------------------------------


def test_html_in_a_title_is_escaped(client, alice, carol, city_commission, our_agency, our_group):
    issue = pushed_issue(carol, city_commission, our_agency, title="<script>alert(1)</script>路灯")
    client.force_login(alice)
    response = get(client, q="路灯")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;路灯" in response.text
    assert "<script>alert(1)</script>" not in response.text
    assert listed(response) == [issue.number]


@pytest.mark.parametrize(
    ("language", "agency_name"), [("en", "Test City Commission"), ("zh-hans", "测试市纪委监委")]
)
def test_it_speaks_the_users_language(client, alice, scene, language, agency_name):
    client.force_login(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = get(client, tab="handling")
    assert f'<html lang="{language}">' in response.text
    soup = BeautifulSoup(response.content, "html.parser")
    row = soup.select_one(f'tr[data-issue-id="{scene["handling"].pk}"]')
    with translation.override(language):
        state = str(AssignmentState.SIGNED.label)  # our share, as the tab it is under says
        tab_label = gettext("Handling")
    assert row.select_one(".board-state").get_text(" ", strip=True).endswith(state)
    assert row.select_one(".board-initiator").get_text(" ", strip=True).endswith(agency_name)
    assert tab_label in soup.select_one('.board-tabs a[data-tab="handling"]').get_text()


def test_the_acting_agency_decides_the_board(client, carol, city_commission, our_agency, our_group, alice):
    """A user in two agencies sees the board of the one chosen in the header."""
    pushed_issue(carol, city_commission, our_agency)
    agency_actions.add_member(alice, city_commission, role=Role.STAFF)
    client.force_login(alice)
    session = client.session
    session[SESSION_KEY] = city_commission.pk
    session.save()
    assert badge_counts(get(client))["initiated"] == 1
    session[SESSION_KEY] = our_agency.pk
    session.save()
    counts = badge_counts(get(client))
    assert counts["initiated"] == 0 and counts["to-sign"] == 1
