"""Site search: live news and standard pages, on SQLite's and PostgreSQL's full-text search."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from wagtail.search.backends import get_search_backend

from apps.news.tests.factories import add_article
from apps.pages.tests.site import build_public_site

STANDARD_PAGES = {"Accessibility statement", "Privacy notice", "Cookies"}


def result_titles(response) -> list[str]:
    body = response.content.decode()
    return [chunk.split(">", 2)[2].split("</a>")[0] for chunk in body.split('<h3 class="govuk-heading-s')[1:]]


@pytest.mark.django_db
def test_search_finds_news_and_pages_by_the_words_in_their_text(client):
    build_public_site()
    prevent = client.get("/search/", {"q": "counter-terrorism"})
    assert result_titles(prevent) == ["PREVENT Training"]
    assert "News article. Published 5 February 2024." in prevent.content.decode()
    cookies = client.get("/search/", {"q": "csrftoken"})
    assert result_titles(cookies) == ["Cookies"]


@pytest.mark.django_db
def test_search_needs_every_word_and_leaves_out_the_home_page_and_the_news_list(client):
    build_public_site()
    assert result_titles(client.get("/search/", {"q": "safer sleep"})) == ["Safer Sleep Week"]
    everything = result_titles(client.get("/search/", {"q": "partnership"}))
    assert everything
    assert "Latest news" not in everything
    assert "Safeguarding Children Partnership" not in everything


@pytest.mark.django_db
def test_search_leaves_out_drafts(client):
    build_public_site()
    add_article("Quokka welfare draft", live=False)
    response = client.get("/search/", {"q": "quokka"})
    assert "0 results" in response.content.decode()
    assert "double-checking your spelling" in response.content.decode()


@pytest.mark.django_db
def test_search_results_come_ten_to_a_page_with_govuk_pagination(client):
    build_public_site()
    for n in range(12):
        add_article(f"Zebra crossing {n}", text="Zebra crossings near schools.")
    first = client.get("/search/", {"q": "zebra"})
    assert "12 results for ‘zebra’" in first.content.decode()
    assert len(result_titles(first)) == 10
    assert 'class="govuk-pagination"' in first.content.decode()
    second = client.get("/search/", {"q": "zebra", "page": 2})
    assert len(result_titles(second)) == 2
    assert "(page 2 of 2)" in second.content.decode()


@pytest.mark.django_db
def test_search_runs_a_few_queries_however_many_results(client, django_assert_max_num_queries):
    build_public_site()
    for n in range(25):
        add_article(f"Kestrel {n}")
    with django_assert_max_num_queries(8):
        response = client.get("/search/", {"q": "kestrel"})
    assert len(result_titles(response)) == 10


@pytest.mark.django_db
def test_search_without_words_shows_only_the_search_box(client):
    response = client.get("/search/", {"q": "   "})
    assert response.status_code == 200
    main = response.content.decode().split("<main", 1)[1].split("</main>")[0]
    assert "result" not in main.lower()


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's full-text search: run with DATABASE_URL")
def test_on_postgresql_search_uses_full_text_search_with_english_stemming(client):
    build_public_site()
    assert type(get_search_backend()).__name__ == "PostgresSearchBackend"
    # "briefings" finds "Good Practice Briefing": the English stemmer makes both "briefing".
    titles = result_titles(client.get("/search/", {"q": "briefings"}))
    assert "Managing Allegations - Good Practice Briefing" in titles
    assert "New CYSCP Documents" in titles


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's full-text index: the default database")
def test_on_sqlite_search_uses_its_fts5_full_text_index(client):
    build_public_site()
    assert type(get_search_backend()).__name__ == "SQLiteSearchBackend"
    titles = result_titles(client.get("/search/", {"q": "briefings"}))
    assert "New CYSCP Documents" in titles
    assert result_titles(client.get("/search/", {"q": "Lullaby"})) == ["Safer Sleep Week"]


@pytest.mark.django_db
def test_search_finds_news_by_its_topics(client):
    build_public_site()
    # The worker indexes a page after its transaction commits, so with its topics; the tests'
    # immediate task backend indexes it during the save, before the topics are written.
    call_command("update_index", verbosity=0)
    titles = result_titles(client.get("/search/", {"q": "learning from reviews"}))
    # PostgreSQL's English stemmer also finds the accessibility statement ("learning record ... reviewed");
    # of the news, only the article with the topic "Learning from reviews" has those words.
    assert [title for title in titles if title not in STANDARD_PAGES] == ["New CYSCP Documents"]
