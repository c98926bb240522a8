"""Reads of the local offer. The public sees listed services only; the business unit sees withdrawn ones too."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from apps.accounts.permissions import can

from .models import ServiceStatus, SupportService


@dataclass(frozen=True)
class OfferFilters:
    q: str = ""
    issue: str = ""
    age: int | None = None
    area: str = ""
    for_parents: bool = False


def listed_services(filters: OfferFilters | None = None) -> QuerySet[SupportService]:
    filters = filters or OfferFilters()
    services = SupportService.objects.filter(status=ServiceStatus.LISTED)
    for word in filters.q.split()[:10]:
        services = services.filter(
            Q(name__icontains=word)
            | Q(provider__icontains=word)
            | Q(summary__icontains=word)
            | Q(description__icontains=word)
            | Q(who_for__icontains=word)
            | Q(area__icontains=word)
        )
    if filters.issue:
        services = services.filter(issues__issue=filters.issue)
    if filters.age is not None:
        services = services.filter(Q(min_age__isnull=True) | Q(min_age__lte=filters.age)).filter(
            Q(max_age__isnull=True) | Q(max_age__gte=filters.age)
        )
    if filters.area:
        services = services.filter(area=filters.area)
    if filters.for_parents:
        services = services.filter(for_parents=True)
    return services.prefetch_related("issues").distinct().order_by("name", "pk")


def areas() -> list[str]:
    return list(
        SupportService.objects.filter(status=ServiceStatus.LISTED)
        .order_by("area")
        .values_list("area", flat=True)
        .distinct()
    )


def service_for(user: Any, pk: Any) -> SupportService:
    """A listed service for anyone; a withdrawn one only for those who manage the local offer."""
    service = SupportService.objects.prefetch_related("issues").filter(pk=pk).first() if str(pk).isdigit() else None
    if service is None or (not service.is_listed and not can(user, "localoffer.manage_services")):
        raise Http404("No such service")
    return service


def all_services() -> QuerySet[SupportService]:
    return SupportService.objects.prefetch_related("issues").order_by("status", "name", "pk")
