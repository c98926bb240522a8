import pytest

from apps.documents.tests.factories import (
    docm_bytes,
    docx_bytes,
    exe_bytes,
    odt_bytes,
    pdf_bytes,
    upload,
    xlsx_bytes,
    zipped,
)
from apps.documents.uploads import DOCX, ODT, PDF, XLSX, UploadRefused, check_upload


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("procedure.pdf", pdf_bytes(), PDF),
        ("briefing.docx", docx_bytes(), DOCX),
        ("strategy.ODT", odt_bytes(), ODT),
        ("figures.xlsx", xlsx_bytes(), XLSX),
    ],
)
def test_the_four_kinds_of_file_are_recognised_by_their_content(name, content, kind):
    checked = check_upload(upload(name, content))
    assert checked.kind == kind
    assert checked.size == len(content)
    assert len(checked.sha256) == 64


def refusal(name: str, content: bytes) -> str:
    with pytest.raises(UploadRefused) as refused:
        check_upload(upload(name, content))
    return refused.value.message


def test_a_pdf_renamed_docx_is_refused():
    assert refusal("procedure.docx", pdf_bytes()) == (
        "The selected file is a PDF but its name ends in .docx. "
        "Check you chose the right file, or rename it to end in .pdf"
    )


def test_a_program_renamed_pdf_is_refused():
    assert refusal("procedure.pdf", exe_bytes()) == "The selected file must be a PDF, DOCX, ODT or XLSX"


def test_a_zip_that_is_not_an_office_document_is_refused():
    assert refusal("briefing.docx", zipped({"word/document.xml": b"<w/>"})) == (
        "The selected file must be a PDF, DOCX, ODT or XLSX"
    )


def test_a_word_document_with_macros_is_refused():
    assert refusal("briefing.docx", docm_bytes()) == (
        "The selected file contains macros. Save it without macros and try again"
    )


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.DOCUMENT_MAX_UPLOAD_MB = 1
    big = pdf_bytes() + b"0" * (1024 * 1024)
    assert refusal("procedure.pdf", big) == "The selected file must be smaller than 1MB"


def test_an_empty_file_is_refused():
    assert refusal("procedure.pdf", b"") == "The selected file is empty"
