"""Booking with the course's questions, and the line manager's approval where a course asks for it.

On a course that needs approval, booking holds a place (status "pending_approval", one of HOLDS_PLACE, so it
counts against the capacity) and e-mails the manager a link carrying a random token; only the token's hash
is kept. The link works once, until the hold's expiry, and needs no sign-in: it shows the person's name,
organisation and the session, nothing more. Approving books the place (the usual confirmation and calendar
invitation); declining frees it. If nobody answers in time, the periodic task `lapse_unanswered_approvals`
frees the place, and the waiting list's own rule (services._settle) offers it to the next person. A place offered
from the waiting list is held the same way when taken (`accept_offer`), with the manager's address asked then. Each hold
is claimed by a conditional UPDATE, so two workers, or a worker and the manager, decide it once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import AuditAction
from apps.audit.services import record
from apps.notifications.services import queue_templated_email

from . import questions, services
from .models import (
    ApprovalStatus,
    Booking,
    BookingMethod,
    BookingQuestion,
    BookingStatus,
    ManagerApproval,
    Session,
    WaitingListEntry,
)

if TYPE_CHECKING:
    from apps.accounts.models import User


class ManagerNeeded(services.TrainingError):
    field = "manager_email"


class ApprovalClosed(services.TrainingError):
    """The link was used already, ran out, or its session was cancelled."""


def approval_hold() -> dt.timedelta:
    return dt.timedelta(hours=getattr(settings, "TRAINING_APPROVAL_HOLD_HOURS", 72))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def approval_of(token: str) -> ManagerApproval | None:
    if not token or len(token) > 100:
        return None
    return (
        ManagerApproval.objects.select_related("booking__session__course", "booking__person", "booking__organisation")
        .filter(token_hash=token_hash(token))
        .first()
    )


def book(
    *,
    session: Session,
    person: User,
    by: User,
    access_needs: str = "",
    answers: list[tuple[BookingQuestion, str]] | None = None,
    manager_email: str = "",
) -> Booking:
    """Book a place with the answers to the course's questions; on a course that needs the manager's
    approval, hold the place and ask the manager. All in one transaction."""
    if not session.course.needs_manager_approval:
        # The answers are saved in the booking's own transaction: one transaction, no savepoint inside it.
        return services.book_place(
            session=session,
            person=person,
            access_needs=access_needs,
            by=by,
            then=lambda booking: questions.save_answers(answers or [], booking=booking),
        )
    with transaction.atomic():
        booking = _hold_for_approval(
            session=session, person=person, access_needs=access_needs, manager_email=manager_email, by=by
        )
        questions.save_answers(answers or [], booking=booking)
        return booking


def join_waiting_list(
    *, session: Session, person: User, by: User, access_needs: str = "", answers: list | None = None
) -> WaitingListEntry:
    """Join the waiting list with the answers; they follow the person onto the register if they get a place."""
    return services.join_waiting_list(
        session=session,
        person=person,
        access_needs=access_needs,
        by=by,
        then=lambda entry: questions.save_answers(answers or [], entry=entry),
    )


def _hold_for_approval(*, session: Session, person: User, access_needs: str, manager_email: str, by: User) -> Booking:
    if not manager_email:
        raise services.NotBookableHere("Enter your line manager's e-mail address")
    session = services._lock_session(session)
    if session.course.booking_method != BookingMethod.HUB:
        raise services.NotBookableHere("Places on this course are not booked on the hub.")
    now = timezone.now()
    services._check_open(session, now)
    places, booked, waiting = services._places_and_holding(session, person, now)
    if booked:
        raise services.AlreadyBooked("You already have a place at this session.")
    if waiting:
        raise services.AlreadyWaiting("You are already on the waiting list for this session.")
    if places.bookable <= 0:
        raise services.SessionFull("This session is full. You can join the waiting list instead.")
    return _hold(session=session, person=person, access_needs=access_needs, manager_email=manager_email, by=by)


def accept_offer(*, entry: WaitingListEntry, by: User, manager_email: str = "") -> Booking:
    """Take a place offered from the waiting list. On a course that needs the line manager's approval the
    place is held for the manager to approve, as a booking would be; otherwise it is booked."""
    if not entry.session.course.needs_manager_approval:
        return services.accept_offer(entry=entry, by=by)
    manager_email = (manager_email or "").strip()
    if not manager_email:
        raise ManagerNeeded("Enter your line manager's e-mail address")
    with transaction.atomic():
        session, entry = services.claim_offer(entry)
        booking = _hold(
            session=session,
            person=entry.person,
            access_needs=entry.access_needs,
            manager_email=manager_email,
            by=by,
            from_waiting_list=True,
        )
        WaitingListEntry.objects.filter(pk=entry.pk).update(booking=booking)
        return booking


def _hold(
    *, session: Session, person: User, access_needs: str, manager_email: str, by: User, from_waiting_list=False
) -> Booking:
    """Under the session's lock: hold a place for the manager's approval and e-mail both of them."""
    now = timezone.now()
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                session=session,
                person=person,
                organisation_id=person.organisation_id,
                access_needs=access_needs.strip(),
                status=BookingStatus.AWAITING_APPROVAL,
                from_waiting_list=from_waiting_list,
            )
    except IntegrityError as error:
        raise services.AlreadyBooked("You already have a place at this session.") from error
    token = secrets.token_urlsafe(32)
    approval = ManagerApproval.objects.create(
        booking=booking,
        manager_email=manager_email.strip(),
        token_hash=token_hash(token),
        requested_at=now,
        expires_at=min(now + approval_hold(), session.closes_at),
    )
    record(
        action=AuditAction.CREATE,
        actor=by,
        obj=booking,
        detail=f"held a place for {person.email} until {approval.manager_email} approves",
    )
    context = {"booking": booking, "session": session, "approval": approval}
    queue_templated_email(
        to=person.email, template="training/email/approval_held", context=context, purpose="training approval held"
    )
    queue_templated_email(
        to=approval.manager_email,
        template="training/email/approval_request",
        context={**context, "link": reverse("training:approval", kwargs={"token": token})},
        purpose="training approval request",
    )
    return booking


def closed_reason(approval: ManagerApproval, now: dt.datetime | None = None) -> str:
    """Why the link no longer works, in words for the manager; "" while it does."""
    now = now or timezone.now()
    if approval.status == ApprovalStatus.APPROVED:
        return "This link has been used: the place was approved."
    if approval.status == ApprovalStatus.DECLINED:
        return "This link has been used: the place was declined."
    if approval.status == ApprovalStatus.LAPSED or approval.expires_at <= now:
        return "This link has expired, so the place has been released."
    if approval.booking.session.is_cancelled:
        return "This session has been cancelled, so there is nothing to approve."
    if approval.booking.status != BookingStatus.AWAITING_APPROVAL:
        return "This place is no longer held, so there is nothing to approve."
    return ""


def decide(*, approval: ManagerApproval, approve: bool, note: str = "") -> Booking:
    """The manager's answer. Once: the claim is a conditional UPDATE of a pending, unexpired approval."""
    with transaction.atomic():
        session = services._lock_session(approval.booking.session)
        now = timezone.now()
        approval = ManagerApproval.objects.select_related("booking__person").get(pk=approval.pk)
        reason = closed_reason(approval, now) or (
            "" if not session.is_cancelled else "This session has been cancelled."
        )
        claimed = not reason and ManagerApproval.objects.filter(
            pk=approval.pk, status=ApprovalStatus.PENDING, expires_at__gt=now
        ).update(
            status=ApprovalStatus.APPROVED if approve else ApprovalStatus.DECLINED,
            decided_at=now,
            note=note.strip(),
        )
        if not claimed:
            raise ApprovalClosed(reason or "This link has been used.")
        booking = Booking.objects.select_related("person", "session__course").get(pk=approval.booking_id)
        label = f"manager {approval.manager_email}"
        if approve:
            booking.status = BookingStatus.BOOKED
            booking.save(update_fields=["status"])
            record(action=AuditAction.CHANGE, obj=booking, actor_label=label, detail="line manager approved the place")
            services._send_invitation(
                booking, template="training/email/booking_confirmed", purpose="training booking confirmed"
            )
        else:
            _release(booking, now, detail="line manager declined the place", actor_label=label)
            queue_templated_email(
                to=booking.person.email,
                template="training/email/approval_declined",
                context={"booking": booking, "session": session, "note": note.strip()},
                purpose="training approval declined",
            )
            services._settle(session, now)
        return booking


def _release(booking: Booking, now: dt.datetime, *, detail: str, actor_label: str) -> None:
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = now
    booking.save(update_fields=["status", "cancelled_at"])
    record(action=AuditAction.CHANGE, obj=booking, actor_label=actor_label, detail=detail)


def lapse_unanswered_approvals(*, now: dt.datetime | None = None) -> int:
    """The periodic sweep: free every held place whose manager did not answer in time, and offer it to the
    waiting list. Exactly once per hold: only the worker whose conditional UPDATE changes the row acts."""
    now = now or timezone.now()
    due = list(
        ManagerApproval.objects.filter(status=ApprovalStatus.PENDING, expires_at__lte=now).values_list(
            "pk", "booking__session_id"
        )
    )
    lapsed = 0
    for pk, session_id in due:
        with transaction.atomic():
            session = services._lock_session(Session(pk=session_id))
            claimed = ManagerApproval.objects.filter(pk=pk, status=ApprovalStatus.PENDING).update(
                status=ApprovalStatus.LAPSED, decided_at=now
            )
            if not claimed:
                continue
            approval = ManagerApproval.objects.select_related("booking__person").get(pk=pk)
            booking = approval.booking
            if booking.status != BookingStatus.AWAITING_APPROVAL:
                continue  # the place was already given up some other way
            _release(booking, now, detail="manager did not answer in time: place released", actor_label="system")
            queue_templated_email(
                to=booking.person.email,
                template="training/email/approval_lapsed",
                context={"booking": booking, "session": session, "approval": approval},
                purpose="training approval lapsed",
            )
            services._settle(session, now)
            lapsed += 1
    return lapsed
