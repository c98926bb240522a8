from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from . import selectors
from .feed import build_calendar

# Months people might reasonably browse; beyond these a month page is a 404, not a calendar.
FIRST_YEAR, LAST_YEAR = 1900, 2999
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


@require_safe
def index(request):
    today_ = today()
    return render(
        request,
        "awareness/index.html",
        {"months": selectors.upcoming(today_), "today": today_},
    )


@require_safe
def month(request, year: int, month: int):
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        raise Http404("No such month")
    shown = selectors.month_calendar(year, month)
    return render(
        request,
        "awareness/month.html",
        {
            "calendar": shown,
            "previous": shown.previous if shown.previous and shown.previous.year >= FIRST_YEAR else None,
            "next": shown.next if shown.next and shown.next.year <= LAST_YEAR else None,
            "today": today(),
            "weekdays": WEEKDAYS,
        },
    )


@require_safe
def detail(request, slug: str):
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
    response = HttpResponse(build_calendar(selectors.published_events()), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="awareness-calendar.ics"'
    return response
