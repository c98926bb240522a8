"""Check-in by a booking's QR code (or the code typed) marks attendance once; the sign-in sheet prints the register."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from apps.accounts.tests.factories import UserFactory, make_role_user
from apps.audit.models import AuditEntry
from apps.notifications.models import OutboxMessage
from apps.training import checkin, services
from apps.training.models import Booking, BookingStatus, Certificate
from apps.training.tests.factories import BookingFactory, SessionFactory

pytestmark = pytest.mark.django_db


def todays_session(trainer, **kwargs):
    now = timezone.now()
    session = SessionFactory(starts_at=now - dt.timedelta(minutes=5), ends_at=now + dt.timedelta(hours=2), **kwargs)
    session.trainers.set([trainer])
    return session


def test_each_booking_has_its_own_random_code_that_is_not_its_number():
    first, second = BookingFactory(), BookingFactory()
    assert first.checkin_code != second.checkin_code
    for booking in (first, second):
        assert checkin.looks_like_a_code(booking.checkin_code)
        assert str(booking.pk) not in booking.checkin_code.split("-")


def test_a_scan_marks_the_person_attended_once_and_a_second_scan_says_when_they_checked_in(client):
    trainer = make_role_user("trainer")
    session = todays_session(trainer)
    booking = BookingFactory(session=session, person=UserFactory(first_name="Aisha", last_name="Khan"))
    client.force_login(trainer)
    url = reverse("training:check_in", args=[session.pk])

    with freeze_time("2026-07-01 08:58:00"):  # 9:58am in London (BST)
        session.starts_at = timezone.now() - dt.timedelta(minutes=2)
        session.ends_at = session.starts_at + dt.timedelta(hours=2)
        session.save()
        response = client.post(url, {"code": booking.checkin_code})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ATTENDED
    assert booking.checked_in_at is not None
    assert Certificate.objects.filter(booking=booking).count() == 1

    with freeze_time("2026-07-01 09:10:00"):
        again = client.post(url, {"code": booking.checkin_code.lower().replace("-", " ")})
    assert again.status_code == 400
    assert "Aisha Khan already checked in at 9:58am." in again.content.decode()
    booking.refresh_from_db()
    assert booking.checked_in_at.astimezone(dt.UTC).strftime("%H:%M") == "08:58"
    assert Certificate.objects.filter(booking=booking).count() == 1
    assert AuditEntry.objects.filter(detail="checked in with the booking's code").count() == 1


def test_a_code_for_another_session_is_refused_and_marks_nobody(client):
    trainer = make_role_user("trainer")
    session = todays_session(trainer)
    elsewhere = BookingFactory(session=todays_session(trainer))
    client.force_login(trainer)
    response = client.post(reverse("training:check_in", args=[session.pk]), {"code": elsewhere.checkin_code})
    assert response.status_code == 400
    assert "This check-in code is for a different session, not this one." in response.content.decode()
    elsewhere.refresh_from_db()
    assert elsewhere.status == BookingStatus.BOOKED and elsewhere.checked_in_at is None


def test_an_unknown_or_malformed_code_is_refused_with_the_typed_text_kept(client):
    trainer = make_role_user("trainer")
    session = todays_session(trainer)
    client.force_login(trainer)
    url = reverse("training:check_in", args=[session.pk])
    page = client.post(url, {"code": "ABCD-EFGH-JKLM-NPQR"}).content.decode()
    assert "This check-in code is not one the hub gave." in page
    assert 'value="ABCD-EFGH-JKLM-NPQR"' in page
    assert "Enter the check-in code as it is shown" in client.post(url, {"code": "12"}).content.decode()
    assert "Enter the check-in code" in client.post(url, {"code": ""}).content.decode()


def test_the_typed_code_works_from_the_register_and_returns_to_it(client):
    trainer = make_role_user("trainer")
    session = todays_session(trainer)
    booking = BookingFactory(session=session)
    client.force_login(trainer)
    register = client.get(reverse("training:register", args=[session.pk])).content.decode()
    assert 'name="code"' in register and reverse("training:check_in", args=[session.pk]) in register
    response = client.post(
        reverse("training:check_in", args=[session.pk]), {"code": booking.checkin_code, "then": "register"}
    )
    assert response["Location"].startswith(reverse("training:register", args=[session.pk]))
    assert "checked in at" in client.get(response["Location"]).content.decode()


def test_check_in_before_the_day_or_after_the_register_closes_is_refused():
    trainer = make_role_user("trainer")
    later = SessionFactory(trainers=[trainer])
    booking = BookingFactory(session=later)
    with pytest.raises(checkin.CheckInRefused, match="from the day of the session"):
        checkin.check_in(session=later, code=booking.checkin_code, by=trainer)
    today = todays_session(trainer)
    booking = BookingFactory(session=today)
    services.mark_register(booking=booking, status=BookingStatus.ABSENT, by=trainer)
    from apps.training import charges

    charges.close_register(session=today, by=trainer)
    with pytest.raises(checkin.CheckInRefused, match="closed"):
        checkin.check_in(session=today, code=booking.checkin_code, by=trainer)


def test_only_the_sessions_trainers_and_the_business_unit_can_check_people_in(client):
    trainer = make_role_user("trainer")
    session = todays_session(make_role_user("trainer"))
    booking = BookingFactory(session=session)
    client.force_login(trainer)
    response = client.post(reverse("training:check_in", args=[session.pk]), {"code": booking.checkin_code})
    assert response.status_code == 403
    assert Booking.objects.get(pk=booking.pk).checked_in_at is None


def test_the_booking_page_and_the_confirmation_carry_the_code_and_its_qr_image(client):
    person = UserFactory()
    session = SessionFactory()
    booking = services.book_place(session=session, person=person, by=person)
    client.force_login(person)
    page = client.get(booking.get_absolute_url()).content.decode()
    assert booking.checkin_code in page
    assert '<svg role="img" aria-label="QR code for checking in: ' + booking.checkin_code in page
    confirmation = OutboxMessage.objects.get(to=person.email, purpose="training booking confirmed")
    assert f"Your check-in code: {booking.checkin_code}" in confirmation.body_text


def test_the_qr_code_is_an_svg_image_named_for_screen_readers():
    booking = BookingFactory()
    svg = str(checkin.qr_svg(booking))
    assert svg.startswith("<svg") and "<path" in svg
    assert "aria-label" in svg


def test_the_sign_in_sheet_is_a_pdf_of_the_people_with_a_place_and_is_audited(client):
    trainer = make_role_user("trainer")
    session = todays_session(trainer)
    BookingFactory(session=session, person=UserFactory(first_name="Aisha", last_name="Khan"))
    client.force_login(trainer)
    response = client.get(reverse("training:sign_in_sheet", args=[session.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(detail="sign-in sheet as PDF").count() == 1
