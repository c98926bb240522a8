from __future__ import annotations

import datetime as dt
import hashlib

from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from apps.core.page_cache import keep_for_anonymous_readers

from . import selectors
from .feed import build_calendar

# Months people might reasonably browse; beyond these a month page is a 404, not a calendar.
FIRST_YEAR, LAST_YEAR = 1900, 2999
FEED_CACHE_SECONDS = 24 * 60 * 60
WEEKDAYS = [
    ("Monday", "Mon"),
    ("Tuesday", "Tue"),
    ("Wednesday", "Wed"),
    ("Thursday", "Thu"),
    ("Friday", "Fri"),
    ("Saturday", "Sat"),
    ("Sunday", "Sun"),
]


def today() -> dt.date:
    """Today in London (tests move it)."""
    return timezone.localdate()


def keep_until_midnight(request) -> None:
    """The calendar shows what is coming from today, so an anonymous copy is kept until the day ends."""
    midnight = dt.datetime.combine(today() + dt.timedelta(days=1), dt.time(0), tzinfo=timezone.get_current_timezone())
    keep_for_anonymous_readers(request, until=midnight)


# The list and the month are rendered once per change to the calendar (and per day, for "today"):
# the templates cache them under `stamp`, and only build the occurrences when the cache is cold.


@require_safe
def index(request):
    keep_until_midnight(request)
    today_ = today()
    return render(
        request,
        "awareness/index.html",
        {
            "months": SimpleLazyObject(lambda: selectors.upcoming(today_)),
            "today": today_,
            "stamp": selectors.calendar_stamp(),
        },
    )


@require_safe
def month(request, year: int, month: int):
    keep_until_midnight(request)
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        raise Http404("No such month")
    first_day = dt.date(year, month, 1)
    previous, following = selectors.month_before(first_day), selectors.month_after(first_day)
    return render(
        request,
        "awareness/month.html",
        {
            "first_day": first_day,
            "calendar": SimpleLazyObject(lambda: selectors.month_calendar(year, month)),
            "previous": previous if previous.year >= FIRST_YEAR else None,
            "next": following if following.year <= LAST_YEAR else None,
            "today": today(),
            "weekdays": WEEKDAYS,
            "stamp": selectors.calendar_stamp(),
        },
    )


@require_safe
def detail(request, slug: str):
    keep_until_midnight(request)
    event = selectors.event_for(request.user, slug)
    today_ = today()
    return render(
        request,
        "awareness/detail.html",
        {"event": event, "next_occurrence": event.next_occurrence(today_), "today": today_},
    )


@require_safe
@cache_control(public=True, max_age=3600)
def feed(request):
    stamp = selectors.calendar_stamp()
    etag = '"' + hashlib.sha256(stamp.encode()).hexdigest()[:32] + '"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        body = cache.get_or_set(
            f"awareness:feed:{stamp}", lambda: build_calendar(selectors.published_events()), FEED_CACHE_SECONDS
        )
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="awareness-calendar.ics"'
    response["ETag"] = etag
    return response
