"""Sign-in, sign-out and failed sign-in go into the audit trail."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .models import AuditAction
from .services import record


@receiver(user_logged_in)
def audit_sign_in(sender, request, user, **kwargs):
    record(action=AuditAction.SIGN_IN, actor=user, obj=user, request=request)


@receiver(user_logged_out)
def audit_sign_out(sender, request, user, **kwargs):
    if user is not None:
        record(action=AuditAction.SIGN_OUT, actor=user, obj=user, request=request)


@receiver(user_login_failed)
def audit_failed_sign_in(sender, credentials, request=None, **kwargs):
    # The address tried is kept (it is how repeated attacks are traced); the password never is.
    tried = str(credentials.get("email") or credentials.get("username") or "")[:254]
    record(action=AuditAction.SIGN_IN_FAILED, request=request, actor=None, actor_label=tried)
