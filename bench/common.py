"""Start Django for a benchmark script and refuse to run anywhere but PostgreSQL."""

from __future__ import annotations

import os
import sys


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
    import django

    django.setup()
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        sys.exit("The benchmarks run on PostgreSQL: set DATABASE_URL=postgres://… (a database of its own).")


def raw_connection(autocommit: bool = False):
    """A plain psycopg connection to the same database, for COPY and maintenance commands."""
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    return psycopg.connect(
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        dbname=db["NAME"],
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        autocommit=autocommit,
    )
