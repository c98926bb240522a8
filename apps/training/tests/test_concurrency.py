"""Never oversold: 200 people book a 20-place session at the same moment, each on their own connection."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connections

from apps.accounts.tests.factories import OrganisationFactory, UserFactory
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
    start = threading.Barrier(PEOPLE)
    gate = threading.BoundedSemaphore(CONNECTIONS_AT_ONCE)
    outcomes: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def book(person) -> None:
        start.wait()
        with gate:
            try:
                try:
                    services.book_place(session=session, person=person, by=person)
                    outcome = "booked"
                except services.SessionFull:
                    services.join_waiting_list(session=session, person=person, by=person)
                    outcome = "waiting"
            except BaseException as error:  # reported below, with the rest
                with lock:
                    errors.append(error)
                return
            finally:
                connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=book, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors, errors[:3]
    assert Counter(outcomes) == {"booked": PLACES, "waiting": PEOPLE - PLACES}
    booked = list(Booking.objects.filter(session=session, status=BookingStatus.BOOKED).values_list("person", flat=True))
    waiting = list(WaitingListEntry.objects.filter(session=session).values_list("person", flat=True))
    assert len(booked) == PLACES
    assert len(waiting) == PEOPLE - PLACES
    assert len(set(booked) | set(waiting)) == PEOPLE, "someone holds a place twice, or is booked and waiting"
    positions = [services.waiting_position(entry) for entry in WaitingListEntry.objects.filter(session=session)]
    assert sorted(positions) == list(range(1, PEOPLE - PLACES + 1))
