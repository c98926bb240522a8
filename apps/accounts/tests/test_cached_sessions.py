"""With Redis (as the README deploys the hub), a signed-in person's session is read from the cache, not the
database, on every page; signing out still ends it everywhere, a lost cache signs nobody out, and a cache
that cannot be reached neither stops pages opening nor half-ends a session."""

from __future__ import annotations

from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CACHED = "apps.accounts.sessions"


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


def test_while_the_cache_cannot_be_reached_a_signed_in_page_still_opens(client, cached_sessions):
    person = UserFactory()
    client.force_login(person)
    cache.clear()
    unreachable = ConnectionError("Redis is not answering")
    with (
        mock.patch.object(cache, "get", side_effect=unreachable),
        mock.patch.object(cache, "set", side_effect=unreachable),
    ):
        response = client.get("/training/my-training/")
    assert response.status_code == 200
    assert response.wsgi_request.user == person


def test_a_sign_out_that_cannot_reach_the_cache_leaves_the_session_whole_and_a_later_one_ends_it(cached_sessions):
    person = UserFactory()
    browser = Client(raise_request_exception=False)
    browser.force_login(person)
    cookie = browser.cookies["sessionid"].value
    assert browser.get("/training/my-training/").status_code == 200
    with mock.patch.object(cache, "delete", side_effect=ConnectionError("Redis is not answering")):
        failed = browser.post("/accounts/logout/")
    assert failed.status_code == 500  # the person is told it did not work
    assert Session.objects.filter(session_key=cookie).exists()  # not half-removed: no copy to come back later
    browser.cookies["sessionid"] = cookie
    browser.post("/accounts/logout/")  # the cache is back
    assert not Session.objects.filter(session_key=cookie).exists()
    browser.cookies["sessionid"] = cookie
    response = browser.get("/training/my-training/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
