"""allauth's hooks: new accounts wait for approval, allauth's mail goes through the outbox, and its
messages are written the GOV.UK way."""

from __future__ import annotations

import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.utils import has_verified_email
from allauth.core import context, ratelimit
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.internal import ratelimit as ratelimit_usage
from allauth.core.internal.ratelimit import RateLimitUsage, get_ip, get_rates
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django import forms

from apps.audit.models import AuditAction
from apps.audit.services import record
from apps.notifications.services import queue_email

from .models import AccountStatus
from .permissions import needs_mfa

# Shown on the "account inactive" page after a sign-in with the right password (see respond_user_inactive).
INACTIVE_ACCOUNT_SESSION_KEY = "accounts_inactive_account"

# Failed sign-ins are counted per account and address, per account, and per address (ACCOUNT_RATE_LIMITS):
# staff of a partner agency share one outgoing address, so one person's (or an attacker's) wrong passwords
# lock only that account; the per-address ceiling, far higher, stops one address trying many accounts.
FAILED_SIGN_IN_LIMITS = ("login_failed_from_address", "login_failed", "login_failed_per_address")


def lockout_minutes(action: str) -> int:
    return max(1, round(max(rate.duration for rate in get_rates(app="allauth.account", action=action)) / 60))


class HubAccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": "Your account cannot be used yet",
        "duplicate_email": "You have already added this email address",
        "email_password_mismatch": "Enter a correct email address and password",
        "email_taken": "An account already uses this email address",
        "enter_current_password": "The current password is not right",
        "incorrect_password": "The password is not right",
        "too_many_login_attempts": (
            "You have tried to sign in too many times. Wait 5 minutes, then try again, or reset your password"
        ),
        "unknown_email": "There is no account with this email address",
        "rate_limited": "You have made too many requests. Wait a few minutes, then try again",
    }

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.status = AccountStatus.PENDING
        if commit:
            user.save()
        return user

    def pre_login(self, request, user, **kwargs):
        if user.status == AccountStatus.PENDING and not has_verified_email(user, kwargs.get("email")):
            # A new member confirms their email address before anything else: allauth's email
            # verification stage sends the link and ends the sign-in there. `login` below makes sure
            # no account that is not active is ever signed in, whatever the stages do.
            return None
        return super().pre_login(request, user, **kwargs)

    def login(self, request, user):
        if not user.is_active:
            raise ImmediateHttpResponse(self.respond_user_inactive(request, user))
        return super().login(request, user)

    def respond_user_inactive(self, request, user):
        # The page after this redirect says whom the person is waiting for; it has no user to ask,
        # so the standing is kept in the (anonymous) session for it.
        request.session[INACTIVE_ACCOUNT_SESSION_KEY] = {
            "status": user.status,
            "organisation": user.organisation.name if user.organisation_id else "",
        }
        return super().respond_user_inactive(request, user)

    def confirm_email(self, request, email_address):
        from .services import tell_admins_of_sign_up

        confirmed = super().confirm_email(request, email_address)
        user = email_address.user
        if confirmed and user.status == AccountStatus.PENDING:
            tell_admins_of_sign_up(member=user)
        return confirmed

    def is_reauthentication_required(self, *, app, **kwargs):
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        # Signing in with the password a few minutes ago is as good as typing it again: someone whose role
        # makes them set up an authenticator app straight after signing in is not asked for it twice.
        request = context.request
        if request is None or not request.user.is_authenticated:
            return True
        records = get_authentication_records(request, request.user)
        signed_in = [record["at"] for record in records if record.get("method") == "password"]
        return not signed_in or time.time() - signed_in[-1] >= account_settings.REAUTHENTICATION_TIMEOUT

    def _account_at_address(self, request, **credentials) -> str:
        return f"{self._get_login_attempts_cache_key(request, **credentials)}:{get_ip(request)}"

    def pre_authenticate(self, request, **credentials):
        account = self._get_login_attempts_cache_key(request, **credentials)
        keys = {"login_failed_from_address": self._account_at_address(request, **credentials), "login_failed": account}
        used = RateLimitUsage(usage=[])
        for action in FAILED_SIGN_IN_LIMITS:
            usage = ratelimit_usage.consume(request, app="allauth.account", action=action, key=keys.get(action))
            if usage is not None:
                used.usage.extend(usage.usage)
                continue
            used.rollback()  # a refused attempt checks no password, so it counts against nothing
            record(
                action=AuditAction.SIGN_IN_FAILED,
                request=request,
                actor_label=str(credentials.get("email") or "")[:254],
                detail="Refused: too many failed sign-ins"
                + (" from this address" if action == "login_failed_per_address" else ""),
            )
            raise self._locked_out(action)
        # allauth rolls this back when the password is right, so only failures count.
        self._login_failed_rl_usage = used

    def _locked_out(self, action: str) -> forms.ValidationError:
        minutes = lockout_minutes(action)
        if action == "login_failed_per_address":
            return forms.ValidationError(
                f"There have been too many failed sign-ins from your organisation's network. Wait {minutes} minutes,"
                " then try again. If this keeps happening, tell your IT team",
                code="too_many_login_attempts_from_address",
            )
        return forms.ValidationError(
            f"You have entered the wrong password too many times. Wait {minutes} minutes, then try again,"
            " or reset your password",
            code="too_many_login_attempts",
        )

    def _delete_login_attempts_cached_email(self, request, **credentials):
        # A password reset unlocks the account, everywhere and at the address it was reset from.
        super()._delete_login_attempts_cached_email(request, **credentials)
        ratelimit.clear(
            request, action="login_failed_from_address", key=self._account_at_address(request, **credentials)
        )

    def send_mail(self, template_prefix, email, context):
        message = self.render_mail(template_prefix, email, context)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = content
        queue_email(
            to=email,
            subject=message.subject,
            body_text=message.body,
            body_html=html,
            purpose=f"account:{template_prefix.rsplit('/', 1)[-1]}",
        )


class HubMFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": "The code is not right: enter the code your authenticator app shows now",
        "cannot_delete_authenticator": (
            "Your role gives you access to protected records, so you cannot turn off two-factor authentication"
        ),
        "unverified_email": "Confirm your email address before you set up two-factor authentication",
    }

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        # Roles that see protected records must keep their authenticator app (recovery codes go with it).
        if authenticator.type == Authenticator.Type.TOTP and needs_mfa(authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)
