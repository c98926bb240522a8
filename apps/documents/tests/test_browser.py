import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from apps.accounts.tests.factories import make_role_user
from apps.core.tests.fixtures import assert_accessible, use_session_of
from apps.documents import demo
from apps.documents.tests.factories import exe_bytes, pdf_bytes
from apps.notifications.models import OutboxMessage

PROCEDURE = "Multi-Agency Child Protection Procedure"


def link_in(message, kind: str) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    return urlsplit(re.search(rf"http\S+/documents/subscriptions/{kind}/\S+", body).group(0)).path


def wait_for_mail(page, smtp_server, count: int) -> None:
    for _ in range(50):
        if len(smtp_server.messages) >= count:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"expected {count} e-mails, got {[m['Subject'] for m in smtp_server.messages]}")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_reader_downloads_a_procedure_subscribes_and_hears_of_the_new_version(
    page, browser, live_server, client, smtp_server, settings
):
    # pytest-django swaps in the in-memory mail backend; this journey sends real SMTP to the test's server.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    demo.load()

    # A member of the public finds the procedure and downloads its latest version.
    page.goto("/documents/")
    assert_accessible(page, context="document library")
    page.get_by_role("link", name=PROCEDURE).click()
    assert page.get_by_role("heading", level=1, name=PROCEDURE).is_visible()
    assert_accessible(page, context="procedure page")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(f"^Download {PROCEDURE}")).click()
    download = download_info.value
    assert download.suggested_filename == "multi-agency-child-protection-procedure-version-1.1.pdf"
    assert b"Version 1.1" in Path(download.path()).read_bytes()

    # They subscribe, and confirm from the e-mail.
    page.get_by_role("link", name="Get emails about this document").click()
    assert page.get_by_role("heading", level=1, name=f"Get emails about {PROCEDURE}").is_visible()
    assert_accessible(page, context="subscribe")
    page.get_by_label("Email address").fill("reader@example.org")
    page.get_by_role("button", name="Subscribe to updates").click()
    assert page.get_by_role("heading", level=1, name="Check your email").is_visible()
    assert_accessible(page, context="check your email")
    wait_for_mail(page, smtp_server, 1)
    confirmation = smtp_server.messages[0]
    assert confirmation["To"] == "reader@example.org"
    assert confirmation["Subject"] == f"Confirm you want emails about {PROCEDURE}"
    page.goto(link_in(confirmation, "confirm"))
    assert page.get_by_role("heading", level=1, name="Subscription confirmed").is_visible()
    assert_accessible(page, context="subscription confirmed")

    # The business unit publishes a new version in the hub; a wrong file first.
    editor_context = browser.new_context(base_url=live_server.url)
    editor = editor_context.new_page()
    use_session_of(editor, client, live_server, make_role_user("business_unit"))
    editor.goto("/documents/multi-agency-child-protection-procedure/")
    editor.get_by_role("link", name="Publish a new version").click()
    assert_accessible(editor, context="publish a new version")
    editor.get_by_label("Upload the new version").set_input_files(
        {"name": "update.pdf", "mimeType": "application/pdf", "buffer": exe_bytes()}
    )
    editor.get_by_label("Version number").fill("1.2")
    editor.get_by_label("What changed").fill("Section 4 now covers unborn babies.")
    editor.get_by_role("button", name="Publish this version").click()
    summary = editor.get_by_role("alert")
    assert "The selected file must be a PDF, DOCX, ODT or XLSX" in summary.inner_text()
    assert editor.title().startswith("Error: ")
    assert editor.get_by_label("Version number").input_value() == "1.2"
    assert editor.get_by_label("What changed").input_value() == "Section 4 now covers unborn babies."
    assert_accessible(editor, context="publish a new version, with errors")
    editor.get_by_label("Upload the new version").set_input_files(
        {"name": "update.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("Version 1.2 of the procedure")}
    )
    editor.get_by_role("button", name="Publish this version").click()
    assert editor.get_by_text("Version 1.2 is published").is_visible()
    assert_accessible(editor, context="procedure page after publishing")
    editor_context.close()

    # The subscriber's notification is in the outbox and arrives, once.
    wait_for_mail(page, smtp_server, 2)
    notification = smtp_server.messages[1]
    assert notification["Subject"] == f"{PROCEDURE}: version 1.2 is published"
    assert "Section 4 now covers unborn babies." in notification.get_body(preferencelist=("plain",)).get_content()
    assert str(notification["List-Unsubscribe"]).strip().startswith("<http")
    assert list(OutboxMessage.objects.filter(to="reader@example.org").values_list("subject", flat=True)) == [
        f"{PROCEDURE}: version 1.2 is published",
        f"Confirm you want emails about {PROCEDURE}",
    ]

    # The stable address now gives the new version.
    page.goto("/documents/multi-agency-child-protection-procedure/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="the address of its latest version").click()
    assert b"Version 1.2 of the procedure" in Path(download_info.value.path()).read_bytes()

    # And the reader unsubscribes from the e-mail, without signing in.
    page.goto(link_in(notification, "unsubscribe"))
    assert_accessible(page, context="unsubscribe")
    page.get_by_role("button", name="Unsubscribe").click()
    assert page.get_by_role("heading", level=1, name="You have unsubscribed").is_visible()
    assert_accessible(page, context="unsubscribed")
