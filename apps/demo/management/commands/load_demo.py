from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from apps.demo.accounts import describe_logins
from apps.demo.loaders import LOADERS


class Command(BaseCommand):
    help = "Load the demo content and demo accounts. Idempotent. Refuses to run on a production configuration."

    def add_arguments(self, parser):
        parser.add_argument("--allow-production", action="store_true", help="Load demo accounts even with DEBUG off.")

    def handle(self, *args, allow_production=False, **options):
        if not (settings.DEBUG or settings.HUB_DEMO_ALLOWED or allow_production):
            raise CommandError(
                "Demo accounts have published passwords: refusing to load them outside the local settings "
                "(hub.settings.local, which `make run` uses) or DEBUG=1."
            )
        for path in LOADERS:
            with transaction.atomic():
                import_string(path)(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content loaded."))
        self.stdout.write(describe_logins())
