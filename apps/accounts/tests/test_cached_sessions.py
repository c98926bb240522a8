"""With Redis (as the README deploys the hub), a signed-in person's session is read from the cache, not the
database, on every page; signing out still ends it everywhere, and a lost cache signs nobody out."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CACHED = "django.contrib.sessions.backends.cached_db"


@pytest.fixture
def cached_sessions(settings):
    settings.SESSION_ENGINE = CACHED
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


def session_queries(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "django_session" in q["sql"]]


def test_a_signed_in_page_does_not_read_the_session_from_the_database(client, cached_sessions):
    person = UserFactory()
    client.force_login(person)
    client.get("/training/my-training/")  # the first read fills the cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/training/my-training/")
    assert response.status_code == 200
    assert response.wsgi_request.user == person
    assert session_queries(queries) == []


def test_signing_out_ends_the_session_even_though_it_was_cached(client, cached_sessions):
    person = UserFactory()
    client.force_login(person)
    cookie = client.cookies["sessionid"].value
    assert client.get("/training/my-training/").status_code == 200
    client.post("/accounts/logout/")
    client.cookies["sessionid"] = cookie  # someone kept a copy of the cookie
    response = client.get("/training/my-training/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_emptied_cache_signs_nobody_out(client, cached_sessions):
    person = UserFactory()
    client.force_login(person)
    assert client.get("/training/my-training/").status_code == 200
    cache.clear()  # Redis restarted, or flushed
    response = client.get("/training/my-training/")
    assert response.status_code == 200
    assert response.wsgi_request.user == person
