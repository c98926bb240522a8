"""Reads of the awareness calendar. Published events are public; editors may preview the rest."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404

from apps.accounts.permissions import can

from .models import AwarenessEvent, Occurrence

UPCOMING_DAYS = 366


def calendar_stamp() -> str:
    """Changes whenever an event is added, changed or removed: part of the key of every cached calendar page."""
    found = AwarenessEvent.objects.aggregate(n=Count("id"), changed=Max("updated_at"))
    return f"{found['n']}-{found['changed'].timestamp() if found['changed'] else 0}"


def published_events() -> QuerySet[AwarenessEvent]:
    return AwarenessEvent.objects.filter(published=True)


def event_for(user: Any, slug: str) -> AwarenessEvent:
    """The event's page: published events for everyone, unpublished ones only for those who may preview."""
    event = AwarenessEvent.objects.filter(slug=slug).first()
    if event is None or not (event.published or can(user, "awareness.preview_event", event)):
        raise Http404("No such awareness event")
    return event


def occurrences_between(first: dt.date, last: dt.date) -> list[Occurrence]:
    """Every published occurrence touching the days from `first` to `last`, in date order, in one query."""
    candidates = published_events().filter(
        Q(recurs_yearly=True, start_date__lte=last)
        | Q(recurs_yearly=False, start_date__lte=last, end_date__gte=first)
        | Q(recurs_yearly=False, start_date__gte=first, start_date__lte=last, end_date__isnull=True)
    )
    found = [occurrence for event in candidates for occurrence in event.occurrences_between(first, last)]
    return sorted(found, key=lambda o: (o.start, o.end, o.event.title))


@dataclass(frozen=True)
class MonthOfOccurrences:
    year: int
    month: int
    occurrences: list[Occurrence]

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)


def upcoming(today: dt.date) -> list[MonthOfOccurrences]:
    """What is on now and in the coming year, grouped by the month each occurrence starts
    (one already under way is shown in the current month)."""
    occurrences = occurrences_between(today, today + dt.timedelta(days=UPCOMING_DAYS - 1))

    def month_of(occurrence: Occurrence) -> tuple[int, int]:
        shown = max(occurrence.start, today)
        return shown.year, shown.month

    return [MonthOfOccurrences(year, month, list(items)) for (year, month), items in groupby(occurrences, key=month_of)]


@dataclass
class CalendarDay:
    date: dt.date
    in_month: bool
    occurrences: list[Occurrence] = field(default_factory=list)


@dataclass(frozen=True)
class CalendarMonth:
    year: int
    month: int
    weeks: list[list[CalendarDay]]
    occurrences: list[Occurrence]

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)


def month_before(first_day: dt.date) -> dt.date:
    return (first_day - dt.timedelta(days=1)).replace(day=1)


def month_after(first_day: dt.date) -> dt.date:
    return dt.date(first_day.year + first_day.month // 12, first_day.month % 12 + 1, 1)


def month_calendar(year: int, month: int) -> CalendarMonth:
    """A month as weeks from Monday to Sunday, each day with the events on it."""
    first = dt.date(year, month, 1)
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    occurrences = occurrences_between(first, last)
    weeks = []
    for week in calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(year, month):
        days = []
        for day in week:
            in_month = day.month == month
            on_day = [o for o in occurrences if o.covers(day)] if in_month else []
            days.append(CalendarDay(day, in_month, on_day))
        weeks.append(days)
    return CalendarMonth(year, month, weeks, occurrences)
