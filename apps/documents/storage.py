"""Where the library's files live: under PROTECTED_MEDIA_ROOT, outside the web root, never at a public URL."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class ProtectedDocumentStorage(FileSystemStorage):
    """Content-addressed: a file is stored under its SHA-256, so the same bytes are kept once.

    Files are only ever served by the download views, which set the headers of an attachment.
    """

    def __init__(self) -> None:
        super().__init__(base_url=None)

    # Read from settings on every use, so a test (or a deployment) can move the root.
    @property
    def base_location(self) -> str:
        return str(Path(settings.PROTECTED_MEDIA_ROOT) / "documents")

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Library files have no public address: link to the documents download views instead.")

    def save(self, name, content, max_length=None):
        if name and self.exists(name):
            return name  # the same SHA-256: these bytes are already stored
        return super().save(name, content, max_length=max_length)


def protected_document_storage() -> ProtectedDocumentStorage:
    return ProtectedDocumentStorage()
