"""What the forms accept as files: photos (JPEG, PNG) and attachments (those, or a PDF), told apart by content.

Every image is decoded and written afresh with Pillow, which drops its metadata, so the place
a photo was taken (EXIF GPS) never reaches the hub's disk. A PDF is kept as it came.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import IO

import filetype
from django.conf import settings
from PIL import Image, ImageOps, UnidentifiedImageError

IMAGE_FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png")}
# A photo bigger than this many pixels is refused before it is decoded (a "decompression bomb").
LARGEST_IMAGE_PIXELS = 40_000_000


class UploadRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedUpload:
    original_name: str
    content_type: str
    extension: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def largest_upload_mb() -> int:
    return int(getattr(settings, "REFERRALS_MAX_UPLOAD_MB", 10))


def _read(file: IO[bytes]) -> bytes:
    limit = largest_upload_mb() * 1024 * 1024
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise UploadRefused(f"The selected file must be smaller than {largest_upload_mb()}MB")
    file.seek(0)
    content = file.read(limit + 1)
    if not content:
        raise UploadRefused("The selected file is empty")
    if len(content) > limit:
        raise UploadRefused(f"The selected file must be smaller than {largest_upload_mb()}MB")
    return content


def _name(file: IO[bytes]) -> str:
    return (getattr(file, "name", "") or "upload").rsplit("/", 1)[-1][:200]


def check_photo(file: IO[bytes]) -> CheckedUpload:
    content = _read(file)
    return _clean_image(content, _name(file), refusal="The selected file must be a JPEG or PNG")


def check_attachment(file: IO[bytes]) -> CheckedUpload:
    content = _read(file)
    guess = filetype.guess(content[:8192])
    if guess is not None and guess.mime == "application/pdf" and content.startswith(b"%PDF-"):
        return CheckedUpload(_name(file), "application/pdf", "pdf", content)
    return _clean_image(content, _name(file), refusal="The selected file must be a PDF, JPEG or PNG")


def _clean_image(content: bytes, name: str, *, refusal: str) -> CheckedUpload:
    guess = filetype.guess(content[:8192])
    if guess is None or guess.mime not in {"image/jpeg", "image/png"}:
        raise UploadRefused(refusal)
    try:
        with Image.open(io.BytesIO(content)) as probe:
            if probe.format not in IMAGE_FORMATS:
                raise UploadRefused(refusal)
            if probe.width * probe.height > LARGEST_IMAGE_PIXELS:
                raise UploadRefused("The selected photo is too large: it must be smaller than 40 megapixels")
            probe.verify()
        with Image.open(io.BytesIO(content)) as image:
            image_format = image.format
            upright = ImageOps.exif_transpose(image)  # keep the way up the camera meant, then drop EXIF
            if image_format == "JPEG" and upright.mode not in ("RGB", "L"):
                upright = upright.convert("RGB")
            clean = Image.new(upright.mode, upright.size)
            clean.paste(upright)
            if upright.mode == "P" and upright.getpalette():
                clean.putpalette(upright.getpalette())
            output = io.BytesIO()
            if image_format == "JPEG":
                clean.save(output, format="JPEG", quality=90)
            else:
                clean.save(output, format="PNG", optimize=True)
    except UploadRefused:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise UploadRefused(refusal) from None
    content_type, extension = IMAGE_FORMATS[image_format]
    return CheckedUpload(name, content_type, extension, output.getvalue())
