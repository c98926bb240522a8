"""Files kept under PROTECTED_MEDIA_ROOT, never at a public address: one folder per app, written atomically.

Only views that check permission (and audit the read) serve them.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


class ProtectedFolder:
    def __init__(self, name: str) -> None:
        self.name = name

    def folder(self) -> Path:
        # Read on every use, so a test (or a deployment) can move the root.
        path = Path(settings.PROTECTED_MEDIA_ROOT) / self.name
        path.mkdir(parents=True, exist_ok=True)
        return path

    def path_of(self, stored_name: str) -> Path:
        if "/" in stored_name or "\\" in stored_name or stored_name.startswith("."):
            raise ValueError("a stored name is a single file name")
        return self.folder() / stored_name

    def write(self, stored_name: str, content: bytes) -> None:
        target = self.path_of(stored_name)
        partial = target.with_suffix(target.suffix + ".part")
        partial.write_bytes(content)
        partial.chmod(0o640)
        partial.replace(target)

    def remove(self, stored_name: str) -> None:
        self.path_of(stored_name).unlink(missing_ok=True)
