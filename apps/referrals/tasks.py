"""Periodic partner forms work. Idempotent: running it twice, or at once, does no harm."""

from django_tasks import task

from . import services


@task()
def forget_stale_drafts() -> int:
    return services.forget_stale_drafts()
