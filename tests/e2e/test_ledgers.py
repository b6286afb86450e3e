"""Ledgers, dashboard, scores and the inbox in a real browser, on the demo city's board.

The commission follows a ledger number to the issues behind it, exports the ledger and reads the
file, sees the charts drawn by the portal's own Chart.js and the ranking with its formula; a
department sees only its own score and its reminders; on a phone the ledger does not scroll
sideways.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agencies import actions as agency_actions
from demo import board as demo_board
from demo import city as demo_city
from issues.deadlines import reminders
from issues.views.ledgers import DRILL_PAGE_SIZE
from notifications import inbox
from tests.e2e.threads import in_own_thread
from tests.factories import seed_ladder
from tests.spreadsheets import read_xlsx

pytestmark = pytest.mark.browser

COMMISSION_USER = "jw_staff"  # 江州市纪委监委
DEPARTMENT_USER = "zjj_staff"  # 市住建局
DEPARTMENT_NAME = "住房和城乡建设局"
PHONE_WIDTH = 390


def seed_city():
    """The demo city and its board, then one reminder sweep at a moment inside working hours.

    The reminder ladder is seeded by a migration, and a transactional test empties every table
    after it: it is seeded again here, the migration's own way.
    """
    seed_ladder()
    agency_actions.seed_calendar()
    demo_city.seed()
    demo_board.seed()
    moment = timezone.now()
    while inbox.delivery_time(moment) != moment:  # the inbox shows what has been delivered
        moment -= dt.timedelta(hours=1)
    return reminders.sweep(now=moment)


@pytest.fixture
def city(transactional_db):
    swept = in_own_thread(seed_city)
    assert swept.notifications, "the demo board has deadlines near enough for the ladder"
    return swept


def sign_in(page, username: str, path: str) -> None:
    page.goto(path)
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.fill("#id_username", username)
    page.fill("#id_password", demo_city.DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))


def number(text: str) -> int:
    return int(text.strip())


def test_it_works(page, live_server, city, tmp_path):
    """The commission: a number, its issues, its export, the charts and the ranking."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    sign_in(page, COMMISSION_USER, "/issues/ledger/")

    # The issues ledger by handling agency, in Chinese; the first agency's total leads to its list.
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    first = page.locator("#ledger-table tbody tr").first
    label = first.locator("th").inner_text().strip()
    total_link = first.locator("td").first.locator("a")
    total = number(total_link.inner_text())
    assert total > 0
    assert number(page.locator("#ledger-table tfoot td").first.inner_text()) >= total

    # The xlsx export says the same as the page.
    with page.expect_download() as download_info:
        page.locator("#ledger-xlsx").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    exported = read_xlsx(path.read_bytes())
    assert {row[0]: row[1] for row in exported.rows}[label] == total
    assert exported.title == "办件台账 · 承办单位"
    assert exported.about["导出人"] == "林晓雯（江州市纪委监委）"

    # Drill down: exactly that many issues, and every one of them opens.
    total_link.click()
    expect(page).to_have_url(re.compile(r"/issues/ledger/issues/\?.*metric=total"))
    rows = page.locator("#ledger-issues tbody tr")
    expect(rows).to_have_count(min(total, DRILL_PAGE_SIZE))
    expect(page.locator("#drill-what")).to_contain_text(f"办件台账 · 承办单位：{label} · 办件")
    expect(page.locator("#drill-counts")).to_contain_text(f"台账计数：{total} 件次")
    expect(page.locator("#drill-why")).to_contain_text("在每个承办单位下各计一次")
    with page.expect_download() as download_info:
        page.locator("#drill-xlsx").click()
    drilled = tmp_path / "drill.xlsx"
    download_info.value.save_as(drilled)
    listed = read_xlsx(drilled.read_bytes())
    assert listed.title == f"台账明细：办件台账 · 承办单位 · {label} · 办件"
    assert all(label in row[-1] for row in listed.rows)  # every issue names the agency as a handler
    rows.first.locator("a").click()
    expect(page).to_have_url(re.compile(r"/issues/\d+/$"))
    page.go_back()

    # The dashboard: three charts drawn by Chart.js, each with data.
    page.goto("/issues/ledger/dashboard/")
    for chart in ("chart-months", "chart-classes", "chart-overdue"):
        canvas = page.locator(f"#{chart}")
        expect(canvas).to_be_visible()
        drawn = page.wait_for_function(
            """id => {
                const chart = window.Chart && Chart.getChart(id);
                return chart && chart.data.datasets.some(set => set.data.some(value => value > 0))
                    && chart.width > 0 && chart.height > 0;
            }""",
            arg=chart,
        )
        assert drawn.json_value()
    assert page.evaluate("Chart.version")

    # The scores: the departments with something to score ranked, best first, with the formula
    # beside it; those with nothing to score after them, unranked, saying so (0/0 is not 100%).
    page.locator("nav.nav-pills").get_by_role("link", name="时效评分").click()
    expect(page).to_have_url(re.compile(r"/issues/scores/$"))
    expect(page.locator("#score-formula")).to_contain_text("40")
    expect(page.locator("#score-formula")).to_contain_text("60")
    rows = page.locator("#score-table tbody tr.score-row")
    ranked = [row.get_attribute("data-rank") != "" for row in rows.all()]
    assert sum(ranked) > 1
    assert ranked == sorted(ranked, reverse=True)  # the unranked come last
    ranking = page.locator('#score-table tbody tr.score-row:not([data-rank=""])')
    ranks = [number(text) for text in ranking.locator("td:first-child").all_inner_texts()]
    assert ranks[0] == 1 and ranks == sorted(ranks)
    scores = [float(text) for text in ranking.locator("td:last-child").all_inner_texts()]
    assert scores == sorted(scores, reverse=True)
    for text in page.locator('#score-table tbody tr.score-row[data-rank=""] td:last-child').all_inner_texts():
        assert text in ("无办件", "暂无可计分办件")

    # Nothing came from anywhere but the portal: no CDN, no fonts, no analytics.
    served = urlsplit(live_server.url).netloc
    outside = [url for url in requested if urlsplit(url).scheme in ("http", "https", "ws", "wss")
               and urlsplit(url).netloc != served]
    assert not outside, outside


def test_a_department_sees_its_own_score_and_its_reminders(page, city):
    sign_in(page, DEPARTMENT_USER, "/issues/scores/")
    rows = page.locator("#score-table tbody tr")
    expect(rows).to_have_count(1)
    own = page.locator("main h1 + div").inner_text().strip()  # the acting agency, under the title
    assert DEPARTMENT_NAME in own
    expect(rows.first.locator("th")).to_have_text(own)
    expect(page.locator("#score-formula")).to_be_visible()
    # No ranking, and the address cannot ask for another department's.
    expect(page.locator("#score-table thead th", has_text="#")).to_have_count(0)

    page.goto("/notifications/")
    expect(page.locator("h1")).to_have_text("通知")
    notes = page.locator("#notifications li")
    expect(notes.first).to_be_visible()
    expect(notes.first).to_contain_text("办件")


def test_the_ledger_fits_a_phone(browser, live_server, city):
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        viewport={"width": PHONE_WIDTH, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)

    def fits() -> None:
        # Not window.innerWidth: a phone browser zooms out to show a page wider than its screen.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE_WIDTH + 1, (page.url, width)

    try:
        sign_in(page, COMMISSION_USER, "/issues/ledger/")
        for path in ("/issues/ledger/", "/issues/ledger/dashboard/", "/issues/scores/", "/notifications/"):
            page.goto(path)
            expect(page.locator("h1")).to_be_visible()
            fits()
        page.goto("/issues/ledger/")
        # The table scrolls sideways in its own box; the agency's name stays at the left.
        box = page.locator("#ledger-table").locator("xpath=..")
        assert box.evaluate("el => el.scrollWidth > el.clientWidth")
        name = page.locator("#ledger-table tbody th").first
        assert name.evaluate("el => getComputedStyle(el).position") == "sticky"
        assert name.bounding_box()["height"] < 80  # a name on a line or two, not a character a line
        page.locator("#ledger-table tbody tr").first.locator("td a").first.tap()
        expect(page).to_have_url(re.compile(r"/issues/ledger/issues/"))
        fits()
        card = page.locator("#ledger-issues tbody tr").first.bounding_box()
        assert card["x"] >= 0 and card["x"] + card["width"] <= PHONE_WIDTH
    finally:
        context.close()
