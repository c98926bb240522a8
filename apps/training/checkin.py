"""On the day: check-in by a booking's QR code (or the code typed), and the printable sign-in sheet.

Each booking carries `checkin_code`, 80 random bits written as four groups of four letters and digits
(never the booking's number). Its QR code is drawn on the server (the `qrcode` package, already
installed for two-factor sign-in) and shown on the booking page; the confirmation e-mail carries the
code as text. A trainer scans it on the register page, or types it: the booking is checked in once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from apps.core.dates import format_date, format_range, format_time
from apps.core.pdf import new_document, plain

from . import services
from .models import CHECKIN_ALPHABET, Booking, BookingStatus, Session

if TYPE_CHECKING:
    from apps.accounts.models import User


class CheckInRefused(services.TrainingError):
    field = "code"


class AlreadyCheckedIn(CheckInRefused):
    pass


def normalise(typed: str) -> str:
    """What someone typed or a scanner read, as the stored code: capitals in groups of four, spaces ignored."""
    raw = re.sub(r"[^A-Z0-9]", "", (typed or "").upper())
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def looks_like_a_code(code: str) -> bool:
    raw = code.replace("-", "")
    return len(raw) == 16 and all(c in CHECKIN_ALPHABET for c in raw)


def qr_svg(booking: Booking) -> SafeString:
    """The booking's code as an SVG QR code, named for screen readers (the code is also shown as text)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(booking.checkin_code, image_factory=qrcode.image.svg.SvgPathImage, border=4)
    svg = image.to_string(encoding="unicode")
    label = escape(f"QR code for checking in: {booking.checkin_code}")
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" class="hub-qr" ', 1)
    svg = re.sub(r' width="[^"]*" height="[^"]*"', "", svg, count=1)
    return mark_safe(svg)  # noqa: S308 (drawn here from the code, which is letters, digits and dashes)


@dataclass(frozen=True)
class CheckedIn:
    booking: Booking
    at: str  # the London time, for the message


def check_in(*, session: Session, code: str, by: User) -> CheckedIn:
    """Mark the booking whose code this is as attended, once. A code of another session is refused."""
    from apps.accounts.permissions import can

    code = normalise(code)
    if not can(by, "training.mark_register", session):
        raise services.NotYourRegister("Only this session's trainers and the business unit can check people in.")
    if not code:
        raise CheckInRefused("Enter the check-in code")
    if not looks_like_a_code(code):
        raise CheckInRefused("Enter the check-in code as it is shown: 16 letters and numbers, like ABCD-EFGH-JKLM-NPQR")
    now = timezone.now()
    session = Session.objects.select_related("course").get(pk=session.pk)  # as it is now: closed, cancelled?
    _check_register_open(session, now)
    with transaction.atomic():
        booking = Booking.objects.select_for_update().select_related("person").filter(checkin_code=code).first()
        if booking is None:
            raise CheckInRefused("This check-in code is not one the hub gave. Check it and enter it again.")
        if booking.session_id != session.pk:
            raise CheckInRefused("This check-in code is for a different session, not this one.")
        name = booking.person.get_full_name() or booking.person.email
        if booking.status == BookingStatus.CANCELLED:
            raise CheckInRefused(f"{name} cancelled their place, so they cannot be checked in.")
        if booking.checked_in_at is not None:
            raise AlreadyCheckedIn(f"{name} already checked in at {format_time(booking.checked_in_at)}.")
        # The conditional UPDATE is the once: of two scans at the same moment, only one changes a row.
        claimed = Booking.objects.filter(pk=booking.pk, checked_in_at__isnull=True).update(checked_in_at=now)
        if not claimed:
            booking.refresh_from_db(fields=["checked_in_at"])
            raise AlreadyCheckedIn(f"{name} already checked in at {format_time(booking.checked_in_at)}.")
        booking = services.mark_register(booking=booking, status=BookingStatus.ATTENDED, by=by)
        booking.checked_in_at = now
        from apps.audit.models import AuditAction
        from apps.audit.services import record

        record(action=AuditAction.CHANGE, actor=by, obj=booking, detail="checked in with the booking's code")
    return CheckedIn(booking=booking, at=format_time(now))


def _check_register_open(session: Session, now) -> None:
    if session.is_cancelled:
        raise CheckInRefused("This session was cancelled, so nobody can check in.")
    if session.register_closed_at is not None:
        raise CheckInRefused("The register of this session is closed, so nobody can check in.")
    if now < services.register_opens_at(session):
        raise CheckInRefused("People can check in from the day of the session.")


# --- The printable sign-in sheet ---------------------------------------------------------------


def sign_in_sheet_pdf(session: Session, bookings: list[Booking]) -> bytes:
    """A4 landscape: the session's details, then a row for each person with a place and a column to sign."""
    pdf = new_document(f"Sign-in sheet: {session.course.title}")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, plain(f"Sign-in sheet: {session.course.title}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    details = [format_range(session.starts_at, session.ends_at)]
    if session.venue:
        details.append(session.venue)
    trainers = ", ".join(t.get_full_name() or t.email for t in session.trainers.all())
    if trainers:
        details.append(f"Trainers: {trainers}")
    people = "person" if len(bookings) == 1 else "people"
    details.append(f"{len(bookings)} {people} booked. Printed {format_date(timezone.now())}.")
    for line in details:
        pdf.multi_cell(0, 5, plain(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Helvetica", "", 10)
    with pdf.table(
        col_widths=(8, 50, 52, 60),
        line_height=8,
        text_align=("RIGHT", "LEFT", "LEFT", "LEFT"),
        first_row_as_headings=True,
    ) as table:
        heading = table.row()
        for text in ("", "Name", "Organisation", "Signature"):
            heading.cell(text)
        for number, booking in enumerate(bookings, start=1):
            row = table.row()
            row.cell(str(number))
            row.cell(plain(booking.person.get_full_name() or booking.person.email))
            row.cell(plain(booking.organisation.name if booking.organisation else ""))
            row.cell(" ")  # room to sign
    return bytes(pdf.output())
