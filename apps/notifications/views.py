from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from apps.accounts.permissions import require
from apps.audit.models import AuditAction
from apps.audit.services import record

from .models import MailboxMessage, OutboxMessage, OutboxStatus


@login_required
def mailbox(request):
    require(request.user, "notifications.read_mailbox")
    page_obj = Paginator(MailboxMessage.objects.all(), 50).get_page(request.GET.get("page"))
    waiting = OutboxMessage.objects.exclude(status=OutboxStatus.SENT).order_by("-created_at")[:50]
    return render(request, "notifications/mailbox.html", {"page_obj": page_obj, "waiting": waiting})


@login_required
def message(request, pk: int):
    require(request.user, "notifications.read_mailbox")
    item = get_object_or_404(MailboxMessage.objects.select_related("outbox_message"), pk=pk)
    # A message is about a named person (the one it went to, often someone they asked about).
    record(
        action=AuditAction.VIEW,
        request=request,
        obj=item,
        object_label=f"message to {item.to}",
        detail="read in the demo mailbox",
    )
    return render(request, "notifications/message.html", {"item": item})
