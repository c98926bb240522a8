"""Awareness days and weeks: one day or a range, once or every year."""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.text import slugify

# Two yearly occurrences of one event must not overlap.
LONGEST_YEARLY_SPAN = dt.timedelta(days=364)


def in_year(day: dt.date, year: int) -> dt.date:
    """The same month and day in another year; 29 February becomes the last day of February."""
    if day.month == 2 and day.day == 29 and not calendar.isleap(year):
        return dt.date(year, 2, 28)
    return day.replace(year=year)


@dataclass(frozen=True)
class Occurrence:
    """One showing of an event on the calendar: the event's dates in one particular year."""

    event: AwarenessEvent
    start: dt.date
    end: dt.date

    @property
    def is_single_day(self) -> bool:
        return self.start == self.end

    def covers(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


class AwarenessEvent(models.Model):
    """An awareness day or week that the partnership promotes, such as CEADay or Safer Sleep Week.

    A yearly event keeps the dates of its first year; every later year repeats the same
    month and day for the same length (as an iCalendar RRULE does).
    """

    uid = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, help_text="Identifies the event in calendar feeds."
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        blank=True,
        help_text="The last part of the web address. Left empty, it is made from the title.",
    )
    start_date = models.DateField(help_text="The day, or the first day of a week or month.")
    end_date = models.DateField(null=True, blank=True, help_text="The last day. Leave empty for a single day.")
    recurs_yearly = models.BooleanField(
        "happens every year on the same dates",
        default=False,
        help_text="Only when the dates are the same every year (CEADay is 18 March). "
        "If the dates change each year, add each year's dates as they are announced.",
    )
    dates_note = models.CharField(
        "about the dates",
        max_length=300,
        blank=True,
        help_text="For example: the week is in March every year, but its dates change.",
    )
    organiser = models.CharField(max_length=200)
    link = models.URLField("website", max_length=500, blank=True, help_text="The organiser's page about the event.")
    description = models.TextField(help_text="Plain text. Leave a blank line between paragraphs.")
    published = models.BooleanField(default=True, help_text="Only published events appear on the calendar.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start_date", "title"]
        verbose_name = "awareness day or week"
        verbose_name_plural = "awareness days and weeks"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="awareness_event_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["published", "start_date"], name="awareness_published_start_idx")]
        permissions = [("preview_event", "Can see an unpublished awareness event on the site")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("awareness:detail", kwargs={"slug": self.slug})

    def audit_label(self) -> str:
        return self.title

    @property
    def last_date(self) -> dt.date:
        return self.end_date or self.start_date

    @property
    def length(self) -> dt.timedelta:
        return self.last_date - self.start_date

    def clean(self) -> None:
        errors = {}
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = "The last day must be the same as or after the first day"
        elif self.recurs_yearly and self.start_date and self.length > LONGEST_YEARLY_SPAN:
            errors["end_date"] = "An event that happens every year must last less than a year"
        if errors:
            raise ValidationError(errors)
        if self.end_date == self.start_date:
            self.end_date = None
        if not self.slug and self.title:
            self.slug = self.unique_slug(slugify(self.title)[:190] or "event")

    def unique_slug(self, base: str) -> str:
        slug, n = base, 2
        while AwarenessEvent.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug

    def occurrence_in(self, year: int) -> Occurrence | None:
        """The event's dates in `year` (None if it does not happen that year)."""
        if not self.recurs_yearly:
            return Occurrence(self, self.start_date, self.last_date) if self.start_date.year == year else None
        if year < self.start_date.year:
            return None
        start = in_year(self.start_date, year)
        return Occurrence(self, start, start + self.length)

    def occurrences_between(self, first: dt.date, last: dt.date) -> Iterator[Occurrence]:
        """Every occurrence that touches the days from `first` to `last` (inclusive), in date order."""
        if not self.recurs_yearly:
            if self.start_date <= last and self.last_date >= first:
                yield Occurrence(self, self.start_date, self.last_date)
            return
        # An occurrence that starts late in one year may run into the next.
        for year in range(max(first.year - 1, self.start_date.year), last.year + 1):
            occurrence = self.occurrence_in(year)
            if occurrence and occurrence.start <= last and occurrence.end >= first:
                yield occurrence

    def next_occurrence(self, today: dt.date) -> Occurrence | None:
        """The occurrence happening now or next (None if a one-off event is over)."""
        if not self.recurs_yearly:
            return Occurrence(self, self.start_date, self.last_date) if self.last_date >= today else None
        first_year = max(today.year - 1, self.start_date.year)
        for year in range(first_year, first_year + 3):
            occurrence = self.occurrence_in(year)
            if occurrence and occurrence.end >= today:
                return occurrence
        return None
