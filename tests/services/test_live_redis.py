"""The live layer in its production form: daphne processes sharing channels-redis (DESIGN §6).

An action handled by one daphne reaches a socket held by another. A change made while Redis is
down is not lost: its numbered message waits in the database, and the page gets it, once and in
order, when it reconnects or at its next resync. The Redis stopped and started again here is a
private redis-server, so the one other tests share is never touched.
"""

from __future__ import annotations

import http.client
import json
import re
import time
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest
from django.test import Client
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus
from websockets.sync.client import connect

from issues import workflow
from notifications.live import events, outbox
from notifications.models import LiveEvent, LiveOutbox
from tests.factories import pushed_issue
from tests.live_servers import (  # noqa: F401 - fixtures
    Daphne,
    LiveCast,
    database_url_fixture,
    private_redis,
    running_daphne,
    two_daphnes_fixture,
)

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

WAIT = 10  # seconds: the most a message may take here; nothing waits this long when it works
# After a Redis restart a server's first handshakes may fail on its pooled connections to the old
# Redis, or hang until daphne drops them (5 s): the page keeps trying, as live.js does.
RECONNECT_WAIT = 30


class Cast(LiveCast):
    """The commission has pushed an issue to the bureau; its page follows the commission's
    stream and the issue's."""

    def __init__(self):
        super().__init__()
        self.issue = pushed_issue(self.pusher, self.commission, self.bureau, title="小区路灯损坏")
        self.commission_stream = events.agency_stream(self.commission.pk)
        self.issue_stream = events.issue_stream(self.issue.pk)

    def page_positions(self) -> dict[str, int]:
        """The numbers the commission's issue page is rendered with now."""
        return {name: outbox.position(name) for name in (self.commission_stream, self.issue_stream)}

    def expected(self, before: dict[str, int], *actions_after: str, first: int = 1) -> dict[str, list]:
        """The messages of both streams that tell of ``actions_after``, numbered from ``first``
        after the positions in ``before``."""
        return {
            stream: [
                (before[stream] + first + n, self.issue.pk, action) for n, action in enumerate(actions_after)
            ]
            for stream in (self.commission_stream, self.issue_stream)
        }


@pytest.fixture
def cast(transactional_db):
    return Cast()


# --- HTTP as a signed-in browser speaks it ---------------------------------------------------------


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


class FormParser(HTMLParser):
    """The page's forms: action → {name: value} of their inputs."""

    def __init__(self):
        super().__init__()
        self.forms: dict[str, dict[str, str]] = {}
        self.current: dict[str, str] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.current = self.forms.setdefault(attributes.get("action") or "", {})
        elif tag == "input" and self.current is not None and attributes.get("name"):
            self.current[attributes["name"]] = attributes.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None


def request(daphne: Daphne, method: str, path: str, *, cookie: str, form: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", daphne.port, timeout=30)
    headers = {"Cookie": cookie}
    if form is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=urlencode(form) if form is not None else None, headers=headers)
        response = conn.getresponse()
        return response, response.read().decode("utf-8")
    finally:
        conn.close()


def submit_action(daphne: Daphne, user, issue, action: str, **fields: str) -> str:
    """Open the issue's page on ``daphne`` as ``user`` and submit the form of ``action`` as the
    page shows it (CSRF token, assignment, agency) with ``fields`` filled in; returns the path
    the answer redirects to."""
    cookie = session_cookie(user)
    response, page = request(daphne, "GET", issue.get_absolute_url(), cookie=cookie)
    assert response.status == 200, (response.status, daphne.output())
    csrf = next(
        value.split(";")[0]
        for name, value in response.getheaders()
        if name.lower() == "set-cookie" and value.startswith("csrftoken=")
    )
    parser = FormParser()
    parser.feed(page)
    path = f"{issue.get_absolute_url()}act/{action}/"
    assert path in parser.forms, sorted(parser.forms)
    response, _page = request(
        daphne, "POST", path, cookie=f"{cookie}; {csrf}", form={**parser.forms[path], **fields}
    )
    assert response.status == 302, (response.status, daphne.output())
    return urlsplit(response.getheader("Location")).path


# --- a page's socket, as live.js keeps it ------------------------------------------------------------


class LivePage:
    """One page's WebSocket: the streams it follows and the last number it saw of each. Like
    live.js it reconnects asking for everything after those numbers, and drops nothing: any
    message out of order fails the test."""

    def __init__(self, daphne: Daphne, user, streams: dict[str, int | None]):
        self.daphne = daphne
        self.cookie = session_cookie(user)
        self.positions = dict(streams)
        self.socket = None
        self.received: list[dict] = []  # every numbered message, as it arrived

    def connect(self) -> list[dict]:
        """Open the socket and subscribe; returns the numbered messages sent before every stream
        was confirmed: what the page had missed."""
        self.socket = connect(
            self.daphne.ws,
            origin=self.daphne.http,
            additional_headers={"Cookie": self.cookie},
            open_timeout=WAIT,
            proxy=None,
            legacy=True,
        )
        hello = self.receive()
        assert hello["type"] == "hello", hello
        self.socket.send(json.dumps({"type": "subscribe", "streams": self.positions}))
        missed, waiting = [], set(self.positions)
        while waiting:
            message = self.receive()
            if message["type"] == "subscribed":
                waiting.discard(message["stream"])
                self.positions[message["stream"]] = message["seq"]
            else:
                missed.append(self.take(message))
        return missed

    def reconnect(self) -> list[dict]:
        """Connect again, retrying while the server refuses, as live.js does."""
        self.close()
        deadline = time.monotonic() + RECONNECT_WAIT
        while True:
            try:
                return self.connect()
            except (InvalidHandshake, ConnectionClosed, OSError, TimeoutError):
                self.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def close(self) -> None:
        if self.socket is not None:
            self.socket.close()
            self.socket = None

    def receive(self) -> dict:
        return json.loads(self.socket.recv(timeout=WAIT))

    def take(self, message: dict) -> dict:
        assert message["type"] in ("issue.changed", "inbox.changed"), message
        assert message["seq"] == self.positions[message["stream"]] + 1, (message, self.positions)
        self.positions[message["stream"]] = message["seq"]
        self.received.append(message)
        return message

    def wait_for(self, count: int) -> list[dict]:
        """The next ``count`` numbered messages."""
        return [self.take(self.receive()) for _ in range(count)]

    def resync(self) -> list[dict]:
        """Ping; returns what the server sent before its pong (what the layer had not delivered)."""
        self.socket.send(json.dumps({"type": "ping"}))
        sent = []
        while (message := self.receive())["type"] != "pong":
            sent.append(self.take(message))
        return sent

    def is_closed(self) -> bool:
        try:
            message = self.socket.recv(timeout=0)
        except TimeoutError:
            return False
        except ConnectionClosed:
            return True
        raise AssertionError(f"a message while waiting for the socket to close: {message}")


def by_stream(messages: list[dict]) -> dict[str, list[tuple]]:
    """stream → [(seq, issue, action)] as they arrived: the protocol orders each stream, not the
    streams among themselves."""
    streams: dict[str, list[tuple]] = {}
    for message in messages:
        assert message["type"] == "issue.changed", message
        streams.setdefault(message["stream"], []).append(
            (message["seq"], message["issue"], message["action"])
        )
    return streams


def waiting_in_database(stream: str, after: int) -> list[int]:
    return list(
        LiveEvent.objects.filter(stream=stream, seq__gt=after).order_by("seq").values_list("seq", flat=True)
    )


def wait_until(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {WAIT} s")
        time.sleep(0.05)


# --- servers ----------------------------------------------------------------------------------------


@pytest.fixture
def redis_to_restart(tmp_path):
    with private_redis(tmp_path) as redis:
        yield redis


@pytest.fixture
def daphne_on_it(redis_to_restart, database_url, tmp_path):
    env = {"REDIS_URL": redis_to_restart.url()}
    with running_daphne(tmp_path, database_url=database_url, env=env) as daphne:
        yield daphne


# --- the tests ----------------------------------------------------------------------------------------


def test_an_action_handled_by_one_daphne_reaches_a_socket_on_the_other(cast, two_daphnes):
    daphne_a, daphne_b = two_daphnes
    before = cast.page_positions()
    page = LivePage(daphne_b, cast.pusher, before)
    outsider = LivePage(daphne_b, cast.outsider, {events.agency_stream(cast.other_bureau.pk): None})
    try:
        assert page.connect() == []
        assert outsider.connect() == []

        # The bureau's handler signs for the issue on daphne A.
        assert submit_action(daphne_a, cast.handler, cast.issue, "sign") == cast.issue.get_absolute_url()

        assert by_stream(page.wait_for(2)) == cast.expected(before, "sign"), (
            daphne_a.output(),
            daphne_b.output(),
        )
        # Once: the server has nothing more for the page; and nothing at all for the outsider.
        assert page.resync() == []
        assert outsider.resync() == []
        assert outsider.received == []
    finally:
        page.close()
        outsider.close()


def test_a_change_made_while_redis_is_down_reaches_the_page_when_it_reconnects(
    cast, redis_to_restart, daphne_on_it
):
    before = cast.page_positions()
    page = LivePage(daphne_on_it, cast.pusher, before)
    try:
        assert page.connect() == []

        redis_to_restart.stop()
        # channels-redis's receive loop fails with its connection: the socket closes, and no
        # socket opens while Redis is away.
        wait_until(page.is_closed, "the socket closes when Redis goes away")
        with pytest.raises(InvalidStatus):
            page.connect()
        page.close()

        # Two actions meanwhile, on the same daphne. Each commits; its messages cannot be sent,
        # are numbered all the same and wait in the database.
        issue_page = cast.issue.get_absolute_url()
        assert submit_action(daphne_on_it, cast.handler, cast.issue, "sign") == issue_page
        assert (
            submit_action(daphne_on_it, cast.handler, cast.issue, "report", text="已更换路灯。") == issue_page
        )
        # failed sends, logged with the id of the request that made them
        failed_sends = re.findall(
            rf"ERROR \[[^\]]*\] {re.escape(events.__name__)} ", daphne_on_it.output(tail=100_000)
        )
        assert len(failed_sends) == 2
        assert not LiveOutbox.objects.exists()
        commission_seq = before[cast.commission_stream]
        assert waiting_in_database(cast.commission_stream, commission_seq) == [
            commission_seq + 1,
            commission_seq + 2,
        ]

        # Redis is back, and empty. The page reconnects with the last numbers it saw and gets
        # exactly what it missed, once, in order.
        redis_to_restart.start()
        missed = page.reconnect()
        assert by_stream(missed) == cast.expected(before, "sign", "report"), daphne_on_it.output()
        assert page.resync() == []

        # The layer carries the next change again.
        assert (
            submit_action(daphne_on_it, cast.pusher, cast.issue, "comment", text="请尽快核实。") == issue_page
        )
        assert by_stream(page.wait_for(2)) == cast.expected(before, "comment", first=3)
        assert page.resync() == []
    finally:
        page.close()


def test_a_change_the_layer_never_carried_reaches_an_open_socket_at_its_next_ping(
    cast, redis_to_restart, daphne_on_it, settings, caplog
):
    """The other way a message goes missing: the page's socket stays open, but the layer never
    carried the message.

    A Redis outage cannot leave a socket open (channels-redis's receive loop fails with its
    connection and the socket closes, as the test above shows), so here the outage is the
    producer's alone: the process that commits the action (this one) cannot reach Redis, while
    the daphne holding the socket still can.
    """
    before = cast.page_positions()
    page = LivePage(daphne_on_it, cast.pusher, before)
    try:
        assert page.connect() == []
        with private_redis(redis_to_restart.folder) as gone:
            pass  # a port where a Redis was and is no more
        settings.CHANNEL_LAYERS = {
            "default": {
                "BACKEND": "channels_redis.core.RedisChannelLayer",
                "CONFIG": {"hosts": [gone.url()], "prefix": "portal"},
            }
        }
        assignment = cast.issue.assignments.get()
        workflow.sign(acting_user=cast.handler, agency=cast.bureau, issue=cast.issue, assignment=assignment)
        assert [record.levelname for record in caplog.records if record.name == events.__name__] == ["ERROR"]
        commission_seq = before[cast.commission_stream]
        assert waiting_in_database(cast.commission_stream, commission_seq) == [commission_seq + 1]

        assert not page.is_closed()
        assert by_stream(page.resync()) == cast.expected(before, "sign"), daphne_on_it.output()
        assert page.resync() == []
    finally:
        page.close()
