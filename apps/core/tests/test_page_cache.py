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


@pytest.mark.django_db
def test_a_new_document_version_shows_at_once_in_the_kept_library_page(client, django_capture_on_commit_callbacks):
    from apps.documents.demo import load as load_documents

    with django_capture_on_commit_callbacks(execute=True):
        load_documents()
    client.get("/documents/")
    assert client.get("/documents/")["X-Hub-Page-Cache"] == "hit"
    from apps.documents.models import Document

    document = Document.objects.first()
    with django_capture_on_commit_callbacks(execute=True):
        Document.objects.filter(pk=document.pk).update(title="x")  # a bulk update sends no signal...
        document.title = "Renamed procedure"
        document.save()  # ...a save does
    assert "Renamed procedure" in client.get("/documents/").content.decode()


@pytest.mark.django_db
def test_the_kept_calendar_page_lasts_only_until_midnight_in_london(client):
    import datetime as dt

    from freezegun import freeze_time

    with freeze_time(dt.datetime(2026, 7, 1, 22, 30, tzinfo=dt.UTC)):  # 11:30pm BST
        client.get("/awareness/")
        assert client.get("/awareness/")["X-Hub-Page-Cache"] == "hit"
    with freeze_time(dt.datetime(2026, 7, 1, 23, 1, tzinfo=dt.UTC)):  # 12:01am BST, the next day
        assert "X-Hub-Page-Cache" not in client.get("/awareness/")
