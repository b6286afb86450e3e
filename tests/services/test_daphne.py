"""A real daphne process serves the portal: HTTP pages and the WebSocket endpoint.

daphne runs as a subprocess against this run's test database (a file with SQLite, test_<name>
with PostgreSQL), with the same settings module and secret, so a session made here signs in
there. Tests commit their data (``transaction=True``) so the other process sees it.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

pytestmark = pytest.mark.django_db(transaction=True)

CJK = re.compile(r"[\u4e00-\u9fff]")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def url_of_the_test_database() -> str:
    """DATABASE_URL of the test database, as the other process must be told it."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    assert connection.vendor == "postgresql", connection.vendor
    credentials = quote(db["USER"], safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{quote(db['NAME'])}"


class Daphne:
    def __init__(self, port: int, process: subprocess.Popen, log: Path):
        self.port = port
        self.process = process
        self.log = log

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/"

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-4000:]


@pytest.fixture(scope="module")
def daphne(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock():
        database_url = url_of_the_test_database()
    port = free_port()
    log = tmp_path_factory.mktemp("daphne") / "daphne.log"
    env = {
        **{name: value for name, value in os.environ.items() if name != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "SECRET_KEY": settings.SECRET_KEY,
        "DATABASE_URL": database_url,
        "PYTHONUNBUFFERED": "1",
    }
    daphne_bin = Path(sys.executable).with_name("daphne")
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [str(daphne_bin), "-b", "127.0.0.1", "-p", str(port), "portal.asgi:application"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    server = Daphne(port, process, log)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"daphne exited with {process.returncode} on start:\n{server.output()}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"daphne did not listen on port {port} within 60 s:\n{server.output()}")
                time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


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
