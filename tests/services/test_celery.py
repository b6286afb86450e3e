"""Celery runs on the configured broker, and a real worker takes a task from it.

No mock of the broker: the filesystem transport by default (files in a folder), Redis when
REDIS_URL (or CELERY_BROKER_URL) says so. The worker is Celery's embedded test worker, a thread
of this process consuming from that broker like a separate worker process would.
"""

from __future__ import annotations

import os
import threading
import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings
from django.utils import timezone

from portal.celery import app as celery_app
from portal.models import ServiceHeartbeat
from portal.tasks import heartbeat


def expected_transport() -> str:
    if os.environ.get("CELERY_BROKER_URL"):
        return os.environ["CELERY_BROKER_URL"].split("://", 1)[0]
    return "redis" if settings.REDIS_URL else "filesystem"


def test_it_uses_the_configured_broker():
    assert celery_app.conf.broker_url == settings.CELERY_BROKER_URL
    assert not celery_app.conf.task_always_eager
    with celery_app.connection_for_write() as connection:
        assert connection.transport.driver_type == expected_transport()
    if expected_transport() == "filesystem":
        options = celery_app.conf.broker_transport_options
        assert options["data_folder_in"] == options["data_folder_out"]
        # The test run's own folders, apart from those of `make run`'s worker.
        for key in ("data_folder_in", "processed_folder", "control_folder"):
            assert options[key].startswith(str(settings.CELERY_BROKER_FOLDER)), (key, options[key])
        assert settings.CELERY_BROKER_FOLDER.name == "test-celery-broker"


@pytest.fixture
def finished_task_ids():
    """Ids of the tasks the worker has finished, so a test knows its own message went through."""
    finished: set[str] = set()
    changed = threading.Condition()

    def record(task_id=None, **kwargs):
        with changed:
            finished.add(task_id)
            changed.notify_all()

    task_postrun.connect(record, weak=False)
    try:
        yield finished, changed
    finally:
        task_postrun.disconnect(record)


@pytest.mark.django_db(transaction=True)
def test_a_worker_runs_the_heartbeat_through_the_broker(finished_task_ids):
    finished, changed = finished_task_ids
    stale = timezone.now() - timedelta(days=1)
    ServiceHeartbeat.objects.create(name="celery", seen_at=stale)

    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        result = heartbeat.delay()
        deadline = time.monotonic() + 60
        with changed:
            while result.id not in finished and time.monotonic() < deadline:
                changed.wait(timeout=1)
    assert result.id in finished, f"the worker did not run task {result.id} within 60 s"

    beat = ServiceHeartbeat.objects.get(name="celery")
    assert beat.seen_at > stale + timedelta(hours=23)
    assert timezone.now() - beat.seen_at < timedelta(minutes=2)
