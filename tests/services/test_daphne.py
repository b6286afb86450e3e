"""A real daphne process serves the portal: HTTP pages and the WebSocket endpoint.

daphne runs as a subprocess against this run's test database (tests/live_servers.py), with the
same settings module and secret, so a session made here signs in there. Tests commit their data
(``transaction=True``) so the other process sees it.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import re

import pytest
from django.test import Client
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from tests.live_servers import (
    Daphne,
    database_url_fixture,  # noqa: F401 - a fixture
    running_daphne,
)

pytestmark = pytest.mark.django_db(transaction=True)

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def daphne(database_url, tmp_path_factory):
    with running_daphne(tmp_path_factory.mktemp("daphne"), database_url=database_url) as server:
        yield server


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


async def handshake(daphne: Daphne, *, origin: str, cookie: str | None = None) -> dict:
    """Open the socket and return its first message; raises InvalidStatus when refused."""
    headers = {"Cookie": cookie} if cookie else {}
    async with connect(daphne.ws, origin=origin, additional_headers=headers, open_timeout=10) as ws:
        first = json.loads(await asyncio.wait_for(ws.recv(), timeout=10))
        await ws.send(json.dumps({"type": "ping"}))
        assert json.loads(await asyncio.wait_for(ws.recv(), timeout=10)) == {"type": "pong"}
        return first


def refused_status(daphne: Daphne, **kwargs) -> int:
    with pytest.raises(InvalidStatus) as excinfo:
        asyncio.run(handshake(daphne, **kwargs))
    return excinfo.value.response.status_code


def test_it_serves_the_sign_in_page_in_chinese(daphne):
    conn = http.client.HTTPConnection("127.0.0.1", daphne.port, timeout=30)
    try:
        conn.request("GET", "/accounts/login/")
        response = conn.getresponse()
        body = response.read().decode("utf-8")
    finally:
        conn.close()
    assert response.status == 200, (response.status, daphne.output())
    assert response.headers.get_content_charset() == "utf-8"
    assert CJK.search(body), body[:500]


def test_it_accepts_a_signed_in_socket_from_our_origin(daphne, alice):
    cookie = session_cookie(alice)
    first = asyncio.run(handshake(daphne, origin=daphne.http, cookie=cookie))
    assert first == {"type": "hello", "user": "alice", "unread": 0}, daphne.output()


def test_it_refuses_a_socket_without_a_session(daphne, db):
    assert refused_status(daphne, origin=daphne.http) == 403


def test_it_refuses_a_socket_from_a_foreign_origin(daphne, alice):
    assert refused_status(daphne, origin="http://evil.example", cookie=session_cookie(alice)) == 403


def test_the_longest_search_a_page_can_send_is_answered(daphne, city):
    """A search is a GET: its query, purpose and filters travel in the address, and the browser
    repeats that address in Referer on the next search. In ideographs (nine bytes each in an
    address) that is more than twisted's default 16 KiB of request head; daphne must still read
    it and the portal answer it, here with the length limit explained."""
    import datetime as dt
    from urllib.parse import urlencode

    from django.urls import reverse

    from agencies.models import Role
    from search.index.query import MAX_QUERY_LENGTH
    from search.ingest.registry import BY_CODE
    from search.investigate.permissions import seed_default_grants
    from search.models import SourceSystem
    from tests.factories import commission, member

    SourceSystem.objects.create(code="hotline", name="12345热线", owner_code="hotline-office")
    seed_default_grants()
    leader = member(commission(city), role=Role.LEADER)  # reads every system

    params = [("q", "张" * (MAX_QUERY_LENGTH + 1)), ("purpose", "核" * 500),
              ("date_from", dt.date(2020, 1, 1).isoformat()), ("date_to", dt.date(2026, 12, 31).isoformat()),
              ("amount_min", "0.01"), ("amount_max", "99999999999999.99"), ("sort", "date")]
    params += [("system", code) for code in BY_CODE]
    params += [("year", str(year)) for year in range(2000, 2027)]
    address = reverse("search:search") + "?" + urlencode(params)
    assert 2 * len(address) > 16 * 1024  # longer than twisted's default, or this test shows nothing
    conn = http.client.HTTPConnection("127.0.0.1", daphne.port, timeout=60)
    try:
        headers = {"Cookie": session_cookie(leader), "Referer": daphne.http + address}
        conn.request("GET", address, headers=headers)
        response = conn.getresponse()
        body = response.read().decode("utf-8")
    finally:
        conn.close()
    assert response.status == 200, (response.status, daphne.output())
    assert f"查询内容过长：最多 {MAX_QUERY_LENGTH} 个字符。" in body
