"""The demo has a session today with QR codes, a course with a charge and a past session with charges, and a
question bank; loading it twice changes nothing."""

from __future__ import annotations

import pytest
from freezegun import freeze_time

from apps.demo import accounts
from apps.training import checkin, demo
from apps.training.demo_ontheday import TODAYS_NUMBER
from apps.training.models import Charge, ChargeReason, ELearningItem, Session

pytestmark = pytest.mark.django_db


def test_the_demo_has_todays_session_charges_and_a_question_bank_once():
    with freeze_time("2026-11-25T09:00:00Z"):
        accounts.load()
        demo.load()
        today = Session.objects.get(course__slug="together-we-can-briefing", number=TODAYS_NUMBER)
        assert today.trainers.filter(email="trainer@example.org").exists()
        assert today.bookings.count() >= 5
        assert all(checkin.looks_like_a_code(b.checkin_code) for b in today.bookings.all())
        charges = Charge.objects.select_related("booking__session__course")
        assert {c.booking.session.course.slug for c in charges} == {"together-we-can-briefing"}
        assert {c.reason for c in charges} == {ChargeReason.NO_SHOW, ChargeReason.CANCELLED_LATE}
        assert all(c.booking.session.register_closed_at for c in charges)
        bank = ELearningItem.objects.get(course__slug="pamic-tool-training")
        assert bank.questions.count() == 6 and bank.questions_per_attempt == 3
        assert not bank.questions.filter(feedback="").exists()
        before = (Charge.objects.count(), Session.objects.count(), bank.questions.count())
        demo.load()
        assert (Charge.objects.count(), Session.objects.count(), bank.questions.count()) == before
