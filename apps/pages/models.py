"""The public site's ordinary pages, edited in Wagtail."""

from __future__ import annotations

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from apps.core.page_cache import keep_for_anonymous_readers

BODY_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "hr"]


class CachedForAnonymousReaders:
    """A public page whose rendered HTML may be kept for readers who are not signed in."""

    def serve(self, request, *args, **kwargs):
        keep_for_anonymous_readers(request)
        return super().serve(request, *args, **kwargs)


class HomePage(CachedForAnonymousReaders, Page):
    """The site root: who the partnership is and where to go next."""

    intro = RichTextField(features=BODY_FEATURES, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["news.NewsIndexPage", "pages.StandardPage"]

    def get_context(self, request, *args, **kwargs):
        from apps.news.selectors import latest_articles

        context = super().get_context(request, *args, **kwargs)
        context["latest_articles"] = latest_articles(limit=3)
        return context


class StandardPage(CachedForAnonymousReaders, Page):
    """An ordinary page: the accessibility statement, privacy notice, cookies and the like."""

    intro = models.TextField(blank=True, help_text="One or two sentences shown under the title.")
    body = RichTextField(features=BODY_FEATURES)
    last_reviewed = models.DateField(null=True, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body"), FieldPanel("last_reviewed")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["pages.HomePage", "pages.StandardPage"]
    subpage_types = ["pages.StandardPage"]
