import time

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management.base import BaseCommand

from apps.demo.accounts import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the current authenticator code for the demo accounts that use two-factor sign-in."

    def handle(self, *args, **options):
        counter = int(time.time()) // app_settings.TOTP_PERIOD
        self.stdout.write(format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter)))
