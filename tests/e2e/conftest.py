"""Browser tests: Playwright for Python driving Debian's Chromium against pytest-django's live_server."""

from __future__ import annotations

import os

import pytest

# Playwright's sync API runs an event loop in the test's thread; Django would then refuse the
# ORM calls the test makes to set up data. Nothing here is actually concurrent.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    """live_server serves /static/ through staticfiles' finders, which know no hashed names.

    The manifest storage of the real settings would make every page ask for
    bootstrap.min.<hash>.css and get a 404; in the browser tests pages ask for the plain names.
    """
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
