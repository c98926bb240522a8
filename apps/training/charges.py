"""Non-attendance charges: worked out when a session's register is closed, waived by the business unit,
exported a month at a time as CSV for the council's finance system. No payment is taken in the hub.

Who is charged, for a course with a charge:
- attended: never;
- cancelled before the cancel-by time (the session's start time of day, `charge_cancel_by_working_days`
  working days before the session's day, in Europe/London; a working day is Monday to Friday and not a
  bank holiday in the business unit's `BankHoliday` table): no;
- cancelled after it, or marked "cancelled late" on the register: yes, "Cancelled late";
- marked absent: yes, "Did not attend".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from apps.audit.models import AuditAction
from apps.audit.services import record
from apps.core.csv_export import csv_writer
from apps.core.dates import LONDON, format_date, to_london

from . import services
from .models import BankHoliday, Booking, BookingStatus, Charge, ChargeReason, Session

if TYPE_CHECKING:
    from apps.accounts.models import User


class RegisterNotClosable(services.TrainingError):
    pass


class WaiverRefused(services.TrainingError):
    field = "reason"


# --- The rule ----------------------------------------------------------------------------------


def cancel_deadline(session: Session, working_days: int) -> dt.datetime:
    """The last moment to cancel without a charge: the session's London time of day, `working_days`
    working days before its day. Weekends and the bank holidays in `BankHoliday` are not counted."""
    start = to_london(session.starts_at)
    day = start.date()
    # Every week back holds at least five weekdays, and England has at most a handful of bank holidays in
    # any fortnight, so this window always holds `working_days` working days.
    window = dt.timedelta(days=7 * (working_days // 5 + 1) + 14)
    holidays = set(BankHoliday.objects.filter(date__gte=day - window, date__lt=day).values_list("date", flat=True))
    left = working_days
    while left > 0:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            left -= 1
    return dt.datetime.combine(day, start.time(), tzinfo=LONDON)


def reason_to_charge(booking: Booking, deadline: dt.datetime) -> str | None:
    if booking.status == BookingStatus.ABSENT:
        return ChargeReason.NO_SHOW
    if booking.status == BookingStatus.CANCELLED_LATE:
        return ChargeReason.CANCELLED_LATE
    if booking.status == BookingStatus.CANCELLED and booking.cancelled_at and booking.cancelled_at > deadline:
        return ChargeReason.CANCELLED_LATE
    return None


# --- Closing the register ----------------------------------------------------------------------


def close_register(*, session: Session, by: User) -> list[Charge]:
    """Make the register's marks final and work out the session's charges, in one transaction."""
    from apps.accounts.permissions import can

    with transaction.atomic():
        session = Session.objects.select_for_update().select_related("course").get(pk=session.pk)
        if not can(by, "training.mark_register", session):
            raise services.NotYourRegister("Only this session's trainers and the business unit can close its register.")
        now = timezone.now()
        if session.is_cancelled:
            raise RegisterNotClosable("This session was cancelled, so it has no register to close.")
        if session.register_closed_at is not None:
            raise RegisterNotClosable("This register is already closed.")
        if now < session.starts_at:
            raise RegisterNotClosable("The register can be closed once the session has started.")
        unmarked = session.bookings.filter(status=BookingStatus.BOOKED).count()
        if unmarked:
            raise RegisterNotClosable(
                f"Mark everyone before closing the register: {unmarked} "
                f"{'person is' if unmarked == 1 else 'people are'} not marked yet."
            )
        session.register_closed_at = now
        session.register_closed_by = by
        session.save(update_fields=["register_closed_at", "register_closed_by", "updated_at"])
        record(action=AuditAction.CHANGE, actor=by, obj=session, detail="closed the register")
        charges = []
        amount = session.course.non_attendance_charge
        if amount:
            deadline = cancel_deadline(session, session.course.charge_cancel_by_working_days)
            for booking in session.bookings.select_related("person").order_by("pk"):
                reason = reason_to_charge(booking, deadline)
                if reason is None:
                    continue
                charge = Charge.objects.create(
                    booking=booking,
                    organisation_id=booking.organisation_id,
                    amount=amount,
                    reason=reason,
                    session_starts_at=session.starts_at,
                    created_at=now,
                )
                record(
                    action=AuditAction.CREATE,
                    actor=by,
                    obj=charge,
                    detail=f"£{amount} charged: {ChargeReason(reason).label.lower()}",
                )
                charges.append(charge)
        return charges


def waive_charge(*, charge: Charge, reason: str, by: User) -> Charge:
    from apps.accounts.permissions import can

    reason = (reason or "").strip()
    if not can(by, "training.manage_charges"):
        raise services.NotYourRegister("Only the business unit can waive a charge.")
    if not reason:
        raise WaiverRefused("Enter why the charge is waived")
    with transaction.atomic():
        charge = Charge.objects.select_for_update().get(pk=charge.pk)
        if charge.waived_at is not None:
            raise WaiverRefused("This charge is already waived.")
        charge.waived_at = timezone.now()
        charge.waived_by = by
        charge.waiver_reason = reason
        charge.save(update_fields=["waived_at", "waived_by", "waiver_reason"])
        record(action=AuditAction.CHANGE, actor=by, obj=charge, detail="waived the charge", reason=reason)
        return charge


# --- Reading charges ---------------------------------------------------------------------------


def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    """The month's first and next month's first moment in London (whatever the clocks do), as aware datetimes."""
    start = dt.datetime(year, month, 1, tzinfo=LONDON)
    end = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=LONDON)
    return start, end


def charges_in_month(year: int, month: int) -> QuerySet[Charge]:
    start, end = month_bounds(year, month)
    return (
        Charge.objects.filter(session_starts_at__gte=start, session_starts_at__lt=end)
        .select_related("booking__person", "booking__session__course", "organisation", "waived_by")
        .order_by("organisation__name", "session_starts_at", "booking__person__last_name", "pk")
    )


def months_with_charges() -> list[dt.date]:
    """The London months that have charges, newest first."""
    seen = {to_london(at).date().replace(day=1) for at in Charge.objects.values_list("session_starts_at", flat=True)}
    return sorted(seen, reverse=True)


@dataclass
class OrganisationCharges:
    name: str
    charges: list[Charge]

    @property
    def total(self) -> Decimal:
        return sum((c.amount for c in self.charges if not c.is_waived), Decimal("0"))


def by_organisation(charges: Iterable[Charge]) -> list[OrganisationCharges]:
    groups: dict[str, OrganisationCharges] = {}
    for charge in charges:
        name = charge.organisation.name if charge.organisation else "No organisation"
        groups.setdefault(name, OrganisationCharges(name, [])).charges.append(charge)
    return list(groups.values())


CSV_HEADINGS = [
    "Organisation",
    "Person",
    "E-mail",
    "Course",
    "Session date",
    "Reason",
    "Amount (GBP)",
    "Waived",
    "Waiver reason",
    "Charge reference",
]


def write_csv(file: Any, charges: Iterable[Charge]) -> None:
    """Every cell through the hub's CSV writer, so a name like `=HYPERLINK(...)` is text, not a formula."""
    writer = csv_writer(file)
    writer.writerow(CSV_HEADINGS)
    for charge in charges:
        booking = charge.booking
        writer.writerow(
            [
                charge.organisation.name if charge.organisation else "",
                booking.person.get_full_name(),
                booking.person.email,
                booking.session.course.title,
                to_london(charge.session_starts_at).date().isoformat(),
                charge.get_reason_display(),
                charge.amount,
                "Yes" if charge.is_waived else "No",
                charge.waiver_reason,
                f"TRN-{charge.pk}",
            ]
        )


def describe_deadline(session: Session) -> str:
    deadline = cancel_deadline(session, session.course.charge_cancel_by_working_days)
    return format_date(deadline, weekday=True)
