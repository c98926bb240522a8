"""What `make run` does with mail: the database queue, the worker and the scheduler."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction

from apps.accounts.tests.factories import UserFactory
from apps.notifications.models import MailboxMessage, OutboxMessage, OutboxStatus
from apps.notifications.services import queue_email


@pytest.fixture
def database_queue(settings):
    """The database task backend, as in `make run`, instead of the test settings' immediate one."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # django-tasks resets on change
    settings.HUB_EMAIL_TRANSPORT = "mailbox"


@pytest.mark.django_db(transaction=True)
def test_the_worker_delivers_what_a_committed_change_queued(database_queue):
    with transaction.atomic():
        message = queue_email(to="a@example.org", subject="Receipt", body_text="Thank you.")
    assert OutboxMessage.objects.get(pk=message.pk).status == OutboxStatus.PENDING

    call_command("db_worker", batch=True, startup_delay=False, reload=False, queue_name="*")

    assert OutboxMessage.objects.get(pk=message.pk).status == OutboxStatus.SENT
    assert MailboxMessage.objects.get().subject == "Receipt"


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_enqueues_the_outbox_sweep_which_the_worker_runs(database_queue):
    message = OutboxMessage.objects.create(
        to="b@example.org", subject="Missed", body_text="x", next_attempt_at="2026-01-01T00:00:00Z"
    )
    call_command("run_scheduler", once=True)
    call_command("db_worker", batch=True, startup_delay=False, reload=False, queue_name="*")
    assert OutboxMessage.objects.get(pk=message.pk).status == OutboxStatus.SENT


@pytest.mark.django_db
def test_allauths_password_reset_mail_goes_through_the_outbox(client, smtp_server, django_capture_on_commit_callbacks):
    user = UserFactory(email="reset.me@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302
    assert mail.outbox == []  # nothing bypassed the outbox
    sent = OutboxMessage.objects.get(to=user.email)
    assert sent.status == OutboxStatus.SENT
    assert len(smtp_server.messages) == 1
    assert "/accounts/password/reset/key/" in smtp_server.messages[0].get_body(("plain",)).get_content()
