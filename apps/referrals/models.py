"""Partner forms: submissions with their references, drafts, attachments, triage and the API's tokens.

One `Submission` model holds every form type. What the partner answered is kept as validated
structured data in `answers` (one object per step of the form, validated by that step's Django
form, see questions/); the columns the queues filter and sort on are typed.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class FormType(models.TextChoices):
    MISSING_PERSON = "missing_person", "Missing person report"
    PERSON_RETURNED = "person_returned", "Missing person returned"
    MISSING_PERSON_UPDATE = "missing_person_update", "Further information about a missing person"
    MHA_ASSESSMENT = "mha_assessment", "Request for help with a Mental Health Act assessment"
    WELFARE_CHECK = "welfare_check", "Welfare check request"
    COMMUNITY_INTELLIGENCE = "community_intelligence", "Community partner intelligence"
    TARGETED_INTERVENTION = "targeted_intervention", "Request for Targeted Intervention Service support"


class Urgency(models.TextChoices):
    URGENT = "urgent", "Urgent"
    STANDARD = "standard", "Standard"


class Status(models.TextChoices):
    NEW = "new", "New"
    IN_PROGRESS = "in_progress", "In progress"
    MORE_INFORMATION_REQUESTED = "more_information_requested", "More information requested"
    ACTIONED = "actioned", "Actioned"
    CLOSED = "closed", "Closed"
    DECLINED = "declined", "Declined"
    PASSED_ON = "passed_on", "Passed to another team"


OPEN_STATUSES = (Status.NEW, Status.PASSED_ON, Status.IN_PROGRESS, Status.MORE_INFORMATION_REQUESTED)


class SourceGrade(models.TextChoices):
    """3x5x2: how reliable the source is."""

    RELIABLE = "1", "1: reliable"
    UNTESTED = "2", "2: untested"
    NOT_RELIABLE = "3", "3: not reliable"


class IntelligenceGrade(models.TextChoices):
    """3x5x2: how the intelligence is assessed."""

    A = "A", "A: known directly to the source"
    B = "B", "B: known indirectly to the source but corroborated"
    C = "C", "C: known indirectly to the source"
    D = "D", "D: not known"
    E = "E", "E: suspected to be false"


class HandlingCode(models.TextChoices):
    """3x5x2: who the intelligence may be shared with."""

    SHARING_PERMITTED = "1", "1 (P): lawful sharing permitted"
    SHARING_WITH_CONDITIONS = "2", "2 (C): lawful sharing permitted with conditions"


class ReferenceSequence(models.Model):
    """The last number given to a form's prefix in a year. Taken under the row's lock, so no two are alike."""

    prefix = models.CharField(max_length=3)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="reference_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.prefix} {self.year}: {self.last_number}"


class ApiToken(models.Model):
    """A partner system's key to the API, for one organisation. Only the SHA-256 of the secret is kept."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(max_length=120, help_text="Which system uses it, for example 'Case management'")
    contact_email = models.EmailField(help_text="Where receipts for this system's submissions are sent")
    prefix = models.CharField(max_length=12, help_text="The start of the token, to tell tokens apart")
    secret_hash = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation__name", "-issued_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation.name})"

    def audit_label(self) -> str:
        return f"API token {self.prefix} of {self.organisation.name}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Submission(models.Model):
    """One form sent by a partner: its reference, who sent it, where it went, and where it stands."""

    reference = models.CharField(max_length=24, unique=True)
    form_type = models.CharField(max_length=32, choices=FormType.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="submissions"
    )
    submitted_through = models.ForeignKey(
        ApiToken, on_delete=models.PROTECT, null=True, blank=True, related_name="submissions"
    )
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="submissions")
    receipt_email = models.EmailField()
    follows = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="follow_ups", help_text="The original"
    )
    answers = models.JSONField(default=dict)
    urgency = models.CharField(max_length=16, choices=Urgency.choices, default=Urgency.STANDARD)
    status = models.CharField(max_length=32, choices=Status.choices, default=Status.NEW)
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="submissions")
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    declared_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)
    decline_reason = models.TextField(blank=True)
    source_grade = models.CharField(max_length=1, choices=SourceGrade.choices, blank=True)
    intelligence_grade = models.CharField(max_length=1, choices=IntelligenceGrade.choices, blank=True)
    handling_code = models.CharField(max_length=1, choices=HandlingCode.choices, blank=True)
    handling_conditions = models.TextField(blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    graded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["team", "status", "submitted_at"], name="referrals_queue_idx"),
            models.Index(fields=["submitted_by", "submitted_at"], name="referrals_submitter_idx"),
            models.Index(fields=["organisation", "submitted_at"], name="referrals_org_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(submitted_by__isnull=False) | Q(submitted_through__isnull=False),
                name="submission_has_a_sender",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""), name="declined_submission_has_a_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("referrals:submission", kwargs={"reference": self.reference})

    def audit_label(self) -> str:
        return f"{self.reference} ({self.get_form_type_display()})"

    def get_item_url(self) -> str:
        return reverse("referrals:item", kwargs={"slug": self.team.slug, "reference": self.reference})

    @property
    def is_open(self) -> bool:
        """Not finished: the team can still claim it or ask the sender for more."""
        return self.status in OPEN_STATUSES

    @property
    def is_graded(self) -> bool:
        return bool(self.source_grade and self.intelligence_grade and self.handling_code)

    @property
    def grading(self) -> str:
        return f"{self.source_grade}{self.intelligence_grade}{self.handling_code}" if self.is_graded else ""


class Draft(models.Model):
    """Answers kept on the server while a partner fills a form in, so they can come back later."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="form_drafts")
    form_type = models.CharField(max_length=32, choices=FormType.choices)
    answers = models.JSONField(default=dict, help_text="{step: answers that passed the step's checks}")
    unchecked = models.JSONField(default=dict, help_text="{step: what was typed, kept by 'save and come back later'}")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submission = models.OneToOneField(
        Submission, on_delete=models.SET_NULL, null=True, blank=True, related_name="draft"
    )

    class Meta:
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["owner", "updated_at"], name="referrals_draft_owner_idx")]

    def __str__(self) -> str:
        return f"Draft {self.get_form_type_display()}"

    def audit_label(self) -> str:
        return f"Draft {self.get_form_type_display()}"


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", "Photo"
    DOCUMENT = "document", "Attachment"


class Attachment(models.Model):
    """An uploaded photo or file, stored outside the web root and served only through a checked view."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    draft = models.ForeignKey(Draft, on_delete=models.SET_NULL, null=True, blank=True, related_name="attachments")
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    kind = models.CharField(max_length=16, choices=AttachmentKind.choices)
    step = models.CharField(max_length=40)
    field = models.CharField(max_length=40)
    stored_name = models.CharField(max_length=100, unique=True)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("referrals:attachment", kwargs={"pk": self.pk})

    def audit_label(self) -> str:
        return f"{self.get_kind_display()} {self.id}"


class StatusChange(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=32, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=32, choices=Status.choices)
    from_team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, null=True, related_name="+")
    to_team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, null=True, related_name="+")
    reason = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.submission} {self.from_status} -> {self.to_status}"


class InternalNote(models.Model):
    """A receiving team's note on an item. The submitter never sees these."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="internal_notes")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["written_at", "pk"]

    def __str__(self) -> str:
        return f"Note on {self.submission}"


class InformationRequest(models.Model):
    """A receiving team asks the submitter for more; the submitter answers in the hub."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="information_requests")
    question = models.TextField()
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    asked_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(answer=""), name="answered_request_has_an_answer"
            )
        ]

    def __str__(self) -> str:
        return f"Question on {self.submission}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class RoutingRule(models.Model):
    """Sends a form type, and where wanted one answer (such as urgency), to a receiving team.

    The rule that names an answer wins over the form type's plain rule.
    """

    form_type = models.CharField(max_length=32, choices=FormType.choices)
    answer_key = models.CharField(max_length=40, blank=True)
    answer_value = models.CharField(max_length=60, blank=True)
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="routing_rules")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["form_type", "answer_key", "answer_value"]
        constraints = [
            models.UniqueConstraint(
                fields=["form_type", "answer_key", "answer_value"], name="routing_rule_unique_condition"
            ),
            models.CheckConstraint(
                condition=(Q(answer_key="") & Q(answer_value="")) | (~Q(answer_key="") & ~Q(answer_value="")),
                name="routing_rule_answer_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_form_type_display()} -> {self.team.name}"

    def audit_label(self) -> str:
        condition = f" when {self.answer_key} is {self.answer_value}" if self.answer_key else ""
        return f"{self.get_form_type_display()}{condition} to {self.team.name}"[:200]


class IdempotencyKey(models.Model):
    """An API request's Idempotency-Key: the same key and body get the first answer again."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, null=True, related_name="+")
    response_status = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "key"], name="idempotency_key_unique")]

    def __str__(self) -> str:
        return self.key
