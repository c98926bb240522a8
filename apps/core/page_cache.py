"""Whole-page caching of public pages for people who are not signed in.

The public site is read far more than it is written, and most readers are anonymous. A view
opts in with `keep_for_anonymous_readers(request)` (the Wagtail page types do it in `serve`);
the middleware then keeps the response with the site's content version. Any change to content
that public pages show bumps the version (apps register their models with `invalidate_on`, and
the pages app connects Wagtail's publish signals), so a change shows at once and nothing needs
purging page by page. A page that depends on the day (the awareness calendar) gives `until`.
"""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

VERSION_KEY = "hub:page-cache:version"
TIMEOUT = 60 * 60


def keep_for_anonymous_readers(request, *, until: dt.datetime | None = None) -> None:
    request.hub_page_cacheable = True
    request.hub_page_cache_until = until


def invalidate_on(*models) -> None:
    """Any save or delete of these models changes what public pages show."""
    for model in models:
        for signal in (post_save, post_delete):
            signal.connect(bump_version, sender=model, weak=False, dispatch_uid=f"page-cache-{model._meta.label}")


def bump_version(**kwargs) -> None:
    # Now, so this request and the tests see the change; and again on commit, so a page another
    # request rendered from the old content in between is not kept under the new version.
    _bump()
    transaction.on_commit(_bump)


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet: pages kept so far were kept under version 0
        cache.set(VERSION_KEY, 1, None)


def _key(request) -> str:
    return f"hub:page-cache:{request.get_full_path()}"


def _anonymous_get(request) -> bool:
    return request.method == "GET" and not request.user.is_authenticated and "messages" not in request.COOKIES


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _anonymous_get(request):
            return self.get_response(request)
        key = _key(request)
        found = cache.get_many([VERSION_KEY, key])  # one round trip to the cache
        version = found.get(VERSION_KEY, 0)
        stored_version, until, cached = found.get(key, (None, None, None))
        if cached is not None and stored_version == version and (until is None or timezone.now() < until):
            cached["X-Hub-Page-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        if (
            getattr(request, "hub_page_cacheable", False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
        ):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            cache.set(key, (version, getattr(request, "hub_page_cache_until", None), response), TIMEOUT)
        return response
