"""The document library: documents, their versions, and e-mail subscriptions to them."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from .storage import protected_document_storage


class DocumentCategory(models.TextChoices):
    PROCEDURES = "procedures", "Procedures"
    SEVEN_POINT_BRIEFINGS = "7-point-briefings", "7 point briefings"
    STRATEGIES = "strategies", "Strategies"
    STATUTORY_GUIDANCE = "statutory-guidance", "Statutory guidance"
    OTHER = "other", "Other documents"


class Document(models.Model):
    """A document the partnership publishes, such as the Multi-Agency Child Protection Procedure.

    `latest_version` points at the version published last, so lists of documents need no
    extra query per document; `publish_version` moves it in the same transaction.
    """

    title = models.CharField(max_length=250)
    slug = models.SlugField(max_length=200, unique=True)
    category = models.CharField(max_length=32, choices=DocumentCategory.choices)
    summary = models.TextField(help_text="What the document is for and who should read it.")
    published = models.BooleanField(default=True, help_text="Only published documents appear in the library.")
    latest_version = models.ForeignKey(
        "DocumentVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        indexes = [models.Index(fields=["published", "category", "title"], name="documents_library_idx")]
        permissions = [
            ("publish_version", "Can publish a new version of a document"),
            ("see_unpublished", "Can see unpublished documents"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("documents:detail", kwargs={"slug": self.slug})

    def audit_label(self) -> str:
        return self.title

    @property
    def category_choice(self) -> DocumentCategory:
        return DocumentCategory(self.category)

    @property
    def latest_url(self) -> str:
        return reverse("documents:latest", kwargs={"slug": self.slug})


def version_file_name(instance: DocumentVersion, filename: str) -> str:
    return filename  # publish_version names the file after its SHA-256


class DocumentVersion(models.Model):
    """One published file of a document. Versions are never changed or removed: they are the history."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(help_text="1 for the first version published, 2 for the next ...")
    label = models.CharField("version", max_length=20)
    change_note = models.TextField("what changed")
    published_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    file = models.FileField(storage=protected_document_storage, upload_to=version_file_name, max_length=200)
    original_filename = models.CharField(max_length=255)
    file_size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_number_unique"),
            models.UniqueConstraint(fields=["document", "label"], name="document_version_label_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.document.title}, version {self.label}"

    def get_absolute_url(self) -> str:
        return reverse("documents:version", kwargs={"slug": self.document.slug, "label": self.label})

    def audit_label(self) -> str:
        return f"{self.document.title}, version {self.label}"[:200]

    @property
    def extension(self) -> str:
        return self.file.name.rsplit(".", 1)[-1]

    @property
    def download_name(self) -> str:
        return f"{self.document.slug}-version-{self.label}.{self.extension}"


def new_subscription_key() -> str:
    return secrets.token_urlsafe(16)


class Subscription(models.Model):
    """An e-mail address that asked to hear about new versions of one document, or of any in a category.

    Nobody needs an account. The address gets mail only once it has confirmed (double opt-in).
    Links in the mail carry `key`, signed; a new key voids every link sent before.
    """

    email = models.EmailField()
    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    category = models.CharField(max_length=32, choices=DocumentCategory.choices, blank=True)
    key = models.CharField(max_length=32, default=new_subscription_key)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(document__isnull=False) & Q(category="")) | (Q(document__isnull=True) & ~Q(category="")),
                name="subscription_to_a_document_or_a_category",
            ),
            models.UniqueConstraint(
                fields=["email", "document"], condition=Q(document__isnull=False), name="subscription_unique_document"
            ),
            models.UniqueConstraint(
                fields=["email", "category"], condition=~Q(category=""), name="subscription_unique_category"
            ),
        ]
        indexes = [models.Index(fields=["category", "confirmed_at"], name="subscription_category_idx")]

    def __str__(self) -> str:
        return f"Subscription to {self.subject}"

    def audit_label(self) -> str:
        return f"Subscription to {self.subject}"[:200]

    @property
    def subject(self) -> str:
        """What the subscription is about, in words: a document's title or a category's name."""
        if self.document_id:
            return self.document.title
        return f"{DocumentCategory(self.category).label} in the document library"
