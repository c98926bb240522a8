"""allauth's hooks: new accounts wait for approval, and allauth's mail goes through the outbox."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter

from apps.notifications.services import queue_email

from .models import AccountStatus


class HubAccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.status = AccountStatus.PENDING
        if commit:
            user.save()
        return user

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
