"""The news as a member of the public reads it."""

from __future__ import annotations

import re
from pathlib import Path

import defusedxml.ElementTree as ET
import pytest
from django.conf import settings

from apps.accounts.tests.factories import UserFactory
from apps.core import dates
from apps.news.models import NewsArticlePage, NewsTopic
from apps.news.tests.factories import add_article
from apps.pages.tests.site import build_public_site

SEED = Path(__file__).resolve().parents[1] / "demo_data" / "partnership-news-2024.txt"


def seed_titles_and_dates() -> list[tuple[str, str]]:
    """Read the seed independently of the loader: the line before each 'Published ...' line."""
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines()]
    found = []
    for i, line in enumerate(lines):
        if re.fullmatch(r"Published \d{1,2} [A-Z][a-z]+ \d{4}\.", line):
            title = next(lines[j] for j in range(i - 1, -1, -1) if lines[j])
            found.append((title, line))
    return found


def test_the_committed_seed_is_the_partnerships_own_news_page():
    shared = Path(settings.BASE_DIR).parent / "shared" / "seed" / "partnership-news-2024.txt"
    if not shared.exists():
        pytest.skip("shared/ is not beside this checkout")
    assert SEED.read_text(encoding="utf-8") == shared.read_text(encoding="utf-8")


@pytest.mark.django_db
def test_every_seed_article_appears_with_its_title_and_date(client):
    build_public_site()
    expected = seed_titles_and_dates()
    assert len(expected) == 16
    listing = ""
    page = 1
    while True:
        response = client.get("/news/", {"page": page})
        listing += response.content.decode()
        if 'rel="next"' not in response.content.decode():
            break
        page += 1
    for title, published in expected:
        assert title.replace("’", "&#x27;").replace("'", "&#x27;") in listing or title in listing, title
        article = NewsArticlePage.objects.get(title=title)
        body = client.get(article.url).content.decode()
        assert published in body, f"{title}: {published}"
        assert "Back to list of news" in body


@pytest.mark.django_db
def test_articles_keep_the_seeds_lists_and_paragraphs_verbatim(client):
    build_public_site()
    body = client.get("/news/prevent-training/").content.decode()
    assert "<li>Monday 16 September 2024, 10.00am to 11.30am</li>" in body
    assert "North Yorkshire Police are delivering some free PREVENT awareness sessions." in body
    sharing = client.get(NewsArticlePage.objects.get(title__startswith="Sharing information").url).content.decode()
    assert "<ol>" in sharing and "Request police help with a Welfare Check" in sharing


@pytest.mark.django_db
def test_news_is_newest_first_and_the_same_days_keep_the_seed_order(client):
    build_public_site()
    body = client.get("/news/").content.decode()
    first = body.index("National Child Exploitation Awareness Day")
    assert first < body.index("Safer Sleep Week") < body.index("Managing Allegations")


@pytest.mark.django_db
def test_a_topic_filter_shows_only_that_topics_news(client):
    build_public_site()
    body = client.get("/news/", {"topic": "police"}).content.decode()
    assert "PREVENT Training" in body
    assert "Safer Sleep Week" not in body
    assert "Showing news about" in body


@pytest.mark.django_db
def test_the_rss_and_atom_feeds_list_the_latest_articles_with_their_dates(client):
    build_public_site()
    rss = ET.fromstring(client.get("/news/feeds/rss/").content)
    items = rss.findall("./channel/item")
    assert items[0].findtext("title") == "National Child Exploitation Awareness Day"
    assert "23 Feb 2024" in items[0].findtext("pubDate")
    assert items[0].findtext("link").startswith("http")
    atom = ET.fromstring(client.get("/news/feeds/atom/").content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [entry.findtext("a:title", namespaces=ns) for entry in atom.findall("a:entry", ns)]
    assert "PREVENT Training" in titles
    assert len(titles) == 16


@pytest.mark.django_db
def test_the_news_list_runs_the_same_few_queries_however_many_articles_there_are(client, django_assert_max_num_queries):
    build_public_site()
    client.force_login(UserFactory())  # signed in, so the page is rendered every time rather than kept
    client.get("/news/")  # warm the site-root cache
    with django_assert_max_num_queries(16):
        client.get("/news/")
    topics = list(NewsTopic.objects.all()[:2])
    for n in range(30):
        article = add_article(f"Extra article {n}")
        article.topics.set(topics)
        article.save()
    for query in ({}, {"page": 3}, {"topic": topics[0].slug}):
        with django_assert_max_num_queries(16):
            response = client.get("/news/", query)
        assert response.content.decode().count("Topics: <a") == 10
    assert "Extra article" in client.get("/news/").content.decode()


@pytest.mark.django_db
def test_the_publication_date_is_the_articles_own_not_the_day_it_was_loaded(client):
    build_public_site()
    article = NewsArticlePage.objects.get(title="Working Together to Safeguard Children 2023 Statutory Guidance")
    assert dates.format_date(article.published_on) == "8 December 2023"
    assert "Published 8 December 2023." in client.get(article.url).content.decode()


@pytest.mark.django_db
def test_each_article_has_topics_from_what_it_is_about(client):
    build_public_site()
    for title, _ in seed_titles_and_dates():
        assert NewsArticlePage.objects.get(title=title).topics.exists(), title
    prevent = NewsArticlePage.objects.get(title="PREVENT Training")
    assert sorted(prevent.topics.values_list("name", flat=True)) == ["Police", "Training and events"]
    mental_health = client.get("/news/", {"topic": "mental-health"}).content.decode()
    assert "Parental Mental Health and The Impact on Children (PAMIC) Tool" in mental_health
    assert "PREVENT Training" not in mental_health


@pytest.mark.django_db
def test_the_seeds_link_phrases_are_links_to_the_hub_or_the_organisation_named(client):
    build_public_site()
    ceaday = client.get("/news/national-child-exploitation-awareness-day/").content.decode()
    assert '<a href="https://www.stop-ce.org/">National Child Exploitation Awareness Day website</a>' in ceaday
    assert '<a href="https://www.stop-ce.org/">STOPCE website</a>' in ceaday
    prevent = client.get("/news/prevent-training/").content.decode()
    assert '<a href="/training/courses/prevent-awareness/">Book online at EventBrite</a>' in prevent
    documents = client.get("/news/new-cyscp-documents/").content.decode()
    assert "<h2>Child Protection Procedure</h2>" in documents
    assert (
        '<a href="/documents/multi-agency-child-protection-procedure/">Multi-Agency Child Protection Procedure</a>'
        in documents
    )


def test_the_loader_reads_the_shared_seed_when_the_committed_copy_is_absent(monkeypatch, settings, tmp_path):
    from apps.news import seed

    (tmp_path / "shared" / "seed").mkdir(parents=True)
    (tmp_path / "shared" / "seed" / seed.SEED_NAME).write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(seed, "COMMITTED_SEED", tmp_path / "repo" / "missing.txt")
    settings.BASE_DIR = tmp_path / "repo"
    assert seed.seed_path() == tmp_path / "shared" / "seed" / seed.SEED_NAME
    assert [article.title for article in seed.read_seed()] == [title for title, _ in seed_titles_and_dates()]


@pytest.mark.django_db
def test_an_article_page_runs_the_same_few_queries_as_signed_in_reader(client, django_assert_max_num_queries):
    build_public_site()
    client.force_login(UserFactory())  # signed in, so the page is rendered every time rather than kept
    client.get("/news/prevent-training/")
    with django_assert_max_num_queries(16):
        response = client.get("/news/prevent-training/")
    assert "Back to list of news" in response.content.decode()


@pytest.mark.django_db
def test_the_feeds_are_kept_for_anonymous_readers_until_the_next_publication(client):
    build_public_site()
    client.get("/news/feeds/rss/")
    assert client.get("/news/feeds/rss/")["X-Hub-Page-Cache"] == "hit"
    add_article("Fresh news").save_revision().publish()
    fresh = client.get("/news/feeds/rss/")
    assert "X-Hub-Page-Cache" not in fresh
    assert ET.fromstring(fresh.content).findtext("./channel/item/title") == "Fresh news"
