"""E-mailing everyone booked on a session, or waiting: one message a person, kept on the session."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.accounts.tests.factories import UserFactory, make_role_user
from apps.audit.models import AuditEntry
from apps.notifications.models import OutboxMessage
from apps.training import session_email
from apps.training.models import BookingStatus, SessionMessage
from apps.training.tests.factories import BookingFactory, SessionFactory, WaitingListEntryFactory

pytestmark = pytest.mark.django_db


def test_everyone_booked_gets_their_own_message_and_it_is_kept_on_the_session(client):
    session = SessionFactory(course__title="Prevent awareness", venue="Room 3, West Offices")
    booked = [BookingFactory(session=session).person for _ in range(3)]
    BookingFactory(session=session, status=BookingStatus.CANCELLED)
    waiting = WaitingListEntryFactory(session=session).person
    trainer = make_role_user("trainer", first_name="Sam", last_name="Okafor")
    session.trainers.set([trainer])
    client.force_login(trainer)
    url = reverse("training:session_email", args=[session.pk])
    sent = client.post(url, {"audience": "booked", "subject": "Room change", "body": "We have moved to Room 3."})
    assert sent.status_code == 302
    messages = OutboxMessage.objects.filter(purpose="training session message")
    assert sorted(m.to for m in messages) == sorted(p.email for p in booked)
    assert all(m.subject == "Room change: Prevent awareness" for m in messages)
    assert "We have moved to Room 3." in messages[0].body_text and "Room 3, West Offices" in messages[0].body_text
    kept = SessionMessage.objects.get(session=session)
    assert (kept.recipients, kept.sent_by) == (3, trainer)
    page = client.get(url).content.decode()
    assert "Room change" in page and "Everyone with a place: 3" in page and "Sam Okafor" in page
    assert AuditEntry.objects.filter(object_type="training.session", detail__startswith="e-mailed 3 people").exists()
    client.post(url, {"audience": "both", "subject": "Parking", "body": "Park at the station."})
    assert OutboxMessage.objects.filter(to=waiting.email).count() == 1


def test_nobody_to_email_is_said_beside_the_choice(client):
    session = SessionFactory()
    client.force_login(make_role_user("business_unit"))
    page = client.post(
        reverse("training:session_email", args=[session.pk]), {"audience": "waiting", "subject": "Hi", "body": "Hello"}
    ).content.decode()
    assert "Nobody is on the waiting list for this session" in page
    assert not SessionMessage.objects.exists()


def test_one_address_is_sent_one_message_even_when_booked_and_waiting():
    session = SessionFactory()
    person = UserFactory()
    BookingFactory(session=session, person=person)
    WaitingListEntryFactory(session=session, person=person, status="left")
    assert session_email.recipients(session, "both") == [person.email]


def test_a_trainer_of_another_session_cannot_email_this_one(client):
    session = SessionFactory()
    client.force_login(make_role_user("trainer"))
    assert client.get(reverse("training:session_email", args=[session.pk])).status_code == 403
