"""The coordinator's week in a real browser, with axe-core on every page (its error states too), at 375 px."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from apps.accounts.tests.factories import UserFactory, make_role_user
from apps.core.tests.fixtures import assert_accessible, use_session_of
from apps.notifications.models import OutboxMessage
from apps.training.models import BankHoliday, Booking, BookingQuestion, BookingStatus, QuestionKind, Session
from apps.training.tests.factories import BookingFactory, CourseFactory, SessionFactory, WaitingListEntryFactory


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


def fits(page, width: int = 375) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_coordinator_schedules_twelve_weeks_sees_the_warnings_and_adds_them(phone, live_server, client):
    course = CourseFactory(title="Neglect toolkit", slug="neglect-toolkit")
    first = timezone.localdate() + dt.timedelta(days=14)
    BankHoliday.objects.create(date=first + dt.timedelta(weeks=2), name="An extra bank holiday")
    use_session_of(phone, client, live_server, make_role_user("business_unit"))
    phone.goto(f"/training/manage/courses/{course.slug}/")
    phone.get_by_role("link", name="Schedule several sessions").click()
    assert_accessible(phone)
    fits(phone)
    phone.get_by_role("button", name="Preview the sessions").click()
    phone.get_by_role("heading", name="There is a problem").wait_for()
    assert_accessible(phone)
    fits(phone)
    phone.get_by_label("Every week").check()
    phone.locator('[name="first_date_0"]').fill(str(first.day))
    phone.locator('[name="first_date_1"]').fill(str(first.month))
    phone.locator('[name="first_date_2"]').fill(str(first.year))
    phone.get_by_label("How many?").fill("12")
    phone.get_by_label("Start time").fill("10:00")
    phone.get_by_label("End time").fill("12:00")
    phone.get_by_label("Venue").fill("West Offices, York")
    phone.get_by_role("button", name="Preview the sessions").click()
    phone.get_by_role("heading", name="Check the 12 sessions").wait_for()
    assert phone.get_by_text("Bank holiday: An extra bank holiday").is_visible()
    assert_accessible(phone)
    fits(phone)
    assert Session.objects.filter(course=course).count() == 0
    phone.get_by_role("button", name="Add 12 sessions").click()
    phone.get_by_text("12 sessions added.").wait_for()
    assert Session.objects.filter(course=course).count() == 12

    phone.goto("/training/manage/bank-holidays/")
    assert_accessible(phone)
    phone.get_by_role("button", name="Add bank holiday").click()
    phone.get_by_role("heading", name="There is a problem").wait_for()
    assert_accessible(phone)
    fits(phone)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_booking_with_questions_is_held_until_the_manager_approves_through_the_link(page, phone, live_server, client):
    session = SessionFactory(course__title="Court skills", course__needs_manager_approval=True)
    course = session.course
    BookingQuestion.objects.create(course=course, number=1, text="What is your role?", kind=QuestionKind.TEXT)
    BookingQuestion.objects.create(
        course=course, number=2, text="Which lunch would you like?", kind=QuestionKind.CHOICE, choices="Vegan\nAny"
    )
    coordinator = make_role_user("business_unit")
    use_session_of(page, client, live_server, coordinator)
    page.goto(f"/training/manage/courses/{course.slug}/booking-questions/")
    assert_accessible(page)
    page.get_by_role("link", name="Add a question").click()
    page.get_by_label("One of a list").check()
    page.get_by_role("button", name="Save question").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert_accessible(page)
    page.context.clear_cookies()

    person = UserFactory(first_name="Priya", last_name="Shah")
    use_session_of(phone, client, live_server, person)
    phone.goto(f"/training/sessions/{session.pk}/book/")
    phone.get_by_role("button", name="Book a place").click()
    phone.get_by_role("heading", name="There is a problem").wait_for()
    assert phone.get_by_role("link", name="Answer “What is your role?”").is_visible()
    assert_accessible(phone)
    fits(phone)
    phone.get_by_label("What is your role?").fill("School nurse")
    phone.get_by_label("Vegan").check()
    phone.get_by_label("Your line manager's e-mail address").fill("manager@example.org")
    phone.get_by_role("button", name="Book a place").click()
    phone.get_by_text("Your place is held").wait_for()
    assert_accessible(phone)
    booking = Booking.objects.get(person=person)
    assert booking.status == BookingStatus.AWAITING_APPROVAL

    # The manager, not signed in, on their phone.
    phone.context.clear_cookies()
    link = re.search(r"(/training/approval/[^/\s]+/)", OutboxMessage.objects.get(to="manager@example.org").body_text)[1]
    phone.goto(link)
    assert phone.get_by_text("Priya Shah").is_visible()
    assert_accessible(phone)
    fits(phone)
    phone.get_by_role("button", name="Send my decision").click()
    phone.get_by_role("heading", name="There is a problem").wait_for()
    assert_accessible(phone)
    phone.get_by_label("Approve: they may attend").check()
    phone.get_by_role("button", name="Send my decision").click()
    phone.get_by_role("heading", name="Place approved").wait_for()
    assert_accessible(phone)
    phone.goto(link)
    phone.get_by_role("heading", name="This link no longer works").wait_for()
    assert_accessible(phone)
    fits(phone)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_trainer_emails_everyone_booked_from_the_session_page(phone, live_server, client):
    trainer = make_role_user("trainer")
    session = SessionFactory(course__title="Prevent awareness")
    session.trainers.set([trainer])
    for _ in range(3):
        BookingFactory(session=session)
    WaitingListEntryFactory(session=session)
    use_session_of(phone, client, live_server, trainer)
    phone.goto(session.get_absolute_url())
    phone.get_by_role("link", name="E-mail everyone booked or waiting").click()
    assert_accessible(phone)
    phone.get_by_role("button", name="Send the e-mail").click()
    phone.get_by_role("heading", name="There is a problem").wait_for()
    assert_accessible(phone)
    fits(phone)
    phone.get_by_label("Both").check()
    phone.get_by_label("Subject").fill("Room change")
    phone.get_by_label("Message").fill("We have moved to Room 3.")
    phone.get_by_role("button", name="Send the e-mail").click()
    phone.get_by_text("Your e-mail is on its way to 4 people.").wait_for()
    assert_accessible(phone)
    fits(phone)
    assert OutboxMessage.objects.filter(purpose="training session message").count() == 4


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_offered_place_on_a_course_needing_approval_asks_for_the_manager_on_a_phone(phone, live_server, client):
    from apps.training import services

    session = SessionFactory(course__needs_manager_approval=True, course__title="Court skills", capacity=1)
    holder = UserFactory()
    booking = BookingFactory(session=session, person=holder)
    sam = UserFactory(first_name="Sam", last_name="Waits")
    entry = services.join_waiting_list(session=session, person=sam, by=sam)
    services.cancel_booking(booking=booking, by=holder)
    entry.refresh_from_db()
    assert entry.status == "offered"
    use_session_of(phone, client, live_server, sam)
    phone.goto(entry.get_absolute_url())
    phone.get_by_role("heading", name="A place is free for you").wait_for()
    assert_accessible(phone)
    fits(phone)
    phone.get_by_role("button", name="Take the place").click()
    phone.get_by_role("heading", name="There is a problem").wait_for()
    assert phone.get_by_role("link", name="Enter your line manager's e-mail address").count() == 1
    assert_accessible(phone)
    fits(phone)
    phone.get_by_label("Your line manager's e-mail address").fill("sams.manager@example.org")
    phone.get_by_role("button", name="Take the place").click()
    phone.get_by_text("Your place is held. We have e-mailed your line manager to approve it.").wait_for()
    assert Booking.objects.get(person=sam).status == BookingStatus.AWAITING_APPROVAL
    assert OutboxMessage.objects.filter(to="sams.manager@example.org").exists()
