"""Where uploaded photos and attachments live: under PROTECTED_MEDIA_ROOT, never at a public address."""

from __future__ import annotations

from pathlib import Path

from apps.core.protected_files import ProtectedFolder

_FOLDER = ProtectedFolder("referrals")


def folder() -> Path:
    return _FOLDER.folder()


def path_of(stored_name: str) -> Path:
    return _FOLDER.path_of(stored_name)


def write(stored_name: str, content: bytes) -> None:
    _FOLDER.write(stored_name, content)


def remove(stored_name: str) -> None:
    _FOLDER.remove(stored_name)
