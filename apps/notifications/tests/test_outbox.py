"""Every e-mail goes through the outbox: written with the change, sent once by the worker."""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.db import transaction
from django.utils import timezone
from freezegun import freeze_time

from apps.core.tests.fixtures import free_port
from apps.notifications import services
from apps.notifications.models import MailboxMessage, OutboxMessage, OutboxStatus
from apps.notifications.services import Attachment, deliver, deliver_due, queue_email


def queue(**overrides) -> OutboxMessage:
    fields = {"to": "dsl@school.example.org", "subject": "Your booking", "body_text": "You are booked.\n"}
    return queue_email(**{**fields, **overrides})


@pytest.mark.django_db
def test_a_message_is_written_with_the_change_and_vanishes_with_a_rollback():
    with pytest.raises(RuntimeError), transaction.atomic():
        queue()
        raise RuntimeError("the change failed half-way")
    assert OutboxMessage.objects.count() == 0
    with transaction.atomic():
        queue()
    assert OutboxMessage.objects.get().status == OutboxStatus.PENDING


@pytest.mark.django_db
def test_with_the_mail_server_down_the_change_commits_and_the_mail_goes_once_it_is_back(smtp_server):
    smtp_server.stop()
    message = queue()

    assert deliver(message.pk) == "failed"
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 1
    assert message.next_attempt_at > timezone.now()
    assert "SMTP" in message.last_error

    assert deliver_due() == {}  # not due yet: backing off
    smtp_server.start()
    with freeze_time(message.next_attempt_at + dt.timedelta(seconds=1)):
        assert deliver_due() == {"sent": 1}
        assert deliver_due() == {}
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert len(smtp_server.messages) == 1
    assert smtp_server.messages[0]["Subject"] == "Your booking"


@pytest.mark.django_db
def test_each_message_keeps_one_message_id_and_its_attachments_arrive_intact(smtp_server):
    ics = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
    message = queue(attachments=[Attachment("session.ics", "text/calendar", ics)], body_html="<p>You are booked.</p>")
    deliver(message.pk)
    received = smtp_server.messages[0]
    assert received["Message-ID"] == f"<{message.message_id}@hub.invalid>"
    parts = {part.get_filename(): part for part in received.iter_attachments()}
    assert parts["session.ics"].get_payload(decode=True) == ics
    assert "You are booked." in received.get_body(("plain",)).get_content()
    assert "<p>You are booked.</p>" in received.get_body(("html",)).get_content()


@pytest.mark.django_db(transaction=True)
def test_two_workers_delivering_the_same_message_at_once_send_it_once(smtp_server, shared_database):
    # Written directly: outside a transaction, queue_email would hand it to the (immediate) test queue at once.
    message = OutboxMessage.objects.create(
        to="dsl@school.example.org", subject="Your booking", body_text="x", next_attempt_at=timezone.now()
    )
    start = threading.Barrier(2)
    outcomes = []

    def worker():
        start.wait()
        try:
            outcomes.append(deliver(message.pk))
        finally:
            from django.db import connections

            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["not due", "sent"]
    assert len(smtp_server.messages) == 1


@pytest.mark.django_db
def test_a_claim_abandoned_by_a_crashed_worker_is_picked_up_by_the_sweep(smtp_server):
    message = queue()
    assert services._claim(message.pk)  # a worker claimed it, then died before sending
    assert deliver_due() == {}
    with freeze_time(timezone.now() + services.CLAIM_FOR + dt.timedelta(seconds=1)):
        assert deliver_due() == {"sent": 1}
    assert len(smtp_server.messages) == 1


@pytest.mark.django_db
def test_a_message_that_keeps_failing_is_given_up_after_the_last_attempt(smtp_server, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    smtp_server.stop()
    message = queue()
    now = timezone.now()
    for _ in range(3):
        message.refresh_from_db()
        now = max(now, message.next_attempt_at) + dt.timedelta(seconds=1)
        with freeze_time(now):
            deliver(message.pk)
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert message.attempts == 3


def test_back_off_doubles_from_thirty_seconds_to_an_hour():
    assert [services.backoff(n).total_seconds() for n in (1, 2, 3, 8, 20)] == [30, 60, 120, 3600, 3600]


@pytest.mark.django_db
def test_the_mailbox_transport_keeps_the_message_for_the_demo_page(settings):
    settings.HUB_EMAIL_TRANSPORT = "mailbox"
    message = queue(attachments=[Attachment("a.ics", "text/calendar", b"x")])
    assert deliver(message.pk) == "sent"
    kept = MailboxMessage.objects.get()
    assert (kept.subject, kept.attachment_names) == ("Your booking", ["a.ics"])


class FakeNotify(BaseHTTPRequestHandler):
    """Stands in for GOV.UK Notify's API on localhost, recording what the real client sends."""

    requests: list = []
    status = 201

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeNotify.requests.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
        self.send_response(FakeNotify.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps({"id": "9a1b", "errors": [{"error": "x", "message": "down"}]}).encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_notify(settings):
    server = HTTPServer(("127.0.0.1", free_port()), FakeNotify)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeNotify.requests, FakeNotify.status = [], 201
    settings.HUB_EMAIL_TRANSPORT = "notify"
    settings.NOTIFY_BASE_URL = f"http://127.0.0.1:{server.server_port}"
    settings.NOTIFY_API_KEY = (
        "hub_test-" + "11111111-1111-1111-1111-111111111111-" + "22222222-2222-2222-2222-222222222222"
    )
    settings.NOTIFY_TEMPLATE_ID = "33333333-3333-3333-3333-333333333333"
    yield FakeNotify
    server.shutdown()


@pytest.mark.django_db
def test_gov_uk_notify_gets_the_template_the_personalisation_and_our_reference(fake_notify):
    message = queue()
    assert deliver(message.pk) == "sent"
    (sent,) = fake_notify.requests
    assert sent["path"] == "/v2/notifications/email"
    assert sent["auth"].startswith("Bearer ")
    assert sent["body"]["template_id"] == "33333333-3333-3333-3333-333333333333"
    assert sent["body"]["personalisation"] == {"subject": "Your booking", "body": "You are booked.\n"}
    assert sent["body"]["reference"] == str(message.message_id)


@pytest.mark.django_db
def test_a_notify_server_error_leaves_the_message_to_try_again(fake_notify):
    fake_notify.status = 500
    message = queue()
    assert deliver(message.pk) == "failed"
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert "Notify: 500" in message.last_error


@pytest.mark.django_db(transaction=True)
def test_a_requests_messages_are_handed_to_the_queue_together_once_committed_and_all_are_sent(settings):
    """One task for a request's messages (25 at most each), none for a message whose transaction rolled back."""
    from unittest import mock

    from django.core.signals import request_finished
    from django.db import transaction

    from apps.core.after_response import begin_request
    from apps.notifications import services as outbox
    from apps.notifications.tasks import deliver_outbox_messages

    settings.HUB_EMAIL_TRANSPORT = "mailbox"
    begin_request()
    task = mock.Mock(enqueue=mock.Mock(wraps=deliver_outbox_messages.enqueue))
    with mock.patch("apps.notifications.tasks.deliver_outbox_messages", task):
        enqueue = task.enqueue
        with transaction.atomic():
            for n in range(60):
                outbox.queue_email(to=f"person{n}@example.org", subject="Session moved", body_text="It has.")
        with pytest.raises(RuntimeError), transaction.atomic():
            outbox.queue_email(to="never@example.org", subject="Rolled back", body_text="Never sent.")
            raise RuntimeError("the change failed")
        assert enqueue.call_count == 0  # the person's page is not kept waiting for it
        request_finished.send(sender=None)
    assert [len(call.args[0]) for call in enqueue.call_args_list] == [25, 25, 10]
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}
    assert not OutboxMessage.objects.filter(to="never@example.org").exists()


@pytest.mark.django_db
def test_one_message_failing_unexpectedly_does_not_hold_back_the_rest_of_its_batch(settings, caplog):
    from unittest import mock

    from apps.notifications.tasks import deliver_outbox_messages

    settings.HUB_EMAIL_TRANSPORT = "mailbox"
    with transaction.atomic():
        messages = [queue_email(to=f"person{n}@example.org", subject="Moved", body_text="It has.") for n in range(3)]
    OutboxMessage.objects.update(status=OutboxStatus.PENDING)  # as if not yet delivered
    real = services.deliver

    def deliver(pk):
        if pk == messages[0].pk:
            raise RuntimeError("a template the message needs has gone")
        return real(pk)

    with mock.patch.object(services, "deliver", side_effect=deliver):
        outcomes = deliver_outbox_messages.call([m.pk for m in messages])
    assert outcomes[0] == "error" and "a template the message needs has gone" in caplog.text
    sent = set(OutboxMessage.objects.filter(status=OutboxStatus.SENT).values_list("to", flat=True))
    assert sent == {"person1@example.org", "person2@example.org"}
