"""Periodic training work. Each task is idempotent: running them twice, or at once, does no harm."""

from django_tasks import task

from . import services


@task()
def send_training_reminders() -> int:
    return services.send_due_reminders()


@task()
def pass_on_expired_offers() -> int:
    return services.expire_offers()


@task()
def lapse_unanswered_approvals() -> int:
    from . import approval

    return approval.lapse_unanswered_approvals()
