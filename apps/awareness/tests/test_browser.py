import datetime as dt

import pytest

from apps.awareness.tests.factories import AwarenessEventFactory, ceaday, safer_sleep_week
from apps.core.tests.fixtures import assert_accessible


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_member_of_the_public_finds_an_awareness_week_in_the_calendar(page, monkeypatch):
    monkeypatch.setattr("apps.awareness.views.today", lambda: dt.date(2027, 2, 20))
    ceaday()
    safer_sleep_week(recurs_yearly=True)
    AwarenessEventFactory(
        title="Young Carers Action Day", slug="young-carers-action-day", start_date=dt.date(2027, 3, 10)
    )

    page.goto("/awareness/")
    assert page.get_by_role("heading", level=2, name="March 2027").is_visible()
    assert_accessible(page, context="awareness list")

    page.get_by_role("link", name="See February 2027 as a calendar").click()
    page.get_by_role("link", name="Next month : March 2027").click()
    table = page.get_by_role("table", name="Awareness days and weeks in March 2027")
    assert table.get_by_role("columnheader", name="Monday").is_visible()
    thursday_18 = table.get_by_role("cell").filter(has_text="18").filter(has_text="CEADay")
    assert thursday_18.count() == 1
    assert table.get_by_role("link", name="Safer Sleep Week").count() == 7
    assert_accessible(page, context="March 2027")

    table.get_by_role("link", name="Safer Sleep Week").first.click()
    assert page.get_by_role("heading", level=1, name="Safer Sleep Week").is_visible()
    assert page.get_by_text("Next: 11 to 17 March 2027").is_visible()
    assert_accessible(page, context="Safer Sleep Week")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_month_grid_can_be_scrolled_by_keyboard_on_a_phone(phone_page):
    phone_page.goto("/awareness/2024/3/")
    region = phone_page.get_by_role("region", name="Awareness days and weeks in March 2024")
    region.focus()
    # The page itself does not scroll sideways (WCAG 1.4.10 reflow); only the table's region does.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 320
    phone_page.keyboard.press("ArrowRight")
    scrolled = 0
    for _ in range(20):  # scrolling may be animated
        scrolled = phone_page.evaluate("document.activeElement.scrollLeft")
        if scrolled > 0:
            break
        phone_page.wait_for_timeout(100)
    assert scrolled > 0
    assert_accessible(phone_page, context="March 2024 on a phone")
