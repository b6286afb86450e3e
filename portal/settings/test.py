"""Settings for the test run: the same environment-driven settings, with a throwaway secret.

The services run of CI sets DATABASE_URL, REDIS_URL and ELASTICSEARCH_URL; nothing here
overrides them.
"""

import os
import secrets

os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))

from .base import *  # noqa: E402,F403

# Hashing passwords slowly is the point in production and wasted time in tests.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SEARCH_INDEX_PREFIX = "test-portal"
# seed_demo loads no generated linked records in tests; tests/demo/test_records.py asks for a few.
DEMO_RECORDS_PER_SYSTEM = 0

# Tests that enqueue work must neither leave it for the worker of `make run` (it would run it
# against the demo database) nor take that worker's messages: their own broker folder.
if CELERY_BROKER_URL.startswith("filesystem:"):
    CELERY_BROKER_FOLDER = VAR_DIR / "test-celery-broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,
        "data_folder_in": str(CELERY_BROKER_FOLDER),
        "data_folder_out": str(CELERY_BROKER_FOLDER),
        "processed_folder": str(CELERY_BROKER_FOLDER / "processed"),
        "control_folder": str(CELERY_BROKER_FOLDER / "control"),
    }
    for _folder in ("processed", "control"):
        (CELERY_BROKER_FOLDER / _folder).mkdir(parents=True, exist_ok=True)

# No persistent connections in tests: the threads that Channels and asgiref run database work in
# must not keep sessions open on PostgreSQL, or the test database cannot be dropped at the end.
DATABASES["default"]["CONN_MAX_AGE"] = 0
