"""Fixtures shared by the search tests."""

from __future__ import annotations

import uuid

import pytest


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
    from search.connection import elasticsearch_client

    client = elasticsearch_client()
    # Deleting by wildcard is refused (destructive_requires_name): name each index.
    for name in client.indices.get(index=f"{settings.SEARCH_INDEX_PREFIX}-records-*"):
        client.indices.delete(index=name)
