import re

import pytest

from apps.core.tests.fixtures import assert_accessible
from apps.pages.tests.site import build_public_site


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_member_of_the_public_reads_filters_and_searches_the_news(page):
    build_public_site()
    page.goto("/")
    assert_accessible(page, context="home")
    page.get_by_role("link", name="News", exact=True).first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Latest news"
    assert_accessible(page, context="news list")

    page.get_by_role("link", name="Next page").click()
    assert page.get_by_role("link", name="Sharing information with North Yorkshire Police").is_visible()
    assert_accessible(page, context="news list, page 2")

    page.locator("#news-topics").get_by_role("link", name="Training and events").click()
    assert "Showing news about" in page.content()
    assert not page.get_by_role("link", name="Safer Sleep Week").count()
    assert_accessible(page, context="news by topic")

    page.get_by_role("link", name="PREVENT Training").click()
    assert page.get_by_text("Published 5 February 2024.").is_visible()
    assert page.get_by_role("listitem").filter(has_text="Monday 9 December 2024, 10.00am to 11.30am").is_visible()
    assert_accessible(page, context="article")

    page.get_by_role("link", name="Back to list of news").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Latest news"
    assert re.search(r"/news/$", page.url)

    page.get_by_role("link", name="Search", exact=True).click()
    page.get_by_label("Search news and pages").fill("safer sleep")
    page.get_by_role("button", name="Search").click()
    assert page.get_by_role("heading", name="1 result for ‘safer sleep’").is_visible()
    assert_accessible(page, context="search results")
    page.get_by_role("link", name="Safer Sleep Week").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Safer Sleep Week"
