"""Where a message goes when the worker sends it: SMTP, GOV.UK Notify or the demo mailbox."""

from __future__ import annotations

import base64
import smtplib
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

from .models import MailboxMessage, OutboxMessage


class TransportError(Exception):
    """The message was not accepted; try again later."""


class Transport(Protocol):
    def send(self, message: OutboxMessage) -> None: ...


def _domain() -> str:
    sender = settings.DEFAULT_FROM_EMAIL
    return sender.rsplit("@", 1)[-1].strip(" >") if "@" in sender else "hub.invalid"


class SmtpTransport:
    def send(self, message: OutboxMessage) -> None:
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.body_text,
            to=[message.to],
            headers={"Message-ID": f"<{message.message_id}@{_domain()}>", **message.headers},
        )
        if message.body_html:
            email.attach_alternative(message.body_html, "text/html")
        for item in message.attachments:
            email.attach(item["filename"], base64.b64decode(item["content_b64"]), item["content_type"])
        try:
            with get_connection(fail_silently=False) as connection:
                connection.send_messages([email])
        except (TimeoutError, smtplib.SMTPException, OSError) as error:
            raise TransportError(f"SMTP: {error}") from error


class NotifyTransport:
    """GOV.UK Notify with one general template whose personalisation is ((subject)) and ((body)).

    Notify does not carry arbitrary attachments; calendar files are sent as text in the body's
    place by callers that need them, or through SMTP.
    """

    def send(self, message: OutboxMessage) -> None:
        from notifications_python_client.errors import HTTPError
        from notifications_python_client.notifications import NotificationsAPIClient

        client = NotificationsAPIClient(settings.NOTIFY_API_KEY, base_url=settings.NOTIFY_BASE_URL)
        try:
            client.send_email_notification(
                email_address=message.to,
                template_id=settings.NOTIFY_TEMPLATE_ID,
                personalisation={"subject": message.subject, "body": message.body_text},
                reference=str(message.message_id),
            )
        except HTTPError as error:
            raise TransportError(f"Notify: {error.status_code} {error.message}") from error
        except OSError as error:
            raise TransportError(f"Notify: {error}") from error


class MailboxTransport:
    """Keeps the message in the database for the demo's mailbox page."""

    def send(self, message: OutboxMessage) -> None:
        MailboxMessage.objects.update_or_create(
            outbox_message=message,
            defaults={
                "to": message.to,
                "subject": message.subject,
                "body_text": message.body_text,
                "body_html": message.body_html,
                "attachment_names": [a["filename"] for a in message.attachments],
            },
        )


TRANSPORTS = {"smtp": SmtpTransport, "notify": NotifyTransport, "mailbox": MailboxTransport}


def get_transport() -> Transport:
    return TRANSPORTS[settings.HUB_EMAIL_TRANSPORT]()
