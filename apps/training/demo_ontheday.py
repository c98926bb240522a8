"""Demo content for the day of a session, charges and question banks (called from training.demo.load).

- "Together WE Can" has a £45 non-attendance charge (cancel by 2 working days before). Its first session,
  held in 2024, has its register closed, so the business unit's charges page has charges for March 2024.
- A "Together WE Can" session today, trained by trainer@example.org, with five people booked:
  its register takes QR codes (each booking page shows one) and prints a sign-in sheet.
- The PAMIC e-learning draws 3 questions from a bank of 6 for each attempt, with feedback for each.
Loading twice changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from apps.accounts.models import User

from .charges import cancel_deadline, reason_to_charge
from .forms import london_datetime
from .models import Answer, Booking, BookingStatus, Charge, Course, ELearningItem, Question, Session

TODAYS_NUMBER = 90  # the session number of today's demo session in its course

BANK = [
    (
        "Who should you talk to first if you are worried about a child after using the tool?",
        [("Your designated safeguarding lead or manager", True), ("Nobody, until you are sure", False)],
        "Share a worry early: your designated safeguarding lead or manager helps you decide what happens next.",
    ),
    (
        "Does an adult's mental ill health always mean a child is at risk?",
        [("No: the tool helps weigh the impact on the child", True), ("Yes, always", False)],
        "Many parents with mental ill health care well for their children. The tool weighs likelihood and impact.",
    ),
    (
        "What should you do with what the tool shows?",
        [("Record it and use it in your conversation with the family and your manager", True), ("Delete it", False)],
        "The tool supports professional judgement; record your thinking so others can follow it.",
    ),
]


def load(*, sessions: dict[str, list[Session]], trainer: User | None, attendees: list[User], practitioner) -> None:
    _charges(sessions["together-we-can-briefing"])
    _todays_session(sessions["together-we-can-briefing"][0].course, trainer, attendees, practitioner)
    _question_bank()


def _charges(twc: list[Session]) -> None:
    course = twc[0].course
    if course.non_attendance_charge is None:
        Course.objects.filter(pk=course.pk).update(
            non_attendance_charge=Decimal("45.00"), charge_cancel_by_working_days=2
        )
        course.refresh_from_db()
    held = Session.objects.select_related("course").get(pk=twc[0].pk)
    if held.register_closed_at is not None:
        return
    deadline = cancel_deadline(held, course.charge_cancel_by_working_days)
    for booking in held.bookings.all():
        reason = reason_to_charge(booking, deadline)
        if reason:
            Charge.objects.get_or_create(
                booking=booking,
                defaults={
                    "organisation_id": booking.organisation_id,
                    "amount": course.non_attendance_charge,
                    "reason": reason,
                    "session_starts_at": held.starts_at,
                    "created_at": held.ends_at,
                },
            )
    Session.objects.filter(pk=held.pk).update(register_closed_at=held.ends_at)


def _todays_session(course: Course, trainer: User | None, attendees: list[User], practitioner) -> None:
    today = timezone.localdate()
    session, created = Session.objects.get_or_create(
        course=course,
        number=TODAYS_NUMBER,
        defaults={
            "starts_at": london_datetime(today, dt.time(9, 30)),
            "ends_at": london_datetime(today, dt.time(16, 0)),
            "capacity": 12,
            "venue": "West Offices, Station Rise, York YO1 6GA",
        },
    )
    if created and trainer is not None:
        session.trainers.add(trainer)
    for person in [*attendees, *([practitioner] if practitioner else [])]:
        Booking.objects.get_or_create(
            session=session,
            person=person,
            defaults={"organisation": person.organisation, "status": BookingStatus.BOOKED},
        )


def _question_bank() -> None:
    item = ELearningItem.objects.filter(course__slug="pamic-tool-training").first()
    if item is None or item.questions.filter(text=BANK[0][0]).exists():
        return
    number = item.questions.count()
    for text, answers, feedback in BANK:
        number += 1
        question = Question.objects.create(item=item, number=number, text=text, feedback=feedback)
        for answer_number, (answer, correct) in enumerate(answers, start=1):
            Answer.objects.create(question=question, number=answer_number, text=answer, is_correct=correct)
    item.questions.filter(feedback="").update(feedback="The PAMIC tool's guidance explains this: read it again.")
    ELearningItem.objects.filter(pk=item.pk).update(questions_per_attempt=3)
