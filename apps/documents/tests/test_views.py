import re

import pytest
from django.urls import reverse

from apps.accounts.tests.factories import make_role_user
from apps.documents.models import DocumentCategory, Subscription
from apps.documents.tests.factories import (
    a_pdf,
    document_with_versions,
    exe_bytes,
    pdf_bytes,
    upload,
)
from apps.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def downloaded(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def editor(client):
    user = make_role_user("business_unit")
    client.force_login(user)
    return user


# --- Reading and downloading ---------------------------------------------------------------------


def test_the_library_lists_published_documents_by_category_with_their_latest_version(client):
    document_with_versions("1.0", "1.1", title="Multi-Agency Child Protection Procedure", slug="macpp")
    document_with_versions(
        "1.0", title="Working Together 2023", slug="wt", category=DocumentCategory.STATUTORY_GUIDANCE
    )
    document_with_versions("1.0", title="Draft strategy", slug="draft", published=False)

    response = client.get(reverse("documents:index"))

    text = text_of(response)
    assert text.index("Procedures") < text.index("Multi-Agency Child Protection Procedure")
    assert text.index("Statutory guidance") < text.index("Working Together 2023")
    assert "Version 1.1, published" in text
    assert "Draft strategy" not in text


def test_the_document_page_shows_the_latest_version_its_change_note_and_the_history(client):
    document = document_with_versions("1.0", "1.1", title="Multi-Agency Child Protection Procedure")

    response = client.get(document.get_absolute_url())

    html = response.content.decode()
    text = text_of(response)
    assert "Latest version" in text and "What changed in version 1.1" in text and "Changes in 1.1." in text
    assert re.search(r"File\s*</dt>\s*<dd[^>]*>PDF, \d+ bytes</dd>", html)
    assert f'href="/documents/{document.slug}/latest/"' in html
    history = html[html.index("Version history") :]
    assert history.index(">1.1<") < history.index(">1.0<")
    assert f'href="/documents/{document.slug}/versions/1.0/"' in history


def test_the_latest_address_always_downloads_the_newest_version_as_an_attachment(client):
    document = document_with_versions("1.0")
    first = client.get(document.latest_url)
    assert downloaded(first) == document.latest_version.file.open("rb").read()

    from apps.documents.services import publish_version

    publish_version(document=document, file=a_pdf(text="the new one"), label="1.1", change_note="x", by=None)
    response = client.get(reverse("documents:latest", kwargs={"slug": document.slug}))

    assert b"the new one" in downloaded(response)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{document.slug}-version-1.1.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-cache" in response["Cache-Control"]


def test_each_version_keeps_its_own_address(client):
    document = document_with_versions("1.0", "1.1")
    old = client.get(reverse("documents:version", kwargs={"slug": document.slug, "label": "1.0"}))
    assert b"1.0" in downloaded(old)
    assert old["Content-Disposition"].startswith("attachment;")
    assert client.get(reverse("documents:version", kwargs={"slug": document.slug, "label": "9.9"})).status_code == 404


def test_an_unpublished_document_and_its_files_are_hidden_from_everyone_but_the_business_unit(client):
    document = document_with_versions("1.0", published=False)
    for url in (document.get_absolute_url(), document.latest_url):
        assert client.get(url).status_code == 404
    client.force_login(make_role_user("practitioner"))
    assert client.get(document.latest_url).status_code == 404
    client.force_login(make_role_user("business_unit"))
    assert "This document is not published" in text_of(client.get(document.get_absolute_url()))
    assert client.get(document.latest_url)["Cache-Control"].startswith("private")


def test_the_files_are_never_under_the_media_address(client, settings):
    document = document_with_versions("1.0")
    html = client.get(document.get_absolute_url()).content.decode()
    assert settings.MEDIA_URL not in html
    assert document.latest_version.sha256 not in html


@pytest.mark.parametrize("url", ["/documents/", "/documents/category/procedures/"])
def test_lists_take_the_same_queries_however_many_documents(
    client, url, django_assert_num_queries, django_assert_max_num_queries
):
    for n in range(15):
        document_with_versions("1.0", "1.1", slug=f"more-{n}")
    # Cold: what changed since the list was cached, then the documents with their latest versions.
    with django_assert_num_queries(2):
        assert client.get(url).status_code == 200
    # Warm: only what changed, or nothing at all when the whole page was kept for anonymous readers.
    with django_assert_max_num_queries(1):
        assert client.get(url).status_code == 200


def test_the_document_page_takes_the_same_queries_however_long_its_history(
    client, django_assert_num_queries, django_assert_max_num_queries
):
    document = document_with_versions(*[f"1.{n}" for n in range(12)])
    with django_assert_num_queries(2):
        assert client.get(document.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(1):  # none when the whole page was kept for anonymous readers
        assert client.get(document.get_absolute_url()).status_code == 200


def test_a_new_version_shows_at_once_on_every_page_despite_the_cache(client):
    from apps.documents.services import publish_version

    document = document_with_versions("1.0")
    pages = ["/documents/", "/documents/category/procedures/", document.get_absolute_url()]
    for url in pages:
        assert "1.1" not in text_of(client.get(url))
    publish_version(document=document, file=a_pdf(text="1.1"), label="1.1", change_note="x", by=None)
    for url in pages:
        assert "Version 1.1" in text_of(client.get(url)) or "version 1.1" in text_of(client.get(url))


# --- Publishing --------------------------------------------------------------------------------


def test_the_business_unit_publishes_a_new_version_in_the_hub(client, editor):
    document = document_with_versions("1.0")
    url = reverse("documents:publish_version", kwargs={"slug": document.slug})
    assert "Publish a new version" in text_of(client.get(url))

    response = client.post(
        url, {"file": a_pdf("update.pdf", "v1.1"), "label": "1.1", "change_note": "A minor update."}, follow=True
    )

    assert response.redirect_chain[-1][0] == document.get_absolute_url()
    assert "Version 1.1 is published" in text_of(response)
    document.refresh_from_db()
    assert (document.latest_version.label, document.latest_version.uploaded_by) == ("1.1", editor)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "update.docx",
            pdf_bytes(),
            "The selected file is a PDF but its name ends in .docx. Check you chose the right file, "
            "or rename it to end in .pdf",
        ),
        ("update.pdf", exe_bytes(), "The selected file must be a PDF, DOCX, ODT or XLSX"),
        ("update.pdf", pdf_bytes() + b"0" * (1024 * 1024), "The selected file must be smaller than 1MB"),
    ],
    ids=["pdf-renamed-docx", "exe-renamed-pdf", "too-big"],
)
def test_a_refused_file_is_explained_and_the_other_answers_are_kept(client, editor, settings, name, content, message):
    settings.DOCUMENT_MAX_UPLOAD_MB = 1
    document = document_with_versions("1.0")
    url = reverse("documents:publish_version", kwargs={"slug": document.slug})

    response = client.post(url, {"file": upload(name, content), "label": "1.1", "change_note": "Kept note."})

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: " in html
    assert "govuk-error-summary" in html and html.count(message) == 2  # the summary and the field
    assert 'value="1.1"' in html and "Kept note.</textarea>" in html
    assert document.versions.count() == 1


def test_a_clashing_version_number_is_explained_on_its_field(client, editor):
    document = document_with_versions("1.0", "1.1")
    url = reverse("documents:publish_version", kwargs={"slug": document.slug})
    response = client.post(url, {"file": a_pdf(), "label": "1.1", "change_note": "Again."})
    assert "Version 1.1 already exists. Enter the number of the new version" in response.content.decode()


@pytest.mark.parametrize("role", ["practitioner", "trainer", "team_member", "organisation_admin", "system_admin"])
def test_only_the_business_unit_may_publish(client, role):
    document = document_with_versions("1.0")
    client.force_login(make_role_user(role))
    url = reverse("documents:publish_version", kwargs={"slug": document.slug})
    response = client.post(url, {"file": a_pdf(), "label": "1.1", "change_note": "x"})
    assert response.status_code == 403
    assert document.versions.count() == 1


def test_the_business_unit_adds_a_document_with_its_first_version(client, editor):
    response = client.post(
        reverse("documents:create"),
        {
            "title": "Neglect Strategy",
            "category": DocumentCategory.STRATEGIES,
            "summary": "How we tackle neglect.",
            "published": "on",
            "file": a_pdf("neglect.pdf"),
            "label": "1.0",
            "change_note": "First published.",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/documents/neglect-strategy/"
    assert client.get("/documents/neglect-strategy/latest/").status_code == 200


def test_adding_a_document_with_a_refused_file_keeps_what_was_typed(client, editor):
    response = client.post(
        reverse("documents:create"),
        {
            "title": "Neglect Strategy",
            "category": DocumentCategory.STRATEGIES,
            "summary": "How we tackle neglect.",
            "file": upload("neglect.pdf", exe_bytes()),
            "label": "1.0",
            "change_note": "First published.",
        },
    )
    html = response.content.decode()
    assert "The selected file must be a PDF, DOCX, ODT or XLSX" in html
    assert 'value="Neglect Strategy"' in html and "How we tackle neglect.</textarea>" in html
    assert re.search(r'value="strategies"[^>]*checked', html)


# --- Subscribing -------------------------------------------------------------------------------


def test_subscribing_sends_a_confirmation_and_says_so_without_revealing_anything(client):
    document = document_with_versions("1.0")
    url = reverse("documents:subscribe_document", kwargs={"slug": document.slug})

    first = client.post(url, {"email": "reader@example.org"}, follow=True)
    Subscription.objects.filter(email="reader@example.org").update(confirmed_at="2024-03-01T09:00:00Z")
    again = client.post(url, {"email": "reader@example.org"}, follow=True)

    assert "Check your email" in text_of(first)
    assert text_of(first) == text_of(again)
    subjects = list(OutboxMessage.objects.filter(to="reader@example.org").values_list("subject", flat=True))
    assert len(subjects) == 2


def test_a_mistyped_address_is_explained_and_kept(client):
    document = document_with_versions("1.0")
    response = client.post(
        reverse("documents:subscribe_document", kwargs={"slug": document.slug}), {"email": "reader@example"}
    )
    html = response.content.decode()
    assert "Enter an email address in the correct format, like name@example.com" in html
    assert 'value="reader@example"' in html
    assert not OutboxMessage.objects.exists()


def test_too_many_requests_are_refused_with_a_message(client):
    document = document_with_versions("1.0")
    url = reverse("documents:subscribe_document", kwargs={"slug": document.slug})
    for _ in range(3):
        client.post(url, {"email": "victim@example.org"})
    response = client.post(url, {"email": "victim@example.org"})
    assert "You have asked for too many emails in a short time" in response.content.decode()
    assert OutboxMessage.objects.filter(to="victim@example.org").count() == 3


def test_subscribing_to_a_category(client):
    response = client.post(
        reverse("documents:subscribe_category", kwargs={"category": "7-point-briefings"}),
        {"email": "reader@example.org"},
    )
    assert response.status_code == 302
    assert Subscription.objects.get().category == DocumentCategory.SEVEN_POINT_BRIEFINGS
    assert client.get("/documents/category/no-such-kind/").status_code == 404


def confirm_link(address: str) -> str:
    body = OutboxMessage.objects.filter(to=address).latest("pk").body_text
    return re.search(r"http\S+/documents/subscriptions/confirm/\S+", body).group(0)


def unsubscribe_link(address: str) -> str:
    body = OutboxMessage.objects.filter(to=address).latest("pk").body_text
    return re.search(r"http\S+/documents/subscriptions/unsubscribe/\S+", body).group(0)


def test_the_link_in_the_email_confirms_without_signing_in(client):
    document = document_with_versions("1.0", title="Safer Recruitment Procedure")
    client.post(reverse("documents:subscribe_document", kwargs={"slug": document.slug}), {"email": "a@example.org"})
    path = confirm_link("a@example.org").split("127.0.0.1:8000", 1)[-1]
    response = client.get(path)
    assert "Subscription confirmed" in text_of(response)
    assert Subscription.objects.get().confirmed_at is not None
    assert client.get(path[:-3] + "xx/").status_code == 404


def test_unsubscribing_is_one_click_to_a_page_then_a_button(client):
    document = document_with_versions("1.0")
    client.post(reverse("documents:subscribe_document", kwargs={"slug": document.slug}), {"email": "a@example.org"})
    path = unsubscribe_link("a@example.org").split("127.0.0.1:8000", 1)[-1]

    page = client.get(path)
    assert "Stop getting emails about" in text_of(page)
    assert Subscription.objects.exists()

    done = client.post(path)
    assert "You have unsubscribed" in text_of(done)
    assert not Subscription.objects.exists()
    assert "You are not subscribed" in text_of(client.get(path))


def test_a_mail_program_can_unsubscribe_with_one_post_and_no_csrf_token():
    from django.test import Client

    document = document_with_versions("1.0")
    strict = Client(enforce_csrf_checks=True)
    strict.post(reverse("documents:subscribe_document", kwargs={"slug": document.slug}), {"email": "a@example.org"})
    assert not Subscription.objects.exists()  # the subscribe form itself needs its CSRF token
    Client().post(reverse("documents:subscribe_document", kwargs={"slug": document.slug}), {"email": "a@example.org"})
    path = unsubscribe_link("a@example.org").split("127.0.0.1:8000", 1)[-1]
    response = strict.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Subscription.objects.exists()


def test_what_the_business_unit_sees_is_never_served_to_the_public_from_the_cache(client):
    document_with_versions("1.0", title="Draft neglect strategy", slug="draft", published=False)
    client.force_login(make_role_user("business_unit"))
    assert "Draft neglect strategy" in text_of(client.get("/documents/"))
    assert "Draft neglect strategy" in text_of(client.get("/documents/category/procedures/"))
    client.logout()
    assert "Draft neglect strategy" not in text_of(client.get("/documents/"))
    assert "Draft neglect strategy" not in text_of(client.get("/documents/category/procedures/"))
