"""What the library accepts: PDF, DOCX, ODT and XLSX, told apart by their content, never by their names."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from typing import IO

import filetype
from django.conf import settings

ALLOWED_NAMES = "a PDF, DOCX, ODT or XLSX"
# The biggest [Content_Types].xml or mimetype entry worth reading; real ones are a few kilobytes.
LARGEST_MANIFEST = 256 * 1024


@dataclass(frozen=True)
class FileKind:
    extension: str
    content_type: str
    description: str
    a_name: str  # "a PDF", "an ODT"


PDF = FileKind("pdf", "application/pdf", "PDF", "a PDF")
DOCX = FileKind(
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "Word document (DOCX)",
    "a DOCX",
)
ODT = FileKind("odt", "application/vnd.oasis.opendocument.text", "OpenDocument text (ODT)", "an ODT")
XLSX = FileKind(
    "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "Excel spreadsheet (XLSX)",
    "an XLSX",
)
KINDS = {kind.content_type: kind for kind in (PDF, DOCX, ODT, XLSX)}

# The main part's content type, as [Content_Types].xml declares it. Macro-enabled files
# (.docm, .xlsm) declare a different one, so they are not taken for DOCX or XLSX.
WORD_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
EXCEL_MAIN = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


class UploadRefused(Exception):
    """A file the library will not take; the message says why, in GOV.UK words, for the file field."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedFile:
    kind: FileKind
    size: int
    sha256: str


def largest_upload_mb() -> int:
    return int(getattr(settings, "DOCUMENT_MAX_UPLOAD_MB", 20))


def check_upload(file: IO[bytes]) -> CheckedFile:
    """Refuse anything but a PDF, DOCX, ODT or XLSX of an allowed size whose name says what it is."""
    size = file.size if hasattr(file, "size") and file.size is not None else _measure(file)
    if size == 0:
        raise UploadRefused("The selected file is empty")
    if size > largest_upload_mb() * 1024 * 1024:
        raise UploadRefused(f"The selected file must be smaller than {largest_upload_mb()}MB")
    kind = identify(file)
    name = getattr(file, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension != kind.extension:
        said = f"its name ends in .{extension}" if extension else "its name has no ending such as .pdf"
        raise UploadRefused(
            f"The selected file is {kind.a_name} but {said}. "
            f"Check you chose the right file, or rename it to end in .{kind.extension}"
        )
    return CheckedFile(kind=kind, size=size, sha256=_sha256(file))


def identify(file: IO[bytes]) -> FileKind:
    file.seek(0)
    head = file.read(8192)
    file.seek(0)
    guess = filetype.guess(head)
    if guess is not None and guess.mime == "application/pdf" and head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        kind = _office_kind(file)
        if kind is not None:
            return kind
    raise UploadRefused(f"The selected file must be {ALLOWED_NAMES}")


def _office_kind(file: IO[bytes]) -> FileKind | None:
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if any(name.endswith("vbaProject.bin") for name in names):
                raise UploadRefused("The selected file contains macros. Save it without macros and try again")
            is_odt = "mimetype" in names and "content.xml" in names
            if is_odt and _read_small(archive, "mimetype").strip() == ODT.content_type.encode():
                return ODT
            if "[Content_Types].xml" in names:
                types = _read_small(archive, "[Content_Types].xml")
                if "word/document.xml" in names and WORD_MAIN in types:
                    return DOCX
                if "xl/workbook.xml" in names and EXCEL_MAIN in types:
                    return XLSX
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, EOFError, ValueError):
        return None
    finally:
        file.seek(0)
    return None


def _read_small(archive: zipfile.ZipFile, name: str) -> bytes:
    if archive.getinfo(name).file_size > LARGEST_MANIFEST:
        return b""
    with archive.open(name) as entry:
        return entry.read(LARGEST_MANIFEST)


def _measure(file: IO[bytes]) -> int:
    file.seek(0, 2)
    size = file.tell()
    file.seek(0)
    return size


def _sha256(file: IO[bytes]) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    while chunk := file.read(1024 * 1024):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()
