from django.core.management import call_command
from django_tasks import task


@task()
def publish_scheduled_pages() -> None:
    """Wagtail's scheduled publishing and unpublishing; safe to run at any time."""
    call_command("publish_scheduled", verbosity=0)
