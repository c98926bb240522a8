"""Photos and attachments: what is accepted, what is refused (with the GOV.UK message), and that a photo's
location (EXIF GPS) and other metadata never reach the hub's disk."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image, PngImagePlugin

from apps.accounts.tests.factories import UserFactory
from apps.referrals import storage
from apps.referrals.models import Attachment, AttachmentKind, Draft
from apps.referrals.uploads import UploadRefused, check_attachment, check_photo

GPS = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (53.0, 57.0, 30.0),
    ExifTags.GPS.GPSLongitudeRef: "W",
    ExifTags.GPS.GPSLongitude: (1.0, 4.0, 50.0),
}
A_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def camera_exif(*, orientation: int = 1) -> bytes:
    """What a phone writes: where the photo was taken, the camera, and which way up it was held."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCo"
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.GPSInfo] = GPS
    return exif.tobytes()


def jpeg_from_a_phone(*, size=(40, 20), orientation: int = 1) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(output, "JPEG", exif=camera_exif(orientation=orientation))
    return output.getvalue()


def png_with_metadata() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "Taken outside 3 Sample Close, York")
    output = io.BytesIO()
    Image.new("RGB", (30, 30), (10, 120, 40)).save(output, "PNG", pnginfo=info, exif=camera_exif())
    return output.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def opened(content: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(content))
    image.load()
    return image


def refusal(check, file) -> str:
    with pytest.raises(UploadRefused) as refused:
        check(file)
    return refused.value.message


# --- The checks themselves ------------------------------------------------------------------------


def test_the_place_a_jpeg_was_taken_is_removed_from_it():
    original = jpeg_from_a_phone()
    assert opened(original).getexif().get_ifd(ExifTags.IFD.GPSInfo), "the test photo carries GPS"

    checked = check_photo(upload("IMG_0042.jpg", original, "image/jpeg"))
    assert (checked.content_type, checked.extension, checked.original_name) == ("image/jpeg", "jpg", "IMG_0042.jpg")
    image = opened(checked.content)
    assert image.format == "JPEG" and image.size == (40, 20)
    assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
    assert dict(image.getexif()) == {}, "no EXIF at all: not the camera either"
    assert b"PhoneCo" not in checked.content
    # The same clean-up as an attachment.
    assert opened(check_attachment(upload("scan.jpg", original)).content).getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}


def test_a_photo_taken_on_its_side_stays_the_way_up_the_camera_meant():
    checked = check_photo(upload("sideways.jpg", jpeg_from_a_phone(size=(40, 20), orientation=6)))
    image = opened(checked.content)
    assert image.size == (20, 40), "turned as its EXIF said, before the EXIF was dropped"
    assert ExifTags.Base.Orientation not in image.getexif()


def test_a_png_loses_its_text_and_exif():
    original = png_with_metadata()
    assert "Comment" in opened(original).info

    checked = check_photo(upload("photo.png", original, "image/png"))
    assert (checked.content_type, checked.extension) == ("image/png", "png")
    image = opened(checked.content)
    assert image.format == "PNG" and image.size == (30, 30)
    assert "Comment" not in image.info and "exif" not in image.info
    assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
    assert b"Sample Close" not in checked.content


def test_a_file_named_jpg_that_is_really_text_is_refused():
    text = upload("photo.jpg", b"This is not a photo, it is a note about the person.", "image/jpeg")
    assert refusal(check_photo, text) == "The selected file must be a JPEG or PNG"
    assert refusal(check_attachment, text) == "The selected file must be a PDF, JPEG or PNG"


def test_a_file_that_starts_like_a_jpeg_but_is_not_one_is_refused():
    broken = upload("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 200, "image/jpeg")
    assert refusal(check_photo, broken) == "The selected file must be a JPEG or PNG"


def test_a_pdf_is_an_attachment_but_not_a_photo():
    checked = check_attachment(upload("school-report.pdf", A_PDF, "application/pdf"))
    assert (checked.content_type, checked.extension, checked.content) == ("application/pdf", "pdf", A_PDF)
    assert refusal(check_photo, upload("school-report.pdf", A_PDF)) == "The selected file must be a JPEG or PNG"


def test_an_empty_file_is_refused():
    assert refusal(check_photo, upload("photo.jpg", b"")) == "The selected file is empty"


def test_a_file_over_the_limit_is_refused(settings):
    settings.REFERRALS_MAX_UPLOAD_MB = 1
    too_big = A_PDF + b"0" * (1024 * 1024)
    assert refusal(check_attachment, upload("big.pdf", too_big)) == "The selected file must be smaller than 1MB"
    # Without a size to go by (a plain stream), the file is measured as it is read.
    stream = io.BytesIO(too_big)
    stream.name = "big.pdf"
    assert refusal(check_attachment, stream) == "The selected file must be smaller than 1MB"
    assert check_attachment(upload("small.pdf", A_PDF)).content == A_PDF


def test_a_photo_of_too_many_pixels_is_refused_before_it_is_decoded():
    output = io.BytesIO()
    Image.new("1", (8000, 5001)).save(output, "PNG")
    message = refusal(check_photo, upload("huge.png", output.getvalue()))
    assert message == "The selected photo is too large: it must be smaller than 40 megapixels"


# --- Through the form's pages ---------------------------------------------------------------------


@pytest.fixture
def protected_media(settings, tmp_path):
    settings.PROTECTED_MEDIA_ROOT = tmp_path
    return tmp_path


def begin(client, slug: str) -> Draft:
    response = client.post(reverse("referrals:begin", args=[slug]))
    return Draft.objects.get(pk=response["Location"].split("/")[-3])


def step_url(draft: Draft, step: str) -> str:
    return reverse("referrals:step", kwargs={"draft": draft.pk, "step": step})


@pytest.mark.django_db
def test_a_photo_uploaded_on_its_page_is_kept_without_its_location(client, protected_media):
    client.force_login(UserFactory())
    draft = begin(client, "missing-person")
    response = client.post(
        step_url(draft, "photo"),
        {"photo": upload("IMG_0042.jpg", jpeg_from_a_phone(), "image/jpeg"), "action": "continue"},
    )
    assert response["Location"] == step_url(draft, "last-seen")
    attachment = Attachment.objects.get(draft=draft)
    assert attachment.kind == AttachmentKind.PHOTO and attachment.content_type == "image/jpeg"
    stored = storage.path_of(attachment.stored_name)
    assert stored.parent == protected_media / "referrals"
    assert opened(stored.read_bytes()).getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
    draft.refresh_from_db()
    assert draft.answers["photo"]["photo"] == str(attachment.pk)

    # The page shows the photo is there; going on without choosing another keeps it.
    page = client.get(step_url(draft, "photo")).content.decode()
    assert "You have uploaded a photo (image/jpeg" in page and attachment.get_absolute_url() in page
    client.post(step_url(draft, "photo"), {"action": "continue"})
    assert Attachment.objects.filter(draft=draft).count() == 1


@pytest.mark.django_db
def test_a_text_file_named_jpg_is_refused_on_the_photo_page(client, protected_media):
    client.force_login(UserFactory())
    draft = begin(client, "missing-person")
    response = client.post(
        step_url(draft, "photo"), {"photo": upload("photo.jpg", b"not a photo", "image/jpeg"), "action": "continue"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "The selected file must be a JPEG or PNG" in page
    assert not Attachment.objects.exists()
    assert not list(protected_media.rglob("*.*")), "nothing was written to disk"


@pytest.mark.django_db
def test_a_pdf_is_attached_to_further_information_but_an_oversize_one_is_refused(client, protected_media, settings):
    client.force_login(UserFactory())
    draft = begin(client, "missing-person-further-information")
    url = step_url(draft, "attachment")

    settings.REFERRALS_MAX_UPLOAD_MB = 1
    page = client.post(
        url, {"document": upload("big.pdf", A_PDF + b"0" * (1024 * 1024), "application/pdf"), "action": "continue"}
    ).content.decode()
    assert "There is a problem" in page and "The selected file must be smaller than 1MB" in page
    assert not Attachment.objects.exists()

    response = client.post(url, {"document": upload("report.pdf", A_PDF, "application/pdf"), "action": "continue"})
    assert response.status_code == 302
    attachment = Attachment.objects.get(draft=draft)
    assert attachment.kind == AttachmentKind.DOCUMENT and attachment.content_type == "application/pdf"
    assert storage.path_of(attachment.stored_name).read_bytes() == A_PDF
