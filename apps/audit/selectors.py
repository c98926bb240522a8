"""Reads of the audit trail (system admins only; the view checks)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from apps.core.dates import LONDON

from .models import AuditEntry


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""
    organisation: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def describe(self) -> str:
        parts = [f"{name}={value}" for name, value in self.__dict__.items() if value not in ("", None)]
        return "; ".join(parts) or "no filters"


def search_entries(filters: AuditFilters) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.order_by("-sequence")
    if filters.actor:
        entries = entries.filter(actor_label__icontains=filters.actor)
    if filters.organisation:
        entries = entries.filter(organisation_label__icontains=filters.organisation)
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.object_type:
        entries = entries.filter(object_type__icontains=filters.object_type)
    if filters.object_id:
        entries = entries.filter(object_id=filters.object_id)
    if filters.date_from:
        entries = entries.filter(occurred_at__gte=_start_of(filters.date_from))
    if filters.date_to:
        entries = entries.filter(occurred_at__lt=_start_of(filters.date_to + dt.timedelta(days=1)))
    return entries


def _start_of(day: dt.date) -> dt.datetime:
    """Midnight in London, so a search for a day means the day people lived, in GMT or BST."""
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=LONDON)
