"""Demo content for the coordinator's week: bank holidays, a course asking booking questions, and a course
needing the line manager's approval with one place held (its e-mail to the manager is in the demo mailbox).
Idempotent: loading twice changes nothing."""

from __future__ import annotations

import datetime as dt
from importlib import import_module

from django.utils import timezone

from apps.accounts.models import Sector, User

from . import approval
from .forms import london_datetime
from .models import (
    BankHoliday,
    BookingMethod,
    BookingQuestion,
    Course,
    CourseAudience,
    Delivery,
    QuestionKind,
    Session,
)

QUESTIONS = [
    ("What is your role?", QuestionKind.TEXT, "", True, "For example, school nurse or designated safeguarding lead"),
    ("Which lunch would you like?", QuestionKind.CHOICE, "Vegetarian\nVegan\nHalal\nNo lunch, thank you", True, ""),
    ("Do you need a parking space?", QuestionKind.YES_NO, "", False, "West Offices has four spaces for visitors"),
]

COURT_SKILLS = "court-skills-for-practitioners"
MANAGER = "line.manager@example.org"


def _bank_holidays() -> None:
    seeded = import_module("apps.training.migrations.0005_scheduling_questions_approval").BANK_HOLIDAYS
    for day, name in seeded:
        BankHoliday.objects.get_or_create(date=dt.date.fromisoformat(day), defaults={"name": name})


def _questions() -> None:
    course = Course.objects.filter(slug="together-we-can-briefing").first()
    if course is None:
        return
    for number, (text, kind, choices, required, hint) in enumerate(QUESTIONS, start=1):
        BookingQuestion.objects.get_or_create(
            course=course,
            number=number,
            defaults={"text": text, "kind": kind, "choices": choices, "required": required, "hint": hint},
        )


def _court_skills(today: dt.date) -> Course:
    course, created = Course.objects.get_or_create(
        slug=COURT_SKILLS,
        defaults={
            "title": "Court skills for practitioners",
            "summary": "A day on preparing evidence and giving it in the family court. Places need your line "
            "manager's approval.",
            "description": "Run by the council's legal team with a family court judge. Bookings are held until "
            "your line manager approves them by e-mail.",
            "learning_outcomes": "Write a statement the court can use\nGive evidence with confidence",
            "provider": "City of York Council Legal Services",
            "delivery": Delivery.IN_PERSON,
            "booking_method": BookingMethod.HUB,
            "needs_manager_approval": True,
        },
    )
    if created:
        for sector in (Sector.CHILDRENS_SERVICES, Sector.HEALTH, Sector.EDUCATION):
            CourseAudience.objects.get_or_create(course=course, sector=sector)
        for number, weeks in enumerate((3, 7), start=1):
            day = today + dt.timedelta(weeks=weeks)
            day += dt.timedelta(days=(2 - day.weekday()) % 7)  # a Wednesday
            Session.objects.get_or_create(
                course=course,
                number=number,
                defaults={
                    "starts_at": london_datetime(day, dt.time(9, 30)),
                    "ends_at": london_datetime(day, dt.time(16)),
                    "capacity": 16,
                    "venue": "West Offices, Station Rise, York YO1 6GA",
                },
            )
    return course


def load(stdout=None) -> None:
    today = timezone.localdate()
    _bank_holidays()
    _questions()
    course = _court_skills(today)
    session = course.sessions.order_by("number").first()
    person = User.objects.filter(email="practitioner@example.org").first()
    unbooked = session is not None and person is not None and not session.bookings.filter(person=person).exists()
    if unbooked and session.is_open_for_booking():
        # Through the service, so the manager's e-mail (with its link) reaches the demo mailbox.
        approval.book(session=session, person=person, by=person, manager_email=MANAGER)
    if stdout is not None:
        stdout.write(
            f"Training scheduling: {BankHoliday.objects.count()} bank holidays; {course.title} needs approval."
        )
