"""Real servers for the tests of the live layer: daphne processes on the test database, a
private redis-server a test may stop and start again, and the people those tests need.

A daphne started here serves this run's test database (a file with SQLite, test_<name> with
PostgreSQL) with the same settings module and secret, so a session made in the test process
signs in there. Tests that use it commit their data (``transaction=True``) so the other process
sees it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

START_TIMEOUT = 60  # seconds for a server to listen


class ServerError(RuntimeError):
    """A server did not start, or did not stop."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def url_of_the_test_database() -> str:
    """DATABASE_URL of the test database, as another process must be told it."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    assert connection.vendor == "postgresql", connection.vendor
    credentials = quote(db["USER"], safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{quote(db['NAME'])}"


def _wait_until_listening(port: int, process: subprocess.Popen, name: str, output) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while not listening(port):
        if process.poll() is not None:
            raise ServerError(f"{name} exited with {process.returncode} on start:\n{output()}")
        if time.monotonic() > deadline:
            raise ServerError(f"{name} did not listen on port {port} within {START_TIMEOUT} s:\n{output()}")
        time.sleep(0.05)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


class Daphne:
    """A daphne process serving ``portal.asgi`` on 127.0.0.1, with the test settings and ``env``
    on top (REDIS_URL, ...). It keeps its port when stopped and started again, as a server
    restarted behind a load balancer does; its output goes to a log in ``folder``."""

    def __init__(self, folder: Path, *, database_url: str, env: dict[str, str] | None = None):
        self.port = free_port()
        self.log = folder / f"daphne-{self.port}.log"
        self.environment = {
            **{name: value for name, value in os.environ.items() if name != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "DJANGO_SETTINGS_MODULE": "portal.settings.test",
            "SECRET_KEY": settings.SECRET_KEY,
            "DATABASE_URL": database_url,
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        self.process: subprocess.Popen | None = None

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/"

    def output(self, tail: int = 4000) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-tail:] if self.log.exists() else ""

    def start(self) -> None:
        assert self.process is None or self.process.poll() is not None, "already running"
        daphne_bin = Path(sys.executable).with_name("daphne")
        with self.log.open("ab") as log_file:
            self.process = subprocess.Popen(
                [str(daphne_bin), "-b", "127.0.0.1", "-p", str(self.port), "portal.asgi:application"],
                cwd=settings.BASE_DIR,
                env=self.environment,
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        _wait_until_listening(self.port, self.process, "daphne", self.output)

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)


@contextlib.contextmanager
def running_daphne(folder: Path, *, database_url: str, env: dict[str, str] | None = None) -> Iterator[Daphne]:
    """A daphne on a free port, started and listening; terminated on the way out."""
    server = Daphne(folder, database_url=database_url, env=env)
    try:
        server.start()
        yield server
    finally:
        server.stop()


class RedisServer:
    """A redis-server of the test's own, on a port of its own, keeping nothing on disk: it can be
    stopped and started again on the same port without touching the Redis other tests share."""

    def __init__(self, folder: Path):
        binary = shutil.which("redis-server")
        if binary is None:
            raise ServerError("redis-server is not installed (Debian package redis-server)")
        self.binary = binary
        self.folder = folder
        self.port = free_port()
        self.log = folder / f"redis-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def output(self, tail: int = 4000) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-tail:] if self.log.exists() else ""

    def start(self) -> None:
        assert self.process is None or self.process.poll() is not None, "already running"
        arguments = [
            self.binary,
            "--bind", "127.0.0.1",
            "--port", str(self.port),
            "--save", "",
            "--appendonly", "no",
            "--dir", str(self.folder),
            "--logfile", str(self.log),
        ]  # fmt: skip
        self.process = subprocess.Popen(arguments, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        _wait_until_listening(self.port, self.process, "redis-server", self.output)

    def stop(self) -> None:
        """Stop it (SIGTERM; nothing is saved) and wait until the port is closed."""
        if self.process is not None:
            _stop(self.process)
        deadline = time.monotonic() + 10
        while listening(self.port):
            if time.monotonic() > deadline:
                raise ServerError(f"redis-server still listens on {self.port}:\n{self.output()}")
            time.sleep(0.05)


@contextlib.contextmanager
def private_redis(folder: Path) -> Iterator[RedisServer]:
    server = RedisServer(folder)
    server.start()
    try:
        yield server
    finally:
        server.stop()


# --- fixtures: a test module imports those it uses -------------------------------------------------


@pytest.fixture(scope="module", name="database_url")
def database_url_fixture(django_db_setup, django_db_blocker) -> str:
    with django_db_blocker.unblock():
        return url_of_the_test_database()


@pytest.fixture(scope="module", name="two_daphnes")
def two_daphnes_fixture(database_url, tmp_path_factory) -> Iterator[tuple[Daphne, Daphne]]:
    """Two daphne processes on the configured Redis: two servers behind one load balancer.

    On the embedded defaults (no REDIS_URL) one daphne serves as both, its in-memory channel
    layer shared by every page, as `make run` serves the demo city.
    """
    folder = tmp_path_factory.mktemp("daphnes")
    if not settings.REDIS_URL:
        with running_daphne(folder, database_url=database_url) as only:
            yield only, only
        return
    env = {"REDIS_URL": settings.REDIS_URL}
    with (
        running_daphne(folder, database_url=database_url, env=env) as a,
        running_daphne(folder, database_url=database_url, env=env) as b,
    ):
        yield a, b


# --- people ---------------------------------------------------------------------------------------


class LiveCast:
    """A commission that pushes work to a bureau, a user of each, and an outsider: a user of
    another bureau, no party to that work."""

    def __init__(self):
        from agencies.models import Role
        from tests.factories import AgencyFactory, RegionFactory, commission, member

        city = RegionFactory(code="live-city", name="江城市", name_en="Jiangcheng")
        self.bureau = AgencyFactory(code="housing", name="市住房和城乡建设局", region=city)
        self.other_bureau = AgencyFactory(code="finance", name="市财政局", region=city)
        self.commission = commission(city, code="commission", name="市纪委监委")
        self.pusher = member(self.commission, username="pusher", full_name="赵推送")
        self.handler = member(self.bureau, role=Role.STAFF, username="handler", full_name="钱办理")
        self.outsider = member(self.other_bureau, username="outsider", full_name="孙无关")
