"""What screen reader users and the business unit meet on training pages: complete link names, the register's
current marks, and the links to manage each session (the 375 px layouts are checked in test_browser.py)."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from apps.accounts.tests.factories import UserFactory, make_role_user
from apps.training import services
from apps.training.models import BookingStatus, Certificate
from apps.training.tests.factories import BookingFactory, CourseFactory, SessionFactory

pytestmark = pytest.mark.django_db


def link_names(page: str, href_part: str) -> list[str]:
    """The accessible names of the links whose address contains `href_part` (tags stripped, spaces joined)."""
    links = re.findall(r'<a [^>]*href="([^"]*)"[^>]*>(.*?)</a>', page, re.S)
    return [" ".join(unescape(re.sub(r"<[^>]+>", "", text)).split()) for href, text in links if href_part in href]


def test_my_training_links_name_the_course_and_the_date_and_are_never_the_same(client):
    person = UserFactory()
    client.force_login(person)
    course = CourseFactory(title="Prevent awareness")
    day = timezone.now() + dt.timedelta(days=10)
    first = BookingFactory(person=person, session=SessionFactory(course=course, starts_at=day))
    second = BookingFactory(person=person, session=SessionFactory(course=course, starts_at=day + dt.timedelta(days=7)))
    past = BookingFactory(
        person=person,
        session=SessionFactory(course=course, starts_at=timezone.now() - dt.timedelta(days=30)),
        status=BookingStatus.ATTENDED,
    )
    page = client.get(reverse("training:my_bookings")).content.decode()
    names = [name for booking in (first, second, past) for name in link_names(page, booking.get_absolute_url())]
    assert len(names) == 3 and len(set(names)) == 3
    for name in names:
        assert name.startswith("Prevent awareness: your booking, ")
        assert not name.endswith("booking for")
    assert str(day.astimezone(timezone.get_current_timezone()).year) in names[0]


def test_the_register_shows_each_persons_current_mark_on_its_buttons(client):
    trainer = make_role_user("trainer")
    client.force_login(trainer)
    now = timezone.now()
    session = SessionFactory(starts_at=now - dt.timedelta(minutes=5), ends_at=now + dt.timedelta(hours=1))
    session.trainers.set([trainer])
    absent = BookingFactory(session=session, person=UserFactory(first_name="Ben", last_name="Walker"))
    services.mark_register(booking=absent, status=BookingStatus.ABSENT, by=trainer)
    BookingFactory(session=session, person=UserFactory(first_name="Aisha", last_name="Khan"))
    page = client.get(reverse("training:register", args=[session.pk])).content.decode()
    pressed = re.findall(r'<button[^>]*aria-pressed="true"[^>]*>(.*?)</button>', page, re.S)
    assert [" ".join(re.sub(r"<[^>]+>", "", text).split()) for text in pressed] == ["✓ Absent: Ben Walker"]
    assert page.count('aria-pressed="false"') == 5


def test_the_register_marks_everyone_not_yet_marked_as_attended_in_one_go(client):
    trainer = make_role_user("trainer")
    client.force_login(trainer)
    now = timezone.now()
    session = SessionFactory(starts_at=now - dt.timedelta(minutes=5), ends_at=now + dt.timedelta(hours=1))
    session.trainers.set([trainer])
    absent = BookingFactory(session=session)
    services.mark_register(booking=absent, status=BookingStatus.ABSENT, by=trainer)
    others = [BookingFactory(session=session) for _ in range(3)]
    url = reverse("training:register", args=[session.pk])
    assert "Mark everyone not yet marked as attended" in client.get(url).content.decode()
    response = client.post(url, {"everyone": "attended"}, follow=True)
    assert "3 people marked as attended." in response.content.decode()
    for booking in others:
        booking.refresh_from_db()
        assert booking.status == BookingStatus.ATTENDED
    absent.refresh_from_db()
    assert absent.status == BookingStatus.ABSENT
    assert Certificate.objects.filter(booking__in=others).count() == 3
    assert "Mark everyone not yet marked as attended" not in client.get(url).content.decode()


def test_marking_everyone_before_the_day_changes_nobody(client):
    trainer = make_role_user("trainer")
    client.force_login(trainer)
    session = SessionFactory(trainers=[trainer])
    booking = BookingFactory(session=session)
    response = client.post(reverse("training:register", args=[session.pk]), {"everyone": "attended"})
    assert response.status_code == 400
    assert "The register can be marked from the day of the session" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED


def test_the_course_page_gives_the_business_unit_change_copy_and_cancel_for_each_session(client):
    session = SessionFactory()
    cancelled = SessionFactory(course=session.course)
    services.cancel_session(session=cancelled, reason="Trainer ill", by=make_role_user("business_unit"))
    links = [
        reverse("training:session_edit", args=[session.pk]),
        reverse("training:session_copy", args=[session.pk]),
        reverse("training:session_cancel", args=[session.pk]),
    ]
    client.force_login(UserFactory())
    page = client.get(session.course.get_absolute_url()).content.decode()
    assert not any(link in page for link in links)
    client.force_login(make_role_user("business_unit"))
    for url in (session.course.get_absolute_url(), reverse("training:manage_course", args=[session.course.slug])):
        page = client.get(url).content.decode()
        assert all(link in page for link in links), url
    manage = client.get(reverse("training:manage_course", args=[session.course.slug])).content.decode()
    assert reverse("training:session_copy", args=[cancelled.pk]) in manage
    assert reverse("training:session_cancel", args=[cancelled.pk]) not in manage
    names = link_names(manage, reverse("training:session_edit", args=[session.pk]))
    assert names[0].startswith("Change the session on ")


def test_the_learning_record_table_scrolls_in_its_own_region(client):
    person = UserFactory()
    client.force_login(person)
    BookingFactory(
        person=person,
        session=SessionFactory(starts_at=timezone.now() - dt.timedelta(days=3)),
        status=BookingStatus.ATTENDED,
    )
    page = client.get(reverse("training:learning_record")).content.decode()
    assert re.search(r'<div class="hub-table-wrapper" role="region" aria-label="Learning in \d{4}" tabindex="0">', page)


def test_the_hubs_stylesheet_wraps_long_words():
    css = Path(finders.find("hub/hub.css")).read_text(encoding="utf-8-sig")
    assert "body{overflow-wrap:break-word}" in css
    assert "@supports(overflow-wrap: anywhere){body{overflow-wrap:anywhere}}" in css
