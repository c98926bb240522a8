"""The one writer of the audit trail, and its verification."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from apps.core.after_response import after_commit_and_response
from apps.core.middleware import current_request_id

from .models import GENESIS_HASH, AuditAction, AuditChainHead, AuditEntry


def client_ip(request: Any) -> str | None:
    # REMOTE_ADDR is set by the WSGI server; behind a proxy, the deployment sets it from
    # X-Forwarded-For at the proxy boundary (see README), never from client headers here.
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def describe(obj: models.Model) -> tuple[str, str, str]:
    """The object's type, id and a label that is safe to keep (`audit_label` if the model has one)."""
    label_of = getattr(obj, "audit_label", None)
    label = label_of() if callable(label_of) else (label_of if isinstance(label_of, str) else "")
    return obj._meta.label_lower, str(obj.pk), label[:200]


def record(
    *,
    action: AuditAction | str,
    actor: Any = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_label: str = "",
    reason: str = "",
    detail: str = "",
    request: Any = None,
    actor_label: str = "",
) -> AuditEntry:
    """Append one entry. Runs inside the caller's transaction, so the entry commits with the change.

    On PostgreSQL the entry is written without the chain's lock, its sequence and hashes empty, and joins
    the chain after it commits (`chain_pending`); on SQLite, whose writers queue anyway, it joins at once."""
    if request is not None and actor is None:
        actor = getattr(request, "user", None)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if obj is not None:
        object_type, object_id, label = describe(obj)
        object_label = object_label or label
    organisation = getattr(actor, "organisation", None) if actor is not None else None
    entry = AuditEntry(
        occurred_at=timezone.now(),
        actor_id=actor.pk if actor is not None else None,
        actor_label=(actor.email if actor is not None else actor_label)[:254],
        organisation_id=organisation.pk if organisation is not None else None,
        organisation_label=organisation.name if organisation is not None else "",
        action=str(action),
        object_type=object_type,
        object_id=str(object_id)[:64],
        object_label=object_label[:200],
        reason=reason,
        detail=detail,
        request_id=getattr(request, "request_id", None) or _current_request_id(),
        ip_address=client_ip(request),
    )
    if chains_after_commit():
        entry.save(force_insert=True)
        # Joined to the chain once committed and the response is sent; a failure leaves it to the sweep.
        after_commit_and_response(chain_soon)
        return entry
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
        _link(entry, head)
        entry.save(force_insert=True)
        AuditChainHead.objects.filter(id=1).update(sequence=head.sequence, entry_hash=head.entry_hash)
    return entry


def chains_after_commit() -> bool:
    return connection.vendor == "postgresql" and settings.AUDIT_CHAIN_AFTER_COMMIT


def _link(entry: AuditEntry, head: AuditChainHead) -> None:
    """Make `entry` the next link after `head`, and move `head` (in memory) onto it."""
    entry.sequence = head.sequence + 1
    entry.previous_hash = head.entry_hash
    entry.entry_hash = entry.compute_hash()
    head.sequence, head.entry_hash = entry.sequence, entry.entry_hash


_last_chained = [float("-inf")]  # when this process last chained (time.monotonic)


def chain_soon() -> int:
    """Chain what is waiting, unless this process did so less than `AUDIT_CHAIN_AT_MOST_EVERY` seconds ago.

    Chaining joins every entry waiting, whoever wrote it, and costs six round trips. A write that comes a
    while after this process's last one chains at once, so with writes seconds apart every entry joins the
    chain as soon as its response is sent. In a burst each process chains at most once a second, joining
    the burst's entries so far, and the last few wait for the next chaining anywhere or the sweep."""
    now = time.monotonic()
    if now - _last_chained[0] < settings.AUDIT_CHAIN_AT_MOST_EVERY:
        return 0
    _last_chained[0] = now
    return chain_pending()


# Any fixed number: the key of the PostgreSQL advisory lock held by whoever is chaining.
CHAIN_LOCK = 0x61756469  # "audi"


def chain_pending(*, wait: bool = False, batch_size: int = 500) -> int:
    """Join entries written without the chain's lock to the chain, oldest id first; returns how many.

    Runs after each commit that wrote an entry, and from the periodic sweep. It never waits unless told to:
    if another process holds the chaining lock, that process (or the sweep) chains these entries too. The
    only change the database lets anyone make to an entry is this one: filling in the sequence and hashes
    of an entry that has none yet."""
    if not chains_after_commit():
        return 0
    chained = 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            if wait:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
            else:
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [CHAIN_LOCK])
                if not cursor.fetchone()[0]:
                    return 0
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
        while True:
            # Entries committed while this runs are seen by the next read, so few are left to the sweep.
            pending = list(AuditEntry.objects.filter(entry_hash__isnull=True).order_by("id")[:batch_size])
            if not pending:
                break
            for entry in pending:
                _link(entry, head)
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE audit_auditentry AS e SET sequence = v.sequence, previous_hash = v.previous_hash,"
                    " entry_hash = v.entry_hash"
                    " FROM unnest(%s::bigint[], %s::bigint[], %s::text[], %s::text[])"
                    " AS v (id, sequence, previous_hash, entry_hash) WHERE e.id = v.id AND e.entry_hash IS NULL",
                    [
                        [e.pk for e in pending],
                        [e.sequence for e in pending],
                        [e.previous_hash for e in pending],
                        [e.entry_hash for e in pending],
                    ],
                )
                if cursor.rowcount != len(pending):  # nothing else chains under this lock: never expected
                    raise RuntimeError("audit entries changed while they were being chained")
            chained += len(pending)
        if chained:
            AuditChainHead.objects.filter(id=1).update(sequence=head.sequence, entry_hash=head.entry_hash)
    return chained


def _current_request_id() -> str:
    value = current_request_id.get()
    return "" if value == "-" else value


@dataclass(frozen=True)
class ChainBreak:
    sequence: int
    entry_id: int | None
    problem: str

    def __str__(self) -> str:
        where = f"Audit entry #{self.sequence}" + (f" (id {self.entry_id})" if self.entry_id else "")
        return f"{where}: {self.problem}"


def verify_chain(batch_size: int = 5000) -> tuple[int, ChainBreak | None]:
    """Chain what is pending, then walk the whole chain in order. Returns (entries checked, first break or None)."""
    chain_pending(wait=True)
    expected_previous = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    for entry in _entries_in_order(batch_size):
        if entry.sequence != expected_sequence:
            return checked, ChainBreak(
                expected_sequence, None, f"is missing (the next entry found is #{entry.sequence})"
            )
        if entry.previous_hash != expected_previous:
            return checked, ChainBreak(
                entry.sequence, entry.pk, "does not follow the entry before it (previous hash differs)"
            )
        if entry.compute_hash() != entry.entry_hash:
            return checked, ChainBreak(entry.sequence, entry.pk, "was changed after it was written (hash differs)")
        expected_previous = entry.entry_hash
        expected_sequence += 1
        checked += 1
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None and (head.sequence != checked or head.entry_hash != expected_previous):
        return checked, ChainBreak(
            checked + 1, None, f"is missing: the chain should run to #{head.sequence} but ends at #{checked}"
        )
    return checked, None


def _entries_in_order(batch_size: int) -> Iterator[AuditEntry]:
    last = 0
    while True:
        batch = list(AuditEntry.objects.filter(sequence__gt=last).order_by("sequence")[:batch_size])
        if not batch:
            return
        yield from batch
        last = batch[-1].sequence
