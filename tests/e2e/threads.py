"""Running the portal's own code beside Playwright in the browser tests."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from django.db import connections


def in_own_thread(function):
    """Run ``function`` in a thread of its own and return its result.

    The actions publish live events on commit through async_to_sync, which refuses to run in a
    thread where an event loop is running, and Playwright's sync API keeps one running in the
    test's thread once the browser has started.
    """

    def run():
        try:
            return function()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()
