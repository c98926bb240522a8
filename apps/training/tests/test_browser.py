"""Journeys in a real browser, with axe-core on every page passed."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from icalendar import Calendar

from apps.accounts.tests.factories import UserFactory, make_role_user
from apps.core.tests.fixtures import assert_accessible, use_session_of
from apps.training import services
from apps.training.models import Booking, BookingStatus, WaitingListEntry, WaitingStatus
from apps.training.tests.factories import BookingFactory, SessionFactory, TopicFactory


def ics_from(message) -> Calendar:
    for part in message.iter_attachments():
        if part.get_content_type() == "text/calendar":
            return Calendar.from_ical(part.get_content())
    raise AssertionError("no calendar attached")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_find_a_course_book_it_cancel_and_the_next_person_is_offered_the_place(
    page, live_server, client, smtp_server, settings
):
    # pytest-django swaps in the in-memory mail backend; this journey sends real SMTP to the test's server.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    topic = TopicFactory(name="Child exploitation", slug="exploitation")
    session = SessionFactory(course__title="#LookCloser: online exploitation", capacity=1)
    session.course.topics.add(topic)
    SessionFactory(course__title="Fire safety at home")
    practitioner = UserFactory(first_name="Priya", last_name="Shah")
    waiting = UserFactory()

    use_session_of(page, client, live_server, practitioner)
    page.goto("/training/")
    assert_accessible(page)
    page.get_by_label("Topic").select_option(label="Child exploitation")
    page.get_by_role("button", name="Apply filters").click()
    assert_accessible(page)
    assert page.get_by_text("Fire safety at home").count() == 0
    page.get_by_role("link", name=re.compile("#LookCloser: online exploitation")).click()
    assert_accessible(page)
    page.get_by_role("link", name="Book a place").click()
    assert_accessible(page)
    page.get_by_label("Do you have any access needs?").fill("Captions, please")
    page.get_by_role("button", name="Book a place").click()
    page.get_by_role("heading", name="Your place is booked").wait_for()
    assert_accessible(page)
    booking = Booking.objects.get(person=practitioner)
    assert booking.access_needs == "Captions, please"

    confirmation = next(m for m in smtp_server.messages if m["To"] == practitioner.email)
    assert confirmation["Subject"].startswith("Your place is booked")
    (event,) = ics_from(confirmation).walk("VEVENT")
    assert str(event["uid"]).startswith(f"booking-{booking.uid}")

    # The session is now full: the next person joins the waiting list.
    services.join_waiting_list(session=session, person=waiting, by=waiting)

    page.goto(booking.get_absolute_url())
    page.get_by_role("link", name="Cancel this place").click()
    assert_accessible(page)
    page.get_by_role("button", name="Cancel my place").click()
    page.get_by_role("heading", name="My training").wait_for()
    assert_accessible(page)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert WaitingListEntry.objects.get(person=waiting).status == WaitingStatus.OFFERED
    cancel = [m for m in smtp_server.messages if m["To"] == practitioner.email and "cancelled" in m["Subject"]]
    assert ics_from(cancel[0])["method"] == "CANCEL"
    offer = next(m for m in smtp_server.messages if m["To"] == waiting.email and "free for you" in m["Subject"])
    assert "/training/waiting-list/" in offer.get_body(("plain",)).get_content()

    # The person offered the place takes it.
    page.context.clear_cookies()
    use_session_of(page, client, live_server, waiting)
    entry = WaitingListEntry.objects.get(person=waiting)
    page.goto(entry.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("button", name="Take the place").click()
    page.get_by_role("heading", name="Your place is booked").wait_for()
    assert_accessible(page)
    assert Booking.objects.get(person=waiting, session=session).status == BookingStatus.BOOKED


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_trainer_marks_the_register_on_a_phone(phone_page, live_server, client):
    trainer = make_role_user("trainer")
    now = timezone.now()
    # Under way: the register opens on the session's day, and one starting in ten minutes at ten to
    # midnight would not be open yet.
    session = SessionFactory(starts_at=now - dt.timedelta(minutes=5), ends_at=now + dt.timedelta(hours=1))
    session.trainers.set([trainer])
    first = BookingFactory(session=session, person=UserFactory(first_name="Aisha", last_name="Khan"))
    BookingFactory(session=session, person=UserFactory(first_name="Ben", last_name="Walker"), access_needs="A break")

    use_session_of(phone_page, client, live_server, trainer)
    phone_page.goto("/training/teaching/")
    assert_accessible(phone_page)
    phone_page.get_by_role("link", name=re.compile("^Register")).first.click()
    phone_page.wait_for_url(re.compile(r"/register/$"))
    assert_accessible(phone_page)
    assert phone_page.get_by_text("A break").is_visible()
    phone_page.get_by_role("button", name=re.compile(r"Attended\W+Aisha Khan")).click()
    phone_page.get_by_text("Aisha Khan marked as attended").wait_for()
    assert_accessible(phone_page)
    phone_page.get_by_role("button", name=re.compile(r"Absent\W+Ben Walker")).click()
    phone_page.get_by_text("Ben Walker marked as absent").wait_for()
    # Nothing on the page is wider than the phone's screen.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 320
    first.refresh_from_db()
    assert first.status == BookingStatus.ATTENDED
    assert Booking.objects.get(session=session, person__first_name="Ben").status == BookingStatus.ABSENT


@pytest.fixture
def phone_375(browser, live_server):
    """A 375 CSS pixel phone, the width people reported the training pages overflowing at."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


LONG_WORD = "Safeguarding" * 5  # one word of 60 letters


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_course_title_with_a_60_letter_word_and_the_learning_record_fit_a_375_px_phone(
    phone_375, live_server, client
):
    assert len(LONG_WORD) == 60
    person = UserFactory(first_name="Priya", last_name="Shah")
    upcoming = SessionFactory(course__title=f"{LONG_WORD} briefing", course__slug="long-word")
    started = timezone.now() - dt.timedelta(days=10)
    held = SessionFactory(course=upcoming.course, starts_at=started, ends_at=started + dt.timedelta(hours=3))
    BookingFactory(session=upcoming, person=person)
    attended = BookingFactory(session=held, person=person)
    services.mark_register(booking=attended, status=BookingStatus.ATTENDED, by=make_role_user("business_unit"))
    services.record_outside_training(
        person=person,
        by=person,
        title=f"Level 3 {LONG_WORD}",
        provider="North Yorkshire Safeguarding Children Partnership",
        completed_on=timezone.localdate() - dt.timedelta(days=40),
        hours="6.5",
    )

    use_session_of(phone_375, client, live_server, person)
    for url in (
        "/training/",
        upcoming.course.get_absolute_url(),
        upcoming.get_absolute_url(),
        "/training/my-training/",
        "/training/learning-record/",
    ):
        phone_375.goto(url)
        assert phone_375.get_by_text(LONG_WORD).first.is_visible()
        width = phone_375.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{url} is {width} px wide"
        assert_accessible(phone_375)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_after_apply_filters_the_focus_is_on_the_results(page, live_server):
    SessionFactory(course__title="PREVENT awareness")
    SessionFactory(course__title="Fire safety at home")
    page.goto("/training/")
    assert page.evaluate("document.activeElement.id") != "results"
    page.get_by_label("Keywords").fill("prevent")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"q=prevent"))
    page.get_by_role("heading", name="Sessions (1)").wait_for()
    assert page.evaluate("document.activeElement.id") == "results"
    assert page.get_by_text("Fire safety at home").count() == 0
    assert_accessible(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_knowledge_check_names_the_wrong_answers_and_a_pass_gives_a_certificate(page, live_server, client):
    from apps.training.tests.factories import ELearningItemFactory

    item = ELearningItemFactory(course__title="Neglect toolkit", pass_mark=100)
    person = UserFactory()
    use_session_of(page, client, live_server, person)
    page.goto(item.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("group", name="1. Question 1?").get_by_label("Right").check()
    page.get_by_role("group", name="2. Question 2?").get_by_label("Wrong").check()
    page.get_by_role("button", name="Check my answers").click()
    page.get_by_text("This answer was wrong:").wait_for()
    assert page.get_by_text("Question 2, Question 2?: you answered “Wrong”").is_visible()
    assert_accessible(page)
    for number in (1, 2):
        page.get_by_role("group", name=f"{number}. Question {number}?").get_by_label("Right").check()
    page.get_by_role("button", name="Check my answers").click()
    page.get_by_role("link", name="Download your certificate (PDF)").wait_for()
    assert_accessible(page)
