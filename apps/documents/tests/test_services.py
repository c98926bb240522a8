import datetime as dt
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone

from apps.accounts.tests.factories import make_role_user
from apps.audit.models import AuditEntry
from apps.documents import services
from apps.documents.models import Document, DocumentCategory, Subscription
from apps.documents.rate_limits import TooManyRequests
from apps.documents.subscription_links import LinkExpired, LinkNotValid
from apps.documents.tests.factories import (
    DocumentFactory,
    SubscriptionFactory,
    a_pdf,
    document_with_versions,
    exe_bytes,
    upload,
)
from apps.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def token_in(message: OutboxMessage, kind: str) -> str:
    for line in message.body_text.splitlines():
        if f"/documents/subscriptions/{kind}/" in line:
            return line.strip().rstrip("/").rsplit("/", 1)[-1]
    raise AssertionError(f"no {kind} link in {message.body_text!r}")


def mails_to(address: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(to=address).order_by("created_at", "pk"))


def subscribe_and_confirm(email: str, **target) -> Subscription:
    services.request_subscription(email=email, **target)
    return services.confirm_subscription(token=token_in(mails_to(email)[-1], "confirm"))


# --- Versions ------------------------------------------------------------------------------------


def test_a_new_version_becomes_the_latest_and_keeps_the_history():
    editor = make_role_user("business_unit")
    document = document_with_versions("1.0", by=editor)
    version = services.publish_version(
        document=document, file=a_pdf(text="1.1"), label="1.1", change_note="A minor update.", by=editor
    )
    document.refresh_from_db()
    assert document.latest_version == version
    assert [v.label for v in document.versions.order_by("number")] == ["1.0", "1.1"]
    assert (version.number, version.uploaded_by, version.content_type) == (2, editor, "application/pdf")
    assert version.file_size == version.file.size


def test_publishing_a_version_is_in_the_audit_trail():
    editor = make_role_user("business_unit")
    document = document_with_versions("1.0", by=editor, title="Child Protection Procedure")
    entry = AuditEntry.objects.filter(object_type="documents.documentversion").latest("sequence")
    assert entry.actor_id == editor.pk
    assert entry.action == "create"
    assert entry.object_label == "Child Protection Procedure, version 1.0"
    assert document.latest_version.sha256 in entry.detail


def test_files_are_stored_outside_the_web_root_under_their_sha256(settings):
    document = document_with_versions("1.0")
    version = document.latest_version
    path = Path(version.file.path)
    assert path.is_relative_to(Path(settings.PROTECTED_MEDIA_ROOT))
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert path.name == f"{version.sha256}.pdf"
    with pytest.raises(ValueError, match="no public address"):
        version.file.url  # noqa: B018


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ("1.0", "Version 1.0 already exists. Enter the number of the new version"),
        ("0.9", "The version number must be higher than 1.0, the latest version"),
        ("v2", "Enter the version number as numbers separated by full stops, like 1.0 or 1.1"),
    ],
)
def test_a_version_number_must_be_new_and_higher(label, message):
    document = document_with_versions("1.0")
    with pytest.raises(services.NotAccepted) as refused:
        services.publish_version(document=document, file=a_pdf(), label=label, change_note="x", by=None)
    assert (refused.value.field, refused.value.message) == ("label", message)


def test_a_refused_file_is_refused_by_the_service_too_whatever_the_path():
    document = document_with_versions("1.0")
    with pytest.raises(services.NotAccepted) as refused:
        services.publish_version(
            document=document, file=upload("update.pdf", exe_bytes()), label="1.1", change_note="x", by=None
        )
    assert refused.value.field == "file"
    assert document.versions.count() == 1


def test_a_new_document_is_not_created_when_its_first_file_is_refused():
    with pytest.raises(services.NotAccepted):
        services.create_document(
            title="New strategy",
            category=DocumentCategory.STRATEGIES,
            summary="s",
            file=upload("strategy.pdf", exe_bytes()),
            label="1.0",
            change_note="First published.",
            by=None,
        )
    assert not Document.objects.filter(title="New strategy").exists()


def test_a_new_document_gets_an_address_that_does_not_clash():
    document = services.create_document(
        title="New", category="other", summary="s", file=a_pdf(), label="1.0", change_note="First.", by=None
    )
    assert document.slug == "new-document"  # "new" alone is the add-a-document page
    second = services.create_document(
        title="New", category="other", summary="s", file=a_pdf(), label="1.0", change_note="First.", by=None
    )
    assert second.slug == "new-document-2"


# --- Subscriptions -------------------------------------------------------------------------------


def test_nobody_hears_about_versions_before_confirming():
    document = document_with_versions("1.0")
    services.request_subscription(email="Reader@Example.org", document=document)
    [confirmation] = mails_to("reader@example.org")
    assert confirmation.subject == f"Confirm you want emails about {document.title}"
    assert "/documents/subscriptions/unsubscribe/" in confirmation.body_text

    services.publish_version(document=document, file=a_pdf(text="1.1"), label="1.1", change_note="x", by=None)
    assert mails_to("reader@example.org") == [confirmation]


def test_a_confirmed_subscriber_hears_about_each_new_version_with_what_changed():
    document = document_with_versions("1.0", title="Multi-Agency Child Protection Procedure")
    subscribe_and_confirm("reader@example.org", document=document)
    services.publish_version(
        document=document, file=a_pdf(text="1.1"), label="1.1", change_note="A minor update.", by=None
    )
    notice = mails_to("reader@example.org")[-1]
    assert notice.subject == "Multi-Agency Child Protection Procedure: version 1.1 is published"
    assert "A minor update." in notice.body_text
    assert f"/documents/{document.slug}/latest/" in notice.body_text
    assert notice.headers["List-Unsubscribe"].startswith("<http")
    assert notice.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_subscriber_to_both_the_document_and_its_category_gets_one_email():
    document = document_with_versions("1.0", category=DocumentCategory.PROCEDURES)
    other = document_with_versions("1.0", category=DocumentCategory.STRATEGIES)
    subscribe_and_confirm("both@example.org", document=document)
    subscribe_and_confirm("both@example.org", category=DocumentCategory.PROCEDURES)
    subscribe_and_confirm("category@example.org", category=DocumentCategory.PROCEDURES)
    subscribe_and_confirm("elsewhere@example.org", category=DocumentCategory.STRATEGIES)
    before = OutboxMessage.objects.count()

    services.publish_version(document=document, file=a_pdf(text="2.0"), label="2.0", change_note="x", by=None)

    new = OutboxMessage.objects.order_by("pk")[before:]
    assert sorted(m.to for m in new) == ["both@example.org", "category@example.org"]
    both = next(m for m in new if m.to == "both@example.org")
    assert both.body_text.count("/documents/subscriptions/unsubscribe/") == 2
    assert other.latest_version.label == "1.0"


def test_an_unpublished_document_tells_nobody():
    document = document_with_versions("1.0")
    subscribe_and_confirm("reader@example.org", document=document)
    document.published = False
    document.save()
    before = OutboxMessage.objects.count()
    services.publish_version(document=document, file=a_pdf(text="1.1"), label="1.1", change_note="x", by=None)
    assert OutboxMessage.objects.count() == before


def test_the_emails_are_queued_in_the_same_transaction_as_the_version():
    document = document_with_versions("1.0")
    subscribe_and_confirm("reader@example.org", document=document)
    before = OutboxMessage.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.publish_version(document=document, file=a_pdf(text="1.1"), label="1.1", change_note="x", by=None)
        raise RuntimeError("the request failed after publishing")
    assert OutboxMessage.objects.count() == before
    assert document.versions.count() == 1


def test_asking_again_does_not_reveal_a_subscription_but_tells_the_owner():
    document = document_with_versions("1.0")
    subscribe_and_confirm("reader@example.org", document=document)
    services.request_subscription(email="reader@example.org", document=document)
    assert mails_to("reader@example.org")[-1].subject == f"You already get emails about {document.title}"
    assert Subscription.objects.filter(email="reader@example.org").count() == 1


def test_unsubscribing_forgets_the_address_and_stops_the_emails():
    document = document_with_versions("1.0")
    subscribe_and_confirm("reader@example.org", document=document)
    token = token_in(mails_to("reader@example.org")[-1], "unsubscribe")
    gone = services.unsubscribe(token=token)
    assert gone.email == "reader@example.org"
    assert not Subscription.objects.filter(email="reader@example.org").exists()
    assert services.unsubscribe(token=token) is None
    before = OutboxMessage.objects.count()
    services.publish_version(document=document, file=a_pdf(text="1.1"), label="1.1", change_note="x", by=None)
    assert OutboxMessage.objects.count() == before


def test_a_link_that_was_altered_or_has_expired_confirms_nothing(settings):
    document = document_with_versions("1.0")
    services.request_subscription(email="reader@example.org", document=document)
    token = token_in(mails_to("reader@example.org")[-1], "confirm")
    with pytest.raises(LinkNotValid):
        services.confirm_subscription(token=token[:-2] + "xx")
    with pytest.raises(LinkNotValid):
        services.unsubscribe(token=token)  # a confirmation link is not an unsubscribe link
    later = timezone.now() + dt.timedelta(days=8)
    from unittest import mock

    with mock.patch("django.core.signing.time.time", return_value=later.timestamp()), pytest.raises(LinkExpired):
        services.confirm_subscription(token=token)
    assert Subscription.objects.get().confirmed_at is None


def test_the_subscribe_form_cannot_flood_an_address():
    document = document_with_versions("1.0")
    for _ in range(3):
        services.request_subscription(email="victim@example.org", document=document, ip="192.0.2.1")
    with pytest.raises(TooManyRequests):
        services.request_subscription(email="victim@example.org", document=document, ip="192.0.2.2")
    assert len(mails_to("victim@example.org")) == 3


def test_one_computer_cannot_subscribe_address_after_address():
    document = document_with_versions("1.0")
    for n in range(20):
        services.request_subscription(email=f"person{n}@example.org", document=document, ip="192.0.2.9")
    with pytest.raises(TooManyRequests):
        services.request_subscription(email="one-more@example.org", document=document, ip="192.0.2.9")


def test_unconfirmed_subscriptions_are_forgotten_once_their_link_has_expired():
    document = DocumentFactory()
    old = SubscriptionFactory(document=document)
    Subscription.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    SubscriptionFactory(document=document)
    confirmed = SubscriptionFactory(document=document, confirmed_at=timezone.now())
    Subscription.objects.filter(pk=confirmed.pk).update(created_at=timezone.now() - dt.timedelta(days=30))
    assert services.forget_unconfirmed_subscriptions() == 1
    assert not Subscription.objects.filter(pk=old.pk).exists()
    assert services.forget_unconfirmed_subscriptions() == 0
