"""Fixtures shared by the search tests (own_search_index is in tests/conftest.py: browser tests
use it too)."""

import pytest


@pytest.fixture(params=[pytest.param("elasticsearch", marks=pytest.mark.elasticsearch), "embedded"])
def engine(request, settings, own_search_index):
    """Runs the test once on each backend: the contract holds for both."""
    settings.SEARCH_BACKEND = request.param
    return request.param
