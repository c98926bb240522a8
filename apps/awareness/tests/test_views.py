import datetime as dt
import re

import pytest
from django.urls import reverse

from apps.accounts.tests.factories import make_role_user
from apps.awareness.tests.factories import AwarenessEventFactory, ceaday, safer_sleep_week

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_list_shows_the_coming_year_in_date_order_grouped_by_month(client, on):
    on(dt.date(2026, 11, 25))
    ceaday()
    AwarenessEventFactory(title="Anti-Bullying Week", start_date=dt.date(2026, 11, 16), end_date=dt.date(2026, 11, 30))
    AwarenessEventFactory(title="Safer Internet Day", start_date=dt.date(2027, 2, 9))
    AwarenessEventFactory(title="Long gone", start_date=dt.date(2024, 3, 13))
    AwarenessEventFactory(title="Too far ahead", start_date=dt.date(2028, 1, 10))
    AwarenessEventFactory(title="Draft day", start_date=dt.date(2027, 1, 5), published=False)

    response = client.get(reverse("awareness:index"))

    text = text_of(response)
    headings = re.findall(r'<h2 class="govuk-heading-m">([^<]+)</h2>', response.content.decode())
    assert headings[:3] == ["November 2026", "February 2027", "March 2027"]
    assert text.index("Anti-Bullying Week") < text.index("Safer Internet Day") < text.index("CEADay")
    assert "16 to 30 November 2026 (on now)" in text
    assert "Thursday 18 March 2027" in text
    for hidden in ("Long gone", "Too far ahead", "Draft day"):
        assert hidden not in text


def test_the_month_is_an_accessible_table_with_each_day_listing_its_events(client):
    ceaday()
    safer_sleep_week()
    AwarenessEventFactory(
        title="Young Carers Action Day", slug="young-carers-action-day", start_date=dt.date(2024, 3, 13)
    )

    response = client.get(reverse("awareness:month", kwargs={"year": 2024, "month": 3}))

    html = response.content.decode()
    assert "<caption" in html and "Awareness days and weeks in March 2024" in html
    assert html.count('scope="col"') == 7
    cells = re.findall(r"<td[^>]*>(.*?)</td>", html, flags=re.S)
    by_day = {}
    for cell in cells:
        day = re.search(r'awareness-calendar__date">(\d+)', cell)
        if day:
            by_day[int(day.group(1))] = re.findall(r'class="govuk-link" href="[^"]+">([^<]+)</a>', cell)
    assert by_day[10] == []
    assert by_day[11] == ["Safer Sleep Week"]
    assert by_day[13] == ["Safer Sleep Week", "Young Carers Action Day"]
    assert by_day[17] == ["Safer Sleep Week"]
    assert by_day[18] == ["National Child Exploitation Awareness Day (CEADay)"]
    assert 'href="/awareness/2024/2/"' in html and 'href="/awareness/2024/4/"' in html


def test_a_yearly_event_appears_in_every_year_and_a_one_off_only_in_its_own(client):
    ceaday()
    safer_sleep_week()
    text = text_of(client.get(reverse("awareness:month", kwargs={"year": 2031, "month": 3})))
    assert "CEADay" in text and "Tuesday 18 March 2031" in text
    assert "Safer Sleep Week" not in text


def test_a_month_that_does_not_exist_is_not_found(client):
    assert client.get("/awareness/2024/13/").status_code == 404
    assert client.get("/awareness/10000/1/").status_code == 404


def test_the_event_page_gives_the_dates_organiser_and_website(client, on):
    on(dt.date(2026, 11, 25))
    event = ceaday(description="First paragraph.\n\nSecond paragraph.")
    text = text_of(client.get(event.get_absolute_url()))
    assert "18 March, every year" in text
    assert "Next: Thursday 18 March 2027" in text
    assert "National Child Exploitation Awareness Day (NWG Network) website" in text
    assert "<p>First paragraph.</p>" in client.get(event.get_absolute_url()).content.decode()


def test_an_unpublished_event_is_hidden_from_the_public_but_the_business_unit_can_preview_it(client):
    event = AwarenessEventFactory(published=False)
    assert client.get(event.get_absolute_url()).status_code == 404
    client.force_login(make_role_user("practitioner"))
    assert client.get(event.get_absolute_url()).status_code == 404
    client.force_login(make_role_user("business_unit"))
    response = client.get(event.get_absolute_url())
    assert response.status_code == 200
    assert "This event is not published" in response.content.decode()


@pytest.mark.parametrize("url", ["/awareness/", "/awareness/2027/3/", "/awareness/calendar.ics"])
def test_calendar_pages_take_the_same_queries_however_many_events_there_are(
    client, url, on, django_assert_max_num_queries, django_assert_num_queries
):
    on(dt.date(2026, 11, 25))
    ceaday()
    for n in range(40):
        AwarenessEventFactory(start_date=dt.date(2027, 3, 1) + dt.timedelta(days=n % 28), recurs_yearly=n % 2 == 0)
    # Cold: what changed since the page was cached, then the events themselves.
    with django_assert_num_queries(2):
        assert client.get(url).status_code == 200
    # Warm: only what changed, or nothing at all when the whole page was kept for anonymous readers.
    with django_assert_max_num_queries(1):
        assert client.get(url).status_code == 200


def test_a_change_to_the_calendar_shows_at_once_despite_the_cache(client, on):
    on(dt.date(2026, 11, 25))
    ceaday()
    for url in ("/awareness/", "/awareness/2027/3/", "/awareness/calendar.ics"):
        assert "Young Carers" not in client.get(url).content.decode()
    event = AwarenessEventFactory(title="Young Carers Action Day", start_date=dt.date(2027, 3, 10))
    for url in ("/awareness/", "/awareness/2027/3/", "/awareness/calendar.ics"):
        assert "Young Carers" in client.get(url).content.decode()
    event.published = False
    event.save()
    for url in ("/awareness/", "/awareness/2027/3/", "/awareness/calendar.ics"):
        assert "Young Carers" not in client.get(url).content.decode()


def test_calendar_programs_that_already_have_the_feed_get_not_modified(client):
    ceaday()
    first = client.get("/awareness/calendar.ics")
    again = client.get("/awareness/calendar.ics", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    safer_sleep_week()
    assert client.get("/awareness/calendar.ics", headers={"If-None-Match": first["ETag"]}).status_code == 200
