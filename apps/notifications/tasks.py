from django_tasks import task

from . import services


@task()
def deliver_outbox_message(message_pk: int) -> str:
    return services.deliver(message_pk)


@task()
def deliver_due_outbox_messages() -> dict:
    return services.deliver_due()
