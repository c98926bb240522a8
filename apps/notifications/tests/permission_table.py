from apps.core.tests.table import FORBIDDEN, LOGIN, OK, Row

SIGNED_OUT = {"anonymous": LOGIN, "pending": LOGIN, "suspended": LOGIN}


def a_delivered_message(users):
    from django.utils import timezone

    from apps.notifications.models import MailboxMessage, OutboxMessage

    outbox = OutboxMessage.objects.create(
        to="dsl@example.org", subject="Booking confirmed", body_text="You are booked.", next_attempt_at=timezone.now()
    )
    item = MailboxMessage.objects.create(outbox_message=outbox, to=outbox.to, subject=outbox.subject, body_text="x")
    return {"pk": item.pk}


def mailbox_with_a_message(users):
    a_delivered_message(users)
    return {}


ROWS = [
    Row(
        "notifications:mailbox", expect={"system_admin": OK, **SIGNED_OUT, "*": FORBIDDEN}, setup=mailbox_with_a_message
    ),
    Row("notifications:message", expect={"system_admin": OK, **SIGNED_OUT, "*": FORBIDDEN}, setup=a_delivered_message),
]
