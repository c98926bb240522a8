"""Sessions are added and copied into the future only, and the business unit is told what happened."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.tests.factories import UserFactory, make_role_user
from apps.core.dates import to_london
from apps.training import services
from apps.training.models import Session
from apps.training.tests.factories import BookingFactory, CourseFactory, SessionFactory

pytestmark = pytest.mark.django_db


def organiser(client):
    user = make_role_user("business_unit")
    client.force_login(user)
    return user


def session_form(day: dt.date, **changes) -> dict:
    return {
        "date_0": day.day,
        "date_1": day.month,
        "date_2": day.year,
        "start_time": "10:00",
        "end_time": "12:00",
        "capacity": "12",
        "venue": "West Offices",
        "joining_link": "",
        "cancellation_cutoff_hours": "24",
        "booking_closes_hours": "0",
        **changes,
    }


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


def test_a_session_cannot_be_added_in_the_past(client):
    organiser(client)
    course = CourseFactory()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    page = client.post(reverse("training:session_create", args=[course.slug]), session_form(yesterday))
    assert page.status_code == 200
    assert "Date must be today or in the future" in page.content.decode()
    assert not Session.objects.exists()


def test_a_session_cannot_be_added_earlier_today(client):
    organiser(client)
    course = CourseFactory()
    now = to_london(timezone.now())
    if now.hour == 0:
        pytest.skip("no earlier hour today")
    form = session_form(now.date(), start_time="00:00", end_time="00:30")
    page = client.post(reverse("training:session_create", args=[course.slug]), form).content.decode()
    assert "Start time must be later than now" in page
    assert not Session.objects.exists()


def test_the_service_refuses_a_start_in_the_past_too():
    course = CourseFactory()
    past = timezone.now() - dt.timedelta(hours=1)
    with pytest.raises(services.StartInPast):
        services.create_session(
            course=course, by=make_role_user("business_unit"), starts_at=past, ends_at=past + dt.timedelta(hours=1)
        )


def test_a_new_session_does_not_say_anyone_was_told(client):
    organiser(client)
    course = CourseFactory()
    response = client.post(
        reverse("training:session_create", args=[course.slug]),
        session_form(timezone.localdate() + dt.timedelta(days=9)),
        follow=True,
    )
    assert messages_of(response) == ["The session is added."]


def test_changing_a_session_with_bookings_says_they_were_told_and_without_does_not(client):
    organiser(client)
    day = timezone.localdate() + dt.timedelta(days=9)
    session = SessionFactory(starts_at=timezone.now() + dt.timedelta(days=9))
    url = reverse("training:session_edit", args=[session.pk])
    response = client.post(url, session_form(day, venue="Priory Street"), follow=True)
    assert messages_of(response) == ["The session is saved."]
    BookingFactory(session=session)
    response = client.post(url, session_form(day, venue="Tang Hall"), follow=True)
    assert messages_of(response) == ["The session is saved. Anyone booked has been told of any change."]


def test_a_past_session_can_still_be_changed_without_moving_it(client):
    organiser(client)
    # Ten in the morning three days ago: an hour from late evening would end on the next day.
    started = to_london(timezone.now() - dt.timedelta(days=3)).replace(hour=10, minute=0, second=0, microsecond=0)
    session = SessionFactory(starts_at=started, ends_at=started + dt.timedelta(hours=1))
    london = to_london(started)
    form = session_form(
        london.date(), start_time=f"{london:%H:%M}", end_time=f"{to_london(session.ends_at):%H:%M}", venue="Room 2"
    )
    response = client.post(reverse("training:session_edit", args=[session.pk]), form)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.venue == "Room 2"


def test_a_session_cannot_be_copied_into_the_past(client):
    organiser(client)
    session = SessionFactory()
    last_week = timezone.localdate() - dt.timedelta(days=7)
    page = client.post(
        reverse("training:session_copy", args=[session.pk]),
        {"date_0": last_week.day, "date_1": last_week.month, "date_2": last_week.year},
    ).content.decode()
    assert "Date of the new session must be in the future" in page
    assert Session.objects.count() == 1


def test_a_session_cannot_be_copied_onto_its_own_date_and_time(client):
    organiser(client)
    session = SessionFactory()
    day = to_london(session.starts_at).date()
    page = client.post(
        reverse("training:session_copy", args=[session.pk]),
        {"date_0": day.day, "date_1": day.month, "date_2": day.year},
    ).content.decode()
    assert "Date of the new session must be different from the date of the session copied" in page
    assert Session.objects.count() == 1
    with pytest.raises(services.CopyAtSameTime):
        services.copy_session(session=session, starts_at=session.starts_at, by=UserFactory())


def test_a_past_session_is_offered_a_copy_a_week_from_today(client):
    organiser(client)
    started = timezone.now() - dt.timedelta(days=30)
    session = SessionFactory(starts_at=started, ends_at=started + dt.timedelta(hours=1))
    form = client.get(reverse("training:session_copy", args=[session.pk])).context["form"]
    assert form.initial["date"] == timezone.localdate() + dt.timedelta(days=7)
