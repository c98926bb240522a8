"""Manager approval: the place is held, the manager's link works once and until it expires, and an unanswered
hold lapses to the waiting list exactly once."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from apps.accounts.tests.factories import UserFactory, make_role_user
from apps.notifications.models import OutboxMessage
from apps.training import approval, services, tasks
from apps.training.models import ApprovalStatus, Booking, BookingStatus, ManagerApproval, WaitingStatus
from apps.training.selectors import register_of
from apps.training.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

MANAGER = "line.manager@example.org"


@pytest.fixture
def session():
    return SessionFactory(course__needs_manager_approval=True, course__title="Court skills", capacity=1)


def hold(session, person=None):
    person = person or UserFactory(first_name="Priya", last_name="Shah")
    booking = approval.book(
        session=session, person=person, by=person, access_needs="Hearing loop", manager_email=MANAGER
    )
    message = OutboxMessage.objects.get(to=MANAGER)
    link = re.search(r"(/training/approval/[^/\s]+/)", message.body_text)[1]
    return booking, link


def test_booking_holds_the_place_and_asks_the_manager(session):
    booking, link = hold(session)
    assert booking.status == BookingStatus.AWAITING_APPROVAL
    # The held place counts: the session (one place) is now full.
    assert services.count_places(session).bookable == 0
    with pytest.raises(services.SessionFull):
        approval.book(session=session, person=UserFactory(), by=UserFactory(), manager_email=MANAGER)
    request = OutboxMessage.objects.get(to=MANAGER)
    assert "Priya Shah" in request.subject and "Court skills" in request.subject
    held = OutboxMessage.objects.get(to=booking.person.email)
    assert held.subject.startswith("Your place is held")
    # Only the token's hash is stored.
    token = link.split("/")[-2]
    assert not ManagerApproval.objects.filter(token_hash=token).exists()
    assert ManagerApproval.objects.get(booking=booking).token_hash == approval.token_hash(token)


def test_approving_books_the_place_and_sends_the_invitation(client, session):
    booking, link = hold(session)
    page = client.get(link)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Priya Shah" in text and "Court skills" in text
    assert "Hearing loop" not in text  # the person's access needs are not the manager's to see
    assert page["Referrer-Policy"] == "same-origin"
    done = client.post(link, {"decision": "approve"})
    assert "Place approved" in done.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED
    confirmation = OutboxMessage.objects.filter(to=booking.person.email, purpose="training booking confirmed").get()
    assert confirmation.attachments[0]["filename"] == "invite.ics"


def test_the_link_works_once(client, session):
    booking, link = hold(session)
    client.post(link, {"decision": "approve"})
    again = client.post(link, {"decision": "decline"})
    assert again.status_code == 410
    assert "This link has been used: the place was approved." in again.content.decode()
    assert client.get(link).status_code == 410
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED
    with pytest.raises(approval.ApprovalClosed):
        approval.decide(approval=booking.approval, approve=False)


def test_declining_frees_the_place_for_the_waiting_list(client, session):
    booking, link = hold(session)
    waiting = UserFactory()
    entry = services.join_waiting_list(session=session, person=waiting, by=waiting)
    page = client.post(link, {"decision": "decline", "note": "Not this month, we are short-staffed"})
    assert "Place declined" in page.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    entry.refresh_from_db()
    assert entry.status == WaitingStatus.OFFERED
    told = OutboxMessage.objects.get(to=booking.person.email, purpose="training approval declined")
    assert "Not this month, we are short-staffed" in told.body_text


def test_an_expired_link_says_so_and_changes_nothing(client, session, settings):
    booking, link = hold(session)
    with freeze_time(timezone.now() + dt.timedelta(hours=settings.TRAINING_APPROVAL_HOLD_HOURS, minutes=1)):
        page = client.post(link, {"decision": "approve"})
    assert page.status_code == 410
    assert "This link has expired" in page.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.AWAITING_APPROVAL  # until the sweep releases it


def test_an_unknown_link_is_a_clear_not_found_page(client):
    page = client.get(reverse("training:approval", kwargs={"token": "not-a-real-token"}))
    assert page.status_code == 404
    assert "This link does not work" in page.content.decode()


def test_the_hold_lapses_to_the_waiting_list_exactly_once(session, settings):
    booking, _ = hold(session)
    waiting = UserFactory()
    entry = services.join_waiting_list(session=session, person=waiting, by=waiting)
    assert approval.lapse_unanswered_approvals() == 0  # not due yet
    later = timezone.now() + dt.timedelta(hours=settings.TRAINING_APPROVAL_HOLD_HOURS, minutes=1)
    with freeze_time(later):
        assert approval.lapse_unanswered_approvals() == 1
        assert approval.lapse_unanswered_approvals() == 0
        assert tasks.lapse_unanswered_approvals.call() == 0
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert booking.approval.status == ApprovalStatus.LAPSED
    entry.refresh_from_db()
    assert entry.status == WaitingStatus.OFFERED
    assert OutboxMessage.objects.filter(to=waiting.email, purpose="training place offered").count() == 1
    assert OutboxMessage.objects.filter(to=booking.person.email, purpose="training approval lapsed").count() == 1


def test_a_hold_claimed_by_the_manager_first_is_not_lapsed(session, settings):
    booking, _ = hold(session)
    approval.decide(approval=booking.approval, approve=True)
    later = timezone.now() + dt.timedelta(hours=settings.TRAINING_APPROVAL_HOLD_HOURS + 1)
    with freeze_time(later):
        assert approval.lapse_unanswered_approvals() == 0
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.BOOKED


def test_the_hold_never_outlasts_booking_closing(settings):
    soon = timezone.now() + dt.timedelta(hours=5)
    session = SessionFactory(course__needs_manager_approval=True, starts_at=soon, ends_at=soon + dt.timedelta(hours=1))
    booking, _ = hold(session)
    assert booking.approval.expires_at == session.starts_at


def test_the_booking_page_asks_for_the_manager_and_names_the_field(client, session):
    person = UserFactory()
    client.force_login(person)
    url = reverse("training:book", args=[session.pk])
    page = client.post(url, {"manager_email": person.email}).content.decode()
    assert "Your line manager&#x27;s e-mail address must not be your own" in page
    page = client.post(url, {}).content.decode()
    assert "Enter your line manager&#x27;s e-mail address" in page
    done = client.post(url, {"manager_email": MANAGER})
    assert done.status_code == 302
    booking = Booking.objects.get(person=person)
    assert booking.status == BookingStatus.AWAITING_APPROVAL
    page = client.get(booking.get_absolute_url()).content.decode()
    assert MANAGER in page
    assert "Waiting for manager approval" in client.get(reverse("training:my_bookings")).content.decode()
    # Not on the register until approved.
    assert list(register_of(session)) == []


def test_a_link_to_a_cancelled_session_says_so(client, session, settings):
    booking, link = hold(session)
    services.cancel_session(session=session, reason="The trainer is ill", by=make_role_user("business_unit"))
    page = client.post(link, {"decision": "approve"})
    assert page.status_code == 410
    assert "This session has been cancelled" in page.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED  # cancelled with the session, and told so
    later = timezone.now() + dt.timedelta(hours=settings.TRAINING_APPROVAL_HOLD_HOURS + 1)
    with freeze_time(later):
        assert approval.lapse_unanswered_approvals() == 0  # nothing more to release, nobody told twice


def test_giving_up_a_held_place_frees_it_and_the_managers_link_says_so(client, session, settings):
    booking, link = hold(session)
    client.force_login(booking.person)
    assert "Give up this place" in client.get(booking.get_absolute_url()).content.decode()
    assert client.post(reverse("training:cancel_booking", args=[booking.pk])).status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert services.count_places(session).bookable == 1
    client.logout()
    page = client.post(link, {"decision": "approve"})
    assert page.status_code == 410
    assert "This place is no longer held" in page.content.decode()
    later = timezone.now() + dt.timedelta(hours=settings.TRAINING_APPROVAL_HOLD_HOURS + 1)
    with freeze_time(later):
        assert approval.lapse_unanswered_approvals() == 0


def offered_place(session):
    """Priya holds the only place; Sam waits; the manager declines Priya, so the place is offered to Sam."""
    booking, _link = hold(session)
    sam = UserFactory(first_name="Sam", last_name="Waits")
    entry = services.join_waiting_list(session=session, person=sam, access_needs="Step-free access", by=sam)
    approval.decide(approval=ManagerApproval.objects.get(booking=booking), approve=False)
    entry.refresh_from_db()
    assert entry.status == WaitingStatus.OFFERED
    return sam, entry


def test_a_place_offered_from_the_waiting_list_is_held_for_the_managers_approval(session):
    sam, entry = offered_place(session)
    with pytest.raises(approval.ManagerNeeded):
        approval.accept_offer(entry=entry, by=sam)
    with pytest.raises(services.NotBookableHere):  # the plain service does not book round the approval
        services.accept_offer(entry=entry, by=sam)
    booking = approval.accept_offer(entry=entry, by=sam, manager_email="sams.manager@example.org")
    assert booking.status == BookingStatus.AWAITING_APPROVAL
    assert booking.from_waiting_list and booking.access_needs == "Step-free access"
    assert list(register_of(session)) == []  # not on the register until approved
    request = OutboxMessage.objects.get(to="sams.manager@example.org", purpose="training approval request")
    assert "Sam Waits" in request.subject
    assert not OutboxMessage.objects.filter(to=sam.email, purpose="training booking confirmed").exists()
    entry.refresh_from_db()
    assert entry.status == WaitingStatus.ACCEPTED and entry.booking == booking
    link = re.search(r"(/training/approval/[^/\s]+/)", request.body_text)[1]
    approval.decide(approval=approval.approval_of(link.split("/")[-2]), approve=True)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED


def test_taking_an_offered_place_on_the_waiting_list_page_asks_for_the_manager(client, session):
    sam, entry = offered_place(session)
    client.force_login(sam)
    url = entry.get_absolute_url()
    page = client.get(url).content.decode()
    assert 'name="manager_email"' in page
    page = client.post(url, {"action": "accept"}).content.decode()
    assert "Enter your line manager&#x27;s e-mail address" in page
    entry.refresh_from_db()
    assert entry.status == WaitingStatus.OFFERED  # nothing changed
    page = client.post(url, {"action": "accept", "manager_email": sam.email}).content.decode()
    assert "Your line manager&#x27;s e-mail address must not be your own" in page
    done = client.post(url, {"action": "accept", "manager_email": "sams.manager@example.org"}, follow=True)
    text = done.content.decode()
    assert "Your place is held. We have e-mailed your line manager to approve it." in text
    assert "sams.manager@example.org" in text
    assert Booking.objects.get(person=sam).status == BookingStatus.AWAITING_APPROVAL
