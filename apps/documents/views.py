from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from apps.accounts.permissions import can, require
from apps.audit.services import client_ip
from apps.core.page_cache import keep_for_anonymous_readers

from . import selectors, services
from .forms import DocumentForm, SubscribeForm, VersionForm
from .models import DocumentVersion
from .rate_limits import TooManyRequests
from .subscription_links import LinkExpired, LinkNotValid

SUBSCRIBED_ADDRESS = "documents_subscribe_address"


# Lists and histories are rendered once per change to the library: the templates cache them
# under `stamp` (and whether the reader sees unpublished documents), and the lazy values below
# are only read when the cache is cold.


@require_safe
def index(request):
    keep_for_anonymous_readers(request)
    return render(
        request,
        "documents/index.html",
        {
            "shelves": SimpleLazyObject(lambda: selectors.library(request.user)),
            "stamp": selectors.library_stamp(),
            "sees_unpublished": can(request.user, "documents.see_unpublished"),
            "may_create": can(request.user, "documents.create_document"),
        },
    )


@require_safe
def category(request, category: str):
    keep_for_anonymous_readers(request)
    shown = selectors.category_from_slug(category)
    return render(
        request,
        "documents/category.html",
        {
            "category": shown,
            "documents": SimpleLazyObject(lambda: selectors.documents_in(request.user, shown)),
            "stamp": selectors.library_stamp(),
            "sees_unpublished": can(request.user, "documents.see_unpublished"),
        },
    )


@require_safe
def detail(request, slug: str):
    keep_for_anonymous_readers(request)
    document = selectors.document_for(request.user, slug)
    return render(
        request,
        "documents/detail.html",
        {
            "document": document,
            "latest": document.latest_version,
            "history": SimpleLazyObject(lambda: selectors.history_of(document)),
            "may_publish": can(request.user, "documents.publish_version", document),
        },
    )


def _attachment(version: DocumentVersion, *, latest: bool) -> FileResponse:
    response = FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=version.download_name,
        content_type=version.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["ETag"] = f'"{version.sha256}"'
    # The stable "latest" address must be asked again each time; a version's own file never changes.
    shared = "public" if version.document.published else "private"
    response["Cache-Control"] = f"{shared}, no-cache" if latest else f"{shared}, max-age=86400"
    return response


@require_safe
def download_latest(request, slug: str):
    return _attachment(selectors.latest_version_for(request.user, slug), latest=True)


@require_safe
def download_version(request, slug: str, label: str):
    return _attachment(selectors.version_for(request.user, slug, label), latest=False)


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    require(request.user, "documents.create_document")
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.create_document(**form.cleaned_data, by=request.user)
        except services.NotAccepted as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(request, f"{document.title} is in the library.")
            return redirect(document)
    return render(request, "documents/create.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def publish_version(request, slug: str):
    document = selectors.document_for(request.user, slug)
    require(request.user, "documents.publish_version", document)
    form = VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.publish_version(document=document, **form.cleaned_data, by=request.user)
        except services.NotAccepted as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(request, f"Version {version.label} is published. Subscribers will get an email about it.")
            return redirect(document)
    return render(request, "documents/publish_version.html", {"form": form, "document": document})


def _subscribe(request, *, document=None, category=None):
    form = SubscribeForm(request.POST or None, submit_label="Subscribe to updates")
    if request.method == "POST" and form.is_valid():
        try:
            services.request_subscription(
                email=form.cleaned_data["email"],
                document=document,
                category=category.value if category else "",
                ip=client_ip(request),
            )
        except TooManyRequests as refused:
            form.add_error("email", refused.message)
        else:
            request.session[SUBSCRIBED_ADDRESS] = form.cleaned_data["email"]
            return redirect("documents:subscribe_sent")
    return render(request, "documents/subscribe.html", {"form": form, "document": document, "category": category})


@require_http_methods(["GET", "POST"])
def subscribe_document(request, slug: str):
    return _subscribe(request, document=selectors.document_for(request.user, slug))


@require_http_methods(["GET", "POST"])
def subscribe_category(request, category: str):
    return _subscribe(request, category=selectors.category_from_slug(category))


@require_safe
@never_cache
def subscribe_sent(request):
    return render(request, "documents/subscribe_sent.html", {"email": request.session.get(SUBSCRIBED_ADDRESS)})


@require_safe
@never_cache
def confirm(request, token: str):
    try:
        subscription = services.confirm_subscription(token=token)
    except LinkExpired:
        return render(request, "documents/link_expired.html", status=410)
    except LinkNotValid as error:
        raise Http404("Not a confirmation link") from error
    return render(request, "documents/confirmed.html", {"subscription": subscription})


# Unsubscribe links are capabilities (signed, unguessable), so they need no CSRF token; being
# exempt also lets mail programs send the one-click POST of RFC 8058 (List-Unsubscribe-Post).
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    try:
        if request.method == "POST":
            gone = services.unsubscribe(token=token)
            return render(request, "documents/unsubscribed.html", {"subscription": gone})
        subscription = selectors.subscription_for_unsubscribe(token)
    except LinkNotValid as error:
        raise Http404("Not an unsubscribe link") from error
    if subscription is None:
        return render(request, "documents/unsubscribed.html", {"subscription": None})
    return render(
        request,
        "documents/unsubscribe.html",
        {"subscription": subscription, "action": reverse("documents:unsubscribe", kwargs={"token": token})},
    )
