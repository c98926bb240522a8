import pytest

from apps.documents import demo
from apps.documents.models import Document, DocumentVersion
from apps.documents.uploads import PDF

pytestmark = pytest.mark.django_db


def test_the_demo_library_holds_the_documents_the_news_page_names_and_loading_twice_changes_nothing():
    demo.load()
    first = list(DocumentVersion.objects.order_by("pk").values_list("document__slug", "label", "sha256"))
    demo.load()
    assert list(DocumentVersion.objects.order_by("pk").values_list("document__slug", "label", "sha256")) == first

    procedure = Document.objects.get(slug="multi-agency-child-protection-procedure")
    assert [v.label for v in procedure.versions.order_by("number")] == ["1.0", "1.1"]
    assert procedure.latest_version.label == "1.1"
    assert "minor update" in procedure.latest_version.change_note
    titles = set(Document.objects.values_list("title", flat=True))
    assert "7 Point Briefing - Harmful Sexual Behaviour (HSB) Audit" in titles
    assert "7 Point Briefing - Multi-agency audit of partnership responses to non-verbal babies and infants" in titles
    assert "Joint Serious Violence Response Strategy (SVRS) for York and North Yorkshire" in titles
    assert "Working Together to Safeguard Children 2023" in titles


def test_each_demo_file_says_plainly_that_it_is_a_demo_with_its_title_and_version():
    demo.load()
    for version in DocumentVersion.objects.select_related("document"):
        content = version.file.open("rb").read()
        assert version.content_type == PDF.content_type and content.startswith(b"%PDF-")
        assert b"DEMO FILE - NOT A REAL PARTNERSHIP DOCUMENT" in content
        assert f"Version {version.label}".encode() in content
        assert version.document.title[:40].encode("latin-1") in content
