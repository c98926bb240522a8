"""Accounts whose role can see protected records must set up a second factor before anything else."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.shortcuts import redirect
from django.urls import reverse

from .permissions import needs_mfa

# The sign-in pages (where the authenticator app is set up, and sign-out) and what pages need to load.
ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz")


class AccountStandingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
            and needs_mfa(user)
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            # The set-up page says why it was shown (the role needs it); this middleware runs before
            # the messages middleware, so it cannot leave a message.
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
