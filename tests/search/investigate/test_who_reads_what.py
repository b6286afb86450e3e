"""The README's table "Who reads what", the default grants and the pages say the same thing.

The table is read from the README itself: its rows must be the default grants
(``permissions.DEFAULT_GRANTS``) plus the owner's row, and then every demo login, signed in over
HTTP for each agency it acts for, must find on the search page and on each record's page exactly
the systems the table gives it, masked or in full as the table says.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.acting import SESSION_KEY
from agencies.models import Membership, User
from demo import city as city_demo
from demo import records as demo_records
from search import index
from search.investigate import permissions
from search.models import Record, SourceSystem

README = Path(__file__).resolve().parents[3] / "README.md"
COLUMNS = {"public": "public", "internal": "internal", "sensitive": "sensitive", "restricted": "secret"}
ANY = {"any class", "any role"}
ID_NUMBER = "33010619880512271X"
PHONE = "13976543210"
HIDDEN = ("19880512", "7654")  # what masking hides of them
WORD = "治理核对样本"
PURPOSE = "核对查询权限"


@dataclass(frozen=True)
class Row:
    supervision_class: str | None  # None: any
    kind: str | None
    role: str | None
    owner: bool  # the row of the system's owner agency
    shown: dict[str, str | None]  # sensitivity → "full", "masked" or None


def _criterion(text: str) -> str | None:
    text = text.strip()
    if text in ANY:
        return None
    match = re.fullmatch(r"`([a-z_]+)`", text)
    assert match, f"cannot read {text!r} in the README's table"
    return match.group(1)


def readme_table() -> list[Row]:
    section = README.read_text(encoding="utf-8").split("### Who reads what", 1)[1].split("\n#", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("| ")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    columns = [COLUMNS[name] for name in header[1:]]
    rows = []
    for line in lines[1:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if set(cells) <= {"---"}:
            continue
        values = [None if value == "—" else value for value in cells[1:]]
        shown = dict(zip(columns, values, strict=True))
        assert set(shown.values()) <= {"full", "masked", None}, line
        who = re.search(r"\(([^)]*)\)\s*$", cells[0]).group(1)
        if "owns" in cells[0]:
            assert who == "any role"
            rows.append(Row(None, None, None, owner=True, shown=shown))
            continue
        supervision_class, kind, role = (_criterion(part) for part in who.split("·"))
        rows.append(Row(supervision_class, kind, role, owner=False, shown=shown))
    return rows


def test_the_readme_table_is_the_default_grants():
    rows = readme_table()
    from_readme = set()
    for row in rows:
        if row.owner:
            continue
        values = {value for value in row.shown.values() if value}
        assert len(values) == 1, "a grant shows identifiers in all its systems or in none"
        opened = frozenset(sensitivity for sensitivity, value in row.shown.items() if value)
        who = (row.supervision_class or "", row.kind or "", row.role or "")
        from_readme.add((opened, *who, values == {"full"}))
    from_code = {
        (frozenset(sensitivities), str(supervision_class), str(kind), str(role), identifiers)
        for sensitivities, supervision_class, kind, role, identifiers in permissions.DEFAULT_GRANTS
    }
    assert from_readme == from_code
    owner_rows = [row for row in rows if row.owner]
    assert len(owner_rows) == 1
    # What readable() does for an owner: every system but a restricted one, masked.
    masked = {"public": "masked", "internal": "masked", "sensitive": "masked", "secret": None}
    assert owner_rows[0].shown == masked


def expected(rows: list[Row], membership: Membership, system: SourceSystem) -> str | None:
    """What the table gives the member for the system: "full", "masked" or None."""
    agency = membership.agency
    found = set()
    for row in rows:
        if row.owner:
            matches = system.owner_id == agency.pk
        else:
            matches = (
                row.supervision_class in (None, agency.supervision_class)
                and row.kind in (None, agency.kind)
                and row.role in (None, membership.role)
            )
        if matches and row.shown[system.sensitivity]:
            found.add(row.shown[system.sensitivity])
    return "full" if "full" in found else "masked" if found else None


@pytest.fixture
def demo_city(db, own_search_index):
    """The demo city's agencies, people, linked systems and default grants, and one record in
    each system with an ID and a phone number in its text, its fields and its row."""
    city_demo.seed()
    demo_records.seed_records(0)
    records = {}
    for number, system in enumerate(SourceSystem.objects.order_by("code")):
        records[system.code] = Record.objects.create(
            system=system, external_id=f"WHO-{number}", title=f"{WORD}{number}",
            body=f"联系电话{PHONE}，身份证号{ID_NUMBER}。",
            occurred_at=timezone.make_aware(dt.datetime(2024, 5, 6, 9, 0)),
            id_numbers=[ID_NUMBER], phones=[PHONE], raw={"证件": ID_NUMBER},
        )
    index.index(Record.objects.select_related("system", "region"))
    index.refresh()
    return records


def _shown_as(html: str) -> str:
    hidden_shown = [part in html for part in HIDDEN]
    assert all(hidden_shown) or not any(hidden_shown)
    if all(hidden_shown):
        return "full"
    assert "139****3210" in html and "330106********271X" in html
    return "masked"


def _hits(html: str) -> dict[int, str]:
    """Each hit of the search page (its record's id) and its HTML."""
    start = html.index('id="search-hits"')
    hits = html[start:html.index("</ol>", start)].split('class="list-group-item search-hit')[1:]
    return {int(re.search(r'data-record-id="(\d+)"', hit).group(1)): hit for hit in hits}


def test_every_demo_login_reads_what_the_table_says(client, demo_city):
    rows = readme_table()
    systems = {record.system.code: record.system for record in demo_city.values()}
    checked = 0
    for login in city_demo.DEMO_LOGINS:
        user = User.objects.get(username=login.username)
        client.force_login(user)
        if not login.agency:  # the superuser acts for no agency: no linked system is open to them
            assert client.get(reverse("search:search"), {"q": WORD}).status_code == 404
            continue
        membership = Membership.objects.select_related("agency").get(user=user, agency__code=login.agency)
        session = client.session
        session[SESSION_KEY] = membership.agency_id
        session.save()
        want = {code: expected(rows, membership, system) for code, system in systems.items()}
        readable = {code for code, shown in want.items() if shown}

        search = client.get(reverse("search:search"), {"q": WORD, "purpose": PURPOSE, "size": 100})
        if not readable:
            assert search.status_code == 404, login
        else:
            assert search.status_code == 200, login
            hits = _hits(search.content.decode())
            assert {demo_city[code].pk for code in readable} == set(hits), login
            for code in readable:
                assert _shown_as(hits[demo_city[code].pk]) == want[code], (login, code)

        for code, record in demo_city.items():
            page = client.get(reverse("search:record", args=[record.pk]), {"purpose": PURPOSE})
            if want[code] is None:
                assert page.status_code == 404, (login, code)
            else:
                assert page.status_code == 200, (login, code)
                html = page.content.decode()
                body = html[html.index('id="record"'):html.index("</article>")]
                assert _shown_as(body) == want[code], (login, code)
        checked += 1
    assert checked == len(city_demo.DEMO_LOGINS) - 1
