"""The transactional outbox: every e-mail the hub sends is first a row here."""

from __future__ import annotations

import uuid

from django.db import models


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Gave up"


class OutboxMessage(models.Model):
    """An e-mail written in the same transaction as the change that causes it.

    The worker claims it, hands it to the transport and marks it sent. `message_id`
    is stable, so a retry after a crash between "accepted by the mail server" and
    "marked sent" carries the same Message-ID and the receiving server can drop the copy.
    """

    message_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    to = models.EmailField()
    subject = models.CharField(max_length=250)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    attachments = models.JSONField(
        default=list, blank=True, help_text="[{filename, content_type, content_b64}]: small files such as .ics"
    )
    headers = models.JSONField(default=dict, blank=True)
    purpose = models.CharField(max_length=80, blank=True, help_text="What kind of mail, for the mailbox and logs")
    status = models.CharField(max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx")]

    def __str__(self) -> str:
        return f"{self.purpose or 'mail'} to {self.to} ({self.status})"


class MailboxMessage(models.Model):
    """A delivered message kept for reading in the demo (the `mailbox` transport)."""

    outbox_message = models.OneToOneField(OutboxMessage, on_delete=models.CASCADE, related_name="mailbox_copy")
    to = models.EmailField()
    subject = models.CharField(max_length=250)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    attachment_names = models.JSONField(default=list, blank=True)
    delivered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-delivered_at", "-id"]

    def __str__(self) -> str:
        return f"{self.subject} to {self.to}"
