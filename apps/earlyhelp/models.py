"""The early help record: a family, its people, consent, the Early Help Assessment, the team around the
family, the plan and its reviews, step up and down, closure, and the chronology.

A `Family` is one household's early help record. Everything else hangs from it, so the access rule
(`rules.py`) is asked about the family and answers for everything on it. Rows are changed only by
`services.py`, each change in one transaction with its chronology entry, audit entry and e-mail.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Labelled(models.Model):
    """Shown by the label the audit trail keeps: a reference, never a child's details."""

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.audit_label()

    def audit_label(self) -> str:
        return f"{self._meta.verbose_name.capitalize()} {self.pk}"


class Outcome(models.TextChoices):
    """The ten headline outcomes of the national Supporting Families Outcome Framework."""

    EDUCATION = "education", "Getting a good education"
    EARLY_YEARS = "early_years", "Good early years development"
    HEALTH = "health", "Improved mental and physical health"
    SUBSTANCE_USE = "substance_use", "Promoting recovery and reducing harm from substance use"
    FAMILY_RELATIONSHIPS = "family_relationships", "Improved family relationships"
    SAFETY = "safety", "Children safe from abuse and exploitation"
    CRIME = "crime", "Crime prevention and tackling crime"
    DOMESTIC_ABUSE = "domestic_abuse", "Safe from domestic abuse"
    HOUSING = "housing", "Secure housing"
    FINANCIAL = "financial", "Financial stability"


class FamilyStatus(models.TextChoices):
    DRAFT = "draft", "Assessment in progress"
    OPEN = "open", "Open: plan in place"
    STEPPED_UP = "stepped_up", "Stepped up"
    CLOSED = "closed", "Closed"


class ClosureReason(models.TextChoices):
    OUTCOMES_ACHIEVED = "outcomes_achieved", "Outcomes achieved"
    UNIVERSAL_SERVICES = "universal_services", "Needs met by universal services"
    CONSENT_WITHDRAWN = "consent_withdrawn", "Family withdrew consent"
    MOVED_AWAY = "moved_away", "Moved out of area"
    STEPPED_UP = "stepped_up", "Stepped up"
    OTHER = "other", "Other"


class Family(models.Model):
    """One household's early help record."""

    name = models.CharField(max_length=200, help_text="How the family is known, for example 'the Avery family'.")
    status = models.CharField(max_length=16, choices=FamilyStatus.choices, default=FamilyStatus.DRAFT)
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="families_led")
    lead_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", help_text="The lead's agency."
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    postcode = models.CharField(max_length=10, blank=True, help_text="The household's postcode, for searching.")
    no_consent_basis = models.TextField(
        blank=True, help_text="Where the record is kept without consent: the lawful basis, in the lead's words."
    )
    review_interval_days = models.PositiveSmallIntegerField(default=42)
    next_review_on = models.DateField(null=True, blank=True, db_index=True)
    review_reminder_sent_for = models.DateField(
        null=True, blank=True, help_text="The review date the lead has been reminded of (sent once per date)."
    )
    opened_on = models.DateField(null=True, blank=True, help_text="When the assessment was completed.")
    referred_to_tis = models.BooleanField(
        default=False, help_text="The Targeted Intervention Service may see the record once the family is referred."
    )
    closed_on = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=32, choices=ClosureReason.choices, blank=True)
    closure_note = models.TextField(blank=True)
    moved_to_area = models.CharField(max_length=200, blank=True)
    retention_flagged_on = models.DateField(null=True, blank=True)
    keep_until = models.DateField(null=True, blank=True, help_text="Kept after a retention review until this date.")

    class Meta:
        ordering = ["-updated_at", "pk"]
        verbose_name_plural = "families"
        indexes = [
            models.Index(fields=["status", "next_review_on"], name="eh_family_status_review_idx"),
            models.Index(fields=["lead_organisation", "opened_on"], name="eh_family_org_opened_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | (Q(closed_on__isnull=False) & ~Q(closure_reason="")),
                name="eh_family_closed_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.name}"

    @property
    def reference(self) -> str:
        return f"EH-{self.pk:06d}"

    def audit_label(self) -> str:
        # The trail keeps the reference, never the family's name.
        return f"Early help record {self.reference}"

    @property
    def is_closed(self) -> bool:
        return self.status == FamilyStatus.CLOSED

    @property
    def is_open(self) -> bool:
        return self.status in (FamilyStatus.DRAFT, FamilyStatus.OPEN)


class MemberRole(models.TextChoices):
    CHILD = "child", "Child"
    YOUNG_PERSON = "young_person", "Young person"
    PARENT_CARER = "parent_carer", "Parent or carer"
    OTHER_ADULT = "other_adult", "Other adult"


class Sex(models.TextChoices):
    FEMALE = "f", "Female"
    MALE = "m", "Male"
    UNKNOWN = "", "Not recorded"


class FamilyMember(models.Model):
    """A person in the household: a child, a young person, a parent or carer, or another adult."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="members")
    role = models.CharField(max_length=16, choices=MemberRole.choices)
    first_name = models.CharField(max_length=100)
    middle_names = models.CharField(max_length=200, blank=True)
    surname = models.CharField(max_length=100)
    aliases = models.CharField(max_length=300, blank=True, help_text="Other names the person is known by.")
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True)
    gender = models.CharField(max_length=100, blank=True)
    ethnicity = models.CharField(max_length=100, blank=True)
    language = models.CharField(max_length=100, blank=True)
    needs_interpreter = models.BooleanField(default=False)
    disability = models.CharField(max_length=300, blank=True)
    school = models.CharField(max_length=200, blank=True)
    gp = models.CharField("GP", max_length=200, blank=True)
    nhs_number = models.CharField("NHS number", max_length=10, blank=True)
    pupil_number = models.CharField("unique pupil number (UPN)", max_length=13, blank=True)
    agency_ids = models.JSONField(default=list, blank=True, help_text="[{agency, identifier}] each agency's own ID.")
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    same_person_as = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The practitioner said this is someone already on another record they work on.",
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["family", "role", "date_of_birth", "pk"]
        indexes = [
            models.Index(fields=["surname", "first_name"], name="eh_member_name_idx"),
            models.Index(fields=["postcode"], name="eh_member_postcode_idx"),
            models.Index(fields=["school"], name="eh_member_school_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.middle_names, self.surname) if part)

    @property
    def linkage_reference(self) -> str:
        return f"EH-{self.family_id:06d}:member-{self.pk}"

    def audit_label(self) -> str:
        return f"Person {self.pk} on early help record EH-{self.family_id:06d}"


class AddressHistory(Labelled):
    """Where a person lived before; the current address is on the person."""

    member = models.ForeignKey(FamilyMember, on_delete=models.CASCADE, related_name="previous_addresses")
    address = models.CharField(max_length=300)
    postcode = models.CharField(max_length=10, blank=True)
    until = models.DateField(help_text="When the person moved away.")

    class Meta:
        ordering = ["-until", "pk"]


class RelationshipKind(models.TextChoices):
    PARENT = "parent", "Parent"
    STEP_PARENT = "step_parent", "Step-parent"
    CARER = "carer", "Carer"
    GRANDPARENT = "grandparent", "Grandparent"
    SIBLING = "sibling", "Brother or sister"
    HALF_SIBLING = "half_sibling", "Half-brother or half-sister"
    PARTNER = "partner", "Partner"
    OTHER = "other", "Other relative or household member"


class Relationship(Labelled):
    """`person` is the `kind` of `relative`: "Sam Avery is the parent of Jordan Avery"."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="relationships")
    person = models.ForeignKey(FamilyMember, on_delete=models.CASCADE, related_name="relationships_from")
    relative = models.ForeignKey(FamilyMember, on_delete=models.CASCADE, related_name="relationships_to")
    kind = models.CharField(max_length=16, choices=RelationshipKind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "relative"], name="eh_relationship_once"),
            models.CheckConstraint(condition=~Q(person=models.F("relative")), name="eh_relationship_not_self"),
        ]


class ConsentGiver(models.TextChoices):
    PARENT_CARER = "parent_carer", "Parent or carer"
    YOUNG_PERSON = "young_person", "Young person"


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", "Written"
    VERBAL = "verbal", "Verbal"


class Consent(Labelled):
    """Consent to an early help assessment and to sharing it with named agencies."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="consents")
    given_by_name = models.CharField(max_length=200)
    given_by = models.CharField(max_length=16, choices=ConsentGiver.choices)
    given_on = models.DateField()
    method = models.CharField(max_length=16, choices=ConsentMethod.choices)
    agencies = models.ManyToManyField("accounts.Organisation", related_name="+", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawal_note = models.TextField(blank=True)
    withdrawal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-given_on", "-pk"]

    def audit_label(self) -> str:
        return f"Consent {self.pk} on early help record EH-{self.family_id:06d}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "In progress"
    COMPLETED = "completed", "Completed and signed off"


class Assessment(Labelled):
    """An Early Help Assessment, in the Signs of Safety questions, with needs mapped to the ten outcomes."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="assessments")
    status = models.CharField(max_length=16, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    family_story = models.TextField(blank=True, help_text="The family's story, in their words.")
    voice_of_child = models.TextField(blank=True)
    working_well = models.TextField(blank=True)
    worries = models.TextField(blank=True)
    needs_to_happen = models.TextField(blank=True)
    scaling = models.PositiveSmallIntegerField(null=True, blank=True)
    needs = models.JSONField(default=dict, blank=True, help_text="{outcome: what the family needs} for each need.")
    completed_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(scaling__isnull=True) | Q(scaling__lte=10), name="eh_scaling_0_to_10"),
        ]

    def audit_label(self) -> str:
        return f"Assessment {self.pk} on early help record EH-{self.family_id:06d}"

    @property
    def is_completed(self) -> bool:
        return self.status == AssessmentStatus.COMPLETED

    def needs_list(self) -> list[tuple[str, str]]:
        labels = dict(Outcome.choices)
        return [(labels.get(key, key), text) for key, text in self.needs.items()]


class TeamMember(Labelled):
    """A practitioner in the team around the family. Leavers keep their row with `left_at`."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="family_teams")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=200, help_text="Their role for this family, e.g. 'School nurse'.")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    joined_at = models.DateTimeField(auto_now_add=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["family", "user"], condition=Q(left_at__isnull=True), name="eh_team_member_once"
            ),
        ]

    def audit_label(self) -> str:
        return f"Team member {self.pk} on early help record EH-{self.family_id:06d}"


class Meeting(Labelled):
    """A team around the family meeting and its minutes."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField()
    attended = models.TextField(help_text="Who attended, one a line.")
    discussed = models.TextField()
    decisions = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def audit_label(self) -> str:
        return f"Meeting {self.pk} on early help record EH-{self.family_id:06d}"


class MeetingDocument(Labelled):
    """Minutes or another document of a meeting: PDF, DOCX or ODT, checked by content, kept outside the web root."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    original_name = models.CharField(max_length=255)
    stored_name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=8, help_text="pdf, docx or odt")
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def audit_label(self) -> str:
        return f"Meeting document {self.pk} (meeting {self.meeting_id})"


class PlanOutcome(Labelled):
    """An outcome of the family's plan, under one of the ten headlines."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="plan_outcomes")
    headline = models.CharField(max_length=32, choices=Outcome.choices)
    description = models.TextField(help_text="What the family wants to be different.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def audit_label(self) -> str:
        return f"Plan outcome {self.pk} on early help record EH-{self.family_id:06d}"


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "No longer needed"


class PlanAction(Labelled):
    """A SMART action: what, who, by when, and how it stands."""

    outcome = models.ForeignKey(PlanOutcome, on_delete=models.CASCADE, related_name="actions")
    what = models.TextField()
    who = models.CharField(max_length=200)
    due_on = models.DateField()
    status = models.CharField(max_length=16, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED)

    class Meta:
        ordering = ["due_on", "pk"]

    def audit_label(self) -> str:
        return f"Plan action {self.pk}"


class Review(Labelled):
    """A review of the plan: progress on each action, the scaling question again, what changes, the next date."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField()
    scaling = models.PositiveSmallIntegerField()
    progress = models.JSONField(default=dict, help_text="{action id: {status, note}}")
    what_changes = models.TextField(blank=True)
    next_review_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(scaling__lte=10), name="eh_review_scaling_0_to_10")]

    def audit_label(self) -> str:
        return f"Review {self.pk} on early help record EH-{self.family_id:06d}"


class StepDirection(models.TextChoices):
    UP = "up", "Step up"
    DOWN = "down", "Step down"


class Service(models.TextChoices):
    TIS = "tis", "Targeted Intervention Service"
    CSC = "csc", "Children's Social Care"
    EARLY_HELP = "early_help", "Early help"


class StepChange(Labelled):
    """A step up to the Targeted Intervention Service or Children's Social Care, or a step down to early help.

    `carried` is what went with it: the chronology and the plan as they stood, so the service receiving
    the family can see what support has already been in place and when."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="step_changes")
    direction = models.CharField(max_length=8, choices=StepDirection.choices)
    from_service = models.CharField(max_length=16, choices=Service.choices)
    to_service = models.CharField(max_length=16, choices=Service.choices)
    reason = models.TextField()
    carried = models.JSONField(default=dict)
    submission = models.ForeignKey(
        "referrals.Submission",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="early_help_steps",
        help_text="The partner form request this step relates to, when there is one.",
    )
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-made_at", "-pk"]

    def audit_label(self) -> str:
        return f"{self.get_direction_display()} {self.pk} on early help record EH-{self.family_id:06d}"


class ClosureOutcome(Labelled):
    """At closure, for each headline outcome of the plan: was significant and sustained progress made?"""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="closure_outcomes")
    headline = models.CharField(max_length=32, choices=Outcome.choices)
    significant_progress = models.BooleanField()
    evidence = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["family", "headline"], name="eh_closure_outcome_once")]


class EntryKind(models.TextChoices):
    ASSESSMENT_STARTED = "assessment_started", "Assessment started"
    ASSESSMENT_COMPLETED = "assessment_completed", "Assessment completed"
    CONSENT_GIVEN = "consent_given", "Consent given"
    CONSENT_WITHDRAWN = "consent_withdrawn", "Consent withdrawn"
    LEAD_CHANGED = "lead_changed", "Lead practitioner changed"
    TEAM_JOINED = "team_joined", "Joined the team around the family"
    TEAM_LEFT = "team_left", "Left the team around the family"
    MEETING = "meeting", "Team around the family meeting"
    PLAN = "plan", "Plan changed"
    REVIEW = "review", "Review"
    STEP_UP = "step_up", "Stepped up"
    STEP_DOWN = "step_down", "Stepped down"
    CLOSED = "closed", "Closed"
    REOPENED = "reopened", "Reopened"
    PARTNER_FORM = "partner_form", "Partner form"
    LINKAGE = "linkage", "Record linkage"
    PERSON_ADDED = "person_added", "Person added"
    SIGNIFICANT_EVENT = "significant_event", "Significant event"
    PRACTICE_TOOL = "practice_tool", "Practice tool (PAMIC)"


class ChronologyEntry(Labelled):
    """One dated entry of the family's chronology: written by the hub when something happens, or by hand."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="chronology")
    member = models.ForeignKey(
        FamilyMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="chronology"
    )
    occurred_on = models.DateField()
    kind = models.CharField(max_length=32, choices=EntryKind.choices)
    summary = models.TextField()
    source_agency = models.CharField(max_length=200, blank=True)
    impact_on_child = models.TextField(blank=True)
    automatic = models.BooleanField(default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-recorded_at", "-pk"]
        verbose_name_plural = "chronology entries"
        indexes = [models.Index(fields=["family", "occurred_on"], name="eh_chronology_family_idx")]

    def audit_label(self) -> str:
        return f"Chronology entry {self.pk} on early help record EH-{self.family_id:06d}"


class BreakGlass(Labelled):
    """Someone opened a record outside the need-to-know rule, giving a reason. Reviewed by a manager."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="break_glass")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    opened_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["user", "family", "expires_at"], name="eh_break_glass_idx")]

    def audit_label(self) -> str:
        return f"Break-glass access {self.pk} to early help record EH-{self.family_id:06d}"


class RetentionDecision(Labelled):
    """A person's decision on a closed record past its retention period: keep it longer, or erase it."""

    class Decision(models.TextChoices):
        KEEP = "keep", "Keep"
        ERASE = "erase", "Erase"

    family_reference = models.CharField(max_length=20)
    family = models.ForeignKey(Family, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decision = models.CharField(max_length=8, choices=Decision.choices)
    reason = models.TextField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at"]
