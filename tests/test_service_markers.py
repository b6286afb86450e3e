"""Tests that need a service are deselected without it, never skipped (tests/conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings

SERVICES = ("DATABASE_URL", "REDIS_URL", "ELASTICSEARCH_URL", "CELERY_BROKER_URL")


def collect(*args: str, **variables: str) -> subprocess.CompletedProcess:
    env = {name: value for name, value in os.environ.items() if name.removesuffix("_FILE") not in SERVICES}
    env.update(variables)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_service_tests_are_deselected_without_their_service():
    result = collect("tests/services/test_redis_channel_layer.py", "tests/services/test_postgres.py")
    assert result.returncode == 5, result.stdout + result.stderr  # nothing selected, nothing skipped
    assert "no tests collected (5 deselected)" in result.stdout, result.stdout
    assert "deselected 2 test(s) marked redis: REDIS_URL is not set" in result.stdout
    assert "skipped" not in result.stdout


def test_service_tests_are_selected_with_their_service():
    result = collect("tests/services/test_redis_channel_layer.py", REDIS_URL="redis://127.0.0.1:6379/0")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "test_a_group_message_crosses_layer_instances" in result.stdout
    assert "deselected" not in result.stdout
