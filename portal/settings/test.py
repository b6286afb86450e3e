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
