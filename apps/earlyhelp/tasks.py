"""Periodic early help work. Both tasks are idempotent: running them twice, or at once, does no harm."""

from django_tasks import task

from . import services


@task()
def send_review_reminders() -> int:
    return services.send_review_reminders()


@task()
def flag_for_retention_review() -> int:
    return services.flag_for_retention_review()
