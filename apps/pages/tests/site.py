"""The public site's page tree for tests: the same loaders as the demo, so there is one source."""

from __future__ import annotations


def build_public_site() -> dict:
    from apps.news.demo import load as load_news
    from apps.pages.demo import load as load_pages

    load_pages()
    load_news()
    return {}
