"""News: articles with their own publication dates and topics, edited in Wagtail."""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from apps.pages.models import BODY_FEATURES, CachedForAnonymousReaders


@register_snippet
class NewsTopic(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.slug = self.slug or slugify(self.name)
        super().save(*args, **kwargs)


class NewsIndexPage(CachedForAnonymousReaders, Page):
    """ "Latest news": the articles below it, newest first."""

    intro = models.TextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    max_count = 1
    parent_page_types = ["pages.HomePage"]
    subpage_types = ["news.NewsArticlePage"]
    page_size = 10

    def get_context(self, request, *args, **kwargs):
        from apps.news.selectors import news_listing

        context = super().get_context(request, *args, **kwargs)
        context.update(news_listing(index=self, topic_slug=request.GET.get("topic", ""), page=request.GET.get("page")))
        return context


class NewsArticlePage(CachedForAnonymousReaders, Page):
    """One article. Its publication date is its own (shown as "Published ..."), not the day Wagtail published it."""

    published_on = models.DateField(
        "publication date",
        db_index=True,
        default=timezone.localdate,
        help_text="The date shown as 'Published ...' on the article.",
    )
    summary = models.TextField(help_text="A sentence or two for the news list and the feeds.")
    body = RichTextField(features=BODY_FEATURES)
    topics = ParentalManyToManyField(NewsTopic, blank=True, related_name="articles")

    content_panels = [
        *Page.content_panels,
        FieldPanel("published_on"),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.RelatedFields("topics", [index.SearchField("name")]),
        index.FilterField("published_on"),
    ]
    parent_page_types = ["news.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        indexes = [models.Index(fields=["-published_on", "-page_ptr"], name="news_article_newest_idx")]
