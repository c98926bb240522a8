"""The demo: the seed's training, past sessions with registers, upcoming sessions to book, loaded idempotently."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from freezegun import freeze_time

from apps.demo import accounts
from apps.training import demo
from apps.training.demo_ontheday import TODAYS_NUMBER
from apps.training.models import Booking, BookingMethod, Certificate, Course, Delivery, Session

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(Session.objects.values_list("course__slug", "number", "starts_at", "capacity")),
        sorted(Booking.objects.values_list("session_id", "person__email", "status")),
        Certificate.objects.count(),
    )


def test_the_demo_loads_the_seed_courses_with_past_registers_and_upcoming_sessions():
    with freeze_time("2026-11-25T09:00:00Z"):
        accounts.load()
        demo.load()
    courses = {course.slug: course for course in Course.objects.all()}
    assert courses["building-brighter-futures-briefing"].delivery == Delivery.ONLINE
    assert courses["managing-allegations-lado-briefing"].booking_method == BookingMethod.REQUEST
    assert courses["prevent-awareness"].booking_method == BookingMethod.EXTERNAL
    pamic = courses["pamic-tool-training"].elearning
    assert pamic.questions.count() == 6 and pamic.questions_per_attempt == 3  # a bank of 6, 3 an attempt
    assert pamic.video_url.startswith("https://") and pamic.has_video
    together = courses["together-we-can-briefing"].sessions.exclude(number=TODAYS_NUMBER).order_by("number")
    assert together.count() == 6
    seed = together.first()
    assert seed.starts_at == dt.datetime(2024, 2, 19, 10, 0, tzinfo=dt.UTC)
    assert seed.bookings.filter(status="attended").exists()
    upcoming = [s for s in together if s.starts_at > timezone.now()]
    assert len(upcoming) == 3
    assert [timezone.localtime(s.starts_at).strftime("%a %H:%M") for s in upcoming] == [
        "Mon 10:00",
        "Thu 13:00",
        "Thu 16:30",
    ]
    assert Session.objects.filter(course__slug="prevent-awareness", starts_at__year=2024).count() == 4
    assert Session.objects.filter(course__slug="lookcloser-programme", starts_at__year=2024).count() == 2
    assert Session.objects.filter(trainers__email="trainer@example.org").exists()
    practitioner = Booking.objects.filter(person__email="practitioner@example.org").exclude(
        session__number=TODAYS_NUMBER
    )
    assert practitioner.filter(status="attended").count() == 2
    assert practitioner.filter(status="booked").count() == 1


def test_loading_the_demo_again_the_next_day_changes_nothing():
    with freeze_time("2026-11-25T09:00:00Z"):
        accounts.load()
        demo.load()
    before = snapshot()
    with freeze_time("2026-11-26T09:00:00Z"):
        demo.load()
    assert snapshot() == before


def test_the_pamic_e_learning_links_its_training_video(client):
    accounts.load()
    demo.load()
    page = client.get("/training/courses/pamic-tool-training/e-learning/").content.decode()
    assert f'href="{demo.PAMIC_VIDEO}"' in page
    assert "Watch the Parental Mental Health and the Impact on Children (PAMIC) tool video" in page


def test_the_demo_has_bank_holidays_booking_questions_and_a_place_held_for_a_manager():
    from apps.notifications.models import OutboxMessage
    from apps.training.models import BankHoliday, BookingStatus, ManagerApproval

    with freeze_time("2026-11-25T09:00:00Z"):
        accounts.load()
        demo.load()
        before = (snapshot(), BankHoliday.objects.count(), ManagerApproval.objects.count())
        demo.load()
        assert (snapshot(), BankHoliday.objects.count(), ManagerApproval.objects.count()) == before
    assert BankHoliday.objects.get(date=dt.date(2026, 12, 28)).name == "Boxing Day (substitute day)"
    together = Course.objects.get(slug="together-we-can-briefing")
    assert together.booking_questions.first().text == "What is your role?"
    held = ManagerApproval.objects.get()
    assert held.booking.status == BookingStatus.AWAITING_APPROVAL
    assert held.booking.session.course.needs_manager_approval
    assert "/training/approval/" in OutboxMessage.objects.get(to=held.manager_email).body_text
