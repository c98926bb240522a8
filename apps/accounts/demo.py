"""A sign-up waiting for approval, so the demo's organisation admin has someone to approve. Idempotent.

The demo organisations and one account per role come from apps/demo/accounts.py, which runs first.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress

from apps.demo.accounts import DEMO_PASSWORD

from .models import AccountStatus, Organisation, User

WAITING_EMAIL = "new.starter@example.org"
WAITING_ORGANISATION = "Clifton Green Primary School"


def load(stdout=None) -> None:
    organisation = Organisation.objects.get(name=WAITING_ORGANISATION)
    user, created = User.objects.get_or_create(
        email=WAITING_EMAIL,
        defaults={
            "first_name": "Noah",
            "last_name": "Bennett",
            "job_title": "Teaching assistant",
            "organisation": organisation,
            "status": AccountStatus.PENDING,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
        if stdout is not None:
            stdout.write(
                f"{WAITING_EMAIL} has signed up and waits for approval by {WAITING_ORGANISATION}'s administrator."
            )
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
