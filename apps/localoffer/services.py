"""Every change to the local offer: one transaction, with its audit entry."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.permissions import require
from apps.audit.models import AuditAction
from apps.audit.services import record as audit

from .models import ServiceIssue, ServiceStatus, SupportService

FIELDS = (
    "name",
    "provider",
    "summary",
    "description",
    "who_for",
    "min_age",
    "max_age",
    "for_parents",
    "area",
    "how_to_refer",
    "referral_url",
    "phone",
    "email",
    "website",
    "address",
    "opening_times",
    "eligibility_notes",
)


class LocalOfferRefused(Exception):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _check(data: dict) -> None:
    low, high = data.get("min_age"), data.get("max_age")
    if low is not None and high is not None and low > high:
        raise LocalOfferRefused("The youngest age must be the same as or lower than the oldest age", "max_age")


def _set_issues(service: SupportService, issues: list[str]) -> None:
    service.issues.exclude(issue__in=issues).delete()
    have = set(service.issues.values_list("issue", flat=True))
    ServiceIssue.objects.bulk_create(
        [ServiceIssue(service=service, issue=issue) for issue in sorted(set(issues) - have)]
    )


def add_service(*, data: dict, issues: list[str], by: User, request: Any = None) -> SupportService:
    require(by, "localoffer.manage_services")
    _check(data)
    with transaction.atomic():
        service = SupportService.objects.create(
            **{name: data[name] for name in FIELDS if name in data},
            created_by=by,
            updated_by=by,
        )
        _set_issues(service, issues)
        audit(action=AuditAction.CREATE, actor=by, obj=service, request=request)
    return service


def change_service(
    *, service: SupportService, data: dict, issues: list[str], by: User, request: Any = None
) -> SupportService:
    require(by, "localoffer.manage_services")
    _check(data)
    with transaction.atomic():
        service = SupportService.objects.select_for_update().get(pk=service.pk)
        changed = [name for name in FIELDS if name in data and getattr(service, name) != data[name]]
        for name in changed:
            setattr(service, name, data[name])
        before = set(service.issues.values_list("issue", flat=True))
        if set(issues) != before:
            changed.append("issues")
        service.updated_by = by
        service.save()
        _set_issues(service, issues)
        audit(
            action=AuditAction.CHANGE,
            actor=by,
            obj=service,
            request=request,
            detail="changed: " + (", ".join(changed) if changed else "nothing"),
        )
    return service


def withdraw_service(*, service: SupportService, reason: str, by: User, request: Any = None) -> SupportService:
    require(by, "localoffer.manage_services")
    if not reason.strip():
        raise LocalOfferRefused("Enter why the service is being withdrawn", "reason")
    with transaction.atomic():
        service = SupportService.objects.select_for_update().get(pk=service.pk)
        if service.status == ServiceStatus.WITHDRAWN:
            raise LocalOfferRefused("This service has already been withdrawn")
        service.status = ServiceStatus.WITHDRAWN
        service.withdrawn_reason = reason.strip()
        service.withdrawn_at = timezone.now()
        service.updated_by = by
        service.save()
        audit(action=AuditAction.CHANGE, actor=by, obj=service, request=request, detail="withdrawn", reason=reason)
    return service


def relist_service(*, service: SupportService, by: User, request: Any = None) -> SupportService:
    require(by, "localoffer.manage_services")
    with transaction.atomic():
        service = SupportService.objects.select_for_update().get(pk=service.pk)
        if service.status == ServiceStatus.LISTED:
            raise LocalOfferRefused("This service is already listed")
        service.status = ServiceStatus.LISTED
        service.withdrawn_reason = ""
        service.withdrawn_at = None
        service.updated_by = by
        service.save()
        audit(action=AuditAction.CHANGE, actor=by, obj=service, request=request, detail="listed again")
    return service
