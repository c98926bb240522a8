import logging

from django_tasks import task

from . import services

logger = logging.getLogger(__name__)


@task()
def deliver_outbox_message(message_pk: int) -> str:
    return services.deliver(message_pk)


@task()
def deliver_outbox_messages(message_pks: list[int]) -> list[str]:
    """The messages one request queued, handed to the queue together: one task for them, not one each.
    One message that fails in an unexpected way does not hold back the rest (the sweep retries it)."""
    outcomes = []
    for pk in message_pks:
        try:
            outcomes.append(services.deliver(pk))
        except Exception:
            logger.exception("outbox message %s could not be delivered; the sweep will try it again", pk)
            outcomes.append("error")
    return outcomes


@task()
def deliver_due_outbox_messages() -> dict:
    return services.deliver_due()
