"""A browser of one user's own, signed in through the sign-in page, as the browser tests need it."""

from __future__ import annotations

from tests.factories import TEST_PASSWORD

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def signed_in(browser, live_server, username, *, language=None, viewport=None):
    """A new browser context signed in as ``username``, and its page.

    ``language`` sets the portal's language cookie before signing in; a ``PHONE`` viewport is a
    touch screen, and the sign-in button is tapped there, as a phone user would.
    """
    on_phone = viewport is PHONE
    options = {"viewport": viewport, "is_mobile": True, "has_touch": True} if on_phone else (
        {"viewport": viewport} if viewport else {})
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", **options)
    if language:
        context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    submit = page.locator("main form button[type=submit]")
    # Waits for the page's load event too: its scripts have run before the test acts on it.
    with page.expect_navigation():
        submit.tap() if on_phone else submit.click()
    return context, page
