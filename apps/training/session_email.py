"""E-mailing everyone booked on a session, or waiting for it: one message a person through the outbox,
and a record kept on the session of who sent what to how many."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from apps.audit.models import AuditAction
from apps.audit.services import record
from apps.notifications.services import queue_email, render_email

from . import services
from .models import HOLDS_PLACE, Booking, MessageAudience, Session, SessionMessage, WaitingListEntry, WaitingStatus

if TYPE_CHECKING:
    from apps.accounts.models import User


class NobodyToEmail(services.TrainingError):
    field = "audience"


def recipients(session: Session, audience: str) -> list[str]:
    """E-mail addresses, each once, in the order people booked or joined."""
    addresses: list[str] = []
    if audience in (MessageAudience.BOOKED, MessageAudience.BOTH):
        addresses += (
            Booking.objects.filter(session=session, status__in=HOLDS_PLACE)
            .order_by("booked_at", "pk")
            .values_list("person__email", flat=True)
        )
    if audience in (MessageAudience.WAITING, MessageAudience.BOTH):
        addresses += WaitingListEntry.objects.filter(
            session=session, status__in=[WaitingStatus.WAITING, WaitingStatus.OFFERED]
        ).values_list("person__email", flat=True)
    seen: set[str] = set()
    unique = []
    for address in addresses:
        if address and address.lower() not in seen:
            seen.add(address.lower())
            unique.append(address)
    return unique


def email_session(*, session: Session, audience: str, subject: str, body: str, by: User) -> SessionMessage:
    with transaction.atomic():
        session = Session.objects.select_related("course").get(pk=session.pk)
        to = recipients(session, audience)
        if not to:
            raise NobodyToEmail(
                {
                    MessageAudience.BOOKED: "Nobody has a place at this session yet",
                    MessageAudience.WAITING: "Nobody is on the waiting list for this session",
                }.get(audience, "Nobody has a place or is waiting for this session")
            )
        message = SessionMessage.objects.create(
            session=session,
            audience=audience,
            subject=subject.strip(),
            body=body.strip(),
            recipients=len(to),
            sent_by=by,
        )
        # The same words for everyone: rendered once, queued a message a person.
        rendered_subject, text, html = render_email(
            "training/email/session_message", {"session": session, "message": message}
        )
        for address in to:
            queue_email(
                to=address, subject=rendered_subject, body_text=text, body_html=html, purpose="training session message"
            )
        people = "person" if len(to) == 1 else "people"
        record(
            action=AuditAction.CREATE,
            actor=by,
            obj=session,
            detail=f"e-mailed {len(to)} {people} ({message.get_audience_display().lower()}): {message.subject[:100]}",
        )
        return message
