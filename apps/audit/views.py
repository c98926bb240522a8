from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render

from apps.accounts.permissions import require
from apps.core.csv_export import csv_lines
from apps.core.dates import to_london

from .forms import AuditSearchForm
from .models import AuditAction
from .selectors import AuditFilters, search_entries
from .services import record

PAGE_SIZE = 50


def _filters(request) -> tuple[AuditSearchForm, AuditFilters | None]:
    form = AuditSearchForm(request.GET or None)
    if not request.GET:
        return form, AuditFilters()
    return form, form.filters() if form.is_valid() else None


@login_required
def search(request):
    require(request.user, "audit.search_audit")
    form, filters = _filters(request)
    page_obj = None
    if filters is not None:
        record(action=AuditAction.SEARCH, request=request, object_type="audit.auditentry", detail=filters.describe())
        page_obj = Paginator(search_entries(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/search.html", {"form": form, "page_obj": page_obj})


@login_required
def export(request):
    require(request.user, "audit.search_audit")
    form, filters = _filters(request)
    if filters is None:
        return render(request, "audit/search.html", {"form": form, "page_obj": None}, status=400)
    record(action=AuditAction.EXPORT, request=request, object_type="audit.auditentry", detail=filters.describe())
    header = [
        "sequence",
        "when (Europe/London)",
        "who",
        "organisation",
        "action",
        "record type",
        "record id",
        "record",
        "reason",
        "detail",
        "request id",
        "IP address",
        "entry hash",
    ]

    def rows():
        yield header
        for entry in search_entries(filters).iterator(chunk_size=2000):
            yield [
                entry.sequence,
                to_london(entry.occurred_at).isoformat(timespec="seconds"),
                entry.actor_label,
                entry.organisation_label,
                entry.action,
                entry.object_type,
                entry.object_id,
                entry.object_label,
                entry.reason,
                entry.detail,
                entry.request_id,
                entry.ip_address or "",
                entry.entry_hash,
            ]

    response = StreamingHttpResponse(csv_lines(rows()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-trail.csv"'
    return response
