"""Where uploaded photos and attachments live: under PROTECTED_MEDIA_ROOT, never at a public address."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def folder() -> Path:
    # Read on every use, so a test (or a deployment) can move the root.
    path = Path(settings.PROTECTED_MEDIA_ROOT) / "referrals"
    path.mkdir(parents=True, exist_ok=True)
    return path


def path_of(stored_name: str) -> Path:
    if "/" in stored_name or stored_name.startswith("."):
        raise ValueError("a stored name is a single file name")
    return folder() / stored_name


def write(stored_name: str, content: bytes) -> None:
    target = path_of(stored_name)
    partial = target.with_suffix(target.suffix + ".part")
    partial.write_bytes(content)
    partial.chmod(0o640)
    partial.replace(target)


def remove(stored_name: str) -> None:
    path_of(stored_name).unlink(missing_ok=True)
