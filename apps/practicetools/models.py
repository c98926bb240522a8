"""Structured practice tools. The PAMIC tool (Parental Mental Health and the Impact on Children): its
configuration, versioned by the business unit, and the results saved on a family's early help record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from . import pamic


class PamicVersion(models.Model):
    """One version of the tool's scales, descriptors, grid levels and responses. Never changed once made:
    a change is a new version, and every saved result keeps the version it used."""

    number = models.PositiveIntegerField(unique=True)
    config = models.JSONField()
    change_note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"PAMIC tool version {self.number}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("A PAMIC version never changes: make a new version instead")
        pamic.check_config(self.config)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("practicetools:pamic_version", kwargs={"number": self.number})

    def audit_label(self) -> str:
        return str(self)


class PamicResult(models.Model):
    """A PAMIC result saved on a family's early help record: one adult, one child."""

    family = models.ForeignKey("earlyhelp.Family", on_delete=models.CASCADE, related_name="pamic_results")
    adult = models.ForeignKey("earlyhelp.FamilyMember", on_delete=models.CASCADE, related_name="+")
    child = models.ForeignKey("earlyhelp.FamilyMember", on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(PamicVersion, on_delete=models.PROTECT, related_name="results")
    mental_health = models.TextField(help_text="The adult's mental ill health, as described.")
    likelihood = models.PositiveSmallIntegerField()
    severity = models.PositiveSmallIntegerField()
    protective_factors = models.JSONField(default=list, blank=True)
    protective_notes = models.TextField(blank=True)
    grid_level = models.PositiveSmallIntegerField()
    final_level = models.PositiveSmallIntegerField()
    judgement_reason = models.TextField(blank=True)
    chronology_entry = models.ForeignKey(
        "earlyhelp.ChronologyEntry", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(grid_level=models.F("final_level")) | ~models.Q(judgement_reason=""),
                name="pamic_moved_result_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"PAMIC result {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("practicetools:pamic_result", kwargs={"pk": self.pk})

    def audit_label(self) -> str:
        return f"PAMIC result {self.pk} on early help record EH-{self.family_id:06d}"

    @property
    def outcome(self) -> pamic.Outcome:
        return pamic.Outcome(
            self.likelihood,
            self.severity,
            self.grid_level,
            self.final_level,
            self.judgement_reason,
            self.version.config,
        )

    @property
    def reasoning(self) -> list[str]:
        return pamic.reasoning(self.outcome, factors=self.protective_factors, notes=self.protective_notes)
