from django_tasks import task

from . import services


@task()
def forget_unconfirmed_subscriptions() -> int:
    return services.forget_unconfirmed_subscriptions()
