"""Every change to the document library: documents, versions and subscriptions.

Each function validates, writes in one transaction, writes its audit entry and queues its
e-mail through the outbox in that same transaction.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import defaultdict
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.text import slugify

from apps.audit.models import AuditAction
from apps.audit.services import record
from apps.notifications.services import queue_email, render_email

from .models import Document, DocumentCategory, DocumentVersion, Subscription
from .rate_limits import take_subscribe_request
from .subscription_links import (
    CONFIRM_WITHIN,
    LinkNotValid,
    confirm_url,
    read_confirm_token,
    read_unsubscribe_token,
    unsubscribe_url,
)
from .uploads import UploadRefused, check_upload

LABEL_PATTERN = re.compile(r"^\d{1,4}(\.\d{1,4}){0,3}$")
# Addresses under /documents/ that a document's slug must not take.
RESERVED_SLUGS = {"new", "category", "subscriptions"}


class NotAccepted(Exception):
    """Input a user can fix. `field` names the form field the message belongs to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _label_key(label: str) -> tuple[int, ...]:
    return tuple(int(part) for part in label.split("."))


def _check_label(document: Document, label: str) -> None:
    if not LABEL_PATTERN.match(label):
        raise NotAccepted("label", "Enter the version number as numbers separated by full stops, like 1.0 or 1.1")
    if document.versions.filter(label=label).exists():
        raise NotAccepted("label", f"Version {label} already exists. Enter the number of the new version")
    latest = document.latest_version
    if latest is not None and _label_key(label) <= _label_key(latest.label):
        raise NotAccepted("label", f"The version number must be higher than {latest.label}, the latest version")


def publish_version(
    *,
    document: Document,
    file: IO[bytes],
    label: str,
    change_note: str,
    by: Any,
    published_at: dt.datetime | None = None,
) -> DocumentVersion:
    """Publish a new file of the document. It becomes the latest version; confirmed subscribers are told."""
    label, change_note = label.strip(), change_note.strip()
    if not change_note:
        raise NotAccepted("change_note", "Enter what changed in this version")
    try:
        checked = check_upload(file)
    except UploadRefused as refused:
        raise NotAccepted("file", refused.message) from refused
    uploader = by if getattr(by, "is_authenticated", False) else None
    with transaction.atomic():
        # Lock the document so two versions published at once get different numbers.
        locked = Document.objects.select_for_update().get(pk=document.pk)
        _check_label(locked, label)
        number = (locked.versions.aggregate(highest=Max("number"))["highest"] or 0) + 1
        version = DocumentVersion(
            document=locked,
            number=number,
            label=label,
            change_note=change_note,
            published_at=published_at or timezone.now(),
            uploaded_by=uploader,
            original_filename=os.path.basename(getattr(file, "name", "") or "")[:255],
            file_size=checked.size,
            content_type=checked.kind.content_type,
            sha256=checked.sha256,
        )
        version.file.save(f"{checked.sha256[:2]}/{checked.sha256}.{checked.kind.extension}", file, save=False)
        version.save()
        locked.latest_version = version
        locked.save(update_fields=["latest_version", "updated_at"])
        record(
            action=AuditAction.CREATE,
            actor=uploader,
            obj=version,
            detail=f"Published version {label}: {checked.kind.description}, {checked.size} bytes, "
            f"sha256 {checked.sha256}",
        )
        if locked.published:
            _tell_subscribers(version)
    document.latest_version = version
    return version


def unique_slug(title: str) -> str:
    base = slugify(title)[:180] or "document"
    if base in RESERVED_SLUGS:
        base = f"{base}-document"
    slug, n = base, 2
    while Document.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_document(
    *,
    title: str,
    category: str,
    summary: str,
    file: IO[bytes],
    label: str,
    change_note: str,
    by: Any,
    published: bool = True,
    published_at: dt.datetime | None = None,
) -> Document:
    """A new document with its first version. Nothing is created if the file is refused."""
    title, summary = title.strip(), summary.strip()
    if not title:
        raise NotAccepted("title", "Enter the document's title")
    if category not in DocumentCategory.values:
        raise NotAccepted("category", "Select the kind of document")
    with transaction.atomic():
        document = Document.objects.create(
            title=title, slug=unique_slug(title), category=category, summary=summary, published=published
        )
        record(action=AuditAction.CREATE, actor=by, obj=document)
        publish_version(
            document=document, file=file, label=label, change_note=change_note, by=by, published_at=published_at
        )
    return document


# --- Subscriptions ------------------------------------------------------------------------------


def _queue(*, to: str, template: str, context: dict, purpose: str, unsubscribe: str) -> None:
    subject, text, html = render_email(template, {**context, "unsubscribe_url": unsubscribe})
    queue_email(
        to=to,
        subject=subject,
        body_text=text,
        body_html=html,
        purpose=purpose,
        # One-click unsubscribe (RFC 8058) from the mail program's own button.
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )


def request_subscription(
    *, email: str, document: Document | None = None, category: str = "", ip: str | None = None
) -> None:
    """Someone asked for e-mails about a document or a category: send a link to confirm.

    The answer is the same whether or not the address is already subscribed; only the
    address's owner learns which (from the e-mail). Raises TooManyRequests past the limits.
    """
    email = email.strip().lower()
    if (document is None) == (not category):
        raise ValueError("subscribe to a document or to a category, not both")
    take_subscribe_request(email=email, ip=ip)
    target = (
        {"document": document, "category": ""} if document is not None else {"document": None, "category": category}
    )
    with transaction.atomic():
        subscription = Subscription.objects.filter(email=email, **target).first()
        if subscription is None:
            try:
                with transaction.atomic():
                    subscription = Subscription.objects.create(email=email, **target)
            except IntegrityError:  # the same request twice at once
                subscription = Subscription.objects.get(email=email, **target)
            else:
                record(action=AuditAction.CREATE, obj=subscription, actor_label="member of the public")
        context = {"subscription": subscription, "subject": subscription.subject, "document": document}
        if subscription.confirmed_at:
            _queue(
                to=email,
                template="documents/email/already_subscribed",
                context=context,
                purpose="documents: already subscribed",
                unsubscribe=unsubscribe_url(subscription),
            )
        else:
            _queue(
                to=email,
                template="documents/email/confirm_subscription",
                context={**context, "confirm_url": confirm_url(subscription), "confirm_days": CONFIRM_WITHIN.days},
                purpose="documents: confirm subscription",
                unsubscribe=unsubscribe_url(subscription),
            )


def confirm_subscription(*, token: str) -> Subscription:
    """The address's owner followed the link in the confirmation e-mail. Safe to follow twice."""
    pk, key = read_confirm_token(token)
    with transaction.atomic():
        subscription = Subscription.objects.select_related("document").filter(pk=pk, key=key).first()
        if subscription is None:
            raise LinkNotValid
        if subscription.confirmed_at is None:
            subscription.confirmed_at = timezone.now()
            subscription.save(update_fields=["confirmed_at"])
            record(action=AuditAction.CHANGE, obj=subscription, detail="confirmed", actor_label="member of the public")
    return subscription


def unsubscribe(*, token: str) -> Subscription | None:
    """Forget the subscription (and the address with it). None if it was already gone."""
    pk, key = read_unsubscribe_token(token)
    with transaction.atomic():
        subscription = Subscription.objects.select_related("document").filter(pk=pk, key=key).first()
        if subscription is None:
            return None
        record(action=AuditAction.DELETE, obj=subscription, actor_label="member of the public")
        subscription.delete()
    return subscription


def forget_unconfirmed_subscriptions(*, now: dt.datetime | None = None) -> int:
    """Unconfirmed subscriptions whose link has expired hold an address nobody vouched for: delete them."""
    cutoff = (now or timezone.now()) - CONFIRM_WITHIN
    deleted, _ = Subscription.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff).delete()
    return deleted


def _tell_subscribers(version: DocumentVersion) -> None:
    """One e-mail per confirmed address, even if it subscribed to the document and to its category."""
    document = version.document
    subscriptions = (
        Subscription.objects.filter(confirmed_at__isnull=False)
        .filter(Q(document=document) | Q(category=document.category))
        .select_related("document")
        .order_by("email", "category", "pk")  # the document's own subscription ("" category) first
    )
    by_address: dict[str, list[Subscription]] = defaultdict(list)
    for subscription in subscriptions:
        by_address[subscription.email].append(subscription)
    for email, theirs in by_address.items():
        links = [(subscription.subject, unsubscribe_url(subscription)) for subscription in theirs]
        _queue(
            to=email,
            template="documents/email/new_version",
            context={"document": document, "version": version, "unsubscribe_links": links},
            purpose="documents: new version",
            unsubscribe=links[0][1],
        )
