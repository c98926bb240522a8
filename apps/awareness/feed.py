"""The awareness calendar as iCalendar (RFC 5545), for people to subscribe to in their own calendars."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from icalendar import Calendar, Event

from .models import AwarenessEvent

PRODUCT_ID = "-//Safeguarding Children Partnership//Safeguarding Partnership Hub awareness calendar//EN"
CALENDAR_NAME = "Safeguarding partnership awareness calendar"


def uid_of(event: AwarenessEvent) -> str:
    # The UUID never changes, whatever happens to the title, the slug or the database.
    return f"awareness-{event.uid}@{urlsplit(settings.HUB_BASE_URL).hostname or 'hub.invalid'}"


def as_vevent(event: AwarenessEvent) -> Event:
    page = settings.HUB_BASE_URL + event.get_absolute_url()
    vevent = Event()
    vevent.add("uid", uid_of(event))
    vevent.add("dtstamp", event.updated_at.astimezone(dt.UTC))
    vevent.add("last-modified", event.updated_at.astimezone(dt.UTC))
    vevent.add("summary", event.title)
    # All-day events: DTSTART and DTEND are dates, and DTEND is the day after the last day.
    vevent.add("dtstart", event.start_date)
    vevent.add("dtend", event.last_date + dt.timedelta(days=1))
    if event.recurs_yearly:
        if event.start_date.month == 2 and event.start_date.day == 29:
            # The last day of February: 29 February in leap years, 28 February otherwise.
            vevent.add("rrule", {"freq": "yearly", "bymonth": 2, "bymonthday": -1})
        else:
            vevent.add("rrule", {"freq": "yearly"})
    description = [event.description.strip(), f"Organised by {event.organiser}."]
    if event.dates_note:
        description.append(event.dates_note)
    description.append(f"More on the partnership's awareness calendar: {page}")
    vevent.add("description", "\n\n".join(description))
    vevent.add("url", event.link or page)
    vevent.add("transp", "TRANSPARENT")  # an awareness day does not make anyone busy
    return vevent


def build_calendar(events: Iterable[AwarenessEvent]) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODUCT_ID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", CALENDAR_NAME)
    cal.add("x-wr-caldesc", "Awareness days and weeks that the safeguarding children partnership supports.")
    cal.add("refresh-interval", dt.timedelta(days=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "P1D")
    for event in events:
        cal.add_component(as_vevent(event))
    return cal.to_ical()
