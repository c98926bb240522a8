from django.core.management.base import BaseCommand, CommandError

from apps.audit.services import verify_chain


class Command(BaseCommand):
    help = "Check every audit entry's hash and its link to the one before. Exits non-zero at the first break."

    def handle(self, *args, **options):
        checked, broken = verify_chain()
        if broken is not None:
            raise CommandError(f"The audit trail is broken. {broken}. {checked} entries before it are intact.")
        self.stdout.write(self.style.SUCCESS(f"The audit trail is intact: {checked} entries checked."))
