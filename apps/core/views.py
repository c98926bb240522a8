import sys

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache


@never_cache
def health(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def page_not_found(request, exception=None):
    return render(request, "core/404.html", status=404)


def permission_denied(request, exception=None):
    from apps.audit.models import AuditAction
    from apps.audit.services import record

    record(
        action=AuditAction.PERMISSION_DENIED,
        request=request,
        object_type="path",
        object_id=request.path[:64],
        detail=str(exception or "")[:200],
    )
    return render(request, "core/403.html", status=403)


# While the database restarts or cannot be reached, every request fails the same way; that is the
# service being unavailable for a moment (503, try again shortly), not a fault in the request.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def server_error(request):
    # No context processors or database work here: a 500 page must render even
    # when the thing that failed was the database, and it says nothing of the cause.
    from django.template import loader

    unavailable = isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE)
    template = loader.get_template("core/503.html" if unavailable else "core/500.html")
    response = HttpResponse(
        template.render({"request_id": getattr(request, "request_id", "")}), status=503 if unavailable else 500
    )
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
