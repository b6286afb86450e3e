"""Live updates in real browsers, as in production: two daphne processes sharing Redis (DESIGN §6);
on the embedded defaults, one daphne on its in-memory layer, as `make run` serves the demo.

Each agency's user has a browser of their own on a server of their own: what one does shows on
the other's open page within two seconds, without a reload; a user of an unrelated agency hears
nothing of it. A page whose server goes away says so quietly and catches up once it is back.

The daphnes serve the static files collected into STATIC_ROOT (WhiteNoise, as in production):
``make test`` collects them first, and each page checks it runs the live.js of this tree.
"""

from __future__ import annotations

import json
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from playwright.sync_api import expect

from issues.models import Issue, IssueState
from notifications.live import events
from tests.e2e.test_issue_flow import open_form
from tests.e2e.threads import in_own_thread
from tests.factories import pushed_issue
from tests.live_servers import (  # noqa: F401 - fixtures
    LiveCast,
    database_url_fixture,
    running_daphne,
    two_daphnes_fixture,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUICK = 2_000  # ms: how soon a change shows on another agency's open page
# ms: the longest a page can wait before its next attempt to reconnect (live.js backs off up to
# 30 s, with up to a quarter more of jitter), so the longest it can take to see a server back.
RECONNECT_WITHIN = 38_000
LIVE_JS = settings.BASE_DIR / "frontend" / "static" / "portal" / "live.js"


@pytest.fixture
def cast(transactional_db):
    return in_own_thread(LiveCast)


class Browser:
    """One user's browser (a context of its own) signed in to one daphne."""

    def __init__(self, browser, daphne, user):
        self.base = daphne.http
        self.context = browser.new_context(base_url=daphne.http, locale="zh-CN")
        client = Client()
        client.force_login(user)
        self.context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": daphne.http}]
        )
        self.frames: list[dict] = []  # what its pages' sockets received

    def open(self, path: str):
        """Open ``path`` and wait until its socket is live. The page is marked, so that a reload
        (which loses the mark) cannot pass for a live update."""
        page = self.context.new_page()
        page.set_default_timeout(15_000)
        page.on("websocket", lambda socket: socket.on("framereceived", self._received))
        page.goto(path)
        expect(page.locator("body")).to_have_attribute("data-live", "live")
        script = page.locator("script[src*='portal/live']").get_attribute("src")
        served = page.request.get(script).text()
        assert served == LIVE_JS.read_text(encoding="utf-8"), (
            f"{script} is not this tree's live.js: run `manage.py collectstatic`"
        )
        page.evaluate("window.__marker = 1")
        return page

    def _received(self, payload):
        self.frames.append(json.loads(payload))

    def close(self):
        self.context.close()


def not_reloaded(page) -> bool:
    return page.evaluate("window.__marker") == 1


def refreshed(page) -> str | None:
    return page.locator("body").get_attribute("data-live-refreshed")


# Notes when the page's live state changes and when the "reconnecting" badge shows or hides.
WATCH_STATUS = """() => {
  window.__statusLog = [];
  const status = document.getElementById("live-status");
  new MutationObserver(() => {
    const entry = {at: performance.now(), state: document.body.dataset.live, shown: !status.hidden};
    window.__statusLog.push(entry);
  }).observe(document.body, {attributes: true, subtree: true, attributeFilter: ["data-live", "hidden"]});
}"""


def row(page, title: str):
    return page.locator("#board-rows tr[data-issue-id]", has_text=title)


def label(text) -> str:
    """The words the Chinese page shows for ``text``."""
    with translation.override("zh-hans"):
        return translation.gettext(str(text))


def posted(page, path: str):
    """Wait for the answer to the page's POST to ``path``: the action has committed then."""
    return page.expect_response(
        lambda response: response.request.method == "POST" and response.url.endswith(path)
    )


def push_from_form(compose, title: str, description: str, lead) -> None:
    """Push an issue from the new-issue form; returns once the action has committed."""
    compose.fill("#id_title", title)
    compose.fill("#id_description", description)
    compose.select_option("#id_category", "construction")
    compose.select_option("#id_lead", label=lead.display_name)
    with posted(compose, "/issues/new/") as answer:
        compose.locator("#new-issue-form button[type=submit]").click()
    assert answer.value.status == 302


@pytest.fixture
def browsers(browser, cast, two_daphnes):
    daphne_a, daphne_b = two_daphnes
    opened = {
        "a": Browser(browser, daphne_a, cast.pusher),
        "b": Browser(browser, daphne_b, cast.handler),
        "c": Browser(browser, daphne_a, cast.outsider),
    }
    yield opened
    for each in opened.values():
        each.close()


def test_two_agencies_see_each_others_actions_live_and_a_third_sees_nothing(cast, browsers):
    title = "小区路灯损坏，夜间无照明"
    board_b = browsers["b"].open("/issues/")
    board_c = browsers["c"].open("/issues/")
    board_a = browsers["a"].open("/issues/?tab=initiated")
    compose_a = browsers["a"].open("/issues/new/")
    expect(board_b.locator("#board-empty")).to_be_visible()

    # A pushes an issue to B's bureau from the new-issue form, on daphne A.
    push_from_form(compose_a, title, "园区主入口夜间无照明，已发生两起剐蹭事故。", cast.bureau)

    # B's board, served by daphne B, shows the card, and its tab counts it.
    expect(row(board_b, title)).to_be_visible(timeout=QUICK)
    expect(board_b.locator("#count-to-sign")).to_have_text("1")
    assert not_reloaded(board_b)
    issue = Issue.objects.get(title=title)
    expect(row(board_a, title)).to_be_visible(timeout=QUICK)  # A's own board too

    # A is now on the issue's page.
    issue_a = compose_a
    expect(issue_a).to_have_url(re.compile(rf"/issues/{issue.pk}/$"))
    expect(issue_a.locator("body")).to_have_attribute("data-live", "live")
    issue_a.evaluate("window.__marker = 1")
    expect(issue_a.locator("#issue-state")).to_have_text(label(IssueState.PUSHED.label))

    # B opens it and signs for it, on daphne B.
    row(board_b, title).locator("a.board-title-link").click()
    issue_b = board_b
    expect(issue_b).to_have_url(re.compile(rf"/issues/{issue.pk}/$"))
    assignment = issue.assignments.get().pk
    open_form(issue_b, "sign", assignment)
    with posted(issue_b, f"/issues/{issue.pk}/act/sign/") as answer:
        issue_b.locator(f"#form-sign-{assignment} button[type=submit]").click()
    assert answer.value.status == 302

    # A's open issue page and board show it, without reloading.
    in_progress = label(IssueState.IN_PROGRESS.label)
    expect(issue_a.locator("#issue-state")).to_have_text(in_progress, timeout=QUICK)
    expect(issue_a.locator(f"#assignment-{assignment}")).to_have_class(re.compile(r"\bassignment-signed\b"))
    timeline = issue_a.locator("#timeline li.issue-event")
    expect(timeline).to_have_count(2)
    assert timeline.evaluate_all("rows => rows.map(row => row.dataset.action)") == ["push", "sign"]
    expect(row(board_a, title).locator(".board-state")).to_have_text(re.compile(re.escape(in_progress)))
    assert not_reloaded(issue_a) and not_reloaded(board_a)

    # C, of an unrelated bureau, heard nothing of it: no refresh, no card, no message. To know
    # that nothing is still on its way, C is then sent something of its own, through the same
    # server: it arrives after anything sent before it, and alone.
    assert refreshed(board_c) is None
    expect(board_c.locator("#board-empty")).to_be_visible()
    own_title = "财政专项资金拨付滞后"
    compose_a = browsers["a"].open("/issues/new/")
    push_from_form(compose_a, own_title, "专项资金拨付滞后三个月。", cast.other_bureau)
    own = Issue.objects.get(title=own_title)
    expect(row(board_c, own.title)).to_be_visible(timeout=QUICK)
    expect(board_c.locator("#board-rows tr[data-issue-id]")).to_have_count(1)
    assert refreshed(board_c) == "1"
    assert not_reloaded(board_c)
    heard = [frame for frame in browsers["c"].frames if frame.get("type") == "issue.changed"]
    assert heard == [
        {
            "type": "issue.changed",
            "stream": events.agency_stream(cast.other_bureau.pk),
            "seq": 1,
            "issue": own.pk,
            "action": "push",
        }
    ]
    assert not [frame for frame in browsers["c"].frames if frame.get("issue") == issue.pk]


def test_a_page_that_lost_its_server_says_so_quietly_and_catches_up_without_reloading(
    browser, cast, database_url, tmp_path
):
    title = "河道垃圾长期无人清理"
    layer = {"REDIS_URL": settings.REDIS_URL} if settings.REDIS_URL else {}
    with running_daphne(tmp_path, database_url=database_url, env=layer) as daphne:
        handler = Browser(browser, daphne, cast.handler)
        try:
            board = handler.open("/issues/")
            status = board.locator("#live-status")
            expect(status).to_be_hidden()
            board.evaluate(WATCH_STATUS)

            daphne.stop()
            expect(board.locator("body")).to_have_attribute("data-live", "reconnecting")
            expect(status).to_be_visible()
            expect(status).to_have_text(label("Reconnecting…"))
            # Quietly: the badge waits a moment, so a blip shows nothing.
            log = board.evaluate("window.__statusLog")
            lost = next(entry["at"] for entry in log if entry["state"] == "reconnecting")
            shown = next(entry["at"] for entry in log if entry["shown"])
            assert shown - lost >= 1_000, log

            # Meanwhile the commission pushes an issue to the bureau: its message finds nobody.
            in_own_thread(lambda: pushed_issue(cast.pusher, cast.commission, cast.bureau, title=title))

            daphne.start()
            # The page tries again on its own schedule: by then it may be waiting out a pause of
            # several seconds, if the server was away long enough.
            expect(row(board, title)).to_be_visible(timeout=RECONNECT_WITHIN)
            expect(board.locator("body")).to_have_attribute("data-live", "live")
            expect(status).to_be_hidden()
            assert not_reloaded(board)
        finally:
            handler.close()


def test_a_page_showing_a_refused_action_updates_without_sending_the_action_again(cast, browsers):
    issue = in_own_thread(lambda: pushed_issue(cast.pusher, cast.commission, cast.bureau, title="井盖缺失"))
    assignment = issue.assignments.get().pk
    handler_page = browsers["b"].open(issue.get_absolute_url())

    # The handler declines without a reason: refused, the page comes back at the POST's address
    # with the form open and its errors shown.
    open_form(handler_page, "decline", assignment)
    with posted(handler_page, f"/issues/{issue.pk}/act/decline/") as answer:
        handler_page.locator(f"#form-decline-{assignment} button[type=submit]").click()
    assert answer.value.status == 400
    expect(handler_page.locator("body")).to_have_attribute("data-live", "live")
    requests = []
    handler_page.on("request", lambda request: requests.append((request.method, request.url)))

    # Meanwhile the commission comments: the handler's page shows it, fetched by GET from the
    # issue's own address; the refused form stays open as it was, and nothing is posted again.
    commission_page = browsers["a"].open(issue.get_absolute_url())
    commission_page.fill("#comments textarea", "请今天内处理。")
    with posted(commission_page, f"/issues/{issue.pk}/act/comment/"):
        commission_page.locator("#comments button[type=submit]").click()
    expect(handler_page.locator("#timeline li.issue-event")).to_have_count(2, timeout=QUICK)
    expect(handler_page.locator(f"#form-decline-{assignment}")).to_be_visible()
    expect(handler_page.locator(f"#form-decline-{assignment}").locator(".invalid-feedback").first).to_be_visible()
    assert [url for method, url in requests if method == "POST"] == []
    assert (  # the refresh was a GET of the issue's page
        "GET", f"{browsers['b'].base}{issue.get_absolute_url()}"
    ) in requests
