"""Starting the portal with bad settings stops it with a clear message; with none it starts embedded.

Each case imports the settings in a fresh process, the way daphne or ``manage.py`` would, with a
clean environment and a temporary PORTAL_VAR_DIR so the repository's var/ is left alone.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

# Variables read by the settings; none may leak in from the environment running the tests.
SETTINGS_VARIABLES = (
    "DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "ELASTICSEARCH_URL", "SECRET_KEY", "DEBUG",
    "PORTAL_DEMO", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "LOGIN_FAILURE_LIMIT",
    "LOGIN_COOLOFF_MINUTES", "MEDIA_ROOT", "SECURE_COOKIES", "SECURE_SSL_REDIRECT", "LOG_LEVEL",
    "SEARCH_INDEX_PREFIX", "CELERY_TASK_ALWAYS_EAGER", "PORTAL_BASE_URL", "PORTAL_VAR_DIR",
    "DJANGO_SETTINGS_MODULE", "DUE_SOON_WORKING_DAYS", "NOTIFICATION_WORKING_HOURS",
)

PROBE = """
import json
import django
from django.conf import settings
django.setup()
print(json.dumps({
    "database": settings.DATABASES["default"]["ENGINE"],
    "database_name": str(settings.DATABASES["default"]["NAME"]),
    "channel_layer": settings.CHANNEL_LAYERS["default"]["BACKEND"],
    "broker": settings.CELERY_BROKER_URL,
    "search": settings.SEARCH_BACKEND,
    "due_soon": settings.DUE_SOON_WORKING_DAYS,
    "working_hours": list(settings.NOTIFICATION_WORKING_HOURS),
}))
"""

GOOD_KEY = "k" * 50


def clean_environment(tmp_path: Path, **variables: str) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name.removesuffix("_FILE") not in SETTINGS_VARIABLES
    }
    env.update(PORTAL_VAR_DIR=str(tmp_path / "var"), PYTHONDONTWRITEBYTECODE="1")
    env.update(variables)
    return env


def start(tmp_path: Path, **variables: str) -> subprocess.CompletedProcess:
    env = clean_environment(tmp_path, DJANGO_SETTINGS_MODULE="portal.settings.base", **variables)
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def fails_with(result: subprocess.CompletedProcess, message: str) -> None:
    assert result.returncode != 0, result.stdout
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr, result.stderr


def test_it_starts_embedded_with_nothing_but_demo_mode(tmp_path):
    result = start(tmp_path, PORTAL_DEMO="1")
    assert result.returncode == 0, result.stderr
    started = json.loads(result.stdout.strip().splitlines()[-1])
    assert started == {
        "database": "django.db.backends.sqlite3",
        "database_name": str(tmp_path / "var" / "portal.sqlite3"),
        "channel_layer": "channels.layers.InMemoryChannelLayer",
        "broker": "filesystem://localhost/",
        "search": "embedded",
        "due_soon": 3,
        "working_hours": ["08:30", "17:30"],
    }
    # The demo secret is generated beside the demo database, readable by its owner only.
    key_file = tmp_path / "var" / "demo-secret-key"
    assert key_file.stat().st_mode & 0o077 == 0


def test_it_passes_manage_py_check_in_demo_mode(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=clean_environment(tmp_path, PORTAL_DEMO="1"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_it_uses_the_services_named_by_the_environment(tmp_path):
    result = start(
        tmp_path,
        SECRET_KEY=GOOD_KEY,
        DATABASE_URL="postgres://portal:portal@db.example:5432/portal",
        REDIS_URL="redis://redis.example:6379/0",
        ELASTICSEARCH_URL="http://es.example:9200",
        DUE_SOON_WORKING_DAYS="5",
        NOTIFICATION_WORKING_HOURS="09:00,18:00",
    )
    assert result.returncode == 0, result.stderr
    started = json.loads(result.stdout.strip().splitlines()[-1])
    assert started == {
        "database": "django.db.backends.postgresql",
        "database_name": "portal",
        "channel_layer": "channels_redis.core.RedisChannelLayer",
        "broker": "redis://redis.example:6379/0",
        "search": "elasticsearch",
        "due_soon": 5,
        "working_hours": ["09:00", "18:00"],
    }


def test_it_requires_a_secret_key_outside_demo_mode(tmp_path):
    fails_with(start(tmp_path), "SECRET_KEY is required outside demo or debug mode")


def test_it_refuses_a_short_secret_key(tmp_path):
    fails_with(start(tmp_path, SECRET_KEY="short"), "SECRET_KEY must be at least 32 characters long.")


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL='mysql://x' must start with one of: postgres://"),
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
        ({"PORTAL_DEMO": "sure"}, "PORTAL_DEMO='sure' is not a boolean"),
        ({"REDIS_URL": "http://x"}, "REDIS_URL='http://x' must start with one of: redis://, rediss://, unix://"),
        ({"ELASTICSEARCH_URL": "es.example:9200"}, "ELASTICSEARCH_URL='es.example:9200' must start with"),
        ({"CELERY_BROKER_URL": "sqs://x"}, "CELERY_BROKER_URL='sqs://x' must start with one of"),
        ({"LOGIN_FAILURE_LIMIT": "0"}, "LOGIN_FAILURE_LIMIT=0 is below the minimum of 1."),
        ({"LOGIN_COOLOFF_MINUTES": "soon"}, "LOGIN_COOLOFF_MINUTES='soon' is not a whole number."),
        ({"ALLOWED_HOSTS": " , "}, "ALLOWED_HOSTS is set but lists nothing."),
        ({"DUE_SOON_WORKING_DAYS": "-1"}, "DUE_SOON_WORKING_DAYS=-1 is below the minimum of 0."),
        ({"DUE_SOON_WORKING_DAYS": "three"}, "DUE_SOON_WORKING_DAYS='three' is not a whole number."),
        ({"NOTIFICATION_WORKING_HOURS": "8:30-17:30"}, "NOTIFICATION_WORKING_HOURS='8:30-17:30' is not two"),
        ({"NOTIFICATION_WORKING_HOURS": "17:30,08:30"}, "NOTIFICATION_WORKING_HOURS='17:30,08:30' ends"),
        ({"SECRET_KEY_FILE": "/nonexistent/secret"}, "SECRET_KEY_FILE='/nonexistent/secret' cannot be read"),
    ],
    ids=lambda value: next(iter(value)) if isinstance(value, dict) else None,
)
def test_it_refuses_bad_values(tmp_path, variables, message):
    variables = {"SECRET_KEY": GOOD_KEY, **variables}
    if "SECRET_KEY_FILE" in variables:
        del variables["SECRET_KEY"]
    fails_with(start(tmp_path, **variables), message)


def test_it_refuses_both_a_value_and_its_file(tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text(GOOD_KEY, encoding="utf-8")
    result = start(tmp_path, SECRET_KEY=GOOD_KEY, SECRET_KEY_FILE=str(key_file))
    fails_with(result, "Set SECRET_KEY or SECRET_KEY_FILE, not both.")


def test_it_never_prints_a_database_password(tmp_path):
    result = start(tmp_path, SECRET_KEY=GOOD_KEY, DATABASE_URL="mysql://portal:s3cret-pw@db.example/portal")
    fails_with(result, "DATABASE_URL='mysql://portal:***@db.example/portal'")
    assert "s3cret-pw" not in result.stderr
