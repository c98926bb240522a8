from __future__ import annotations

import pytest
from wagtail.models import Page, Site

from apps.pages.models import HomePage
from apps.pages.tests.site import build_public_site


@pytest.mark.django_db
def test_the_home_page_replaces_wagtails_welcome_page_and_shows_the_latest_news(client):
    build_public_site()
    assert Site.objects.get(is_default_site=True).root_page.specific_class is HomePage
    assert not Page.objects.filter(title__startswith="Welcome to your new Wagtail site").exists()
    body = client.get("/").content.decode()
    assert "Latest news" in body
    assert body.count('class="govuk-heading-m govuk-!-margin-bottom-1"') == 3


@pytest.mark.django_db
def test_loading_the_demo_twice_changes_nothing():
    build_public_site()
    before = Page.objects.count()
    build_public_site()
    assert Page.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/accessibility-statement/", "Enforcement procedure"),
        ("/privacy-notice/", "lawful basis"),
        ("/cookies/", "sessionid"),
    ],
)
def test_the_statutory_pages_say_what_they_must(client, path, words):
    build_public_site()
    response = client.get(path)
    assert response.status_code == 200
    assert words in response.content.decode()
