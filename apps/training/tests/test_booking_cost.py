"""What one booking costs the database: after the session's lock, one query answers whether the person
already holds a place or waits and how many places are held, offered and waited for."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.tests.factories import UserFactory
from apps.training import services
from apps.training.models import WaitingStatus
from apps.training.tests.factories import BookingFactory, SessionFactory, WaitingListEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    now = timezone.now()
    return SessionFactory(
        capacity=2, starts_at=now + dt.timedelta(days=10), ends_at=now + dt.timedelta(days=10, hours=1)
    )


def reads_of_places(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and ("training_booking" in q["sql"] or "training_waitinglistentry" in q["sql"])
    ]


def test_a_booking_counts_places_and_checks_the_person_in_one_query(session):
    person = UserFactory()
    with CaptureQueriesContext(connection) as queries:
        booking = services.book_place(session=session, person=person, by=person)
    assert booking.organisation_id == person.organisation_id
    assert len(reads_of_places(queries)) == 1


def test_the_one_query_still_refuses_a_second_place_a_waiting_person_and_a_full_session(session):
    booked, waiting = UserFactory(), UserFactory()
    BookingFactory(session=session, person=booked)
    WaitingListEntryFactory(session=session, person=waiting, status=WaitingStatus.WAITING)
    with pytest.raises(services.AlreadyBooked):
        services.book_place(session=session, person=booked, by=booked)
    with pytest.raises(services.AlreadyWaiting):
        services.book_place(session=session, person=waiting, by=waiting)
    # One place booked, one person waiting: the free place is theirs, not a newcomer's.
    newcomer = UserFactory()
    with pytest.raises(services.SessionFull):
        services.book_place(session=session, person=newcomer, by=newcomer)


def test_joining_the_waiting_list_counts_and_checks_in_one_query_and_tells_each_person_their_place(session):
    from apps.notifications.models import OutboxMessage

    BookingFactory(session=session)
    BookingFactory(session=session)
    first, second = UserFactory(), UserFactory()
    services.join_waiting_list(session=session, person=first, by=first)
    with CaptureQueriesContext(connection) as queries:
        entry = services.join_waiting_list(session=session, person=second, by=second)
    assert len(reads_of_places(queries)) == 1
    assert services.waiting_position(entry) == 2
    told = {m.to: m.body_text for m in OutboxMessage.objects.filter(purpose="training waiting list joined")}
    assert "You are number 1 on the list." in told[first.email]
    assert "You are number 2 on the list." in told[second.email]


def test_the_waiting_list_still_refuses_a_person_with_a_place_a_person_waiting_and_free_places(session):
    booked = UserFactory()
    BookingFactory(session=session, person=booked)
    newcomer = UserFactory()
    with pytest.raises(services.PlacesAvailable):  # one place is still free
        services.join_waiting_list(session=session, person=newcomer, by=newcomer)
    BookingFactory(session=session)
    with pytest.raises(services.AlreadyBooked):
        services.join_waiting_list(session=session, person=booked, by=booked)
    services.join_waiting_list(session=session, person=newcomer, by=newcomer)
    with pytest.raises(services.AlreadyWaiting):
        services.join_waiting_list(session=session, person=newcomer, by=newcomer)
