"""Public pages are kept for anonymous readers, and a publication shows at once."""

from __future__ import annotations

import pytest

from apps.accounts.tests.factories import UserFactory
from apps.news.models import NewsArticlePage
from apps.pages.tests.site import build_public_site


@pytest.mark.django_db
def test_an_anonymous_reader_gets_the_kept_page_until_something_is_published(
    client, django_capture_on_commit_callbacks
):
    build_public_site()
    first = client.get("/news/")
    assert "X-Hub-Page-Cache" not in first
    assert client.get("/news/")["X-Hub-Page-Cache"] == "hit"

    article = NewsArticlePage.objects.get(slug="safer-sleep-week")
    article.title = "Safer Sleep Week 2025"
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()

    again = client.get("/news/")
    assert "X-Hub-Page-Cache" not in again
    assert "Safer Sleep Week 2025" in again.content.decode()


@pytest.mark.django_db
def test_signed_in_people_always_get_a_fresh_page(client):
    build_public_site()
    client.force_login(UserFactory())
    client.get("/news/")
    assert "X-Hub-Page-Cache" not in client.get("/news/")


@pytest.mark.django_db
def test_pages_outside_wagtail_are_not_kept(client):
    client.get("/healthz")
    assert "X-Hub-Page-Cache" not in client.get("/healthz")
