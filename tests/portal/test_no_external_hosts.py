"""Intranets are offline: no served page loads or links anything from another host.

A crawler signs in as a demo-like administrator (a superuser who belongs to agencies), fetches
the main pages, follows same-site links from the home page two levels deep, and looks at every
URL-bearing attribute, inline style and <style> block, and at every stylesheet the pages link.
The collected CSS of Bootstrap and Bootstrap Icons is checked on disk as well.

The admin sites (/cms/ for Wagtail, /admin/ for Django) are third-party screens whose help
links point at their vendors' guides; for them the rule is that they *load* nothing from
another host (scripts, styles, images, fonts, frames).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.conf import settings

START_PAGES = ["/", "/accounts/login/", "/search/pages/?q=%E5%8C%BB%E4%BF%9D", "/agencies/"]
MAX_PAGES = 60
MAX_DEPTH = 2
ADMIN_PREFIXES = ("/cms/", "/admin/", "/documents/")
NEVER_FOLLOW = ("/accounts/logout/", "/i18n/")
LOCAL_HOSTS = {"testserver"}

# Attributes whose value is a URL (or, for srcset, a list of them).
URL_ATTRIBUTES = {"src", "href", "srcset", "action", "formaction", "poster", "data", "background",
                  "manifest", "xlink:href"}
# Of those, the ones that make the browser load something (as opposed to a link to click).
LOADING = {("script", "src"), ("img", "src"), ("img", "srcset"), ("source", "src"),
           ("source", "srcset"), ("iframe", "src"), ("frame", "src"), ("embed", "src"),
           ("object", "data"), ("video", "src"), ("video", "poster"), ("audio", "src"),
           ("track", "src"), ("input", "src"), ("image", "href"), ("image", "xlink:href")}
CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)""", re.IGNORECASE)
CSS_IMPORT = re.compile(r"""@import\s+(['"])(.*?)\1""", re.IGNORECASE)


def external(url: str) -> bool:
    """True when ``url`` would reach a host other than the test server."""
    url = url.strip()
    parts = urlsplit(url)
    if url.startswith("//"):
        return parts.hostname not in LOCAL_HOSTS
    if parts.scheme in ("http", "https", "ws", "wss", "ftp"):
        return parts.hostname not in LOCAL_HOSTS
    return False


def css_urls(css: str) -> list[str]:
    return [m.group(2) for m in CSS_URL.finditer(css)] + [m.group(2) for m in CSS_IMPORT.finditer(css)]


class PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str, str]] = []  # (tag, attribute, url)
        self.stylesheets: list[str] = []
        self.css: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if value is None:
                continue
            if name == "style":
                self.css.append(value)
            elif name == "srcset":
                self.urls.extend((tag, name, part.strip().split(" ")[0]) for part in value.split(","))
            elif name in URL_ATTRIBUTES:
                self.urls.append((tag, name, value))
            elif name == "content" and (attributes.get("http-equiv") or "").lower() == "refresh":
                self.urls.append((tag, "refresh", value.partition("=")[2].strip(" '\"")))
        if tag == "link" and "stylesheet" in (attributes.get("rel") or "").lower() and attributes.get("href"):
            self.stylesheets.append(attributes["href"])
        if tag == "style":
            self._in_style = True

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.css.append(data)


def is_admin(path: str) -> bool:
    return path.startswith(ADMIN_PREFIXES)


def content_of(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def crawl(client):
    """Fetch the start pages and same-site links from the home page; return what was found."""
    problems: list[str] = []
    fetched: dict[str, int] = {}
    stylesheets: set[str] = set()
    queue: list[tuple[str, int]] = [(path, 0 if path == "/" else MAX_DEPTH) for path in START_PAGES]
    while queue and len(fetched) < MAX_PAGES:
        path, depth = queue.pop(0)
        if path in fetched:
            continue
        response = client.get(path, follow=True)
        fetched[path] = response.status_code
        if "text/html" not in response.get("Content-Type", ""):
            continue
        parser = PageParser()
        parser.feed(content_of(response))
        admin = is_admin(path)
        for tag, attribute, url in parser.urls:
            if not external(url):
                continue
            if admin and (tag, attribute) not in LOADING and tag != "link":
                continue  # a link to a vendor's guide from a third-party admin screen
            problems.append(f"{path}: <{tag} {attribute}={url!r}>")
        for css in parser.css:
            problems.extend(f"{path}: inline CSS url({url})" for url in css_urls(css) if external(url))
        for href in parser.stylesheets:
            if external(href):
                continue  # already reported above
            parts = urlsplit(urljoin(path, href))
            stylesheets.add(parts.path + (f"?{parts.query}" if parts.query else ""))
        if depth >= MAX_DEPTH:
            continue
        for tag, attribute, url in parser.urls:
            if tag != "a" or attribute != "href" or external(url):
                continue
            target, _ = urldefrag(urljoin(path, url))
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if parts.path.startswith(NEVER_FOLLOW) or parts.path.startswith(settings.STATIC_URL):
                continue
            queue.append((target, depth + 1))
    for href in sorted(stylesheets):
        response = client.get(href)
        fetched[href] = response.status_code
        problems.extend(f"{href}: url({url})" for url in css_urls(content_of(response)) if external(url))
    return fetched, problems


@pytest.fixture
def demo_like(client, pages, dora, alice):
    client.force_login(dora)
    return client


def test_it_works(demo_like):
    fetched, problems = crawl(demo_like)
    assert problems == []
    # It saw the pages it should have: the start pages, the sections, documents, the admin sites.
    for path in ("/", "/circulars/", "/policies/", "/circulars/medical-insurance-fund-cases/", "/cms/"):
        assert path in fetched
    assert any(path.startswith(settings.STATIC_URL) and ".css" in path for path in fetched)
    assert len(fetched) >= 15
    served = {path: status for path, status in fetched.items() if not path.startswith("/agencies/")}
    assert all(status == 200 for status in served.values()), served


def test_the_checker_catches_external_references():
    parser = PageParser()
    parser.feed('<script src="https://cdn.example/x.js"></script><a href="//cdn.example/">x</a>'
                '<img srcset="/a.png 1x, https://cdn.example/b.png 2x">'
                '<div style="background:url(\'http://cdn.example/bg.png\')"></div>'
                '<style>@import "https://fonts.example/css";</style>'
                '<svg xmlns="http://www.w3.org/2000/svg"></svg><a href="/ok">ok</a>'
                '<a href="http://testserver/ok">ok</a>'
                '<meta http-equiv="refresh" content="0; url=https://elsewhere.example/">')
    flagged = [url for _, _, url in parser.urls if external(url)]
    assert flagged == ["https://cdn.example/x.js", "//cdn.example/", "https://cdn.example/b.png",
                       "https://elsewhere.example/"]
    flagged_css = [url for css in parser.css for url in css_urls(css) if external(url)]
    assert flagged_css == ["http://cdn.example/bg.png", "https://fonts.example/css"]
    assert not external("data:image/svg+xml,%3csvg xmlns='http://www.w3.org/2000/svg'%3e")


@pytest.mark.parametrize("folder", ["vendor/bootstrap", "vendor/bootstrap-icons", "portal"])
def test_collected_css_loads_nothing_external(folder):
    root = Path(settings.STATIC_ROOT) / folder
    files = sorted(root.rglob("*.css"))
    assert files, f"nothing collected under {root}: run collectstatic first"
    problems = [
        f"{path.relative_to(settings.STATIC_ROOT)}: url({url})"
        for path in files
        for url in css_urls(path.read_text(encoding="utf-8", errors="replace"))
        if external(url)
    ]
    assert problems == []


def test_the_wagtail_admin_checks_for_no_updates():
    # The dashboard would otherwise ask releases.wagtail.io for a newer version from the browser.
    assert settings.WAGTAIL_ENABLE_UPDATE_CHECK is False


# Wagtail's screens name a few other hosts in text that loads nothing: guides for editors, the
# "enable JavaScript" advice, an example address in help text, the SVG namespace.
ADMIN_TEXT_HOSTS = {"guide.wagtail.org", "docs.wagtail.org", "www.enable-javascript.com", "domain.com",
                    "www.w3.org"}
ANY_URL = re.compile(r"""(?:https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}[^\s"'<>\\)]*""")


def test_the_wagtail_admin_names_no_other_host_to_load_from(client, pages, dora):
    """Every address in an admin screen's whole text, the JSON its scripts read included (the
    sidebar's account avatar came from gravatar.com), is this portal's or a guide to read."""
    dora.email = "dora@example.org"  # Wagtail asks gravatar.com for the avatar of an e-mail address
    dora.save(update_fields=["email"])
    client.force_login(dora)
    screens = ["/cms/", "/cms/pages/", f"/cms/pages/{pages.home.pk}/",
               f"/cms/pages/{pages.circular.pk}/edit/",
               f"/cms/pages/{pages.circular.pk}/history/", "/cms/account/", "/cms/users/",
               f"/cms/users/edit/{dora.pk}/", "/cms/documents/", "/cms/images/", "/admin/",
               "/admin/agencies/user/"]
    found = {}
    for path in screens:
        response = client.get(path)
        assert response.status_code == 200, path
        text = content_of(response).replace("\\/", "/").replace("\\u002F", "/")
        for url in ANY_URL.findall(text):
            host = urlsplit(url if "//" in url[:8] else "http:" + url).hostname
            if host not in LOCAL_HOSTS and host not in ADMIN_TEXT_HOSTS:
                found.setdefault(path, set()).add(url)
    assert found == {}
    assert "gravatar" not in content_of(client.get("/cms/account/"))


def test_the_checker_finds_addresses_in_script_data():
    text = ('<script type="application/json">'
            '{"avatarUrl": "https:\\/\\/www.gravatar.com\\/avatar\\/ab"}</script>')
    found = ANY_URL.findall(text.replace("\\/", "/"))
    assert found == ["https://www.gravatar.com/avatar/ab"]
