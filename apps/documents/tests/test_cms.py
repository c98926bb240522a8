"""The business unit corrects a document's details in the CMS; files are only ever published in the hub."""

import pytest

from apps.accounts.tests.factories import make_role_user
from apps.audit.models import AuditEntry
from apps.documents.tests.factories import document_with_versions

pytestmark = pytest.mark.django_db

LIST = "/cms/snippets/documents/document/"


def test_the_business_unit_corrects_a_title_in_the_cms_but_not_the_address(client):
    editor = make_role_user("business_unit")
    client.force_login(editor)
    document = document_with_versions("1.0", title="Child Protecton Procedure", slug="child-protection-procedure")

    listing = client.get(LIST)
    assert listing.status_code == 200
    assert f"{LIST}add/" not in listing.content.decode()  # new documents start in the hub, with their file
    edit = client.get(f"{LIST}edit/{document.pk}/").content.decode()
    assert f"/documents/{document.slug}/versions/new/" in edit

    response = client.post(
        f"{LIST}edit/{document.pk}/",
        {
            "title": "Child Protection Procedure",
            "slug": "something-else",
            "category": "procedures",
            "summary": "How partners work together.",
            "published": "on",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    document.refresh_from_db()
    assert (document.title, document.slug) == ("Child Protection Procedure", "child-protection-procedure")
    entry = AuditEntry.objects.filter(object_type="documents.document").latest("sequence")
    assert (entry.action, entry.actor_id) == ("change", editor.pk)


def test_the_cms_takes_no_files_and_deletes_no_documents(client):
    client.force_login(make_role_user("business_unit"))
    document = document_with_versions("1.0")
    assert client.get(f"{LIST}add/").status_code in (302, 403)
    assert client.post(f"{LIST}delete/{document.pk}/").status_code in (302, 403)
    document.refresh_from_db()
    assert document.versions.count() == 1


def test_a_practitioner_cannot_edit_documents_in_the_cms(client):
    document = document_with_versions("1.0")
    client.force_login(make_role_user("practitioner"))
    assert client.get(f"{LIST}edit/{document.pk}/").status_code in (302, 403)
