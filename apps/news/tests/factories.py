"""News articles for tests, added under the news index that `build_public_site()` made."""

from __future__ import annotations

from django.utils.text import slugify

from apps.news.models import NewsArticlePage, NewsIndexPage


def add_article(title: str, *, text: str = "", published_on: str = "2024-03-01", live: bool = True) -> NewsArticlePage:
    page = NewsArticlePage(
        title=title,
        slug=slugify(title),
        published_on=published_on,
        summary=f"{title}.",
        body=f"<p>{text or title}</p>",
        live=live,
    )
    NewsIndexPage.objects.get().add_child(instance=page)
    return page
