"""Every change to training: booking, waiting lists, registers, courses and sessions, the learning record.

Each function validates, writes in one transaction, audits, and queues its e-mail in that same
transaction through the outbox.

Never oversold: every function that can take or free a place first locks the session's row
(`_lock_session`: SELECT ... FOR UPDATE on PostgreSQL; on SQLite the hub's IMMEDIATE
transactions already hold the database's write lock from BEGIN), and only then counts the places
held. So two bookers of one session run one after the other, and the second counts the first's
booking. The partial unique constraint `booking_one_live_place_per_person` stops anyone holding
two places, whatever the code path.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from apps.audit.models import AuditAction
from apps.audit.services import record
from apps.core.dates import to_london
from apps.notifications.services import Attachment, queue_templated_email

from . import calendar
from .models import (
    HOLDS_PLACE,
    REGISTER_MARKS,
    Answer,
    Booking,
    BookingMethod,
    BookingRequest,
    BookingStatus,
    CalendarFeed,
    Certificate,
    Course,
    CourseAudience,
    Delivery,
    ELearningCompletion,
    ELearningItem,
    Evaluation,
    OutsideTraining,
    Question,
    RequestStatus,
    Session,
    SessionStatus,
    WaitingListEntry,
    WaitingStatus,
)
from .selectors import _count_sql as count_sql
from .selectors import business_unit_addresses, forget_catalogue, with_places

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from apps.accounts.models import User

REMINDER_BEFORE = dt.timedelta(days=2)
EVIDENCE_TYPES = {"application/pdf": "PDF", "image/png": "PNG image", "image/jpeg": "JPEG image"}
EVIDENCE_MAX_BYTES = 5 * 1024 * 1024


def offer_hold() -> dt.timedelta:
    return dt.timedelta(hours=getattr(settings, "TRAINING_OFFER_HOLD_HOURS", 48))


# --- Errors a person can cause: the view shows each as a GOV.UK error message ------------------


class TrainingError(Exception):
    """A request the rules refuse. `str(error)` is the message to show."""

    field: str | None = None


class SessionFull(TrainingError):
    pass


class BookingClosed(TrainingError):
    pass


class NotBookableHere(TrainingError):
    pass


class AlreadyBooked(TrainingError):
    pass


class AlreadyWaiting(TrainingError):
    pass


class PlacesAvailable(TrainingError):
    pass


class CancellationClosed(TrainingError):
    pass


class NotCancellable(TrainingError):
    pass


class OfferNotOpen(TrainingError):
    pass


class RegisterNotOpen(TrainingError):
    pass


class NotYourRegister(TrainingError):
    pass


class CapacityBelowPlacesHeld(TrainingError):
    field = "capacity"


class StartInPast(TrainingError):
    field = "date"


class CopyAtSameTime(TrainingError):
    field = "date"


class RequestNotOpen(TrainingError):
    pass


class EvaluationNotOpen(TrainingError):
    pass


class EvidenceRefused(TrainingError):
    field = "evidence"


class NotELearning(TrainingError):
    pass


class VideoRefused(TrainingError):
    field = "video_file"


class CaptionsRefused(TrainingError):
    field = "captions_file"


class QuestionRefused(TrainingError):
    pass


# --- Places ------------------------------------------------------------------------------------


def _lock_session(session: Session) -> Session:
    """Lock the session's row for the rest of the transaction and read it afresh.
    Whatever the caller changes about places, cached catalogue pages are stale once it commits."""
    transaction.on_commit(forget_catalogue)
    return Session.objects.select_for_update(of=("self",)).select_related("course").get(pk=session.pk)


@dataclass(frozen=True)
class Places:
    capacity: int
    booked: int
    offered: int
    waiting: int

    @property
    def free(self) -> int:
        """Places nobody holds or has been offered."""
        return max(self.capacity - self.booked - self.offered, 0)

    @property
    def bookable(self) -> int:
        """Places a newcomer may take: free places go to the waiting list first."""
        return max(self.free - self.waiting, 0)


def count_places(session: Session, now: dt.datetime | None = None) -> Places:
    now = now or timezone.now()
    return Places(
        capacity=session.capacity,
        booked=Booking.objects.filter(session=session, status__in=HOLDS_PLACE).count(),
        offered=WaitingListEntry.objects.filter(
            session=session, status=WaitingStatus.OFFERED, offer_expires_at__gt=now
        ).count(),
        waiting=WaitingListEntry.objects.filter(session=session, status=WaitingStatus.WAITING).count(),
    )


def _check_open(session: Session, now: dt.datetime) -> None:
    if session.is_cancelled:
        raise BookingClosed("This session has been cancelled.")
    if session.booking_opens_at and now < session.booking_opens_at:
        raise BookingClosed("Booking for this session has not opened yet.")
    if now >= session.closes_at:
        raise BookingClosed("Booking for this session has closed.")


def _check_not_already(session: Session, person: User) -> None:
    if Booking.objects.filter(session=session, person=person, status__in=HOLDS_PLACE).exists():
        raise AlreadyBooked("You already have a place at this session.")
    if WaitingListEntry.objects.filter(
        session=session, person=person, status__in=[WaitingStatus.WAITING, WaitingStatus.OFFERED]
    ).exists():
        raise AlreadyWaiting("You are already on the waiting list for this session.")


def _create_booking(
    session: Session, person: User, *, access_needs: str, by: User, from_waiting_list: bool = False
) -> Booking:
    try:
        # No savepoint: every caller holds the session's lock and gives up its whole transaction on this error.
        with transaction.atomic(savepoint=False):
            booking = Booking.objects.create(
                session=session,
                person=person,
                organisation_id=person.organisation_id,
                access_needs=access_needs.strip(),
                from_waiting_list=from_waiting_list,
            )
    except IntegrityError as error:  # the database's own guard against a second live place
        raise AlreadyBooked("You already have a place at this session.") from error
    record(action=AuditAction.CREATE, actor=by, obj=booking, detail=f"booked a place for {person.email}")
    _send_invitation(booking, template="training/email/booking_confirmed", purpose="training booking confirmed")
    return booking


def book_place(
    *,
    session: Session,
    person: User,
    access_needs: str = "",
    by: User,
    then: Callable[[Booking], object] | None = None,
) -> Booking:
    """Take one of the session's places for `person`, or raise SessionFull and change nothing.
    `then(booking)` runs in the same transaction (the answers to the course's questions)."""
    with transaction.atomic():
        session = _lock_session(session)
        if session.course.booking_method != BookingMethod.HUB and not _is_organiser(by):
            raise NotBookableHere("Places on this course are not booked on the hub.")
        now = timezone.now()
        _check_open(session, now)
        places, booked, waiting = _places_and_holding(session, person, now)
        if booked:
            raise AlreadyBooked("You already have a place at this session.")
        if waiting:
            raise AlreadyWaiting("You are already on the waiting list for this session.")
        if places.bookable <= 0:
            raise SessionFull("This session is full. You can join the waiting list instead.")
        booking = _create_booking(session, person, access_needs=access_needs, by=by)
        if then is not None:
            then(booking)
        return booking


def _places_and_holding(session: Session, person: User, now: dt.datetime) -> tuple[Places, bool, bool]:
    """`count_places`, and whether `person` already holds a place or waits, in one query. Run it only
    after `_lock_session`: a statement that begins after the lock sees every booking committed before it."""
    status, person_id = connection.ops.quote_name("status"), connection.ops.quote_name("person_id")
    holds, live = [str(s) for s in HOLDS_PLACE], [str(WaitingStatus.WAITING), str(WaitingStatus.OFFERED)]
    holding = (
        with_places(Session.objects.filter(pk=session.pk), now)
        .annotate(
            person_booked=count_sql(
                Booking,
                f"{{a}}.{person_id} = %s AND {{a}}.{status} IN ({', '.join(['%s'] * len(holds))})",
                [person.pk, *holds],
                "mine_b",
            ),
            person_waiting=count_sql(
                WaitingListEntry,
                f"{{a}}.{person_id} = %s AND {{a}}.{status} IN ({', '.join(['%s'] * len(live))})",
                [person.pk, *live],
                "mine_w",
            ),
        )
        .values("places_booked", "places_offered", "places_waiting", "person_booked", "person_waiting")
        .get()
    )
    places = Places(
        capacity=session.capacity,
        booked=holding["places_booked"],
        offered=holding["places_offered"],
        waiting=holding["places_waiting"],
    )
    return places, holding["person_booked"] > 0, holding["person_waiting"] > 0


def join_waiting_list(
    *,
    session: Session,
    person: User,
    access_needs: str = "",
    by: User,
    then: Callable[[WaitingListEntry], object] | None = None,
) -> WaitingListEntry:
    """Join the end of the session's waiting list, or raise and change nothing. `then(entry)` runs in the
    same transaction (the answers to the course's questions)."""
    with transaction.atomic():
        session = _lock_session(session)
        if session.course.booking_method != BookingMethod.HUB:
            raise NotBookableHere("Places on this course are not booked on the hub.")
        now = timezone.now()
        _check_open(session, now)
        places, booked, waiting = _places_and_holding(session, person, now)
        if booked:
            raise AlreadyBooked("You already have a place at this session.")
        if waiting:
            raise AlreadyWaiting("You are already on the waiting list for this session.")
        if places.bookable > 0:
            raise PlacesAvailable("This session has places free: book one instead.")
        entry = WaitingListEntry.objects.create(
            session=session, person=person, organisation=person.organisation, access_needs=access_needs.strip()
        )
        record(action=AuditAction.CREATE, actor=by, obj=entry, detail=f"joined the waiting list: {person.email}")
        queue_templated_email(
            to=person.email,
            template="training/email/waiting_list_joined",
            # Under the session's lock the new entry is the last of those waiting.
            context={"entry": entry, "session": session, "position": places.waiting + 1},
            purpose="training waiting list joined",
        )
        if then is not None:
            then(entry)
        return entry


def waiting_position(entry: WaitingListEntry) -> int | None:
    """1 for the next person to be offered a place; None once the entry is no longer waiting."""
    if entry.status != WaitingStatus.WAITING:
        return None
    ahead = WaitingListEntry.objects.filter(session_id=entry.session_id, status=WaitingStatus.WAITING).filter(
        Q(joined_at__lt=entry.joined_at) | Q(joined_at=entry.joined_at, pk__lt=entry.pk)
    )
    return ahead.count() + 1


def _settle(session: Session, now: dt.datetime) -> None:
    """Under the session's lock: end offers that ran out, then offer every free place to the next in line."""
    for entry in WaitingListEntry.objects.filter(
        session=session, status=WaitingStatus.OFFERED, offer_expires_at__lte=now
    ).select_related("person"):
        entry.status = WaitingStatus.EXPIRED
        entry.closed_at = now
        entry.save(update_fields=["status", "closed_at"])
        record(action=AuditAction.CHANGE, obj=entry, detail="offer of a place ran out", actor_label="system")
        queue_templated_email(
            to=entry.person.email,
            template="training/email/offer_expired",
            context={"entry": entry, "session": session},
            purpose="training offer expired",
        )
    if session.is_cancelled or now >= session.closes_at:
        return
    free = count_places(session, now).free
    if free <= 0:
        return
    expires = min(now + offer_hold(), session.closes_at)
    for entry in WaitingListEntry.objects.filter(session=session, status=WaitingStatus.WAITING).select_related(
        "person"
    )[:free]:
        entry.status = WaitingStatus.OFFERED
        entry.offered_at = now
        entry.offer_expires_at = expires
        entry.save(update_fields=["status", "offered_at", "offer_expires_at"])
        record(
            action=AuditAction.CHANGE, obj=entry, detail="offered a place from the waiting list", actor_label="system"
        )
        queue_templated_email(
            to=entry.person.email,
            template="training/email/place_offered",
            context={"entry": entry, "session": session},
            purpose="training place offered",
        )


def claim_offer(entry: WaitingListEntry) -> tuple[Session, WaitingListEntry]:
    """Under a transaction: lock the session, check the offer is open and mark it accepted."""
    session = _lock_session(entry.session)
    entry = WaitingListEntry.objects.select_related("person").get(pk=entry.pk)
    now = timezone.now()
    if entry.status != WaitingStatus.OFFERED:
        raise OfferNotOpen("There is no place on offer to you for this session.")
    if entry.offer_expires_at <= now:
        raise OfferNotOpen("The offer of this place has run out, so it has gone to the next person waiting.")
    if session.is_cancelled:
        raise BookingClosed("This session has been cancelled.")
    entry.status = WaitingStatus.ACCEPTED
    entry.closed_at = now
    entry.save(update_fields=["status", "closed_at"])
    return session, entry


def accept_offer(*, entry: WaitingListEntry, by: User) -> Booking:
    """Book the offered place. A course that needs the line manager's approval holds it instead:
    `approval.accept_offer`, which this refuses to stand in for."""
    with transaction.atomic():
        session, entry = claim_offer(entry)
        if session.course.needs_manager_approval:
            raise NotBookableHere("This course needs your line manager's approval: enter their e-mail address")
        booking = _create_booking(session, entry.person, access_needs=entry.access_needs, by=by, from_waiting_list=True)
        WaitingListEntry.objects.filter(pk=entry.pk).update(booking=booking)
        return booking


def leave_waiting_list(*, entry: WaitingListEntry, by: User) -> WaitingListEntry:
    """Leave the list, or turn down an offered place (which then goes to the next person)."""
    with transaction.atomic():
        session = _lock_session(entry.session)
        entry = WaitingListEntry.objects.get(pk=entry.pk)
        if not entry.is_live:
            raise OfferNotOpen("You are no longer on the waiting list for this session.")
        was_offered = entry.status == WaitingStatus.OFFERED
        entry.status = WaitingStatus.DECLINED if was_offered else WaitingStatus.LEFT
        entry.closed_at = timezone.now()
        entry.save(update_fields=["status", "closed_at"])
        record(
            action=AuditAction.CHANGE,
            actor=by,
            obj=entry,
            detail="turned down the offered place" if was_offered else "left the waiting list",
        )
        _settle(session, entry.closed_at)
        return entry


def expire_offers(*, now: dt.datetime | None = None) -> int:
    """The periodic sweep: pass on offers that ran out, and fill places freed without an offer. Idempotent."""
    now = now or timezone.now()
    stale = set(
        WaitingListEntry.objects.filter(status=WaitingStatus.OFFERED, offer_expires_at__lte=now).values_list(
            "session_id", flat=True
        )
    )
    for session in Session.objects.filter(pk__in=stale):
        with transaction.atomic():
            _settle(_lock_session(session), now)
    return len(stale)


def cancel_booking(*, booking: Booking, by: User, reason: str = "") -> Booking:
    with transaction.atomic():
        session = _lock_session(booking.session)
        booking = Booking.objects.select_related("person").get(pk=booking.pk)
        now = timezone.now()
        if booking.status not in (BookingStatus.BOOKED, BookingStatus.AWAITING_APPROVAL):
            raise NotCancellable("This place is not booked, so it cannot be cancelled.")
        if now >= session.starts_at:
            raise CancellationClosed("This session has started, so the place can no longer be cancelled.")
        if now >= session.cancel_by and not _is_organiser(by):
            raise CancellationClosed(
                "The time to cancel this place has passed. Contact the business unit if you cannot attend."
            )
        booking.status = BookingStatus.CANCELLED
        booking.cancelled_at = now
        booking.calendar_sequence += 1
        booking.save(update_fields=["status", "cancelled_at", "calendar_sequence"])
        record(action=AuditAction.CHANGE, actor=by, obj=booking, detail="cancelled the place", reason=reason)
        _send_invitation(
            booking, template="training/email/booking_cancelled", purpose="training booking cancelled", cancel=True
        )
        _settle(session, now)
        return booking


def _send_invitation(booking: Booking, *, template: str, purpose: str, cancel: bool = False, **context: Any) -> None:
    attachment = Attachment(
        filename="cancel.ics" if cancel else "invite.ics",
        content_type=f"text/calendar; method={'CANCEL' if cancel else 'REQUEST'}",
        content=calendar.invitation(booking, cancel=cancel),
    )
    queue_templated_email(
        to=booking.person.email,
        template=template,
        context={"booking": booking, "session": booking.session, **context},
        purpose=purpose,
        attachments=[attachment],
    )


# --- Reminders ---------------------------------------------------------------------------------


def send_due_reminders(*, now: dt.datetime | None = None) -> int:
    """Queue the reminder for every booking whose session starts within two days. Exactly once:
    the marker and the outbox row commit together, and the conditional UPDATE lets only one worker
    claim a booking. A worker that dies before its commit leaves neither, so the next run sends it."""
    now = now or timezone.now()
    due = Booking.objects.filter(
        status=BookingStatus.BOOKED,
        reminder_sent_at__isnull=True,
        session__status=SessionStatus.SCHEDULED,
        session__starts_at__gt=now,
        session__starts_at__lte=now + REMINDER_BEFORE,
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            claimed = Booking.objects.filter(pk=pk, reminder_sent_at__isnull=True, status=BookingStatus.BOOKED).update(
                reminder_sent_at=now
            )
            if not claimed:
                continue
            booking = Booking.objects.select_related("session__course", "person").get(pk=pk)
            queue_templated_email(
                to=booking.person.email,
                template="training/email/reminder",
                context={"booking": booking, "session": booking.session},
                purpose="training reminder",
            )
            sent += 1
    return sent


# --- Registers and certificates ----------------------------------------------------------------


def register_opens_at(session: Session) -> dt.datetime:
    """The start of the session's day in London: trainers mark the register on the day and after."""
    london = to_london(session.starts_at)
    return london.replace(hour=0, minute=0, second=0, microsecond=0)


def mark_register(*, booking: Booking, status: str, by: User) -> Booking:
    from apps.accounts.permissions import can

    if status not in REGISTER_MARKS:
        raise RegisterNotOpen("Choose attended, absent or cancelled late.")
    with transaction.atomic():
        booking = Booking.objects.select_for_update().select_related("session__course", "person").get(pk=booking.pk)
        session = booking.session
        if not can(by, "training.mark_register", session):
            raise NotYourRegister("Only this session's trainers and the business unit can mark its register.")
        now = timezone.now()
        if session.is_cancelled:
            raise RegisterNotOpen("This session was cancelled, so it has no register to mark.")
        if session.register_closed_at is not None:
            raise RegisterNotOpen("The register is closed, so its marks can no longer be changed.")
        if now < register_opens_at(session):
            raise RegisterNotOpen("The register can be marked from the day of the session.")
        if booking.status == BookingStatus.CANCELLED:
            raise RegisterNotOpen("This person cancelled their place, so they are not on the register.")
        before = booking.status
        if before == status:
            return booking
        booking.status = status
        booking.marked_at = now
        booking.marked_by = by
        booking.save(update_fields=["status", "marked_at", "marked_by"])
        record(
            action=AuditAction.CHANGE,
            actor=by,
            obj=booking,
            detail=f"register: {BookingStatus(before).label} to {BookingStatus(status).label}",
        )
        _certify(booking, now)
        return booking


def mark_everyone_attended(*, session: Session, by: User) -> list[Booking]:
    """Mark everyone still booked on the register as attended, or nobody (marks already given stay)."""
    with transaction.atomic():
        return [
            mark_register(booking=booking, status=BookingStatus.ATTENDED, by=by)
            for booking in Booking.objects.filter(session=session, status=BookingStatus.BOOKED).order_by("pk")
        ]


def _certify(booking: Booking, now: dt.datetime) -> None:
    """Attended means a certificate; any other mark withdraws one already issued."""
    existing = Certificate.objects.filter(booking=booking).first()
    if booking.status == BookingStatus.ATTENDED:
        if existing is None:
            certificate = Certificate.objects.create(booking=booking, code=_unused_code(), issued_at=now)
            record(action=AuditAction.CREATE, obj=certificate, actor_label="system", detail="issued on attendance")
            queue_templated_email(
                to=booking.person.email,
                template="training/email/attended",
                context={"booking": booking, "session": booking.session, "certificate": certificate},
                purpose="training attended",
            )
        elif existing.revoked_at is not None:
            existing.revoked_at = None
            existing.save(update_fields=["revoked_at"])
            record(action=AuditAction.CHANGE, obj=existing, actor_label="system", detail="reinstated")
    elif existing is not None and existing.revoked_at is None:
        existing.revoked_at = now
        existing.save(update_fields=["revoked_at"])
        record(action=AuditAction.CHANGE, obj=existing, actor_label="system", detail="withdrawn: not attended")


def _unused_code() -> str:
    while True:
        code = Certificate.new_code()
        if not Certificate.objects.filter(code=code).exists():
            return code


# --- Courses and sessions (the business unit) --------------------------------------------------


def _is_organiser(user: Any) -> bool:
    from apps.accounts.permissions import can

    return can(user, "training.manage_courses")


def save_course(*, by: User, course: Course | None = None, sectors: list[str], topics: list, **fields: Any) -> Course:
    with transaction.atomic():
        created = course is None
        course = course or Course()
        for name, value in fields.items():
            setattr(course, name, value)
        course.save()
        course.topics.set(topics)
        CourseAudience.objects.filter(course=course).exclude(sector__in=sectors).delete()
        for sector in sectors:
            CourseAudience.objects.get_or_create(course=course, sector=sector)
        record(action=AuditAction.CREATE if created else AuditAction.CHANGE, actor=by, obj=course)
        transaction.on_commit(forget_catalogue)
        return course


SESSION_FIELDS_PEOPLE_NEED = ("starts_at", "ends_at", "venue", "joining_link")


def _check_starts_in_future(starts_at: dt.datetime) -> None:
    # A session added in the past would count in the figures as held, though nobody could book it.
    if starts_at <= timezone.now():
        raise StartInPast("The session must start in the future")


def create_session(*, course: Course, by: User, trainers: list | None = None, **fields: Any) -> Session:
    _check_starts_in_future(fields["starts_at"])
    with transaction.atomic():
        # Lock the course so two sessions added at once get different numbers.
        Course.objects.select_for_update().get(pk=course.pk)
        number = (course.sessions.aggregate(n=Max("number"))["n"] or 0) + 1
        session = Session.objects.create(course=course, number=number, **fields)
        transaction.on_commit(forget_catalogue)
        session.trainers.set(trainers or [])
        record(action=AuditAction.CREATE, actor=by, obj=session)
        return session


def update_session(*, session: Session, by: User, trainers: list | None = None, **changes: Any) -> Session:
    """Change a session. If anything people need to know changed, everyone booked gets an updated invitation."""
    with transaction.atomic():
        session = _lock_session(session)
        if session.is_cancelled:
            raise BookingClosed("This session has been cancelled, so it cannot be changed.")
        if "starts_at" in changes and changes["starts_at"] != session.starts_at:
            _check_starts_in_future(changes["starts_at"])
        now = timezone.now()
        held = count_places(session, now)
        if "capacity" in changes and changes["capacity"] < held.booked + held.offered:
            raise CapacityBelowPlacesHeld(
                f"{held.booked + held.offered} places are booked or offered, so the session needs at least that many."
            )
        changed = [name for name, value in changes.items() if getattr(session, name) != value]
        for name, value in changes.items():
            setattr(session, name, value)
        session.save()
        if trainers is not None:
            session.trainers.set(trainers)
        record(action=AuditAction.CHANGE, actor=by, obj=session, detail="changed: " + ", ".join(changed or ["nothing"]))
        told = [name for name in changed if name in SESSION_FIELDS_PEOPLE_NEED]
        if told:
            moved = "starts_at" in told
            for booking in session.bookings.filter(status=BookingStatus.BOOKED).select_related("person"):
                booking.calendar_sequence += 1
                fields = ["calendar_sequence"]
                if moved:
                    booking.reminder_sent_at = None  # a reminder for the old time does not count
                    fields.append("reminder_sent_at")
                booking.save(update_fields=fields)
                booking.session = session
                _send_invitation(
                    booking,
                    template="training/email/session_changed",
                    purpose="training session changed",
                    changed=[CHANGE_LABELS[name] for name in told],
                )
        _settle(session, now)
        return session


CHANGE_LABELS = {
    "starts_at": "the time",
    "ends_at": "the time",
    "venue": "the venue",
    "joining_link": "the joining link",
}


def copy_session(*, session: Session, starts_at: dt.datetime, by: User) -> Session:
    """A new session of the same course, length, places, place and trainers, starting at `starts_at`.
    Booking opens and closes as long before the new start as it did before the old one."""
    if starts_at == session.starts_at:
        raise CopyAtSameTime("The copy must start at a different time from the session it copies")
    shift = starts_at - session.starts_at
    return create_session(
        course=session.course,
        by=by,
        trainers=list(session.trainers.all()),
        starts_at=starts_at,
        ends_at=session.ends_at + shift,
        capacity=session.capacity,
        venue=session.venue,
        joining_link=session.joining_link,
        booking_opens_at=session.booking_opens_at + shift if session.booking_opens_at else None,
        booking_closes_at=session.booking_closes_at + shift if session.booking_closes_at else None,
        cancellation_cutoff_hours=session.cancellation_cutoff_hours,
    )


def cancel_session(*, session: Session, reason: str, by: User) -> Session:
    """Cancel a session: every booked person gets a CANCEL for their calendar; the waiting list is told."""
    with transaction.atomic():
        session = _lock_session(session)
        if session.is_cancelled:
            raise BookingClosed("This session has already been cancelled.")
        now = timezone.now()
        session.status = SessionStatus.CANCELLED
        session.cancelled_reason = reason.strip()
        session.save(update_fields=["status", "cancelled_reason", "updated_at"])
        record(action=AuditAction.CHANGE, actor=by, obj=session, detail="cancelled the session", reason=reason)
        held = [BookingStatus.BOOKED, BookingStatus.AWAITING_APPROVAL]  # a place held for a manager goes too
        for booking in session.bookings.filter(status__in=held).select_related("person"):
            booking.status = BookingStatus.CANCELLED
            booking.cancelled_at = now
            booking.calendar_sequence += 1
            booking.save(update_fields=["status", "cancelled_at", "calendar_sequence"])
            booking.session = session
            record(action=AuditAction.CHANGE, actor=by, obj=booking, detail="place cancelled with the session")
            _send_invitation(
                booking,
                template="training/email/session_cancelled",
                purpose="training session cancelled",
                cancel=True,
                reason=session.cancelled_reason,
            )
        for entry in session.waiting_list.filter(
            status__in=[WaitingStatus.WAITING, WaitingStatus.OFFERED]
        ).select_related("person"):
            entry.status = WaitingStatus.CLOSED
            entry.closed_at = now
            entry.save(update_fields=["status", "closed_at"])
            queue_templated_email(
                to=entry.person.email,
                template="training/email/session_cancelled_waiting",
                context={"entry": entry, "session": session, "reason": session.cancelled_reason},
                purpose="training session cancelled",
            )
        return session


# --- Courses booked by request -----------------------------------------------------------------


def request_place(
    *, course: Course, person: User, by: User, session: Session | None = None, message: str = "", access_needs: str = ""
) -> BookingRequest:
    with transaction.atomic():
        if course.booking_method != BookingMethod.REQUEST:
            raise NotBookableHere("Places on this course are not given by request.")
        if session is not None and (session.course_id != course.pk or not session.is_open_for_booking()):
            raise BookingClosed("That session is not open for requests.")
        if BookingRequest.objects.filter(
            course=course, person=person, session=session, status=RequestStatus.REQUESTED
        ).exists():
            raise AlreadyWaiting("You have already asked for a place. The business unit will reply by e-mail.")
        if (
            session is not None
            and Booking.objects.filter(session=session, person=person, status__in=HOLDS_PLACE).exists()
        ):
            raise AlreadyBooked("You already have a place at this session.")
        request = BookingRequest.objects.create(
            course=course,
            session=session,
            person=person,
            organisation=person.organisation,
            message=message.strip(),
            access_needs=access_needs.strip(),
        )
        record(action=AuditAction.CREATE, actor=by, obj=request, detail=f"asked for a place: {person.email}")
        queue_templated_email(
            to=person.email,
            template="training/email/request_received",
            context={"request": request, "course": course},
            purpose="training request received",
        )
        if course.contact_email:
            queue_templated_email(
                to=course.contact_email,
                template="training/email/request_to_organiser",
                context={"request": request, "course": course},
                purpose="training request to organiser",
            )
        # The business unit decides requests, so it hears of every one, whoever the course's contact is.
        for address in business_unit_addresses():
            if address.lower() == course.contact_email.lower():
                continue
            queue_templated_email(
                to=address,
                template="training/email/request_to_organiser",
                context={"request": request, "course": course},
                purpose="training request to business unit",
            )
        return request


def decide_request(
    *, booking_request: BookingRequest, accept: bool, by: User, session: Session | None = None, note: str = ""
) -> BookingRequest:
    with transaction.atomic():
        booking_request = BookingRequest.objects.select_for_update().get(pk=booking_request.pk)
        if booking_request.status != RequestStatus.REQUESTED:
            raise RequestNotOpen("This request has already been decided.")
        session = session or booking_request.session
        booking = None
        if accept:
            if session is None:
                raise RequestNotOpen("Choose the session to give this person a place at.")
            session = _lock_session(session)
            _check_open(session, timezone.now())
            _check_not_already(session, booking_request.person)
            if count_places(session).bookable <= 0:
                raise SessionFull("That session is full.")
            booking = _create_booking(session, booking_request.person, access_needs=booking_request.access_needs, by=by)
        booking_request.status = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
        booking_request.session = session
        booking_request.decided_at = timezone.now()
        booking_request.decided_by = by
        booking_request.decision_note = note.strip()
        booking_request.booking = booking
        booking_request.save()
        record(
            action=AuditAction.CHANGE,
            actor=by,
            obj=booking_request,
            detail="accepted the request" if accept else "declined the request",
            reason=note,
        )
        if not accept:
            queue_templated_email(
                to=booking_request.person.email,
                template="training/email/request_declined",
                context={"request": booking_request, "course": booking_request.course},
                purpose="training request declined",
            )
        return booking_request


# --- Evaluations, the learning record, e-learning, calendar feeds ------------------------------


def submit_evaluation(*, booking: Booking, rating: int, comments: str, by: User) -> Evaluation:
    with transaction.atomic():
        if booking.person_id != by.pk:
            raise EvaluationNotOpen("Only the person who attended can evaluate their session.")
        if booking.status != BookingStatus.ATTENDED:
            raise EvaluationNotOpen("You can evaluate a session after the register shows you attended.")
        if Evaluation.objects.filter(booking=booking).exists():
            raise EvaluationNotOpen("You have already evaluated this session. Thank you.")
        evaluation = Evaluation.objects.create(booking=booking, rating=rating, comments=comments.strip())
        record(action=AuditAction.CREATE, actor=by, obj=booking, detail="evaluated the session")
        return evaluation


def check_evidence(upload: UploadedFile) -> str:
    """The content type read from the file's own bytes (never its name or what the browser said)."""
    import filetype

    if upload.size > EVIDENCE_MAX_BYTES:
        raise EvidenceRefused("The evidence file must be smaller than 5MB.")
    upload.seek(0)
    kind = filetype.guess(upload.read(261))
    upload.seek(0)
    if kind is None or kind.mime not in EVIDENCE_TYPES:
        raise EvidenceRefused("The evidence must be a PDF, PNG or JPEG file.")
    return kind.mime


def record_outside_training(
    *,
    person: User,
    by: User,
    title: str,
    provider: str,
    completed_on: dt.date,
    hours: Decimal,
    evidence: UploadedFile | None = None,
    notes: str = "",
) -> OutsideTraining:
    content_type = check_evidence(evidence) if evidence else ""
    with transaction.atomic():
        entry = OutsideTraining(
            person=person,
            title=title.strip(),
            provider=provider.strip(),
            completed_on=completed_on,
            hours=hours,
            notes=notes.strip(),
            evidence_content_type=content_type,
            evidence_name=(evidence.name or "")[:200] if evidence else "",
        )
        if evidence:
            entry.evidence.save(evidence.name or "evidence", evidence, save=False)
        entry.save()
        record(action=AuditAction.CREATE, actor=by, obj=entry, detail="recorded outside training")
        return entry


@dataclass(frozen=True)
class WrongAnswer:
    question: Question
    chosen: Answer | None
    position: int = 0  # the question's place in the attempt (a bank's attempt shows some of its questions)


@dataclass(frozen=True)
class MarkedAnswer:
    """Feedback on one question of the attempt, right or wrong."""

    position: int
    question: Question
    chosen: Answer | None
    right: bool


@dataclass(frozen=True)
class CheckResult:
    score: int
    passed: bool
    pass_mark: int
    completion: ELearningCompletion | None
    wrong: list[WrongAnswer]
    marked: list[MarkedAnswer] = ()


def submit_knowledge_check(
    *, item: ELearningItem, person: User, answers: dict[int, int], by: User, questions: list[Question] | None = None
) -> CheckResult:
    """Mark the answers (question id -> answer id) to `questions`, the attempt's draw from the item's bank
    (every question when not given). A pass records completion, with its certificate, once."""
    if questions is None:
        questions = list(item.questions.prefetch_related("answers"))
    wrong, marked = [], []
    for position, question in enumerate(questions, start=1):
        chosen = next((a for a in question.answers.all() if a.pk == answers.get(question.pk)), None)
        right = chosen is not None and chosen.is_correct
        marked.append(MarkedAnswer(position=position, question=question, chosen=chosen, right=right))
        if not right:
            wrong.append(WrongAnswer(question=question, chosen=chosen, position=position))
    correct = len(questions) - len(wrong)
    score = round(100 * correct / len(questions)) if questions else 100
    passed = score >= item.pass_mark
    completion = None
    with transaction.atomic():
        if passed:
            completion, created = ELearningCompletion.objects.get_or_create(
                item=item, person=person, defaults={"score": score}
            )
            if created:
                record(action=AuditAction.CREATE, actor=by, obj=item, detail=f"passed the knowledge check ({score}%)")
                certificate = Certificate.objects.create(completion=completion, code=_unused_code())
                record(action=AuditAction.CREATE, obj=certificate, actor_label="system", detail="issued on passing")
    return CheckResult(
        score=score, passed=passed, pass_mark=item.pass_mark, completion=completion, wrong=wrong, marked=marked
    )


# --- Writing e-learning (the business unit) ----------------------------------------------------

VIDEO_TYPES = {"video/mp4": "mp4", "video/webm": "webm"}
CAPTIONS_MAX_BYTES = 2 * 1024 * 1024
ELEARNING_FIELDS = ("body", "video_url", "transcript", "minutes", "pass_mark", "questions_per_attempt")


def largest_video_mb() -> int:
    return int(getattr(settings, "TRAINING_VIDEO_MAX_UPLOAD_MB", 500))


def check_video(upload: UploadedFile) -> str:
    """The file's ending, from the type read from its own bytes (never its name or what the browser said)."""
    import filetype

    if not upload.size:
        raise VideoRefused("The selected video file is empty.")
    if upload.size > largest_video_mb() * 1024 * 1024:
        raise VideoRefused(f"The video file must be smaller than {largest_video_mb()}MB.")
    upload.seek(0)
    kind = filetype.guess(upload.read(8192))
    upload.seek(0)
    if kind is None or kind.mime not in VIDEO_TYPES:
        raise VideoRefused("The video file must be an MP4 or WebM video.")
    return VIDEO_TYPES[kind.mime]


def check_captions(upload: UploadedFile) -> None:
    """A WebVTT file: UTF-8 text whose first line is WEBVTT."""
    if not upload.size:
        raise CaptionsRefused("The selected captions file is empty.")
    if upload.size > CAPTIONS_MAX_BYTES:
        raise CaptionsRefused("The captions file must be smaller than 2MB.")
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    try:
        text = content.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        text = ""
    if not (text.startswith("WEBVTT") and text[6:7] in ("", " ", "\t", "\n", "\r")):
        raise CaptionsRefused("The captions must be a WebVTT file: a text file whose first line is WEBVTT.")


def save_elearning(
    *,
    course: Course,
    by: User,
    video_file: UploadedFile | None = None,
    captions_file: UploadedFile | None = None,
    remove_video: bool = False,
    **fields: Any,
) -> ELearningItem:
    """Add or change the e-learning of a course delivered as e-learning. A video file needs captions."""
    if course.delivery != Delivery.ELEARNING:
        raise NotELearning("Only a course delivered as e-learning has an e-learning item.")
    video_suffix = check_video(video_file) if video_file else None
    if captions_file:
        check_captions(captions_file)
    with transaction.atomic():
        Course.objects.select_for_update().get(pk=course.pk)
        item = ELearningItem.objects.filter(course=course).first()
        created = item is None
        item = item or ELearningItem(course=course)
        changed = [name for name, value in fields.items() if getattr(item, name) != value]
        for name, value in fields.items():
            setattr(item, name, value)
        stale = []
        if remove_video and item.video_file and not video_file:
            stale += [item.video_file.name, item.captions_file.name]
            item.video_file, item.captions_file = "", ""
            changed.append("video file removed")
        will_have_video = bool(video_file or item.video_file)
        if will_have_video and not (captions_file or item.captions_file):
            raise CaptionsRefused("Upload captions for the video file, as a WebVTT (.vtt) file.")
        if captions_file and not will_have_video:
            raise CaptionsRefused("Captions go with a video file: upload the video file too, or leave this empty.")
        if video_file:
            stale.append(item.video_file.name)
            item.video_file.save(f"{uuid.uuid4().hex}.{video_suffix}", video_file, save=False)
            changed.append("video file")
        if captions_file:
            stale.append(item.captions_file.name)
            item.captions_file.save(f"{uuid.uuid4().hex}.vtt", captions_file, save=False)
            changed.append("captions")
        item.save()
        record(
            action=AuditAction.CREATE if created else AuditAction.CHANGE,
            actor=by,
            obj=item,
            detail="added the e-learning" if created else "changed: " + ", ".join(changed or ["nothing"]),
        )
        transaction.on_commit(forget_catalogue)
        transaction.on_commit(lambda: _delete_files(ELearningItem.video_file.field.storage, stale))
        return item


def _delete_files(storage: Any, names: list[str]) -> None:
    for name in names:
        if name:
            storage.delete(name)


def _check_choices(choices: list[str], correct: int) -> None:
    if len(choices) < 2:
        raise QuestionRefused("A question needs at least two choices.")
    if not 0 <= correct < len(choices):
        raise QuestionRefused("Choose which choice is the right answer.")


def save_question(
    *,
    item: ELearningItem,
    by: User,
    text: str,
    choices: list[str],
    correct: int,
    question: Question | None = None,
    feedback: str = "",
) -> Question:
    """Add a question to the knowledge check, or change one. `correct` is the index of the right choice."""
    choices = [choice.strip() for choice in choices if choice.strip()]
    _check_choices(choices, correct)
    with transaction.atomic():
        item = ELearningItem.objects.select_for_update().select_related("course").get(pk=item.pk)
        created = question is None
        if question is None:
            number = (item.questions.aggregate(n=Max("number"))["n"] or 0) + 1
            question = Question(item=item, number=number)
        question.text = text.strip()
        question.feedback = feedback.strip()
        question.save()
        for number, choice in enumerate(choices, start=1):
            Answer.objects.update_or_create(
                question=question, number=number, defaults={"text": choice, "is_correct": number == correct + 1}
            )
        question.answers.filter(number__gt=len(choices)).delete()
        record(
            action=AuditAction.CREATE if created else AuditAction.CHANGE,
            actor=by,
            obj=item,
            detail=f"{'added' if created else 'changed'} question {question.number}: {question.text[:100]}",
        )
        transaction.on_commit(forget_catalogue)
        return question


def delete_question(*, question: Question, by: User) -> None:
    """Take a question out of the knowledge check; the ones after it move up a number."""
    with transaction.atomic():
        item = ELearningItem.objects.select_for_update().select_related("course").get(pk=question.item_id)
        question = Question.objects.get(pk=question.pk)
        number, text = question.number, question.text
        question.delete()
        for later in item.questions.filter(number__gt=number).order_by("number"):
            later.number -= 1
            later.save(update_fields=["number"])
        record(action=AuditAction.DELETE, actor=by, obj=item, detail=f"deleted question {number}: {text[:100]}")
        transaction.on_commit(forget_catalogue)


def calendar_feed_of(person: User) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(person=person, defaults={"token": CalendarFeed.new_token()})
    return feed


def renew_calendar_feed(*, person: User, by: User) -> CalendarFeed:
    """A new secret address; the old one stops working at once."""
    with transaction.atomic():
        feed = calendar_feed_of(person)
        feed.token = CalendarFeed.new_token()
        feed.created_at = timezone.now()
        feed.save(update_fields=["token", "created_at"])
        record(action=AuditAction.CHANGE, actor=by, obj=person, detail="renewed the training calendar address")
        return feed
