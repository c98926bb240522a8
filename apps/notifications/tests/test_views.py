import pytest

from apps.accounts.tests.factories import make_role_user
from apps.notifications.models import OutboxMessage, OutboxStatus
from apps.notifications.services import deliver, queue_email


@pytest.mark.django_db
def test_the_demo_mailbox_shows_what_was_sent_and_what_is_still_waiting(client, settings):
    settings.HUB_EMAIL_TRANSPORT = "mailbox"
    sent = queue_email(to="a@example.org", subject="Booking confirmed", body_text="See you at https://example.org/x")
    deliver(sent.pk)
    OutboxMessage.objects.create(
        to="b@example.org",
        subject="Stuck",
        body_text="x",
        status=OutboxStatus.FAILED,
        attempts=12,
        next_attempt_at=sent.created_at,
        last_error="SMTP: connection refused",
    )
    client.force_login(make_role_user("system_admin"))
    listing = client.get("/mailbox/").content.decode()
    assert "Booking confirmed" in listing
    assert "Stuck" in listing and "connection refused" in listing
    item = sent.mailbox_copy
    message = client.get(f"/mailbox/{item.pk}/").content.decode()
    assert 'href="https://example.org/x"' in message


@pytest.mark.django_db
def test_reading_a_message_in_the_demo_mailbox_is_audited(client, settings):
    from apps.audit.models import AuditAction, AuditEntry

    settings.HUB_EMAIL_TRANSPORT = "mailbox"
    sent = queue_email(to="parent@example.org", subject="Your request", body_text="About your child")
    deliver(sent.pk)
    admin = make_role_user("system_admin")
    client.force_login(admin)

    assert client.get(f"/mailbox/{sent.mailbox_copy.pk}/").status_code == 200

    entry = AuditEntry.objects.get(action=AuditAction.VIEW, object_type="notifications.mailboxmessage")
    assert (entry.actor_id, entry.object_id) == (admin.pk, str(sent.mailbox_copy.pk))
    assert entry.object_label == "message to parent@example.org"
