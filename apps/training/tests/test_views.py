"""The pages behind each URL: what people see, and the clear messages when they ask for what the rules refuse."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from apps.accounts.tests.factories import OrganisationFactory, UserFactory, make_role_user
from apps.audit.models import AuditEntry
from apps.notifications.models import OutboxMessage
from apps.training import services
from apps.training.models import (
    Booking,
    BookingMethod,
    BookingStatus,
    Certificate,
    Delivery,
    ELearningCompletion,
    OutsideTraining,
    Session,
    SessionStatus,
)
from apps.training.tests.factories import (
    BookingFactory,
    CourseFactory,
    ELearningItemFactory,
    SessionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def signed_in(client, user=None):
    user = user or UserFactory()
    client.force_login(user)
    return user


def test_booking_a_place_shows_the_confirmation_and_sends_the_invitation(client):
    person = signed_in(client)
    session = SessionFactory()
    response = client.post(reverse("training:book", args=[session.pk]), {"access_needs": "Step-free access"})
    booking = Booking.objects.get(person=person)
    assert response.status_code == 302 and response["Location"] == booking.get_absolute_url()
    page = client.get(booking.get_absolute_url()).content.decode()
    assert "Your place is booked" in page
    assert "Step-free access" in page
    assert OutboxMessage.objects.filter(to=person.email, purpose="training booking confirmed").exists()


def test_booking_a_full_session_says_so_and_changes_nothing(client):
    session = SessionFactory(capacity=1)
    BookingFactory(session=session)
    person = signed_in(client)
    response = client.post(reverse("training:book", args=[session.pk]), {"access_needs": "A break"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert "govuk-error-summary" in page and "This session is full" in page
    assert "Join the waiting list" in page
    assert not Booking.objects.filter(person=person).exists()


def test_booking_twice_says_so(client):
    person = signed_in(client)
    booking = BookingFactory(person=person)
    response = client.post(reverse("training:book", args=[booking.session.pk]), {})
    assert "You already have a place at this session" in response.content.decode()
    assert Booking.objects.filter(person=person).count() == 1


def test_booking_a_closed_session_says_so(client):
    signed_in(client)
    session = SessionFactory(booking_closes_at=timezone.now() - dt.timedelta(minutes=1))
    response = client.post(reverse("training:book", args=[session.pk]), {})
    assert "Booking for this session has closed" in response.content.decode()
    assert not Booking.objects.exists()


def test_cancelling_after_the_cut_off_says_so_and_keeps_the_place(client):
    person = signed_in(client)
    soon = timezone.now() + dt.timedelta(hours=3)
    booking = BookingFactory(
        person=person, session=SessionFactory(starts_at=soon, ends_at=soon + dt.timedelta(hours=1))
    )
    response = client.post(reverse("training:cancel_booking", args=[booking.pk]))
    page = response.content.decode()
    assert "govuk-error-summary" in page and "The time to cancel this place has passed" in page
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED


def test_cancelling_in_time_frees_the_place_for_the_next_person_waiting(client):
    person = signed_in(client)
    session = SessionFactory(capacity=1)
    booking = BookingFactory(person=person, session=session)
    waiting = UserFactory()
    entry = services.join_waiting_list(session=session, person=waiting, by=waiting)
    response = client.post(reverse("training:cancel_booking", args=[booking.pk]))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == "offered"
    assert AuditEntry.objects.filter(object_type="training.booking", detail="cancelled the place").exists()


def test_an_offered_place_is_taken_from_the_waiting_list_page(client):
    session = SessionFactory(capacity=1)
    booking = BookingFactory(session=session)
    person = signed_in(client)
    entry = services.join_waiting_list(session=session, person=person, by=person)
    services.cancel_booking(booking=booking, by=booking.person)
    page = client.get(entry.get_absolute_url()).content.decode()
    assert "A place is free for you" in page
    response = client.post(entry.get_absolute_url(), {"action": "accept"})
    assert response.status_code == 302
    assert Booking.objects.get(person=person, session=session).status == BookingStatus.BOOKED


def test_someone_else_cannot_see_or_cancel_a_booking(client):
    booking = BookingFactory()
    signed_in(client)
    assert client.get(booking.get_absolute_url()).status_code == 403
    assert client.post(reverse("training:cancel_booking", args=[booking.pk])).status_code == 403
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED


def test_the_joining_link_is_shown_only_to_people_with_a_place(client):
    session = SessionFactory(course__delivery=Delivery.ONLINE, joining_link="https://meet.example.org/secret-room")
    signed_in(client)
    assert "secret-room" not in client.get(session.get_absolute_url()).content.decode()
    feed = client.get(reverse("training:catalogue_feed")).content.decode()
    assert "secret-room" not in feed
    person = signed_in(client)
    BookingFactory(session=session, person=person)
    assert "secret-room" in client.get(session.get_absolute_url()).content.decode()


def test_the_catalogue_filters_by_dates_topic_audience_delivery_and_free_places(client):
    topic = TopicFactory(name="Exploitation", slug="exploitation")
    now = timezone.now()
    soon = SessionFactory(course__title="Night time economy", starts_at=now + dt.timedelta(days=3))
    soon.course.topics.add(topic)
    soon.course.audience.create(sector="police")
    later = SessionFactory(
        course__title="Online harms",
        course__delivery=Delivery.ONLINE,
        starts_at=now + dt.timedelta(days=30),
        capacity=1,
    )
    BookingFactory(session=later)
    url = reverse("training:catalogue")

    def titles(**query):
        page = client.get(url, query).content.decode()
        return {title for title in ("Night time economy", "Online harms") if title in page}

    assert titles() == {"Night time economy", "Online harms"}
    assert titles(topic="exploitation") == {"Night time economy"}
    assert titles(audience="police") == {"Night time economy"}
    assert titles(delivery="online") == {"Online harms"}
    assert titles(free_places="on") == {"Night time economy"}

    def day(name, date):
        return {f"{name}_0": date.day, f"{name}_1": date.month, f"{name}_2": date.year}

    in_ten_days = (now + dt.timedelta(days=10)).date()
    assert titles(**day("date_from", in_ten_days)) == {"Online harms"}
    assert titles(**day("date_to", in_ten_days)) == {"Night time economy"}
    response = client.get(url, {**day("date_from", in_ten_days), **day("date_to", now.date())})
    assert "The &#x27;to&#x27; date must be" in response.content.decode()


def test_the_catalogue_feed_lists_upcoming_sessions_as_icalendar(client):
    session = SessionFactory(course__title="PREVENT awareness")
    SessionFactory(status=SessionStatus.CANCELLED)
    response = client.get(reverse("training:catalogue_feed"))
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["PREVENT awareness"]
    assert events[0].decoded("dtstart") == session.starts_at


def test_the_personal_calendar_address_works_until_it_is_renewed(client):
    person = signed_in(client)
    booking = BookingFactory(person=person, session__joining_link="https://meet.example.org/room")
    feed = services.calendar_feed_of(person)
    url = reverse("training:personal_feed", args=[feed.token])
    cal = Calendar.from_ical(client.get(url).content)
    (event,) = cal.walk("VEVENT")
    assert str(event["uid"]).startswith(f"booking-{booking.uid}")
    client.post(reverse("training:calendar_feed_settings"))
    assert client.get(url).status_code == 404
    new = services.calendar_feed_of(person).token
    assert client.get(reverse("training:personal_feed", args=[new])).status_code == 200


def test_a_trainer_who_does_not_train_the_session_cannot_mark_its_register(client):
    now = timezone.now()
    session = SessionFactory(starts_at=now + dt.timedelta(minutes=5), ends_at=now + dt.timedelta(hours=1))
    booking = BookingFactory(session=session)
    signed_in(client, make_role_user("trainer"))
    response = client.post(
        reverse("training:register", args=[session.pk]), {"booking": booking.pk, "status": "attended"}
    )
    assert response.status_code == 403
    assert "Only the trainers of" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED


def test_the_sessions_trainer_marks_the_register_and_exports_it(client):
    now = timezone.now()
    trainer = make_role_user("trainer")
    session = SessionFactory(starts_at=now - dt.timedelta(minutes=5), ends_at=now + dt.timedelta(hours=1))
    session.trainers.set([trainer])
    booking = BookingFactory(session=session, access_needs="=HYPERLINK(1)")
    signed_in(client, trainer)
    page = client.get(reverse("training:register", args=[session.pk])).content.decode()
    assert html.escape(booking.person.get_full_name()) in page  # a name such as O'Neill is escaped
    response = client.post(
        reverse("training:register", args=[session.pk]), {"booking": booking.pk, "status": "attended"}
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ATTENDED
    rows = list(
        csv.reader(io.StringIO(client.get(reverse("training:register_csv", args=[session.pk])).content.decode()))
    )
    assert rows[0] == ["Name", "E-mail", "Organisation", "Access needs", "Status"]
    assert rows[1][3] == "'=HYPERLINK(1)" and rows[1][4] == "Attended"
    assert AuditEntry.objects.filter(object_type="training.session", action="export").exists()


def test_the_certificate_downloads_and_its_code_checks_without_showing_the_person(client):
    person = signed_in(client, UserFactory(first_name="Priya", last_name="Shah"))
    booking = BookingFactory(person=person, status=BookingStatus.ATTENDED)
    certificate = Certificate.objects.create(booking=booking, code=Certificate.new_code())
    pdf = client.get(reverse("training:certificate", args=[booking.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    client.logout()
    page = client.get(reverse("training:check_certificate"), {"code": certificate.code.lower()}).content.decode()
    assert "This certificate is genuine" in page
    assert booking.session.course.title in page
    assert "Priya" not in page and "Shah" not in page and person.email not in page
    wrong = client.get(reverse("training:check_certificate"), {"code": "NOPE-NOPE-NOPE"}).content.decode()
    assert "No certificate has this code" in wrong


def test_an_organisation_admin_sees_their_own_staffs_records_and_no_one_elses(client):
    admin = make_role_user("organisation_admin")
    colleague = UserFactory(organisation=admin.organisation)
    stranger = UserFactory(organisation=OrganisationFactory())
    signed_in(client, admin)
    listing = client.get(reverse("training:organisation_records")).content.decode()
    assert colleague.get_full_name() in listing and stranger.get_full_name() not in listing
    assert client.get(reverse("training:person_learning_record", args=[colleague.pk])).status_code == 200
    assert client.get(reverse("training:person_learning_record", args=[stranger.pk])).status_code == 403
    assert client.get(reverse("training:learning_record_csv", args=[stranger.pk])).status_code == 403
    assert AuditEntry.objects.filter(action="view", object_id=str(colleague.pk), detail="viewed the learning record")


def test_the_learning_record_adds_hours_per_year_and_exports(client, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.PROTECTED_MEDIA_ROOT = tmp_path
    person = signed_in(client)
    attended = timezone.now() - dt.timedelta(days=1)
    BookingFactory(
        person=person,
        status=BookingStatus.ATTENDED,
        session=SessionFactory(starts_at=attended, ends_at=attended + dt.timedelta(minutes=90)),
    )
    url = reverse("training:add_outside_training")
    fake = SimpleUploadedFile("evidence.pdf", b"<script>not a pdf</script>", content_type="application/pdf")
    form = {
        "title": "Domestic abuse awareness",
        "provider": "IDAS",
        "completed_on_0": "10",
        "completed_on_1": "1",
        "completed_on_2": "2023",
        "hours": "2.5",
    }
    response = client.post(url, {**form, "evidence": fake})
    assert "The evidence must be a PDF, PNG or JPEG file" in response.content.decode()
    assert 'value="Domestic abuse awareness"' in response.content.decode()
    assert not OutsideTraining.objects.exists()
    png = SimpleUploadedFile("c.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, content_type="image/png")
    assert client.post(url, {**form, "evidence": png}).status_code == 302
    page = client.get(reverse("training:learning_record")).content.decode()
    assert f"{attended.year}: 1.5 hours" in page
    assert "2023: 2.5 hours" in page
    rows = list(
        csv.reader(io.StringIO(client.get(reverse("training:learning_record_csv", args=[person.pk])).content.decode()))
    )
    assert len(rows) == 3
    assert client.get(reverse("training:learning_record_pdf", args=[person.pk])).content.startswith(b"%PDF")
    entry = OutsideTraining.objects.get()
    evidence = client.get(reverse("training:evidence", args=[entry.pk]))
    assert evidence["Content-Type"] == "image/png"


def test_passing_the_knowledge_check_puts_the_e_learning_in_the_learning_record(client):
    item = ELearningItemFactory(pass_mark=100, minutes=20)
    person = signed_in(client)
    answers = {f"question_{q.pk}": q.answers.get(is_correct=True).pk for q in item.questions.all()}
    url = reverse("training:elearning", args=[item.course.slug])
    page = client.post(url, answers).content.decode()
    assert "Completed" in page
    assert ELearningCompletion.objects.filter(person=person, item=item).exists()
    assert "0.33" in client.get(reverse("training:learning_record")).content.decode()


def test_the_business_unit_adds_changes_copies_and_cancels_a_session(client):
    signed_in(client, make_role_user("business_unit"))
    trainer = make_role_user("trainer")
    course = CourseFactory()
    day = timezone.localdate() + dt.timedelta(days=20)
    form = {
        "date_0": day.day,
        "date_1": day.month,
        "date_2": day.year,
        "start_time": "13:00",
        "end_time": "14:00",
        "capacity": "12",
        "trainers": [trainer.pk],
        "venue": "West Offices",
        "joining_link": "",
        "cancellation_cutoff_hours": "24",
        "booking_closes_hours": "0",
    }
    bad = client.post(reverse("training:session_create", args=[course.slug]), {**form, "end_time": "12:00"})
    assert "The end time must be after the start time" in bad.content.decode()
    assert client.post(reverse("training:session_create", args=[course.slug]), form).status_code == 302
    session = Session.objects.get(course=course)
    assert session.starts_at.astimezone(dt.UTC).hour in (12, 13)
    assert list(session.trainers.all()) == [trainer]
    person = UserFactory()
    services.book_place(session=session, person=person, by=person)
    client.post(reverse("training:session_edit", args=[session.pk]), {**form, "venue": "Priory Street Centre"})
    assert OutboxMessage.objects.filter(to=person.email, purpose="training session changed").exists()
    response = client.post(
        reverse("training:session_copy", args=[session.pk]),
        {"date_0": day.day, "date_1": day.month, "date_2": day.year + 1},
    )
    assert response.status_code == 302
    assert course.sessions.count() == 2
    client.post(reverse("training:session_cancel", args=[session.pk]), {"reason": "Venue flooded"})
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    assert OutboxMessage.objects.filter(to=person.email, purpose="training session cancelled").exists()
    figures = client.get(reverse("training:manage")).content.decode()
    assert course.title in figures


def test_a_request_course_is_asked_for_and_decided_in_the_hub(client):
    session = SessionFactory(course__booking_method=BookingMethod.REQUEST)
    person = signed_in(client)
    response = client.post(reverse("training:request_place", args=[session.course.slug]), {"session": session.pk})
    assert response.status_code == 302
    organiser = make_role_user("business_unit")
    signed_in(client, organiser)
    request = session.course.requests.get()
    assert person.get_full_name() in client.get(reverse("training:requests")).content.decode()
    missing = client.post(reverse("training:decide_request", args=[request.pk]), {"decision": "accept", "session": ""})
    assert "Choose the session" in missing.content.decode()
    client.post(reverse("training:decide_request", args=[request.pk]), {"decision": "accept", "session": session.pk})
    assert Booking.objects.filter(person=person, session=session).exists()


def test_trainers_see_the_sessions_they_train(client):
    trainer = make_role_user("trainer")
    session = SessionFactory()
    session.trainers.set([trainer])
    signed_in(client, trainer)
    assert session.course.title in client.get(reverse("training:teaching")).content.decode()


def test_the_catalogue_cached_for_visitors_shows_a_new_booking_at_once(client, django_capture_on_commit_callbacks):
    session = SessionFactory(course__title="Cached briefing", capacity=2)
    assert "2 of 2 free" in client.get(reverse("training:catalogue")).content.decode()
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.book_place(session=session, person=person, by=person)
    assert "1 of 2 free" in client.get(reverse("training:catalogue")).content.decode()


def session_form(day: dt.date, **changes) -> dict:
    return {
        "date_0": day.day,
        "date_1": day.month,
        "date_2": day.year,
        "start_time": "13:00",
        "end_time": "14:00",
        "capacity": "12",
        "venue": "West Offices",
        "joining_link": "",
        "cancellation_cutoff_hours": "24",
        "booking_closes_hours": "0",
        **changes,
    }


def test_the_business_unit_sets_when_booking_opens_and_a_copy_keeps_it(client):
    from apps.core.dates import LONDON

    signed_in(client, make_role_user("business_unit"))
    course = CourseFactory()
    day = timezone.localdate() + dt.timedelta(days=40)
    opens = day - dt.timedelta(days=14)
    url = reverse("training:session_create", args=[course.slug])
    opening = {"opens_date_0": opens.day, "opens_date_1": opens.month, "opens_date_2": opens.year}

    no_time = client.post(url, session_form(day, **opening))
    assert "Enter the time booking opens, or leave the date empty too" in no_time.content.decode()
    late = day + dt.timedelta(days=1)
    after_start = client.post(
        url,
        session_form(day, opens_date_0=late.day, opens_date_1=late.month, opens_date_2=late.year, opens_time="09:30"),
    ).content.decode()
    assert "govuk-error-summary" in after_start and "Booking must open before the session starts" in after_start
    assert 'name="opens_time" value="09:30"' in after_start  # what was typed is kept
    assert not Session.objects.exists()

    assert client.post(url, session_form(day, **opening, opens_time="09:30")).status_code == 302
    session = Session.objects.get(course=course)
    assert session.booking_opens_at == dt.datetime.combine(opens, dt.time(9, 30), tzinfo=LONDON)
    edit = client.get(reverse("training:session_edit", args=[session.pk])).content.decode()
    assert 'name="opens_time" value="09:30"' in edit and f'name="opens_date_0" value="{opens.day}"' in edit

    person = signed_in(client)
    assert "Booking opens" in client.get(session.get_absolute_url()).content.decode()
    refused = client.post(reverse("training:book", args=[session.pk]), {})
    assert "Booking for this session has not opened yet" in refused.content.decode()
    assert not Booking.objects.filter(person=person).exists()

    signed_in(client, make_role_user("business_unit"))
    later = day + dt.timedelta(days=7)
    client.post(
        reverse("training:session_copy", args=[session.pk]),
        {"date_0": later.day, "date_1": later.month, "date_2": later.year},
    )
    copy = course.sessions.exclude(pk=session.pk).get()
    assert copy.starts_at - session.starts_at == copy.booking_opens_at - session.booking_opens_at


def test_a_refused_register_is_audited_as_permission_denied(client):
    now = timezone.now()
    session = SessionFactory(starts_at=now + dt.timedelta(minutes=5), ends_at=now + dt.timedelta(hours=1))
    trainer = signed_in(client, make_role_user("trainer"))
    assert client.get(reverse("training:register", args=[session.pk])).status_code == 403
    refusal = AuditEntry.objects.get(action="permission_denied")
    assert refusal.actor_id == trainer.pk
    assert (refusal.object_type, refusal.object_id) == ("training.session", str(session.pk))
    assert f"/training/sessions/{session.pk}/register/" in refusal.detail
    assert not AuditEntry.objects.filter(action="view", object_type="training.session").exists()


def figures_row(page: str, title: str) -> list[str]:
    """The cells of the course's row in the manage page's table, as text."""
    import re

    (row,) = [row for row in page.split('<tr class="govuk-table__row">') if f">{title}</a>" in row]
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_the_manage_page_shows_fill_and_no_show_rates_of_sessions_held(client):
    past = timezone.now() - dt.timedelta(days=10)
    held = SessionFactory(
        course__title="Early help briefing", capacity=4, starts_at=past, ends_at=past + dt.timedelta(hours=1)
    )
    for status in (BookingStatus.ATTENDED, BookingStatus.ATTENDED, BookingStatus.ABSENT):
        BookingFactory(session=held, status=status)
    BookingFactory(session=held, status=BookingStatus.CANCELLED)  # a cancelled place is not held
    upcoming = SessionFactory(course=held.course, capacity=30)  # still filling: left out of the rates
    BookingFactory(session=upcoming)
    elsewhere = SessionFactory(
        course__title="Prevent awareness",
        course__booking_method=BookingMethod.EXTERNAL,
        course__external_booking_url="https://www.example.org/prevent",
        starts_at=past,
        ends_at=past + dt.timedelta(hours=1),
    )
    signed_in(client, make_role_user("business_unit"))
    page = client.get(reverse("training:manage")).content.decode()
    assert figures_row(page, "Early help briefing") == [
        "Early help briefing",
        "1",
        "1",
        "75% (3 of 4)",
        "33% (1 of 3)",
        "Not e-learning",
        "None yet",
    ]
    assert figures_row(page, elsewhere.course.title)[:4] == ["Prevent awareness", "1", "0", "Booked elsewhere"]
    assert "0%" not in "".join(figures_row(page, "Prevent awareness"))


def test_a_person_who_attended_evaluates_and_the_business_unit_sees_the_ratings(client):
    past = timezone.now() - dt.timedelta(days=2)
    session = SessionFactory(course__title="Neglect briefing", starts_at=past, ends_at=past + dt.timedelta(hours=2))
    other = BookingFactory(session=session, status=BookingStatus.ATTENDED)
    services.submit_evaluation(booking=other, rating=2, comments="", by=other.person)
    person = signed_in(client)
    booked = BookingFactory(
        person=person,
        session=SessionFactory(course=session.course, starts_at=past, ends_at=past + dt.timedelta(hours=1)),
    )
    assert "Tell us how useful" not in client.get(booked.get_absolute_url()).content.decode()
    booking = BookingFactory(person=person, session=session, status=BookingStatus.ATTENDED)
    assert "Tell us how useful the session was" in client.get(booking.get_absolute_url()).content.decode()

    url = reverse("training:evaluate", args=[booking.pk])
    unrated = client.post(url, {"comments": "The case studies helped."}).content.decode()
    assert "Choose how useful the session was" in unrated and "The case studies helped." in unrated
    response = client.post(url, {"rating": "5", "comments": "The case studies helped."})
    assert response["Location"] == booking.get_absolute_url()
    page = client.get(booking.get_absolute_url()).content.decode()
    assert "Thank you for your evaluation" in page and "Tell us how useful" not in page
    again = client.post(url, {"rating": "1"}).content.decode()
    assert "You have already evaluated this session" in again
    not_attended = client.post(reverse("training:evaluate", args=[booked.pk]), {"rating": "1"}).content.decode()
    assert "after the register shows you attended" in not_attended
    assert AuditEntry.objects.filter(actor_id=person.pk, detail="evaluated the session").count() == 1

    signed_in(client, make_role_user("business_unit"))
    summary = client.get(reverse("training:manage_course", args=[session.course.slug])).content.decode()
    assert "Average rating 3.5 out of 5, from 2 evaluations" in summary
    assert "The case studies helped. (" in summary and "5 out of 5)" in summary
    assert '>5 out of 5</td><td class="govuk-table__cell govuk-table__cell--numeric">1<' in summary
    assert '>3 out of 5</td><td class="govuk-table__cell govuk-table__cell--numeric">0<' in summary
    assert (
        figures_row(client.get(reverse("training:manage")).content.decode(), "Neglect briefing")[-1]
        == "3.5 out of 5 (2)"
    )
