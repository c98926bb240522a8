"""Sessions as iCalendar (RFC 5545): invitations for one booking, and feeds of many sessions.

An invitation's UID comes from its booking and never changes; SEQUENCE goes up each time the
event is sent again changed, so calendar programs replace the old copy instead of adding one.
Times are written in UTC, so a session across the clocks changing lands at the right hour.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from .models import Booking, Delivery, Session

PRODUCT_ID = "-//Safeguarding Children Partnership//Safeguarding Partnership Hub training//EN"


def _host() -> str:
    return urlsplit(settings.HUB_BASE_URL).hostname or "hub.invalid"


def booking_uid(booking: Booking) -> str:
    return f"booking-{booking.uid}@{_host()}"


def session_uid(session: Session) -> str:
    return f"session-{session.course_id}-{session.number}@{_host()}"


def _location(session: Session, *, with_link: bool) -> str:
    if session.course.delivery == Delivery.ONLINE:
        return session.joining_link if with_link and session.joining_link else "Online"
    return session.venue


def _event(session: Session, *, uid: str, sequence: int, with_link: bool, cancelled: bool = False) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("sequence", sequence)
    event.add("dtstart", session.starts_at.astimezone(dt.UTC))
    event.add("dtend", session.ends_at.astimezone(dt.UTC))
    event.add("summary", session.course.title)
    page = settings.HUB_BASE_URL + session.get_absolute_url()
    description = [session.course.summary.strip(), f"Run by {session.course.provider}.", f"Details: {page}"]
    if with_link and session.joining_link:
        description.insert(1, f"Join online: {session.joining_link}")
    event.add("description", "\n\n".join(description))
    location = _location(session, with_link=with_link)
    if location:
        event.add("location", location)
    event.add("url", page)
    event.add("status", "CANCELLED" if cancelled or session.is_cancelled else "CONFIRMED")
    return event


def _calendar(method: str | None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODUCT_ID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    return cal


def invitation(booking: Booking, *, cancel: bool = False) -> bytes:
    """The .ics attached to a confirmation, an update (METHOD:REQUEST) or a cancellation (METHOD:CANCEL)."""
    cal = _calendar("CANCEL" if cancel else "REQUEST")
    event = _event(
        booking.session,
        uid=booking_uid(booking),
        sequence=booking.calendar_sequence,
        with_link=not cancel,
        cancelled=cancel,
    )
    organiser = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL.rsplit('<', 1)[-1].strip('> ')}")
    organiser.params["cn"] = vText(booking.session.course.provider)
    event.add("organizer", organiser)
    attendee = vCalAddress(f"mailto:{booking.person.email}")
    attendee.params["cn"] = vText(booking.person.get_full_name() or booking.person.email)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("DECLINED" if cancel else "ACCEPTED")
    event.add("attendee", attendee)
    cal.add_component(event)
    return cal.to_ical()


def feed(sessions: Iterable[Session], *, name: str, description: str, booked: Iterable[Booking] = ()) -> bytes:
    """A subscribable calendar. Sessions use a UID of their own; a person's bookings use the booking's
    UID (the same as the invitation's), so subscribing never shows one session twice."""
    cal = _calendar("PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-caldesc", description)
    cal.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    for session in sessions:
        cal.add_component(_event(session, uid=session_uid(session), sequence=0, with_link=False))
    for booking in booked:
        cal.add_component(
            _event(
                booking.session,
                uid=booking_uid(booking),
                sequence=booking.calendar_sequence,
                with_link=True,
                cancelled=not booking.holds_place,
            )
        )
    return cal.to_ical()
