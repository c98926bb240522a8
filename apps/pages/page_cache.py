"""Whole-page caching of the public Wagtail pages for people who are not signed in.

The public site is read far more than it is written, and most readers are anonymous. A page
opts in by setting `request.hub_page_cacheable` (our Wagtail page types do, in `serve`); the
middleware then keeps the response under a key that includes a site-wide version number.
Publishing, unpublishing, moving or deleting any page, or changing a news topic, bumps the
version, so a change shows at once and nothing needs purging one page at a time.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

VERSION_KEY = "hub:page-cache:version"
TIMEOUT = 60 * 60


def bump_version(**kwargs) -> None:
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
        stored_version, cached = found.get(key, (None, None))
        if cached is not None and stored_version == version:
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
            cache.set(key, (version, response), TIMEOUT)
        return response


def connect_signals() -> None:
    from wagtail.models import Page

    from apps.news.models import NewsTopic

    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(bump_version, dispatch_uid=f"hub-page-cache-{signal}")
    post_delete.connect(bump_version, sender=Page, dispatch_uid="hub-page-cache-delete", weak=False)
    post_save.connect(bump_version, sender=NewsTopic, dispatch_uid="hub-page-cache-topic", weak=False)
