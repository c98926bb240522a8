"""Reads of the public site's pages."""

from __future__ import annotations

from wagtail.models import Page
from wagtail.search.backends.base import BaseSearchResults

MAX_QUERY_LENGTH = 200


def search_public_pages(query: str) -> BaseSearchResults:
    """Live, public news articles and standard pages that contain every word of `query`, most relevant first.

    Wagtail's database search backend answers: PostgreSQL's full-text search (with English
    stemming) on PostgreSQL, SQLite's FTS5 index on SQLite. Results are sliced in the database.
    """
    from apps.news.models import NewsArticlePage

    from .models import StandardPage

    return (
        Page.objects.live()
        .public()
        .type(NewsArticlePage, StandardPage)
        .specific()
        .search(query[:MAX_QUERY_LENGTH], operator="and")
    )
