"""The audit trail's periodic work: joining to the chain any entry left waiting (idempotent)."""

from django_tasks import task

from . import services


@task()
def chain_pending_entries() -> int:
    return services.chain_pending(wait=True)
