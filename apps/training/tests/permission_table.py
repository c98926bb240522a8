"""Every training URL x every role. Pending and suspended accounts cannot sign in, so they meet the sign-in page."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from apps.core.tests.table import FORBIDDEN, LOGIN, NOT_FOUND, OK, REDIRECT, Row

SIGNED_OUT = {"anonymous": LOGIN, "pending": LOGIN, "suspended": LOGIN}
ANY_MEMBER = {**SIGNED_OUT, "*": OK}
ORGANISERS = {**SIGNED_OUT, "business_unit": OK, "system_admin": OK, "*": FORBIDDEN}
OWNER_OR_ORGANISER = {**ORGANISERS, "practitioner": OK}
OWNER_ONLY = {**SIGNED_OUT, "practitioner": OK, "*": FORBIDDEN}
RECORD_READERS = {**OWNER_OR_ORGANISER, "organisation_admin": OK}
REGISTER = {**ORGANISERS, "trainer": OK}

# setup() runs before data(): the objects a POST needs are passed along here.
made: dict = {}


def _session(**kwargs):
    from apps.training.tests.factories import SessionFactory

    return SessionFactory(**kwargs)


def course(users):
    from apps.training.tests.factories import CourseFactory

    return {"slug": CourseFactory().slug}


def request_course(users):
    from apps.training.models import BookingMethod
    from apps.training.tests.factories import CourseFactory

    return {"slug": CourseFactory(booking_method=BookingMethod.REQUEST).slug}


def elearning(users):
    from apps.training.tests.factories import ELearningItemFactory

    return {"slug": ELearningItemFactory().course.slug}


def elearning_with_video(users):
    """An item with an uploaded video and its captions, kept in the protected storage."""
    from django.core.files.base import ContentFile

    from apps.training.tests.factories import ELearningItemFactory

    item = ELearningItemFactory()
    item.video_file.save("video.mp4", ContentFile(MP4), save=False)
    item.captions_file.save("captions.vtt", ContentFile(b"WEBVTT\n\n00:00.000 --> 00:02.000\nHello\n"), save=False)
    item.save()
    return {"slug": item.course.slug}


def elearning_passed(users):
    """An item whose knowledge check the practitioner has passed (so has a certificate for)."""
    from apps.training import services
    from apps.training.tests.factories import ELearningItemFactory

    item = ELearningItemFactory()
    right = {question.pk: question.answers.get(is_correct=True).pk for question in item.questions.all()}
    person = users["practitioner"]
    services.submit_knowledge_check(item=item, person=person, answers=right, by=person)
    return {"slug": item.course.slug}


def elearning_course(users):
    """A course delivered as e-learning that has no item yet."""
    from apps.training.models import Delivery
    from apps.training.tests.factories import CourseFactory

    return {"slug": CourseFactory(delivery=Delivery.ELEARNING).slug}


def question(users):
    from apps.training.tests.factories import ELearningItemFactory

    return {"pk": ELearningItemFactory().questions.first().pk}


def new_question(users):
    return {"text": "Who do you call?", "choice_1": "The LADO", "choice_2": "Nobody", "correct": "1"}


MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64


def session(users):
    return {"pk": _session().pk}


def full_session(users):
    from apps.training.tests.factories import BookingFactory

    booking = BookingFactory(session=_session(capacity=1))
    return {"pk": booking.session.pk}


def todays_session(users):
    """A session starting soon, trained by the trainer, with the practitioner booked."""
    from apps.training.tests.factories import BookingFactory

    now = timezone.now()
    today = _session(starts_at=now + dt.timedelta(minutes=5), ends_at=now + dt.timedelta(hours=1))
    today.trainers.set([users["trainer"]])
    made["booking"] = BookingFactory(session=today, person=users["practitioner"], access_needs="Step-free access")
    return {"pk": today.pk}


def practitioners_booking(users):
    from apps.training.tests.factories import BookingFactory

    made["booking"] = BookingFactory(person=users["practitioner"])
    return {"pk": made["booking"].pk}


def attended_booking(users):
    from apps.training.models import BookingStatus, Certificate
    from apps.training.tests.factories import BookingFactory

    past = timezone.now() - dt.timedelta(days=3)
    booking = BookingFactory(
        person=users["practitioner"],
        status=BookingStatus.ATTENDED,
        session=_session(starts_at=past, ends_at=past + dt.timedelta(hours=2)),
    )
    Certificate.objects.create(booking=booking, code=Certificate.new_code())
    return {"pk": booking.pk}


def waiting_entry(users):
    from apps.training.tests.factories import WaitingListEntryFactory

    return {"pk": WaitingListEntryFactory(person=users["practitioner"]).pk}


def personal_feed(users):
    from apps.training.services import calendar_feed_of

    return {"token": calendar_feed_of(users["practitioner"]).token}


def certificate_check(users):
    from apps.training.models import BookingStatus, Certificate
    from apps.training.tests.factories import BookingFactory

    booking = BookingFactory(status=BookingStatus.ATTENDED)
    code = Certificate.objects.create(booking=booking, code=Certificate.new_code()).code
    from django.urls import reverse

    return {"path": reverse("training:check_certificate") + f"?code={code}"}


def practitioner(users):
    return {"person_id": users["practitioner"].pk}


def evidence(users):
    from django.core.files.base import ContentFile

    from apps.training.models import OutsideTraining

    entry = OutsideTraining(
        person=users["practitioner"],
        title="Paediatric first aid",
        provider="St John Ambulance",
        completed_on=dt.date(2024, 1, 10),
        hours=6,
        evidence_content_type="application/pdf",
    )
    entry.evidence.save("certificate.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    entry.save()
    return {"pk": entry.pk}


def session_for_organiser(users):
    return {"pk": _session().pk}


def booking_request(users):
    from apps.training.models import BookingMethod, BookingRequest

    asked = _session(course__booking_method=BookingMethod.REQUEST)
    request = BookingRequest.objects.create(
        course=asked.course, session=asked, person=users["practitioner"], message="Please may I come?"
    )
    return {"pk": request.pk}


def mark_attended(users):
    return {"booking": made["booking"].pk, "status": "attended"}


# --- The coordinator's week: scheduling, bank holidays, booking questions, approval, e-mails ------


def course_with_questions(users):
    from apps.training.models import BookingQuestion, QuestionKind
    from apps.training.tests.factories import CourseFactory

    course = CourseFactory()
    BookingQuestion.objects.create(
        course=course, number=1, text="Which lunch?", kind=QuestionKind.CHOICE, choices="Vegan\nAny"
    )
    return {"slug": course.slug}


def course_with_questions_session(users):
    """A session of a course that asks booking questions and needs the line manager's approval."""
    from apps.training.models import Course

    slug = course_with_questions(users)["slug"]
    Course.objects.filter(slug=slug).update(needs_manager_approval=True)
    return {"pk": _session(course=Course.objects.get(slug=slug)).pk}


def booking_question(users):
    from apps.training.models import BookingQuestion
    from apps.training.tests.factories import CourseFactory

    return {"pk": BookingQuestion.objects.create(course=CourseFactory(), number=1, text="What is your role?").pk}


def bank_holiday(users):
    from apps.training.models import BankHoliday

    holiday, _ = BankHoliday.objects.get_or_create(date=dt.date(2031, 12, 25), defaults={"name": "Christmas Day"})
    return {"pk": holiday.pk}


def schedule_weekly(users):
    day = timezone.localdate() + dt.timedelta(days=14)
    return {
        "pattern": "weekly",
        "first_date_0": str(day.day),
        "first_date_1": str(day.month),
        "first_date_2": str(day.year),
        "count": "4",
        "start_time": "10:00",
        "end_time": "12:00",
        "capacity": "20",
        "venue": "West Offices, York",
        "cancellation_cutoff_hours": "24",
        "booking_closes_hours": "0",
    }


def approval_link(users):
    """A place held for a practitioner on a course that needs the line manager's approval."""
    import re

    from apps.accounts.tests.factories import UserFactory
    from apps.notifications.models import OutboxMessage
    from apps.training import approval
    from apps.training.tests.factories import SessionFactory

    person = UserFactory()
    session = SessionFactory(course__needs_manager_approval=True)
    approval.book(session=session, person=person, by=person, manager_email=f"manager.{person.pk}@example.org")
    body = OutboxMessage.objects.get(to=f"manager.{person.pk}@example.org").body_text
    return {"token": re.search(r"/training/approval/([^/\s]+)/", body)[1]}


def session_email(users):
    return {"audience": "booked", "subject": "Room change", "body": "We have moved to Room 3."}


def check_in_code(users):
    return {"code": made["booking"].checkin_code}


def started_session_with_a_charge(users):
    """A session that started half an hour ago, trained by the trainer, its one booking marked absent."""
    from decimal import Decimal

    from apps.training.models import BookingStatus
    from apps.training.tests.factories import BookingFactory

    now = timezone.now()
    started = _session(
        starts_at=now - dt.timedelta(minutes=30),
        ends_at=now + dt.timedelta(hours=1),
        course__non_attendance_charge=Decimal("40.00"),
    )
    started.trainers.set([users["trainer"]])
    made["booking"] = BookingFactory(session=started, person=users["practitioner"], status=BookingStatus.ABSENT)
    return {"pk": started.pk}


def charge(users):
    from decimal import Decimal

    from apps.training.models import BookingStatus, Charge, ChargeReason
    from apps.training.tests.factories import BookingFactory

    booking = BookingFactory(person=users["practitioner"], status=BookingStatus.ABSENT)
    made["charge"] = Charge.objects.create(
        booking=booking,
        organisation=booking.organisation,
        amount=Decimal("40.00"),
        reason=ChargeReason.NO_SHOW,
        session_starts_at=booking.session.starts_at,
    )
    return {"pk": made["charge"].pk}


def charges_month(users):
    charge(users)
    from apps.core.dates import to_london

    start = to_london(made["charge"].session_starts_at)
    return {"path": f"/training/manage/charges/?month={start:%Y-%m}"}


REPORT_READERS = {**ORGANISERS, "organisation_admin": OK}

ROWS = [
    Row("training:catalogue", expect={"*": OK}),
    Row(
        "training:catalogue",
        expect={"*": OK},
        setup=lambda users: {"path": "/training/?free_places=on&delivery=online"},
    ),
    Row("training:catalogue_feed", expect={"*": OK}, browse=False),
    Row("training:course", expect={"*": OK}, setup=course),
    Row("training:request_place", expect=ANY_MEMBER, setup=request_course),
    Row("training:elearning", expect={"*": OK}, setup=elearning),
    Row("training:elearning", expect={"*": OK}, setup=elearning_with_video),
    Row("training:elearning_video", expect=ANY_MEMBER, setup=elearning_with_video, browse=False),
    Row("training:elearning_captions", expect=ANY_MEMBER, setup=elearning_with_video, browse=False),
    Row(
        "training:elearning_certificate",
        expect={**SIGNED_OUT, "practitioner": OK, "*": NOT_FOUND},
        setup=elearning_passed,
        browse=False,
    ),
    Row("training:session", expect={"*": OK}, setup=session),
    Row("training:book", expect=ANY_MEMBER, setup=session),
    Row("training:book", method="post", expect={**SIGNED_OUT, "*": REDIRECT}, setup=session),
    Row("training:join_waiting_list", expect=ANY_MEMBER, setup=full_session),
    Row("training:join_waiting_list", method="post", expect={**SIGNED_OUT, "*": REDIRECT}, setup=full_session),
    Row("training:register", expect=REGISTER, setup=todays_session),
    Row(
        "training:register",
        method="post",
        expect={**SIGNED_OUT, "trainer": REDIRECT, "business_unit": REDIRECT, "system_admin": REDIRECT, "*": 403},
        setup=todays_session,
        data=mark_attended,
    ),
    Row("training:register_csv", expect=REGISTER, setup=todays_session, browse=False),
    Row("training:my_bookings", expect=ANY_MEMBER),
    Row("training:booking", expect=OWNER_OR_ORGANISER, setup=practitioners_booking),
    Row("training:booking", expect=OWNER_OR_ORGANISER, setup=attended_booking),
    Row("training:cancel_booking", expect=OWNER_OR_ORGANISER, setup=practitioners_booking),
    Row(
        "training:cancel_booking",
        method="post",
        expect={**ORGANISERS, "practitioner": REDIRECT, "business_unit": REDIRECT, "system_admin": REDIRECT},
        setup=practitioners_booking,
    ),
    Row("training:certificate", expect=OWNER_OR_ORGANISER, setup=attended_booking, browse=False),
    Row("training:evaluate", expect=OWNER_ONLY, setup=attended_booking),
    Row("training:waiting_entry", expect=OWNER_ONLY, setup=waiting_entry),
    Row("training:calendar_feed_settings", expect=ANY_MEMBER),
    Row("training:personal_feed", expect={"*": OK}, setup=personal_feed, browse=False),
    Row("training:check_certificate", expect={"*": OK}),
    Row("training:check_certificate", expect={"*": OK}, setup=certificate_check),
    Row("training:learning_record", expect=ANY_MEMBER),
    Row("training:add_outside_training", expect=ANY_MEMBER),
    Row("training:evidence", expect={**RECORD_READERS, "*": FORBIDDEN}, setup=evidence, browse=False),
    Row("training:organisation_records", expect={**ORGANISERS, "organisation_admin": OK}),
    Row("training:person_learning_record", expect=RECORD_READERS, setup=practitioner),
    Row("training:learning_record_csv", expect=RECORD_READERS, setup=practitioner, browse=False),
    Row("training:learning_record_pdf", expect=RECORD_READERS, setup=practitioner, browse=False),
    Row("training:teaching", expect={**SIGNED_OUT, "trainer": OK, "*": FORBIDDEN}),
    Row("training:manage", expect=ORGANISERS),
    Row("training:course_create", expect=ORGANISERS),
    Row("training:manage_course", expect=ORGANISERS, setup=course),
    Row("training:course_edit", expect=ORGANISERS, setup=course),
    Row("training:session_create", expect=ORGANISERS, setup=course),
    Row("training:manage_elearning", expect=ORGANISERS, setup=elearning),
    Row("training:manage_elearning", expect=ORGANISERS, setup=elearning_course),
    Row("training:elearning_form", expect=ORGANISERS, setup=elearning_course),
    Row("training:elearning_form", expect=ORGANISERS, setup=elearning_with_video),
    Row("training:question_create", expect=ORGANISERS, setup=elearning),
    Row(
        "training:question_create",
        method="post",
        expect={**ORGANISERS, "business_unit": REDIRECT, "system_admin": REDIRECT},
        setup=elearning,
        data=new_question,
    ),
    Row("training:question_edit", expect=ORGANISERS, setup=question),
    Row("training:question_delete", expect=ORGANISERS, setup=question),
    Row(
        "training:question_delete",
        method="post",
        expect={**ORGANISERS, "business_unit": REDIRECT, "system_admin": REDIRECT},
        setup=question,
    ),
    Row("training:session_edit", expect=ORGANISERS, setup=session_for_organiser),
    Row("training:session_copy", expect=ORGANISERS, setup=session_for_organiser),
    Row("training:session_cancel", expect=ORGANISERS, setup=session_for_organiser),
    Row("training:requests", expect=ORGANISERS),
    Row("training:decide_request", expect=ORGANISERS, setup=booking_request),
    Row("training:schedule", expect=ORGANISERS, setup=course),
    Row("training:schedule", method="post", expect=ORGANISERS, setup=course, data=schedule_weekly),
    Row("training:bank_holidays", expect=ORGANISERS),
    Row("training:bank_holiday_delete", expect=ORGANISERS, setup=bank_holiday),
    Row("training:booking_questions", expect=ORGANISERS, setup=course_with_questions),
    Row("training:booking_question_create", expect=ORGANISERS, setup=course),
    Row("training:booking_question_edit", expect=ORGANISERS, setup=booking_question),
    Row("training:booking_question_delete", expect=ORGANISERS, setup=booking_question),
    Row("training:book", expect=ANY_MEMBER, setup=course_with_questions_session),
    # The line manager's link needs no sign-in: anyone holding it sees the same page.
    Row("training:approval", expect={"*": OK}, setup=approval_link),
    Row("training:session_email", expect=REGISTER, setup=todays_session),
    Row(
        "training:session_email",
        method="post",
        expect={**SIGNED_OUT, "trainer": REDIRECT, "business_unit": REDIRECT, "system_admin": REDIRECT, "*": 403},
        setup=todays_session,
        data=session_email,
    ),
    # On the day, charges and reports
    Row("training:check_in", expect=REGISTER, setup=todays_session),
    Row(
        "training:check_in",
        method="post",
        expect={**SIGNED_OUT, "trainer": REDIRECT, "business_unit": REDIRECT, "system_admin": REDIRECT, "*": 403},
        setup=todays_session,
        data=check_in_code,
    ),
    Row("training:sign_in_sheet", expect=REGISTER, setup=todays_session, browse=False),
    Row("training:close_register", expect=REGISTER, setup=started_session_with_a_charge),
    Row(
        "training:close_register",
        method="post",
        expect={**SIGNED_OUT, "trainer": REDIRECT, "business_unit": REDIRECT, "system_admin": REDIRECT, "*": 403},
        setup=started_session_with_a_charge,
    ),
    Row("training:charges", expect=ORGANISERS),
    Row("training:charges", expect=ORGANISERS, setup=charges_month),
    Row("training:waive_charge", expect=ORGANISERS, setup=charge),
    Row(
        "training:waive_charge",
        method="post",
        expect={**ORGANISERS, "business_unit": REDIRECT, "system_admin": REDIRECT},
        setup=charge,
        data={"reason": "Illness"},
    ),
    Row(
        "training:charges_csv",
        expect=ORGANISERS,
        setup=lambda users: {"year": 2026, "month": 3},
        browse=False,
    ),
    Row("training:reports", expect=REPORT_READERS, setup=lambda users: attended_booking(users) and {}),
    Row("training:reports", expect=REPORT_READERS, setup=lambda users: {"path": "/training/reports/?by=sector"}),
    Row("training:reports", expect=REPORT_READERS, setup=lambda users: {"path": "/training/reports/?by=month"}),
    Row(
        "training:reports_csv",
        expect=REPORT_READERS,
        setup=lambda users: {"path": "/training/reports.csv?by=organisation"},
        browse=False,
    ),
]
