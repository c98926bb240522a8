"""Users, the organisations (agencies) they work for, the teams inside them, and roles."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.crypto import salted_hmac


class Sector(models.TextChoices):
    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    EARLY_YEARS = "early_years", "Early years"
    CHILDRENS_SERVICES = "childrens_services", "Council children's services"
    ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"
    VOLUNTARY = "voluntary", "Voluntary sector"
    OTHER = "other", "Other"


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)
    sector = models.CharField(max_length=32, choices=Sector.choices)
    is_active = models.BooleanField(default=True, help_text="Inactive organisations cannot be chosen at sign-up.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("accounts:organisation", kwargs={"pk": self.pk})

    def audit_label(self) -> str:
        return self.name


class Team(models.Model):
    """A team inside an organisation; receiving teams triage what is routed to them."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    inbox_email = models.EmailField(blank=True, help_text="Where notices of new work for the team are sent.")
    is_receiving_team = models.BooleanField(default=False)

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="team_name_unique_in_org")]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation.name})"

    def audit_label(self) -> str:
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_queryset(self):
        # A person's organisation goes with them almost everywhere (the audit trail names it for every
        # change they make), so it comes in the same query, the signed-in user's included.
        return super().get_queryset().select_related("organisation")

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("status", AccountStatus.ACTIVE)
        return self._create_user(email, password, **extra)


class AccountStatus(models.TextChoices):
    PENDING = "pending", "Waiting for approval"
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"


class User(AbstractUser):
    """A person who signs in. `is_active` follows `status`: only approved accounts sign in."""

    username = None
    email = models.EmailField("e-mail address", unique=True)
    job_title = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="members", null=True, blank=True
    )
    status = models.CharField(max_length=16, choices=AccountStatus.choices, default=AccountStatus.PENDING)
    status_reason = models.TextField(blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="active", is_active=True) | (~Q(status="active") & Q(is_active=False)),
                name="user_is_active_follows_status",
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_absolute_url(self) -> str:
        return reverse("accounts:member", kwargs={"pk": self.pk})

    def audit_label(self) -> str:
        return self.email

    def get_session_auth_hash(self) -> str:
        """Django ends a session when the password changes; the hub also ends it when the account's standing
        changes, so a session from before a suspension does not come back when the account is reinstated."""
        if self.status_changed_at is None:
            return super().get_session_auth_hash()
        standing = f"{super().get_session_auth_hash()}:{self.status_changed_at.isoformat()}"
        return salted_hmac("apps.accounts.User.standing", standing, algorithm="sha256").hexdigest()

    def save(self, *args, **kwargs):
        self.is_active = self.status == AccountStatus.ACTIVE
        super().save(*args, **kwargs)


class Role(models.TextChoices):
    TRAINER = "trainer", "Trainer"
    BUSINESS_UNIT = "business_unit", "Business unit editor"
    TEAM_MEMBER = "team_member", "Receiving team member"
    ORGANISATION_ADMIN = "organisation_admin", "Organisation administrator"
    SYSTEM_ADMIN = "system_admin", "System administrator"


class RoleGrant(models.Model):
    """One role held by one user. Team members name their team; organisation admins their organisation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=32, choices=Role.choices)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, null=True, blank=True, related_name="grants")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="admin_grants"
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    granted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(role="team_member") & Q(team__isnull=False))
                | (~Q(role="team_member") & Q(team__isnull=True)),
                name="rolegrant_team_only_for_team_members",
            ),
            models.CheckConstraint(
                condition=(Q(role="organisation_admin") & Q(organisation__isnull=False))
                | (~Q(role="organisation_admin") & Q(organisation__isnull=True)),
                name="rolegrant_organisation_only_for_org_admins",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(team__isnull=True, organisation__isnull=True),
                name="rolegrant_unique_plain_role",
            ),
            models.UniqueConstraint(
                fields=["user", "team"], condition=Q(team__isnull=False), name="rolegrant_unique_team"
            ),
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=Q(organisation__isnull=False),
                name="rolegrant_unique_org_admin",
            ),
        ]

    def __str__(self) -> str:
        where = self.team or self.organisation
        return f"{self.get_role_display()}{f' of {where}' if where else ''}"
