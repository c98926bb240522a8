import pytest

from apps.core.tests.fixtures import assert_accessible


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_page_not_found_page_is_accessible_and_says_what_to_do(page):
    response = page.goto("/no-such-page/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
    assert_accessible(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_layout_skip_link_takes_keyboard_users_to_the_content(page):
    page.goto("/no-such-page/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.is_visible()
    skip.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
