"""School attendance: schools, the one versioned code mapping, uploads, pupils and their terms.

A `PupilTerm` is one pupil's attendance at one school in one term. Its `possible`, `authorised` and
`unauthorised` sessions come from the school's termly file, or are derived from a daily-session file through
the code mapping that the upload names. The measures (attendance rate, persistent and severe absence) are
computed by the database from these counts (`selectors.py`), never stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from .codes import CATEGORIES


class Term(models.IntegerChoices):
    AUTUMN = 1, "Autumn"
    SPRING = 2, "Spring"
    SUMMER = 3, "Summer"


def term_label(academic_year: int, term: int) -> str:
    return f"{Term(term).label} {academic_year}/{str(academic_year + 1)[-2:]}"


class BarrierCategory(models.TextChoices):
    COMPLEX = "complex", "Complex barriers"
    SYMPTOM = "symptom", "Attendance as a symptom"
    JUST_ATTENDANCE = "just_attendance", "Just attendance"


class FamilyIssue(models.TextChoices):
    """The family issues behind absence. The values are the local offer's issue slugs (`localoffer.FamilyIssue`),
    so a pupil's page links straight to the services for each issue recorded."""

    HOUSING = "housing", "Housing"
    PARENTAL_MENTAL_HEALTH = "parental-mental-health", "Parental mental health"
    FINANCIAL = "financial-challenges", "Financial challenges"
    PARENTAL_EMPLOYMENT = "parental-employment", "Parental employment"
    OTHER = "other-family-needs", "Other family needs"

    def local_offer_slug(self) -> str:
        return self.value


class School(models.Model):
    """A partner organisation in the education sector that sends attendance, with its DfE URN."""

    organisation = models.OneToOneField("accounts.Organisation", on_delete=models.PROTECT, related_name="school")
    urn = models.CharField("URN", max_length=8, unique=True, help_text="The DfE's unique reference number.")

    class Meta:
        ordering = ["organisation__name"]

    def __str__(self) -> str:
        return self.organisation.name

    def audit_label(self) -> str:
        return f"{self.organisation.name} (URN {self.urn})"


class MappingVersion(models.Model):
    """One version of the table that says what each attendance code counts as."""

    number = models.PositiveIntegerField(unique=True)
    note = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"Version {self.number}: {self.note}"


class CodeMapping(models.Model):
    version = models.ForeignKey(MappingVersion, on_delete=models.PROTECT, related_name="codes")
    code = models.CharField(max_length=4)
    meaning = models.CharField(max_length=200)
    category = models.CharField(max_length=16, choices=CATEGORIES)

    class Meta:
        ordering = ["version", "pk"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="att_code_unique_in_version")]

    def __str__(self) -> str:
        return f"{self.code}: {self.meaning}"


class UploadKind(models.TextChoices):
    TERMLY = "termly", "Sessions for each pupil for the term"
    DAILY = "daily", "Daily sessions with attendance codes"


class Upload(models.Model):
    """One accepted file: a school's term. Uploading the same school's term again replaces it."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="uploads")
    academic_year = models.PositiveSmallIntegerField(help_text="The year the academic year starts, e.g. 2024.")
    term = models.PositiveSmallIntegerField(choices=Term.choices)
    kind = models.CharField(max_length=8, choices=UploadKind.choices)
    mapping_version = models.ForeignKey(MappingVersion, on_delete=models.PROTECT, related_name="uploads")
    file_name = models.CharField(max_length=200)
    pupils = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["school", "academic_year", "term"], name="att_one_upload_per_school_term")
        ]

    def __str__(self) -> str:
        return self.audit_label()

    @property
    def term_label(self) -> str:
        return term_label(self.academic_year, self.term)

    def audit_label(self) -> str:
        return f"Attendance of URN {self.school.urn}, {self.term_label}"


class Pupil(models.Model):
    upn = models.CharField("UPN", max_length=13, unique=True)
    first_name = models.CharField(max_length=100)
    surname = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="pupils", help_text="As last sent.")

    class Meta:
        ordering = ["surname", "first_name"]
        indexes = [models.Index(fields=["school", "surname"], name="att_pupil_school_idx")]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("attendance:pupil", kwargs={"pk": self.pk})

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.surname}"

    def audit_label(self) -> str:
        # The trail keeps the reference, never the child's name.
        return f"Pupil ATT-{self.pk:06d}"


class PupilTerm(models.Model):
    upload = models.ForeignKey(Upload, on_delete=models.CASCADE, related_name="rows")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="terms")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    academic_year = models.PositiveSmallIntegerField()
    term = models.PositiveSmallIntegerField(choices=Term.choices)
    year_group = models.CharField(max_length=3)
    possible = models.PositiveIntegerField()
    authorised = models.PositiveIntegerField()
    unauthorised = models.PositiveIntegerField()
    codes = models.CharField(max_length=300, blank=True, help_text="Absence codes and their sessions, e.g. I:4 O:2.")
    sen = models.BooleanField("special educational needs", null=True)
    fsm = models.BooleanField("eligible for free school meals", null=True)
    social_worker = models.BooleanField("has a social worker", null=True)

    class Meta:
        ordering = ["academic_year", "term"]
        constraints = [
            models.UniqueConstraint(fields=["pupil", "school", "academic_year", "term"], name="att_pupil_term_unique"),
            models.CheckConstraint(
                condition=Q(possible__gte=F("authorised") + F("unauthorised")), name="att_missed_within_possible"
            ),
        ]
        indexes = [
            models.Index(fields=["academic_year", "term", "school"], name="att_term_school_idx"),
            models.Index(fields=["school", "academic_year", "term", "year_group"], name="att_school_term_year_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.pupil_id} {self.term_label}"

    @property
    def missed(self) -> int:
        return self.authorised + self.unauthorised

    @property
    def term_label(self) -> str:
        return term_label(self.academic_year, self.term)


class BarrierRecord(models.Model):
    """What a practitioner recorded about why a pupil is absent. Never changed: a new judgement is a new row."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="barriers")
    category = models.CharField(max_length=16, choices=BarrierCategory.choices)
    family_issues = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return self.get_category_display()

    def issue_labels(self) -> list[str]:
        return [FamilyIssue(value).label for value in self.family_issues if value in FamilyIssue.values]

    def issues(self) -> list[FamilyIssue]:
        return [FamilyIssue(value) for value in self.family_issues if value in FamilyIssue.values]

    def audit_label(self) -> str:
        return f"Attendance barriers of pupil ATT-{self.pupil_id:06d}"
