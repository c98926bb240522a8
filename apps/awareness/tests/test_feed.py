import datetime as dt

import pytest
from django.urls import reverse
from icalendar import Calendar

from apps.awareness.tests.factories import AwarenessEventFactory, ceaday, safer_sleep_week

pytestmark = pytest.mark.django_db


def events_of(response) -> dict[str, object]:
    calendar = Calendar.from_ical(response.content)
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_the_feed_is_icalendar_that_calendar_programs_read_back(client):
    ceaday()
    safer_sleep_week()
    AwarenessEventFactory(title="Draft day", published=False)

    response = client.get(reverse("awareness:feed"))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = events_of(response)
    assert set(events) == {"National Child Exploitation Awareness Day (CEADay)", "Safer Sleep Week"}

    cea = events["National Child Exploitation Awareness Day (CEADay)"]
    assert cea.decoded("DTSTART") == dt.date(2024, 3, 18)
    assert cea.decoded("DTEND") == dt.date(2024, 3, 19)
    assert cea["RRULE"]["FREQ"] == ["YEARLY"]
    assert str(cea["URL"]) == "https://www.nwgnetwork.org/"

    week = events["Safer Sleep Week"]
    assert week.decoded("DTSTART") == dt.date(2024, 3, 11)
    # DTEND of an all-day event is the day after the last day: the week is 11 to 17 March.
    assert week.decoded("DTEND") == dt.date(2024, 3, 18)
    assert "RRULE" not in week


def test_each_event_keeps_its_uid_when_it_is_renamed(client):
    event = ceaday()
    before = str(next(iter(events_of(client.get(reverse("awareness:feed"))).values()))["UID"])
    event.title, event.slug = "CEADay", "ceaday"
    event.save()
    after = str(next(iter(events_of(client.get(reverse("awareness:feed"))).values()))["UID"])
    assert before == after and str(event.uid) in after


def test_a_yearly_day_on_29_february_repeats_on_the_last_day_of_february():
    from apps.awareness.feed import build_calendar

    event = AwarenessEventFactory(start_date=dt.date(2024, 2, 29), recurs_yearly=True)
    vevent = Calendar.from_ical(build_calendar([event])).walk("VEVENT")[0]
    assert vevent["RRULE"]["BYMONTH"] == [2] and vevent["RRULE"]["BYMONTHDAY"] == [-1]
