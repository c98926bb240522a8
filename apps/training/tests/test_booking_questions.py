"""Booking questions: answered on the booking form, kept with the booking, on the register and in its CSV
(where nothing typed is read as a formula), and seen only by those who see the register."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.tests.factories import UserFactory, make_role_user
from apps.training import approval, services
from apps.training.models import BookingAnswer, BookingQuestion, QuestionKind
from apps.training.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    now = timezone.now()
    session = SessionFactory(starts_at=now + dt.timedelta(minutes=30), ends_at=now + dt.timedelta(hours=2))
    course = session.course
    BookingQuestion.objects.create(course=course, number=1, text="What is your role?", kind=QuestionKind.TEXT)
    BookingQuestion.objects.create(
        course=course, number=2, text="Which lunch?", kind=QuestionKind.CHOICE, choices="Vegetarian\nVegan\nAny"
    )
    BookingQuestion.objects.create(
        course=course, number=3, text="Do you need a parking space?", kind=QuestionKind.YES_NO, required=False
    )
    return session


def answers_of(session):
    return {q.text: q for q in session.course.booking_questions.all()}


def test_the_booking_form_asks_each_question_and_names_it_in_its_message(client, session):
    person = UserFactory()
    client.force_login(person)
    url = reverse("training:book", args=[session.pk])
    page = client.get(url).content.decode()
    assert "What is your role?" in page and "Do you need a parking space? (optional)" in page
    page = client.post(url, {f"question_{answers_of(session)['Which lunch?'].pk}": "Caviar"}).content.decode()
    assert "Answer “What is your role?”" in page
    assert "Answer “Which lunch?” with one of the choices" in page
    assert "There is a problem" in page
    assert not person.training_bookings.exists()


def book_with_answers(client, session, person, role):
    client.force_login(person)
    questions = answers_of(session)
    return client.post(
        reverse("training:book", args=[session.pk]),
        {
            f"question_{questions['What is your role?'].pk}": role,
            f"question_{questions['Which lunch?'].pk}": "Vegan",
            "access_needs": "Step-free access",
        },
    )


def test_answers_are_kept_and_shown_on_the_register_and_in_its_csv_never_as_a_formula(client, session):
    person = UserFactory(first_name="Aisha", last_name="Khan")
    assert book_with_answers(client, session, person, '=HYPERLINK("http://evil.example","click")').status_code == 302
    booking = person.training_bookings.get()
    own = client.get(booking.get_absolute_url()).content.decode()
    assert "Your answers when booking" in own and "Vegan" in own
    assert {a.question_text: a.answer for a in booking.answers.all()} == {
        "What is your role?": '=HYPERLINK("http://evil.example","click")',
        "Which lunch?": "Vegan",
        "Do you need a parking space?": "",
    }
    trainer = make_role_user("trainer")
    session.trainers.set([trainer])
    client.force_login(trainer)
    register = client.get(reverse("training:register", args=[session.pk])).content.decode()
    assert "Which lunch?</strong> Vegan" in register
    exported = client.get(reverse("training:register_csv", args=[session.pk])).content.decode()
    rows = list(csv.reader(io.StringIO(exported)))
    assert rows[0][-3:] == ["What is your role?", "Which lunch?", "Do you need a parking space?"]
    assert rows[1][-3:] == ['\'=HYPERLINK("http://evil.example","click")', "Vegan", ""]


def test_only_people_who_see_the_register_see_the_answers(client, session):
    book_with_answers(client, session, UserFactory(), "Designated safeguarding lead")
    someone_else = UserFactory()
    client.force_login(someone_else)
    assert client.get(reverse("training:register", args=[session.pk])).status_code == 403
    assert client.get(reverse("training:register_csv", args=[session.pk])).status_code == 403
    page = client.get(session.get_absolute_url()).content.decode()
    assert "Designated safeguarding lead" not in page and "Step-free access" not in page


def test_answers_given_on_the_waiting_list_follow_the_person_to_their_place(client, session):
    session.capacity = 1
    session.save()
    first = UserFactory()
    services.book_place(session=session, person=first, by=first)
    waiting = UserFactory()
    questions = answers_of(session)
    entry = approval.join_waiting_list(
        session=session,
        person=waiting,
        by=waiting,
        answers=[(questions["What is your role?"], "School nurse"), (questions["Which lunch?"], "Any")],
    )
    services.cancel_booking(booking=first.training_bookings.get(), by=make_role_user("business_unit"))
    entry.refresh_from_db()
    booking = services.accept_offer(entry=entry, by=waiting)
    business_unit = make_role_user("business_unit")
    client.force_login(business_unit)
    register = client.get(reverse("training:register", args=[session.pk])).content.decode()
    assert "What is your role?</strong> School nurse" in register
    assert BookingAnswer.objects.filter(waiting_entry=entry).count() == 2
    assert booking.answers.count() == 0  # kept once, with the entry


def test_the_business_unit_sets_the_questions(client):
    client.force_login(make_role_user("business_unit"))
    course = SessionFactory().course
    url = reverse("training:booking_question_create", args=[course.slug])
    page = client.post(url, {"text": "Which lunch?", "kind": "choice", "choices": "Vegan"}).content.decode()
    assert "Enter at least two choices, one a line" in page
    lunch = {"text": "Which lunch?", "kind": "choice", "choices": "Vegan\nAny", "required": "on"}
    assert client.post(url, lunch).status_code == 302
    assert client.post(url, {"text": "What is your role?", "kind": "text", "choices": "ignored"}).status_code == 302
    first, second = course.booking_questions.all()
    assert (first.number, second.number, second.choices) == (1, 2, "")
    client.post(reverse("training:booking_question_delete", args=[first.pk]))
    second.refresh_from_db()
    assert second.number == 1
