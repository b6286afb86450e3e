"""demo.pages.seed_pages: the demo site's editorial pages, safe to run again."""

from __future__ import annotations

from wagtail.models import Page, Site

from demo.pages import CIRCULARS, POLICIES, seed_pages
from portal.models import CircularIndexPage, CircularPage, HomePage, PolicyIndexPage, PolicyPage


def test_it_works(db):
    created = seed_pages()
    assert created == {"home": 1, "circulars": len(CIRCULARS), "policies": len(POLICIES)}
    assert CircularPage.objects.live().count() == 5
    assert PolicyPage.objects.live().count() == 3


def test_it_makes_the_home_page_the_site_root(db):
    seed_pages()
    site = Site.objects.get()
    assert (site.hostname, site.port, site.is_default_site) == ("127.0.0.1", 8000, True)
    assert isinstance(site.root_page.specific, HomePage)
    assert site.root_page.url_path == "/home/"


def test_it_replaces_wagtails_welcome_page(db):
    assert Page.objects.filter(depth=2, content_type__model="page").exists()  # from Wagtail's migration
    seed_pages()
    assert list(Page.objects.filter(depth=2)) == [HomePage.objects.get().page_ptr]


def test_it_is_idempotent(db):
    seed_pages()
    counts = Page.objects.count(), Site.objects.count()
    assert seed_pages() == {"home": 0, "circulars": 0, "policies": 0}
    assert (Page.objects.count(), Site.objects.count()) == counts


def test_it_keeps_what_editors_changed(db):
    seed_pages()
    circular = CircularPage.objects.get(slug="network-go-live")
    circular.title = "编辑改过的标题"
    circular.save_revision().publish()
    seed_pages()
    assert CircularPage.objects.get(slug="network-go-live").title == "编辑改过的标题"


def test_it_restores_a_deleted_circular(db):
    seed_pages()
    CircularPage.objects.get(slug="network-go-live").delete()
    assert seed_pages()["circulars"] == 1


def test_the_indexes_have_the_expected_slugs(db):
    seed_pages()
    assert CircularIndexPage.objects.get().url == "/circulars/"
    assert PolicyIndexPage.objects.get().url == "/policies/"
    assert CircularIndexPage.objects.get().title == "通报"
    assert PolicyIndexPage.objects.get().title == "制度"


def test_circulars_have_revisions_and_publication_dates(db):
    seed_pages()
    for circular in CircularPage.objects.all():
        assert circular.live and circular.first_published_at and circular.live_revision_id
        assert circular.document_number.startswith("江纪通〔2026〕")
