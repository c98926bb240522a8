"""The local offer: a directory of support services that practitioners and families can be pointed to.

A `SupportService` says who provides it, for whom (ages, needs, area), how to refer and how to get in touch.
Each is tagged with the family issues behind school absence that it helps with (`FamilyIssue`), so an
attendance case or an early help plan can link straight to the services for that issue (`?issue=<slug>`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse


class FamilyIssue(models.TextChoices):
    """The family issues of the DfE's "Working together to improve school attendance", and attendance itself.
    The values are the slugs other apps link with: never rename one."""

    HOUSING = "housing", "Housing"
    PARENTAL_MENTAL_HEALTH = "parental-mental-health", "Parental mental health"
    FINANCIAL = "financial-challenges", "Financial challenges"
    EMPLOYMENT = "parental-employment", "Parental employment"
    OTHER_NEEDS = "other-family-needs", "Other family needs"
    ATTENDANCE = "attendance-barriers", "Barriers to school attendance"


class ServiceStatus(models.TextChoices):
    LISTED = "listed", "Listed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class SupportService(models.Model):
    name = models.CharField(max_length=200)
    provider = models.CharField(max_length=200, help_text="Who runs it.")
    summary = models.CharField(max_length=300, help_text="One sentence shown in the list.")
    description = models.TextField(help_text="What the service does.")
    who_for = models.TextField(help_text="Who it is for: needs, circumstances.")
    min_age = models.PositiveSmallIntegerField(null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(null=True, blank=True)
    for_parents = models.BooleanField(default=False, help_text="Also or only for parents and carers.")
    area = models.CharField(max_length=200, help_text="Where it is offered, for example City of York.")
    how_to_refer = models.TextField()
    referral_url = models.URLField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    address = models.CharField(max_length=300, blank=True)
    opening_times = models.TextField(blank=True)
    eligibility_notes = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=ServiceStatus.choices, default=ServiceStatus.LISTED)
    withdrawn_reason = models.TextField(blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["status", "name"], name="localoffer_status_name_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_age__isnull=True) | Q(max_age__isnull=True) | Q(min_age__lte=models.F("max_age")),
                name="localoffer_ages_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | (Q(withdrawn_at__isnull=False) & ~Q(withdrawn_reason="")),
                name="localoffer_withdrawn_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("localoffer:service", kwargs={"pk": self.pk})

    def audit_label(self) -> str:
        return f"Local offer service {self.pk}: {self.name}"

    @property
    def is_listed(self) -> bool:
        return self.status == ServiceStatus.LISTED

    @property
    def ages(self) -> str:
        if self.min_age is None and self.max_age is None:
            return "Any age"
        if self.max_age is None:
            return f"{self.min_age} and over"
        if self.min_age is None or self.min_age == 0:
            return f"Up to {self.max_age}"
        return f"{self.min_age} to {self.max_age}"

    @property
    def issue_labels(self) -> list[str]:
        return [FamilyIssue(row.issue).label for row in self.issues.all()]


class ServiceIssue(models.Model):
    """One family issue a service helps with."""

    service = models.ForeignKey(SupportService, on_delete=models.CASCADE, related_name="issues")
    issue = models.CharField(max_length=32, choices=FamilyIssue.choices)

    class Meta:
        ordering = ["issue"]
        constraints = [models.UniqueConstraint(fields=["service", "issue"], name="localoffer_one_issue_each")]

    def __str__(self) -> str:
        return self.get_issue_display()
