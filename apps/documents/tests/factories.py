"""Documents, versions and the files the library is offered, good and bad."""

from __future__ import annotations

import io
import zipfile

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.documents.models import Document, DocumentCategory, Subscription

WORD_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Override PartName="/word/document.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
EXCEL_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Override PartName="/xl/workbook.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
)
WORD_MACRO_TYPES = WORD_TYPES.replace(
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    b"application/vnd.ms-word.document.macroEnabled.main+xml",
)


def pdf_bytes(text: str = "version") -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        b"% " + text.encode() + b"\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    return zipped({"[Content_Types].xml": WORD_TYPES, "word/document.xml": b"<w:document/>"})


def docm_bytes() -> bytes:
    return zipped(
        {
            "[Content_Types].xml": WORD_MACRO_TYPES,
            "word/document.xml": b"<w:document/>",
            "word/vbaProject.bin": b"\x00macro",
        }
    )


def xlsx_bytes() -> bytes:
    return zipped({"[Content_Types].xml": EXCEL_TYPES, "xl/workbook.xml": b"<workbook/>"})


def odt_bytes() -> bytes:
    return zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office:document/>"})


def exe_bytes() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 200


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    # The browser's content type is deliberately meaningless here: the library never trusts it.
    return SimpleUploadedFile(name, content, content_type=content_type)


def a_pdf(name: str = "procedure.pdf", text: str = "version") -> SimpleUploadedFile:
    return upload(name, pdf_bytes(text), "application/pdf")


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document
        django_get_or_create = ("slug",)

    title = factory.Sequence(lambda n: f"Procedure {n}")
    slug = factory.Sequence(lambda n: f"procedure-{n}")
    category = DocumentCategory.PROCEDURES
    summary = "How partners work together."
    published = True


def document_with_versions(*labels: str, by=None, **kwargs) -> Document:
    """A document and its versions, each published through the service as the business unit would."""
    from apps.documents.services import publish_version

    document = DocumentFactory(**kwargs)
    for label in labels:
        if not document.versions.filter(label=label).exists():
            publish_version(
                document=document,
                file=a_pdf(text=f"{document.slug} {label}"),
                label=label,
                change_note=f"Changes in {label}.",
                by=by,
            )
    return document


class SubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscription

    email = factory.Sequence(lambda n: f"reader{n}@example.org")
