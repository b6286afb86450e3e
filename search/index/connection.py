"""The connection to the linked-record search backend chosen by settings (DESIGN §7)."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from elasticsearch_dsl import connections


@lru_cache(maxsize=1)
def elasticsearch_client():
    """The elasticsearch-dsl default connection, made once per process."""
    return connections.create_connection(
        alias="default", hosts=[settings.ELASTICSEARCH_URL], request_timeout=30, retry_on_timeout=True
    )


def ping() -> bool:
    if settings.SEARCH_BACKEND != "elasticsearch":
        return True  # the embedded backend lives in the database checked beside it
    try:
        health = elasticsearch_client().cluster.health()
    except Exception:  # noqa: BLE001 - any failure means "down"
        return False
    return health.get("status") in ("green", "yellow")
