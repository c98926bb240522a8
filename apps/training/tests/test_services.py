"""The rules of places, waiting lists, reminders and registers, as the people involved meet them."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from django.utils import timezone
from freezegun import freeze_time
from icalendar import Calendar

from apps.accounts.models import Role
from apps.accounts.tests.factories import UserFactory, grant
from apps.audit.models import AuditEntry
from apps.notifications.models import OutboxMessage
from apps.training import services
from apps.training.models import (
    Booking,
    BookingStatus,
    Certificate,
    SessionStatus,
    WaitingListEntry,
    WaitingStatus,
)
from apps.training.tests.factories import BookingFactory, SessionFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2024, 3, 4, 9, 0, tzinfo=dt.UTC)


def mail_to(person, purpose: str | None = None):
    messages = OutboxMessage.objects.filter(to=person.email)
    return list(messages.filter(purpose=purpose) if purpose else messages)


def ics_of(message) -> Calendar:
    (attachment,) = message.attachments
    assert attachment["content_type"].startswith("text/calendar")
    return Calendar.from_ical(base64.b64decode(attachment["content_b64"]))


def the_event(cal: Calendar):
    (event,) = cal.walk("VEVENT")
    return event


@pytest.fixture
def session():
    with freeze_time(NOW):
        return SessionFactory(
            capacity=2,
            starts_at=NOW + dt.timedelta(days=10),
            ends_at=NOW + dt.timedelta(days=10, hours=1),
        )


def test_a_practitioner_books_a_place_with_their_organisation_and_access_needs(session):
    person = UserFactory()
    with freeze_time(NOW):
        booking = services.book_place(session=session, person=person, access_needs="A hearing loop", by=person)
    assert booking.status == BookingStatus.BOOKED
    assert booking.organisation == person.organisation
    assert booking.access_needs == "A hearing loop"
    assert AuditEntry.objects.filter(object_type="training.booking", object_id=str(booking.pk)).exists()
    (confirmation,) = mail_to(person, "training booking confirmed")
    event = the_event(ics_of(confirmation))
    assert ics_of(confirmation)["method"] == "REQUEST"
    assert str(event["uid"]) == f"booking-{booking.uid}@127.0.0.1"
    assert event["sequence"] == 0
    assert event.decoded("dtstart") == session.starts_at


def test_booking_twice_is_refused_and_changes_nothing(session):
    person = UserFactory()
    with freeze_time(NOW):
        services.book_place(session=session, person=person, by=person)
        with pytest.raises(services.AlreadyBooked, match="already have a place"):
            services.book_place(session=session, person=person, by=person)
    assert Booking.objects.filter(person=person).count() == 1


def test_the_database_refuses_a_second_live_booking_whatever_the_code():
    from django.db import IntegrityError, transaction

    booking = BookingFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(session=booking.session, person=booking.person)


def test_full_session_is_refused_and_the_person_can_join_the_waiting_list(session):
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    with freeze_time(NOW):
        services.book_place(session=session, person=first, by=first)
        services.book_place(session=session, person=second, by=second)
        with pytest.raises(services.SessionFull, match="full"):
            services.book_place(session=session, person=third, by=third)
        assert not Booking.objects.filter(person=third).exists()
        entry = services.join_waiting_list(session=session, person=third, by=third)
    assert entry.status == WaitingStatus.WAITING
    assert services.waiting_position(entry) == 1


def test_joining_the_waiting_list_while_places_are_free_is_refused(session):
    person = UserFactory()
    with freeze_time(NOW), pytest.raises(services.PlacesAvailable):
        services.join_waiting_list(session=session, person=person, by=person)


def test_booking_a_closed_or_not_yet_open_session_is_refused(session):
    person = UserFactory()
    session.booking_opens_at = NOW + dt.timedelta(days=1)
    session.save()
    with freeze_time(NOW), pytest.raises(services.BookingClosed, match="not opened"):
        services.book_place(session=session, person=person, by=person)
    with freeze_time(session.starts_at), pytest.raises(services.BookingClosed, match="closed"):
        services.book_place(session=session, person=person, by=person)
    assert not Booking.objects.exists()


def test_cancelling_before_the_cut_off_frees_the_place_and_sends_a_calendar_cancel(session):
    person = UserFactory()
    with freeze_time(NOW):
        booking = services.book_place(session=session, person=person, by=person)
        services.cancel_booking(booking=booking, by=person)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    (notice,) = mail_to(person, "training booking cancelled")
    cal = ics_of(notice)
    assert cal["method"] == "CANCEL"
    event = the_event(cal)
    assert str(event["uid"]) == f"booking-{booking.uid}@127.0.0.1"
    assert event["sequence"] == 1
    assert event["status"] == "CANCELLED"


def test_cancelling_after_the_cut_off_is_refused_and_changes_nothing(session):
    person = UserFactory()
    with freeze_time(NOW):
        booking = services.book_place(session=session, person=person, by=person)
    with (
        freeze_time(session.cancel_by + dt.timedelta(minutes=1)),
        pytest.raises(services.CancellationClosed, match="time to cancel"),
    ):
        services.cancel_booking(booking=booking, by=person)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED


def test_a_freed_place_is_offered_to_the_next_person_and_passes_on_when_the_hold_runs_out(session, settings):
    settings.TRAINING_OFFER_HOLD_HOURS = 48
    booked = [UserFactory(), UserFactory()]
    first_waiting, second_waiting = UserFactory(), UserFactory()
    with freeze_time(NOW):
        bookings = [services.book_place(session=session, person=p, by=p) for p in booked]
        services.join_waiting_list(session=session, person=first_waiting, by=first_waiting)
    with freeze_time(NOW + dt.timedelta(minutes=1)):
        services.join_waiting_list(session=session, person=second_waiting, by=second_waiting)
    with freeze_time(NOW + dt.timedelta(hours=1)):
        services.cancel_booking(booking=bookings[0], by=booked[0])
    offer = WaitingListEntry.objects.get(person=first_waiting)
    assert offer.status == WaitingStatus.OFFERED
    assert offer.offer_expires_at == NOW + dt.timedelta(hours=49)
    assert mail_to(first_waiting, "training place offered")
    # Held for the first person: nobody else can take it meanwhile.
    latecomer = UserFactory()
    with freeze_time(NOW + dt.timedelta(hours=2)), pytest.raises(services.SessionFull):
        services.book_place(session=session, person=latecomer, by=latecomer)
    # The sweep before the hold runs out changes nothing.
    with freeze_time(NOW + dt.timedelta(hours=48)):
        services.expire_offers()
    assert WaitingListEntry.objects.get(person=first_waiting).status == WaitingStatus.OFFERED
    with freeze_time(NOW + dt.timedelta(hours=49, minutes=1)):
        services.expire_offers()
        services.expire_offers()  # idempotent
    assert WaitingListEntry.objects.get(person=first_waiting).status == WaitingStatus.EXPIRED
    assert mail_to(first_waiting, "training offer expired")
    second = WaitingListEntry.objects.get(person=second_waiting)
    assert second.status == WaitingStatus.OFFERED
    assert len(mail_to(second_waiting, "training place offered")) == 1
    with freeze_time(NOW + dt.timedelta(hours=50)):
        booking = services.accept_offer(entry=second, by=second_waiting)
    assert booking.status == BookingStatus.BOOKED
    assert booking.from_waiting_list


def test_taking_an_offer_after_it_ran_out_is_refused(session):
    booked, waiting = UserFactory(), UserFactory()
    session.capacity = 1
    session.save()
    with freeze_time(NOW):
        booking = services.book_place(session=session, person=booked, by=booked)
        entry = services.join_waiting_list(session=session, person=waiting, by=waiting)
        services.cancel_booking(booking=booking, by=booked)
    with (
        freeze_time(NOW + services.offer_hold() + dt.timedelta(seconds=1)),
        pytest.raises(services.OfferNotOpen, match="run out"),
    ):
        services.accept_offer(entry=entry, by=waiting)
    assert not Booking.objects.filter(person=waiting).exists()


def test_turning_an_offer_down_passes_it_to_the_next_person(session):
    session.capacity = 1
    session.save()
    booked, first, second = UserFactory(), UserFactory(), UserFactory()
    with freeze_time(NOW):
        booking = services.book_place(session=session, person=booked, by=booked)
        entry = services.join_waiting_list(session=session, person=first, by=first)
        services.join_waiting_list(session=session, person=second, by=second)
        services.cancel_booking(booking=booking, by=booked)
        services.leave_waiting_list(entry=entry, by=first)
    assert WaitingListEntry.objects.get(person=first).status == WaitingStatus.DECLINED
    assert WaitingListEntry.objects.get(person=second).status == WaitingStatus.OFFERED


def test_the_reminder_is_sent_once_even_when_the_worker_dies_mid_run(session, monkeypatch):
    people = [UserFactory(), UserFactory()]
    with freeze_time(NOW):
        for person in people:
            services.book_place(session=session, person=person, by=person)
    due = session.starts_at - dt.timedelta(days=2) + dt.timedelta(minutes=5)
    with freeze_time(due - dt.timedelta(hours=1)):
        assert services.send_due_reminders() == 0

    real_queue = services.queue_templated_email
    calls = {"n": 0}

    def dies_on_the_second(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise SystemExit("worker killed")
        return real_queue(**kwargs)

    monkeypatch.setattr(services, "queue_templated_email", dies_on_the_second)
    with freeze_time(due), pytest.raises(SystemExit):
        services.send_due_reminders()
    monkeypatch.setattr(services, "queue_templated_email", real_queue)
    # The restarted worker runs the periodic task again, twice over.
    with freeze_time(due + dt.timedelta(minutes=1)):
        services.send_due_reminders()
        services.send_due_reminders()
    for person in people:
        assert len(mail_to(person, "training reminder")) == 1
    assert not Booking.objects.filter(session=session, reminder_sent_at__isnull=True).exists()


def test_a_session_across_the_clocks_going_forward_shows_and_exports_london_times():
    from apps.core.dates import format_range
    from apps.training.forms import london_datetime

    # The clocks went forward at 1am on Sunday 31 March 2024.
    starts = london_datetime(dt.date(2024, 3, 31), dt.time(13, 0))
    ends = london_datetime(dt.date(2024, 3, 31), dt.time(14, 0))
    with freeze_time("2024-03-20T09:00:00Z"):
        session = SessionFactory(starts_at=starts, ends_at=ends)
        before = SessionFactory(
            course=session.course,
            starts_at=london_datetime(dt.date(2024, 3, 19), dt.time(13, 0)) + dt.timedelta(days=7),
            ends_at=london_datetime(dt.date(2024, 3, 19), dt.time(14, 0)) + dt.timedelta(days=7),
        )
        person = UserFactory()
        booking = services.book_place(session=session, person=person, by=person)
    session.refresh_from_db()
    assert session.starts_at == dt.datetime(2024, 3, 31, 12, 0, tzinfo=dt.UTC)
    assert format_range(session.starts_at, session.ends_at) == "Sunday 31 March 2024, 1pm to 2pm"
    # A week before the change, 1pm in London is 1pm UTC.
    assert format_range(before.starts_at, before.ends_at) == "Tuesday 26 March 2024, 1pm to 2pm"
    event = the_event(ics_of(mail_to(person, "training booking confirmed")[0]))
    assert event.decoded("dtstart") == dt.datetime(2024, 3, 31, 12, 0, tzinfo=dt.UTC)
    assert event.decoded("dtend") == dt.datetime(2024, 3, 31, 13, 0, tzinfo=dt.UTC)
    assert booking.session.hours == 1


def test_changing_a_session_sends_everyone_booked_an_update_with_the_next_sequence(session):
    organiser = grant(UserFactory(), Role.BUSINESS_UNIT)
    person = UserFactory()
    with freeze_time(NOW):
        booking = services.book_place(session=session, person=person, by=person)
        services.update_session(
            session=session,
            by=organiser,
            starts_at=session.starts_at + dt.timedelta(hours=2),
            ends_at=session.ends_at + dt.timedelta(hours=2),
        )
    (update,) = mail_to(person, "training session changed")
    cal = ics_of(update)
    assert cal["method"] == "REQUEST"
    event = the_event(cal)
    assert str(event["uid"]) == f"booking-{booking.uid}@127.0.0.1"
    assert event["sequence"] == 1
    assert event.decoded("dtstart") == session.starts_at + dt.timedelta(hours=2)
    assert "the time" in update.body_text


def test_capacity_cannot_go_below_the_places_held(session):
    organiser = grant(UserFactory(), Role.BUSINESS_UNIT)
    with freeze_time(NOW):
        for person in (UserFactory(), UserFactory()):
            services.book_place(session=session, person=person, by=person)
        with pytest.raises(services.CapacityBelowPlacesHeld):
            services.update_session(session=session, by=organiser, capacity=1)
    session.refresh_from_db()
    assert session.capacity == 2


def test_cancelling_a_session_tells_everyone_booked_and_waiting(session):
    organiser = grant(UserFactory(), Role.BUSINESS_UNIT)
    booked = [UserFactory(), UserFactory()]
    waiting = UserFactory()
    with freeze_time(NOW):
        for person in booked:
            services.book_place(session=session, person=person, by=person)
        services.join_waiting_list(session=session, person=waiting, by=waiting)
        services.cancel_session(session=session, reason="The trainer is ill", by=organiser)
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    for person in booked:
        (notice,) = mail_to(person, "training session cancelled")
        assert ics_of(notice)["method"] == "CANCEL"
        assert "The trainer is ill" in notice.body_text
    assert mail_to(waiting, "training session cancelled")
    assert WaitingListEntry.objects.get(person=waiting).status == WaitingStatus.CLOSED


def test_only_the_sessions_trainers_and_the_business_unit_mark_its_register(session):
    trainer = grant(UserFactory(), Role.TRAINER)
    other_trainer = grant(UserFactory(), Role.TRAINER)
    session.trainers.set([trainer])
    person = UserFactory()
    with freeze_time(NOW):
        booking = services.book_place(session=session, person=person, by=person)
    with freeze_time(session.starts_at):
        with pytest.raises(services.NotYourRegister):
            services.mark_register(booking=booking, status=BookingStatus.ATTENDED, by=other_trainer)
        with pytest.raises(services.NotYourRegister):
            services.mark_register(booking=booking, status=BookingStatus.ATTENDED, by=person)
        assert Booking.objects.get(pk=booking.pk).status == BookingStatus.BOOKED
        services.mark_register(booking=booking, status=BookingStatus.ATTENDED, by=trainer)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ATTENDED
    certificate = Certificate.objects.get(booking=booking)
    assert certificate.is_valid
    (thanks,) = mail_to(person, "training attended")
    assert certificate.code in thanks.body_text and "/evaluation/" in thanks.body_text
    entry = AuditEntry.objects.filter(object_type="training.booking", object_id=str(booking.pk)).first()
    assert "Booked to Attended" in entry.detail
    with freeze_time(session.starts_at + dt.timedelta(hours=2)):
        services.mark_register(booking=booking, status=BookingStatus.ABSENT, by=trainer)
    certificate.refresh_from_db()
    assert not certificate.is_valid


def test_the_register_opens_on_the_day_of_the_session(session):
    organiser = grant(UserFactory(), Role.BUSINESS_UNIT)
    person = UserFactory()
    with freeze_time(NOW):
        booking = services.book_place(session=session, person=person, by=person)
        with pytest.raises(services.RegisterNotOpen, match="day of the session"):
            services.mark_register(booking=booking, status=BookingStatus.ATTENDED, by=organiser)


def test_a_request_is_accepted_into_a_booking_or_declined_with_a_note():
    from apps.training.models import BookingMethod, RequestStatus

    organiser = grant(UserFactory(), Role.BUSINESS_UNIT)
    with freeze_time(NOW):
        session = SessionFactory(
            course__booking_method=BookingMethod.REQUEST,
            course__contact_email="lado@example.org",
            starts_at=NOW + dt.timedelta(days=5),
            ends_at=NOW + dt.timedelta(days=5, hours=1),
        )
        asking, declined = UserFactory(), UserFactory()
        request = services.request_place(course=session.course, person=asking, session=session, by=asking)
        other = services.request_place(course=session.course, person=declined, by=declined)
        assert OutboxMessage.objects.filter(to="lado@example.org").count() == 2
        with pytest.raises(services.AlreadyWaiting):
            services.request_place(course=session.course, person=asking, session=session, by=asking)
        services.decide_request(booking_request=request, accept=True, by=organiser)
        services.decide_request(booking_request=other, accept=False, note="This one is for early years", by=organiser)
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED
    assert Booking.objects.get(person=asking, session=session).status == BookingStatus.BOOKED
    assert mail_to(asking, "training booking confirmed")
    (declined_mail,) = mail_to(declined, "training request declined")
    assert "early years" in declined_mail.body_text


def test_passing_the_knowledge_check_records_completion_once():
    from apps.training.models import ELearningCompletion
    from apps.training.tests.factories import ELearningItemFactory

    item = ELearningItemFactory(pass_mark=100)
    person = UserFactory()
    questions = list(item.questions.all())
    wrong = {q.pk: q.answers.get(is_correct=False).pk for q in questions}
    right = {q.pk: q.answers.get(is_correct=True).pk for q in questions}
    result = services.submit_knowledge_check(item=item, person=person, answers=wrong, by=person)
    assert (result.score, result.passed) == (0, False)
    assert not ELearningCompletion.objects.exists()
    result = services.submit_knowledge_check(item=item, person=person, answers=right, by=person)
    assert (result.score, result.passed) == (100, True)
    services.submit_knowledge_check(item=item, person=person, answers=right, by=person)
    assert ELearningCompletion.objects.filter(person=person).count() == 1


def test_outside_training_evidence_is_checked_by_its_content(tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.PROTECTED_MEDIA_ROOT = tmp_path
    person = UserFactory()
    disguised = SimpleUploadedFile("certificate.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    with pytest.raises(services.EvidenceRefused):
        services.record_outside_training(
            person=person,
            by=person,
            title="x",
            provider="y",
            completed_on=dt.date(2024, 1, 1),
            hours=1,
            evidence=disguised,
        )
    pdf = SimpleUploadedFile("c.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF", content_type="text/plain")
    entry = services.record_outside_training(
        person=person,
        by=person,
        title="First aid",
        provider="Red Cross",
        completed_on=dt.date(2024, 1, 1),
        hours=3,
        evidence=pdf,
    )
    assert entry.evidence_content_type == "application/pdf"
    assert (tmp_path / entry.evidence.name).exists()


def test_renewing_the_calendar_address_stops_the_old_one():
    person = UserFactory()
    old = services.calendar_feed_of(person).token
    services.renew_calendar_feed(person=person, by=person)
    assert services.calendar_feed_of(person).token != old


def test_the_periodic_tasks_run_the_services(session):
    from apps.training import tasks

    assert tasks.send_training_reminders.call() == 0
    assert tasks.pass_on_expired_offers.call() == 0


def test_now_is_aware():
    assert timezone.is_aware(timezone.now())


def test_a_copied_session_opens_for_booking_as_long_before_its_start():
    organiser = grant(UserFactory(), Role.BUSINESS_UNIT)
    with freeze_time(NOW):
        session = SessionFactory(
            starts_at=NOW + dt.timedelta(days=30),
            ends_at=NOW + dt.timedelta(days=30, hours=2),
            booking_opens_at=NOW + dt.timedelta(days=16),
            booking_closes_at=NOW + dt.timedelta(days=29),
        )
        copy = services.copy_session(session=session, starts_at=session.starts_at + dt.timedelta(weeks=1), by=organiser)
    assert copy.booking_opens_at == NOW + dt.timedelta(days=23)
    assert copy.booking_closes_at == NOW + dt.timedelta(days=36)
    with freeze_time(NOW + dt.timedelta(days=20)):
        person = UserFactory()
        with pytest.raises(services.BookingClosed, match="has not opened yet"):
            services.book_place(session=copy, person=person, by=person)


def test_a_request_for_a_place_reaches_the_business_unit_as_well_as_the_courses_contact():
    from django.db import transaction

    from apps.accounts.models import AccountStatus
    from apps.accounts.tests.factories import TeamFactory
    from apps.training.models import BookingMethod, BookingRequest

    editor = grant(UserFactory(), Role.BUSINESS_UNIT)
    grant(UserFactory(status=AccountStatus.SUSPENDED), Role.BUSINESS_UNIT)
    course = SessionFactory(
        course__booking_method=BookingMethod.REQUEST, course__contact_email="lado@example.org"
    ).course
    asking = UserFactory()
    services.request_place(course=course, person=asking, by=asking)
    (to_unit,) = OutboxMessage.objects.filter(purpose="training request to business unit")
    assert to_unit.to == editor.email  # no team inbox: the active business unit editors
    assert asking.get_full_name() in to_unit.body_text and "/training/manage/requests/" in to_unit.body_text
    assert OutboxMessage.objects.filter(to="lado@example.org", purpose="training request to organiser").exists()

    team = TeamFactory(slug="business-unit", name="Partnership business unit", inbox_email="cyscp@example.org")
    second = UserFactory()
    services.request_place(course=course, person=second, by=second)
    assert list(
        OutboxMessage.objects.filter(purpose="training request to business unit")
        .order_by("pk")
        .values_list("to", flat=True)
    ) == [editor.email, team.inbox_email]

    # The e-mails are rows in the outbox written in the request's own transaction: undone with it.
    third = UserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.request_place(course=course, person=third, by=third)
        assert OutboxMessage.objects.filter(to=team.inbox_email).count() == 2
        raise RuntimeError("the request fails after the e-mails are queued")
    assert OutboxMessage.objects.filter(to=team.inbox_email).count() == 1
    assert not BookingRequest.objects.filter(person=third).exists()

    course.contact_email = team.inbox_email  # the business unit is the contact: told once
    course.save()
    fourth = UserFactory()
    services.request_place(course=course, person=fourth, by=fourth)
    assert OutboxMessage.objects.filter(to=team.inbox_email).count() == 2
