"""Shared fixtures: the three personas of every test (DESIGN §9, healthchecks' hc/test.py).

alice belongs to "our" agency, bob to another agency, charlie to none.
"""

from __future__ import annotations

import os
import uuid

import pytest

from tests.factories import TEST_PASSWORD, AgencyFactory, RegionFactory, UserFactory, member


@pytest.fixture
def city(db):
    return RegionFactory(code="test-city", name="测试市", name_en="Test City")


@pytest.fixture
def our_agency(city):
    return AgencyFactory(code="our-bureau", name="住房和城乡建设局", name_en="Housing Bureau", region=city)


@pytest.fixture
def other_agency(city):
    return AgencyFactory(code="other-bureau", name="财政局", name_en="Finance Bureau", region=city)


@pytest.fixture
def alice(our_agency):
    return member(our_agency, username="alice", full_name="艾丽")


@pytest.fixture
def bob(other_agency):
    return member(other_agency, username="bob", full_name="鲍勃")


@pytest.fixture
def charlie(db):
    return UserFactory(username="charlie", full_name="查理")


@pytest.fixture
def password():
    return TEST_PASSWORD


# --- tests that need a real service ------------------------------------------------------------
#
# A test marked ``postgres``, ``redis`` or ``elasticsearch`` runs only when its service is
# configured (DATABASE_URL pointing at PostgreSQL, REDIS_URL, ELASTICSEARCH_URL). Without it the
# test is deselected at collection, never skipped: CI sets every variable, so a skip there could
# only hide a broken service. With the variable set, an unreachable service fails the test loudly.

SERVICE_VARIABLES = {
    "postgres": "DATABASE_URL",
    "redis": "REDIS_URL",
    "elasticsearch": "ELASTICSEARCH_URL",
}


def service_configured(marker: str) -> bool:
    from django.conf import settings

    if marker == "postgres":
        return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    if marker == "redis":
        return bool(settings.REDIS_URL)
    if marker == "elasticsearch":
        return bool(settings.ELASTICSEARCH_URL)
    raise ValueError(marker)


_deselected_for: dict[str, int] = {}


@pytest.hookimpl(trylast=True)  # after pytest-django's reordering, which this keeps
def pytest_collection_modifyitems(config, items):
    missing = [marker for marker in SERVICE_VARIABLES if not service_configured(marker)]
    selected, deselected = [], []
    for item in items:
        needs = [marker for marker in missing if item.get_closest_marker(marker)]
        if needs:
            deselected.append(item)
            for marker in needs:
                _deselected_for[marker] = _deselected_for.get(marker, 0) + 1
        else:
            selected.append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
    # Browser tests last: Playwright's sync API keeps an event loop running in the main thread
    # for as long as its (session-wide) browser lives, and no asyncio test can run beside it.
    items[:] = sorted(selected, key=lambda item: item.get_closest_marker("browser") is not None)


def pytest_report_header(config):
    lines = []
    for marker, variable in SERVICE_VARIABLES.items():
        configured = service_configured(marker)
        state = "configured" if configured else f"not configured ({variable} unset): deselected"
        lines.append(f"service {marker}: {state}")
    return lines


_service_errors: dict[str, str | None] = {}


def _probe(marker: str) -> str | None:
    """None when the configured service answers, else why not."""
    from django.conf import settings

    try:
        if marker == "postgres":
            import psycopg

            db = settings.DATABASES["default"]
            with psycopg.connect(
                host=db.get("HOST") or None,
                port=db.get("PORT") or None,
                user=db.get("USER") or None,
                password=db.get("PASSWORD") or None,
                dbname="postgres",
                connect_timeout=5,
            ) as conn:
                conn.execute("SELECT 1")
        elif marker == "redis":
            import redis

            client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=5, socket_timeout=5)
            try:
                client.ping()
            finally:
                client.close()
        elif marker == "elasticsearch":
            from search.index.connection import elasticsearch_client

            elasticsearch_client().options(request_timeout=5).cluster.health()
    except Exception as exc:  # noqa: BLE001 - reported as a test failure below
        return f"{type(exc).__name__}: {exc}"
    return None


@pytest.fixture(autouse=True)
def _service_reachable(request):
    """A test marked for a service fails at once, naming the service, when it does not answer."""
    for marker, variable in SERVICE_VARIABLES.items():
        if request.node.get_closest_marker(marker) is None:
            continue
        if marker not in _service_errors:
            _service_errors[marker] = _probe(marker)
        if _service_errors[marker]:
            reason = _service_errors[marker]
            pytest.fail(f"{variable} is set but {marker} is unreachable: {reason}", pytrace=False)


# --- nothing is skipped in CI ------------------------------------------------------------------

_skipped: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped and not hasattr(report, "wasxfail"):
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    if _skipped and os.environ.get("CI", "").lower() in ("1", "true", "yes") and exitstatus == 0:
        # CI provides every service and the browser: a skipped test there is a hidden failure.
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    for marker, count in _deselected_for.items():
        terminalreporter.write_line(
            f"deselected {count} test(s) marked {marker}: {SERVICE_VARIABLES[marker]} is not set"
        )
    if _skipped and os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        terminalreporter.write_line(
            f"FAILED: {len(_skipped)} test(s) skipped under CI, where nothing may be skipped: "
            + ", ".join(_skipped[:10]),
            red=True,
        )


@pytest.fixture(autouse=True)
def _async_safety(request, monkeypatch):
    """Django's guard against ORM calls from async code stays on outside browser tests.

    Playwright's sync API needs it off (tests/e2e sets DJANGO_ALLOW_ASYNC_UNSAFE for the
    process); everywhere else it would hide the very mistakes consumers and async views make.
    """
    if request.node.get_closest_marker("browser") is None:
        monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test databases, with stray connections closed before they are dropped.

    Async tests leave connections open in the threads asgiref runs sync code in (the test
    client closes none); PostgreSQL refuses to drop a database that still has sessions.
    """
    yield
    import gc

    from asgiref.sync import SyncToAsync
    from django.db import connection, connections

    SyncToAsync.single_thread_executor.submit(connections.close_all).result(timeout=30)
    gc.collect()  # connections of finished threads close when collected
    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        connection.close()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the portal's default language, whatever the one before it asked for.

    A request with an English language cookie leaves English active in the test's thread
    (LocaleMiddleware activates it and nothing deactivates it), so a later test comparing an
    agency's name with stored Chinese text would otherwise depend on the order tests run in.
    """
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def own_search_index(settings):
    """An index prefix of the test's own on the shared Elasticsearch, its versions dropped after.

    Used by every test that may write to Elasticsearch, so that no test sees another's documents.
    Without ELASTICSEARCH_URL it only sets the prefix.
    """
    settings.SEARCH_INDEX_PREFIX = f"test-{uuid.uuid4().hex[:10]}"
    yield settings.SEARCH_INDEX_PREFIX
    if not settings.ELASTICSEARCH_URL:
        return
    from search.index.connection import elasticsearch_client

    client = elasticsearch_client()
    # Deleting by wildcard is refused (destructive_requires_name): name each index.
    for name in client.indices.get(index=f"{settings.SEARCH_INDEX_PREFIX}-records-*"):
        client.indices.delete(index=name)
