"""Record linkage: people's records from each source, the people the hub thinks they are, the
pairs the model found with their provenance, the Supporting Families team's decisions, and the
trained models.

Linking never changes a record. A `Person` is only the grouping of records that active links
join (`services.regroup_people` recomputes it); unlinking splits it again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class LinkageModelVersion(models.Model):
    """One trained linkage model, as Splink's JSON. The newest is the one used."""

    version = models.PositiveIntegerField(unique=True)
    model_json = models.JSONField()
    trained_at = models.DateTimeField(auto_now_add=True)
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    record_count = models.PositiveIntegerField(help_text="How many records the model was trained on.")
    training_seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"Linkage model version {self.version}"

    def audit_label(self) -> str:
        return str(self)


class AgencyExtract(models.Model):
    """A file of people's records that the Supporting Families team uploaded from an agency.

    The file is kept only between upload and the column mapping; once parsed it is deleted and
    the checked rows wait here until the team imports the good rows or none. An extract left
    undecided for a week is expired (`services.expire_undecided_extracts`): file and rows go.
    """

    class Status(models.TextChoices):
        MAPPING = "mapping", "Waiting for column mapping"
        CHECKED = "checked", "Checked, waiting for a decision"
        IMPORTED = "imported", "Imported"
        DISCARDED = "discarded", "Nothing imported"
        EXPIRED = "expired", "Nothing imported: not decided within 7 days"

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    original_name = models.CharField(max_length=255)
    stored_path = models.CharField(max_length=500, blank=True, help_text="Empty once the file has been parsed.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.MAPPING)
    headers = models.JSONField(default=list)
    column_mapping = models.JSONField(default=dict)
    row_count = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, help_text="[{line, problems}] for each bad row.")
    checked_rows = models.JSONField(default=list, help_text="Good rows waiting for import; emptied afterwards.")
    imported_count = models.PositiveIntegerField(default=0)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"Extract {self.pk} from {self.organisation}"

    def audit_label(self) -> str:
        return f"Agency extract {self.pk} ({self.organisation.name})"


class Person(models.Model):
    """Someone the hub knows of: the records that active links join."""

    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Person {self.pk}"

    def audit_label(self) -> str:
        return str(self)


class PersonRecord(models.Model):
    """One record of a person as its source holds it. Linkage reads it and never changes it."""

    class Sex(models.TextChoices):
        FEMALE = "f", "Female"
        MALE = "m", "Male"
        UNKNOWN = "", "Not recorded"

    source = models.CharField(max_length=40, help_text="'extract' or the key of one of the hub's own sources.")
    source_reference = models.CharField(max_length=100, help_text="The source's own identifier for the record.")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    extract = models.ForeignKey(AgencyExtract, on_delete=models.PROTECT, null=True, blank=True, related_name="records")
    agency = models.CharField(
        max_length=200, blank=True, help_text="For the hub's own sources: the organisation that told the hub."
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="records")
    first_name = models.CharField(max_length=100, blank=True)
    middle_names = models.CharField(max_length=200, blank=True)
    surname = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    nhs_number = models.CharField(max_length=10, blank=True)
    pupil_number = models.CharField("unique pupil number (UPN)", max_length=13, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["surname", "first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "organisation", "source_reference"],
                condition=Q(organisation__isnull=False),
                name="linkage_record_once_per_agency",
            ),
            models.UniqueConstraint(
                fields=["source", "source_reference"],
                condition=Q(organisation__isnull=True),
                name="linkage_record_once_per_hub_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.surname}".strip() or f"Record {self.pk}"

    def audit_label(self) -> str:
        # The trail keeps references, never a child's details.
        return f"Person record {self.pk} ({self.source} {self.source_reference})"[:200]

    @property
    def source_label(self) -> str:
        if self.organisation_id:
            return self.organisation.name
        from .sources import label_of

        label = label_of(self.source)
        return f"{label} from {self.agency}" if self.agency else label


class LinkageRun(models.Model):
    """One batch run of `link_people`: what it scored and what it did."""

    model_version = models.ForeignKey(LinkageModelVersion, on_delete=models.PROTECT, related_name="runs")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    record_count = models.PositiveIntegerField(default=0)
    pairs_scored = models.PositiveIntegerField(default=0)
    auto_linked = models.PositiveIntegerField(default=0)
    queued = models.PositiveIntegerField(default=0)
    kept_decisions = models.PositiveIntegerField(default=0, help_text="Pairs a person had decided, left as decided.")

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Linkage run {self.pk}"

    def audit_label(self) -> str:
        return str(self)


class CandidatePair(models.Model):
    """Two records the model scored, and what became of them: linked, queued for review, or not.

    `record_a` is always the lower id, so a pair has one row however it was found.
    """

    class Status(models.TextChoices):
        LINKED = "linked", "Linked"
        QUEUED = "queued", "Waiting for review"
        NOT_SURE = "not_sure", "Reviewed: not sure"
        NOT_LINKED = "not_linked", "Not linked"

    record_a = models.ForeignKey(PersonRecord, on_delete=models.CASCADE, related_name="+")
    record_b = models.ForeignKey(PersonRecord, on_delete=models.CASCADE, related_name="+")
    match_probability = models.FloatField()
    match_weight = models.FloatField()
    explanation = models.JSONField(default=dict, help_text="The prior and each comparison's level and weight.")
    model_version = models.ForeignKey(LinkageModelVersion, on_delete=models.PROTECT, related_name="+")
    run = models.ForeignKey(LinkageRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="pairs")
    status = models.CharField(max_length=16, choices=Status.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when the model decided automatically.",
    )
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["-match_probability", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["record_a", "record_b"], name="linkage_pair_once"),
            models.CheckConstraint(condition=Q(record_a__lt=F("record_b")), name="linkage_pair_lower_id_first"),
            models.CheckConstraint(
                condition=Q(match_probability__gte=0) & Q(match_probability__lte=1),
                name="linkage_pair_probability_range",
            ),
        ]
        indexes = [models.Index(fields=["status", "decided_by"], name="linkage_pair_status_idx")]

    def __str__(self) -> str:
        return f"Pair {self.pk} (records {self.record_a_id} and {self.record_b_id})"

    def audit_label(self) -> str:
        return str(self)

    @property
    def decided_by_person(self) -> bool:
        return self.decided_by_id is not None


class ReviewDecision(models.Model):
    """Every decision a person made about a pair, kept in order."""

    class Decision(models.TextChoices):
        MATCH = "match", "Match"
        NOT_A_MATCH = "not_a_match", "Not a match"
        NOT_SURE = "not_sure", "Not sure"
        UNLINK = "unlink", "Unlinked"

    pair = models.ForeignKey(CandidatePair, on_delete=models.CASCADE, related_name="decisions")
    decision = models.CharField(max_length=16, choices=Decision.choices)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} on {self.pair}"
