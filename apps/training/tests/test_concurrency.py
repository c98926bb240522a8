"""Never oversold: 200 people book a 20-place session at the same moment, each on their own connection."""

from __future__ import annotations

from collections import Counter

import pytest

from apps.accounts.tests.factories import OrganisationFactory, UserFactory
from apps.core.tests.fixtures import all_at_once
from apps.training import services
from apps.training.models import Booking, BookingStatus, WaitingListEntry
from apps.training.tests.factories import SessionFactory

PEOPLE = 200
PLACES = 20
# PostgreSQL here allows 100 connections for everyone, so at most this many threads hold one
# at a time; all 200 still start together and race for the same rows.
CONNECTIONS_AT_ONCE = 30


@pytest.mark.django_db(transaction=True)
def test_two_hundred_people_booking_twenty_places_at_once_get_exactly_twenty(shared_database):
    organisation = OrganisationFactory()
    session = SessionFactory(capacity=PLACES)
    people = [UserFactory(organisation=organisation) for _ in range(PEOPLE)]

    def book(person) -> str:
        try:
            services.book_place(session=session, person=person, by=person)
            return "booked"
        except services.SessionFull:
            services.join_waiting_list(session=session, person=person, by=person)
            return "waiting"

    outcomes = all_at_once(book, people, connections_at_once=CONNECTIONS_AT_ONCE)
    assert Counter(outcomes) == {"booked": PLACES, "waiting": PEOPLE - PLACES}
    booked = list(Booking.objects.filter(session=session, status=BookingStatus.BOOKED).values_list("person", flat=True))
    waiting = list(WaitingListEntry.objects.filter(session=session).values_list("person", flat=True))
    assert len(booked) == PLACES
    assert len(waiting) == PEOPLE - PLACES
    assert len(set(booked) | set(waiting)) == PEOPLE, "someone holds a place twice, or is booked and waiting"
    positions = [services.waiting_position(entry) for entry in WaitingListEntry.objects.filter(session=session)]
    assert sorted(positions) == list(range(1, PEOPLE - PLACES + 1))
