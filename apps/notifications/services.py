"""The one e-mail path: queue inside the caller's transaction, deliver from the worker."""

from __future__ import annotations

import base64
import contextvars
import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.exceptions import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone

from apps.core.after_response import after_response

from .models import OutboxMessage, OutboxStatus
from .transports import TransportError, get_transport

logger = logging.getLogger(__name__)

CLAIM_FOR = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    content: bytes

    def as_json(self) -> dict:
        return {
            "filename": self.filename,
            "content_type": self.content_type,
            "content_b64": base64.b64encode(self.content).decode("ascii"),
        }


def render_email(template: str, context: dict) -> tuple[str, str, str]:
    """Subject, text and (optional) HTML from `<template>_subject.txt`, `<template>.txt`, `<template>.html`."""
    context = {"hub_base_url": settings.HUB_BASE_URL, "hub_site_name": settings.HUB_SITE_NAME, **context}
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    text = render_to_string(f"{template}.txt", context).strip() + "\n"
    try:
        html = render_to_string(f"{template}.html", context)
    except TemplateDoesNotExist:
        html = ""
    return subject, text, html


def queue_email(
    *,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    attachments: list[Attachment] | None = None,
    headers: dict[str, str] | None = None,
    purpose: str = "",
) -> OutboxMessage:
    """Write the message to the outbox. It is sent only if the caller's transaction commits."""
    message = OutboxMessage.objects.create(
        to=to,
        subject=subject[:250],
        body_text=body_text,
        body_html=body_html,
        attachments=[a.as_json() for a in attachments or []],
        headers=headers or {},
        purpose=purpose,
        next_attempt_at=timezone.now(),
    )
    # Handed to the task queue once committed and the response is sent; the outbox sweep covers a failure.
    transaction.on_commit(lambda: _hand_over(message.pk), robust=True)
    return message


# The messages committed during this request (or, outside one, this moment), waiting to be handed over.
_committed: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar("outbox_committed", default=None)
HAND_OVER_AT_MOST = 25  # messages in one task: a request that e-mails a whole session still spreads its sending


def _hand_over(message_pk: int) -> None:
    committed = _committed.get()
    if committed is None:
        committed = []
        _committed.set(committed)
    committed.append(message_pk)
    after_response(_enqueue_committed)  # once per request, however many messages it queued


def _enqueue_committed() -> None:
    from .tasks import deliver_outbox_messages

    committed, _ = _committed.get() or [], _committed.set(None)
    for start in range(0, len(committed), HAND_OVER_AT_MOST):
        chunk = committed[start : start + HAND_OVER_AT_MOST]
        try:
            deliver_outbox_messages.enqueue(chunk)
        except Exception:  # the sweep will find them; a queue outage must not undo a committed change
            logger.exception("could not enqueue delivery of outbox messages %s; the sweep will send them", chunk)


def queue_templated_email(
    *, to: str, template: str, context: dict, purpose: str = "", attachments: list[Attachment] | None = None
) -> OutboxMessage:
    subject, text, html = render_email(template, context)
    return queue_email(to=to, subject=subject, body_text=text, body_html=html, attachments=attachments, purpose=purpose)


def _enqueue_delivery(message_pk: int, run_after: dt.datetime | None = None) -> None:
    from .tasks import deliver_outbox_message

    try:
        task = deliver_outbox_message.using(run_after=run_after) if run_after else deliver_outbox_message
        task.enqueue(message_pk)
    except Exception:  # the sweep will find it; a queue outage must not undo a committed change
        logger.exception("could not enqueue delivery of outbox message %s; the sweep will send it", message_pk)


def backoff(attempts: int) -> dt.timedelta:
    """30s, 1m, 2m, 4m ... capped at an hour."""
    return dt.timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def _claim(message_pk: int) -> bool:
    now = timezone.now()
    claimable = Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=OutboxStatus.SENDING, claimed_until__lt=now
    )
    with transaction.atomic():
        return bool(
            OutboxMessage.objects.filter(claimable, pk=message_pk).update(
                status=OutboxStatus.SENDING, claimed_until=now + CLAIM_FOR
            )
        )


def deliver(message_pk: int) -> str:
    """Send one message if it is due and nobody else is sending it. Safe to call twice."""
    if not _claim(message_pk):
        return "not due"
    message = OutboxMessage.objects.get(pk=message_pk)
    try:
        get_transport().send(message)
    except TransportError as error:
        attempts = message.attempts + 1
        gave_up = attempts >= settings.OUTBOX_MAX_ATTEMPTS
        next_at = timezone.now() + backoff(attempts)
        OutboxMessage.objects.filter(pk=message_pk, status=OutboxStatus.SENDING).update(
            status=OutboxStatus.FAILED if gave_up else OutboxStatus.PENDING,
            attempts=attempts,
            next_attempt_at=next_at,
            claimed_until=None,
            last_error=str(error)[:2000],
        )
        logger.warning("outbox message %s not sent (attempt %s): %s", message_pk, attempts, error)
        if not gave_up:
            _enqueue_delivery(message_pk, run_after=next_at)
        return "failed"
    OutboxMessage.objects.filter(pk=message_pk).update(
        status=OutboxStatus.SENT,
        attempts=message.attempts + 1,
        sent_at=timezone.now(),
        claimed_until=None,
        last_error="",
    )
    logger.info("outbox message %s sent purpose=%s", message_pk, message.purpose or "-")
    return "sent"


def deliver_due(limit: int = 500) -> dict[str, int]:
    """The sweep: send everything that is due, including claims abandoned by a crashed worker."""
    now = timezone.now()
    due = (
        OutboxMessage.objects.filter(
            Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
            | Q(status=OutboxStatus.SENDING, claimed_until__lt=now)
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    counts: dict[str, int] = {}
    for pk in list(due):
        outcome = deliver(pk)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts
