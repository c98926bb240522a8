"""The append-only, hash-chained audit trail."""

from __future__ import annotations

import hashlib
import json

from django.db import models

GENESIS_HASH = "0" * 64


class AuditAction(models.TextChoices):
    VIEW = "view", "Viewed"
    CREATE = "create", "Created"
    CHANGE = "change", "Changed"
    DELETE = "delete", "Deleted"
    EXPORT = "export", "Exported"
    SEARCH = "search", "Searched"
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Failed to sign in"
    SIGN_OUT = "sign_out", "Signed out"
    PERMISSION_DENIED = "permission_denied", "Permission denied"


class AuditEntry(models.Model):
    """One thing someone did. Rows are never updated or deleted: database triggers refuse it.

    `entry_hash` is SHA-256 over the entry's content and the previous entry's hash,
    so changing or removing any row breaks the chain from that row on. On PostgreSQL an entry is
    written with `sequence` and the hashes empty and joins the chain just after it commits: filling
    them in, once, is the only change the triggers allow.
    Actor and organisation are kept as ids and labels (not foreign keys) so that the
    trail outlives the rows it speaks of; labels never hold a child's details.
    """

    sequence = models.PositiveBigIntegerField(unique=True, null=True, blank=True)
    occurred_at = models.DateTimeField(db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_label = models.CharField(max_length=254, blank=True)
    organisation_id = models.BigIntegerField(null=True, blank=True)
    organisation_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=32, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField(max_length=100, blank=True, db_index=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    object_label = models.CharField(max_length=200, blank=True)
    reason = models.TextField(blank=True)
    detail = models.TextField(blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)

    HASHED_FIELDS = (
        "sequence",
        "occurred_at",
        "actor_id",
        "actor_label",
        "organisation_id",
        "organisation_label",
        "action",
        "object_type",
        "object_id",
        "object_label",
        "reason",
        "detail",
        "request_id",
        "ip_address",
        "previous_hash",
    )

    class Meta:
        ordering = ["-sequence"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["object_type", "object_id", "occurred_at"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_type}:{self.object_id}"

    def compute_hash(self) -> str:
        content = {}
        for name in self.HASHED_FIELDS:
            value = getattr(self, name)
            if name == "occurred_at":
                value = value.isoformat(timespec="microseconds")
            content[name] = value
        canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class AuditChainHead(models.Model):
    """A single row: the newest entry's sequence and hash. Writers lock it to append in order."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    sequence = models.PositiveBigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_chain_head_singleton")]

    def __str__(self) -> str:
        return f"audit chain at #{self.sequence}"
