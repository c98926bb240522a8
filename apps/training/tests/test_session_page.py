"""A session's page offers only what the person can do there, and says why when there is nothing to do."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.tests.factories import UserFactory
from apps.training import services
from apps.training.models import BookingMethod, BookingRequest
from apps.training.tests.factories import BookingFactory, CourseFactory, SessionFactory

pytestmark = pytest.mark.django_db


def signed_in(client, user=None):
    user = user or UserFactory()
    client.force_login(user)
    return user


def past_session(**course):
    started = timezone.now() - dt.timedelta(days=2)
    return SessionFactory(course=CourseFactory(**course), starts_at=started, ends_at=started + dt.timedelta(hours=2))


@pytest.mark.parametrize(
    ("course", "offer"),
    [
        (
            {
                "booking_method": BookingMethod.EXTERNAL,
                "external_booking_url": "https://www.eventbrite.co.uk/e/123",
                "external_booking_name": "EventBrite",
            },
            "Book on EventBrite",
        ),
        ({"booking_method": BookingMethod.REQUEST}, "Ask for a place"),
        ({"booking_method": BookingMethod.HUB}, "Book a place"),
    ],
)
def test_a_session_in_the_past_offers_nothing_to_book(client, course, offer):
    signed_in(client)
    session = past_session(**course)
    page = client.get(session.get_absolute_url()).content.decode()
    assert offer not in page
    assert "This session has taken place, so there are no places to book." in page


def test_an_upcoming_external_session_still_offers_its_website(client):
    signed_in(client)
    session = SessionFactory(
        course=CourseFactory(
            booking_method=BookingMethod.EXTERNAL,
            external_booking_url="https://www.eventbrite.co.uk/e/123",
            external_booking_name="EventBrite",
        )
    )
    assert "Book on EventBrite" in client.get(session.get_absolute_url()).content.decode()


def test_the_booking_form_is_not_shown_to_someone_who_already_has_a_place(client):
    person = signed_in(client)
    booking = BookingFactory(person=person)
    response = client.get(reverse("training:book", args=[booking.session.pk]))
    assert response.status_code == 302 and response["Location"] == booking.session.get_absolute_url()
    page = client.get(response["Location"]).content.decode()
    assert "You have a place at this session." in page
    assert "Do you have any access needs?" not in page


def test_the_booking_form_is_not_shown_when_booking_has_closed(client):
    signed_in(client)
    session = SessionFactory(booking_closes_at=timezone.now() - dt.timedelta(minutes=1))
    response = client.get(reverse("training:book", args=[session.pk]))
    assert response["Location"] == session.get_absolute_url()
    assert "Booking for this session is closed." in client.get(response["Location"]).content.decode()


def test_the_booking_form_is_not_shown_to_someone_on_the_waiting_list(client):
    session = SessionFactory(capacity=1)
    BookingFactory(session=session)
    person = signed_in(client)
    services.join_waiting_list(session=session, person=person, by=person)
    for url in (reverse("training:book", args=[session.pk]), reverse("training:join_waiting_list", args=[session.pk])):
        response = client.get(url)
        assert response["Location"] == session.get_absolute_url()
    assert "You are number 1 on the waiting list." in client.get(session.get_absolute_url()).content.decode()


def test_the_booking_page_of_a_full_session_offers_the_waiting_list_not_the_form(client):
    session = SessionFactory(capacity=1)
    BookingFactory(session=session)
    signed_in(client)
    page = client.get(reverse("training:book", args=[session.pk])).content.decode()
    assert "This session is full." in page and reverse("training:join_waiting_list", args=[session.pk]) in page
    assert "Do you have any access needs?" not in page


def test_the_booking_form_is_shown_to_someone_who_can_book(client):
    signed_in(client)
    session = SessionFactory()
    page = client.get(reverse("training:book", args=[session.pk])).content.decode()
    assert "Do you have any access needs?" in page


def test_asking_for_a_place_from_a_session_asks_for_that_session(client):
    person = signed_in(client)
    course = CourseFactory(booking_method=BookingMethod.REQUEST)
    SessionFactory(course=course, starts_at=timezone.now() + dt.timedelta(days=3))
    wanted = SessionFactory(course=course, starts_at=timezone.now() + dt.timedelta(days=10))
    url = reverse("training:request_place", args=[course.slug]) + f"?session={wanted.pk}"
    assert url.replace("&", "&amp;") in client.get(wanted.get_absolute_url()).content.decode()
    page = client.get(url).content.decode()
    assert f'<option value="{wanted.pk}" selected>' in page
    response = client.post(url, {"session": str(wanted.pk), "message": "", "access_needs": ""})
    assert response.status_code == 302
    assert BookingRequest.objects.get(person=person).session == wanted
