"""Editorial pages of the portal (Wagtail) and the service heartbeat.

Pages are for content that editors write: the staff home page, circulars (通报) and policies.
Work items live in the apps, not in pages.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.rich_text import get_text_for_indexing
from wagtail.search import index

from agencies.summary import agency_summary
from common.cjk import cjk_spaced
from issues.reading.board import TABS, count_label, tab_counts

# Entries per page on the circular and policy indexes and in page search results.
PAGE_SIZE = 20


class ServiceHeartbeat(models.Model):
    """The last time a background service proved it was alive."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    seen_at = models.DateTimeField(_("seen at"))

    class Meta:
        verbose_name = _("service heartbeat")
        verbose_name_plural = _("service heartbeats")

    def __str__(self) -> str:
        return self.name


class HomePage(Page):
    """The signed-in staff's start page: their agency at a glance and the latest circulars."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["portal.CircularIndexPage", "portal.PolicyIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("portal home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_circulars"] = (
            CircularPage.objects.live().public().descendant_of(self)
            .order_by("-date", "-first_published_at")[:5]
        )
        context["circular_index"] = CircularIndexPage.objects.live().child_of(self).first()
        context["policy_index"] = PolicyIndexPage.objects.live().child_of(self).first()
        context["agency_summary"] = summary = agency_summary(request)
        if summary is not None:
            counts = tab_counts(request.user, summary["agency"])
            context["board_tabs"] = [(tab, count_label(counts[tab.slug])) for tab in TABS]
        return context


class CircularIndexPage(Page):
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["portal.CircularPage"]

    class Meta:
        verbose_name = _("circular index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        circulars = (
            CircularPage.objects.live().descendant_of(self).order_by("-date", "-first_published_at")
        )
        context["circulars"] = Paginator(circulars, PAGE_SIZE).get_page(request.GET.get("page"))
        return context


class DocumentPageMixin:
    """What circulars and policies share: their kind's label, and Chinese-aware search text.

    ``search_text`` indexes title, summary and body once more with one token per Chinese character.

    See ``portal.search``: without it the database search backend finds no Chinese word
    inside a sentence.
    """

    @property
    def kind_label(self) -> str:
        return self._meta.verbose_name

    def search_text(self) -> str:
        parts = [
            self.title,
            getattr(self, "document_number", ""),
            getattr(self, "issuer", ""),
            self.summary,
            get_text_for_indexing(self.body or ""),
        ]
        return cjk_spaced(" ".join(part for part in parts if part))


class CircularPage(DocumentPageMixin, Page):
    """通报: a bulletin from a supervisory body to the network."""

    date = models.DateField(_("date"))
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    issuer = models.CharField(_("issued by"), max_length=120, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = RichTextField(_("body"))

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("document_number"),
        FieldPanel("issuer"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("document_number"),
        index.SearchField("search_text"),
        index.FilterField("date"),
    ]
    parent_page_types = ["portal.CircularIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("circular")
        verbose_name_plural = _("circulars")


class PolicyIndexPage(Page):
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["portal.PolicyPage"]

    class Meta:
        verbose_name = _("policy index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        policies = PolicyPage.objects.live().descendant_of(self).order_by("-effective_date", "title")
        context["policies"] = Paginator(policies, PAGE_SIZE).get_page(request.GET.get("page"))
        return context


class PolicyPage(DocumentPageMixin, Page):
    """A rule or policy the network works by (制度文件)."""

    effective_date = models.DateField(_("effective date"))
    issuer = models.CharField(_("issued by"), max_length=120, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = RichTextField(_("body"))

    content_panels = Page.content_panels + [
        FieldPanel("effective_date"),
        FieldPanel("issuer"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("search_text"),
        index.FilterField("effective_date"),
    ]
    parent_page_types = ["portal.PolicyIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
