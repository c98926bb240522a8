"""Reads of news: newest first, in as few queries as the page needs."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from .models import NewsArticlePage, NewsIndexPage, NewsTopic


def live_articles() -> QuerySet[NewsArticlePage]:
    return (
        NewsArticlePage.objects.live()
        .public()
        .order_by("-published_on", "-pk")
        .only("id", "title", "slug", "url_path", "published_on", "summary", "depth", "path")
        .prefetch_related(Prefetch("topics", queryset=NewsTopic.objects.order_by("name")))
    )


def latest_articles(*, limit: int) -> list[NewsArticlePage]:
    return list(live_articles()[:limit])


def news_listing(*, index: NewsIndexPage, topic_slug: str, page: str | None) -> dict:
    articles = live_articles().child_of(index)
    topic = NewsTopic.objects.filter(slug=topic_slug).first() if topic_slug else None
    if topic is not None:
        articles = articles.filter(topics=topic)
    paginator = Paginator(articles, index.page_size)
    page_obj = paginator.get_page(page)
    return {
        "articles": page_obj.object_list,
        "page_obj": page_obj,
        "topics": topics_in_use(),
        "current_topic": topic,
    }


def topics_in_use() -> QuerySet[NewsTopic]:
    """Topics with at least one live article: the choices of the news list's topic filter."""
    tagged_live = NewsArticlePage.topics.through.objects.filter(newstopic=OuterRef("pk"), newsarticlepage__live=True)
    return NewsTopic.objects.filter(Exists(tagged_live)).order_by("name")
