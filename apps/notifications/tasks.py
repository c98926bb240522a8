from django_tasks import task

from . import services


@task()
def deliver_outbox_message(message_pk: int) -> str:
    return services.deliver(message_pk)


@task()
def deliver_outbox_messages(message_pks: list[int]) -> list[str]:
    """The messages one request queued, handed to the queue together: one task for them, not one each."""
    return [services.deliver(pk) for pk in message_pks]


@task()
def deliver_due_outbox_messages() -> dict:
    return services.deliver_due()
