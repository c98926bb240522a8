"""On the day, charges, reports and question banks in a real browser at 375 px, with axe-core on every page
and its error states."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.accounts.tests.factories import OrganisationFactory, UserFactory, make_role_user
from apps.core.tests.fixtures import assert_accessible, use_session_of
from apps.training.models import Booking, BookingStatus, Charge, Question
from apps.training.tests.factories import BookingFactory, ELearningItemFactory, SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


def fits(tab) -> None:
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{tab.url} is {width} px wide"
    assert_accessible(tab)


def test_a_trainer_checks_people_in_by_code_and_closes_the_register_on_a_phone(phone, live_server, client):
    trainer = make_role_user("trainer")
    now = timezone.now()
    session = SessionFactory(
        course__title="Neglect: spotting the signs",
        course__non_attendance_charge=Decimal("45.00"),
        starts_at=now - dt.timedelta(minutes=20),
        ends_at=now + dt.timedelta(hours=2),
    )
    session.trainers.set([trainer])
    aisha = BookingFactory(session=session, person=UserFactory(first_name="Aisha", last_name="Khan"))
    BookingFactory(session=session, person=UserFactory(first_name="Ben", last_name="Walker"))

    use_session_of(phone, client, live_server, trainer)
    phone.goto(f"/training/sessions/{session.pk}/register/")
    fits(phone)
    phone.get_by_label("Check-in code").fill("WRONG-CODE")
    phone.get_by_role("button", name="Check in").click()
    phone.get_by_role("heading", name="There is a problem").wait_for()
    assert phone.get_by_label("Check-in code").input_value() == "WRONG-CODE"
    fits(phone)
    phone.get_by_label("Check-in code").fill(aisha.checkin_code.lower())
    phone.get_by_role("button", name="Check in").click()
    phone.get_by_text(re.compile(r"Aisha Khan checked in at \d")).wait_for()
    phone.goto(f"/training/sessions/{session.pk}/register/")
    assert phone.get_by_text(re.compile(r"checked in at \d")).count() == 1
    attended = phone.get_by_role("button", name=re.compile(r"Attended\W+Aisha Khan"))
    assert attended.get_attribute("aria-pressed") == "true"
    fits(phone)

    phone.get_by_role("link", name="Close the register").click()
    fits(phone)
    phone.get_by_role("button", name="Close the register").click()
    phone.get_by_text("1 person is not marked yet").first.wait_for()
    fits(phone)
    phone.goto(f"/training/sessions/{session.pk}/register/")
    phone.get_by_role("button", name=re.compile(r"Absent\W+Ben Walker")).click()
    phone.get_by_text("Ben Walker marked as absent").wait_for()
    phone.get_by_role("link", name="Close the register").click()
    phone.get_by_role("button", name="Close the register").click()
    phone.get_by_text("1 non-attendance charge sent to the business unit").wait_for()
    fits(phone)
    assert Charge.objects.get().booking.person.first_name == "Ben"

    phone.goto(f"/training/sessions/{session.pk}/check-in/")
    fits(phone)


def test_the_business_unit_waives_a_charge_and_reads_the_reports_on_a_phone(phone, live_server, client):
    organisation = OrganisationFactory(name="York Hospital")
    start = dt.datetime(2026, 3, 5, 10, tzinfo=dt.UTC)
    booking = BookingFactory(
        session=SessionFactory(course__title="Neglect", starts_at=start, ends_at=start + dt.timedelta(hours=2)),
        person=UserFactory(first_name="Nia", last_name="Jones", organisation=organisation),
        status=BookingStatus.ABSENT,
    )
    Charge.objects.create(
        booking=booking, organisation=organisation, amount=Decimal("45.00"), reason="no_show", session_starts_at=start
    )
    officer = make_role_user("business_unit")
    use_session_of(phone, client, live_server, officer)
    phone.goto("/training/manage/charges/?month=2026-03")
    fits(phone)
    phone.get_by_role("link", name=re.compile("Waive the charge for Nia Jones")).click()
    fits(phone)
    phone.get_by_role("button", name="Waive the charge").click()
    phone.get_by_role("heading", name="There is a problem").wait_for()
    fits(phone)
    phone.get_by_label("Why is the charge waived?").fill("Snow closed the roads")
    phone.get_by_role("button", name="Waive the charge").click()
    phone.get_by_text("The charge for Nia Jones is waived.").wait_for()
    fits(phone)
    for grouping in ("course", "organisation", "sector", "month"):
        phone.goto(f"/training/reports/?by={grouping}")
        fits(phone)


def test_a_practitioner_sees_their_qr_code_and_gets_feedback_on_a_bank_attempt(phone, live_server, client):
    person = UserFactory(first_name="Priya", last_name="Shah")
    booking = BookingFactory(person=person)
    item = ELearningItemFactory(questions_per_attempt=2, course__title="Prevent")
    for number in range(3, 6):
        question = Question.objects.create(item=item, number=number, text=f"Extra {number}?", feedback="See page 2.")
        question.answers.create(number=1, text="Yes", is_correct=True)
        question.answers.create(number=2, text="No", is_correct=False)
    use_session_of(phone, client, live_server, person)
    phone.goto(f"/training/bookings/{booking.pk}/")
    assert phone.get_by_role("img", name=re.compile("QR code for checking in")).is_visible()
    assert phone.get_by_text(booking.checkin_code).is_visible()
    fits(phone)
    phone.goto(f"/training/courses/{item.course.slug}/e-learning/")
    assert phone.locator("fieldset").count() == 2
    phone.get_by_role("button", name="Check my answers").click()
    phone.get_by_role("heading", name="There is a problem").wait_for()
    fits(phone)
    for fieldset in phone.locator("fieldset").all():
        fieldset.get_by_role("radio").first.check()
    phone.get_by_role("button", name="Check my answers").click()
    phone.get_by_role("heading", name="Your answers, question by question").wait_for()
    assert phone.get_by_role("heading", name=re.compile(r"Question [12]: (right|wrong)")).count() == 2
    fits(phone)
    assert Booking.objects.get(pk=booking.pk).checked_in_at is None
