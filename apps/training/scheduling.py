"""Scheduling a course's sessions in one go: the dates of a pattern, their warnings, and saving them all.

Dates are London dates and times are London wall-clock times: a weekly 10am session is at 10am on either
side of the clocks changing (each start is made from its own date, never by adding weeks to the first).
A date in the past is refused, as the single-session form refuses it. Other warnings (a bank holiday, a
duplicate of the course's own session, a trainer or venue already booked) are shown in the preview and
the coordinator decides.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from apps.audit.models import AuditAction
from apps.audit.services import record
from apps.core.dates import LONDON, format_date, format_month, format_range

from . import services
from .models import BankHoliday, Course, Session, SessionStatus
from .selectors import forget_catalogue

if TYPE_CHECKING:
    from apps.accounts.models import User

WEEKLY, MONTHLY, DATES = "weekly", "monthly", "dates"
LAST = -1
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", LAST: "last"}
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MOST_SESSIONS = 104


class ScheduleRefused(services.TrainingError):
    pass


def weekly_dates(first: dt.date, count: int, every_weeks: int = 1) -> list[dt.date]:
    return [first + dt.timedelta(weeks=every_weeks * n) for n in range(count)]


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> dt.date | None:
    """The nth (1 to 5, or LAST) `weekday` (0 Monday) of a month, or None when the month has no such day."""
    days = [
        day
        for day in month_calendar.Calendar().itermonthdates(year, month)
        if day.month == month and day.weekday() == weekday
    ]
    if nth == LAST:
        return days[-1]
    return days[nth - 1] if nth <= len(days) else None


@dataclass(frozen=True)
class Skipped:
    month: dt.date
    reason: str


def monthly_dates(first: dt.date, months: int, weekday: int, nth: int) -> tuple[list[dt.date], list[Skipped]]:
    """The nth weekday of each of `months` months, starting with `first`'s month, on or after `first`.
    A month without that day (a fifth Tuesday) is skipped and said so."""
    dates, skipped = [], []
    year, month = first.year, first.month
    for _ in range(months):
        day = nth_weekday(year, month, weekday, nth)
        label = f"{ORDINALS[nth]} {WEEKDAYS[weekday]}"
        if day is None:
            skipped.append(Skipped(dt.date(year, month, 1), f"{format_month(dt.date(year, month, 1))} has no {label}"))
        elif day < first:
            skipped.append(Skipped(day, f"The {label} of {format_month(day)} is before the first date"))
        else:
            dates.append(day)
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return dates, skipped


def london(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time).replace(tzinfo=LONDON)


@dataclass
class PlannedSession:
    date: dt.date
    starts_at: dt.datetime
    ends_at: dt.datetime
    warnings: list[str] = field(default_factory=list)

    @property
    def when(self) -> str:
        return format_range(self.starts_at, self.ends_at)


@dataclass
class Plan:
    course: Course
    sessions: list[PlannedSession]
    skipped: list[Skipped]
    fields: dict[str, Any]
    trainers: list

    @property
    def warned(self) -> int:
        return sum(1 for planned in self.sessions if planned.warnings)


def plan(
    *,
    course: Course,
    dates: list[dt.date],
    start_time: dt.time,
    end_time: dt.time,
    trainers: list | None = None,
    venue: str = "",
    skipped: list[Skipped] | None = None,
    now: dt.datetime | None = None,
    **fields: Any,
) -> Plan:
    """Each date's session with its warnings. Reads only: nothing is saved."""
    now = now or timezone.now()
    trainers = list(trainers or [])
    planned = [
        PlannedSession(date=day, starts_at=london(day, start_time), ends_at=london(day, end_time))
        for day in sorted(set(dates))
    ]
    if planned:
        _warn(course, planned, trainers, venue, now)
    return Plan(
        course=course, sessions=planned, skipped=skipped or [], fields={"venue": venue, **fields}, trainers=trainers
    )


def _warn(course: Course, planned: list[PlannedSession], trainers: list, venue: str, now: dt.datetime) -> None:
    first, last = planned[0].starts_at, planned[-1].ends_at
    span = (planned[0].date, planned[-1].date)
    holidays = dict(BankHoliday.objects.filter(date__range=span).values_list("date", "name"))
    nearby = Q(status=SessionStatus.SCHEDULED, starts_at__lt=last, ends_at__gt=first)
    trainer_ids = {trainer.pk for trainer in trainers}
    place = " ".join(venue.split()).casefold()
    related = Q(course=course) | Q(trainers__in=trainer_ids)
    if place:
        related |= Q(venue__iexact=venue.strip())
    others = list(
        Session.objects.filter(nearby).filter(related).select_related("course").prefetch_related("trainers").distinct()
    )
    for session in planned:
        if session.starts_at <= now:
            session.warnings.append("This date is in the past: sessions cannot be added in the past")
        if session.date in holidays:
            session.warnings.append(f"Bank holiday: {holidays[session.date]}")
        for other in others:
            # Half-open ranges: a session ending at 11am does not clash with one starting at 11am.
            if not (other.starts_at < session.ends_at and other.ends_at > session.starts_at):
                continue
            when = format_range(other.starts_at, other.ends_at)
            if other.course_id == course.pk:
                session.warnings.append(f"The course already has a session at this time ({when})")
            clashing = [t for t in other.trainers.all() if t.pk in trainer_ids]
            for trainer in clashing:
                session.warnings.append(
                    f"{trainer.get_full_name() or trainer.email} is already training {other.course.title} ({when})"
                )
            if place and " ".join(other.venue.split()).casefold() == place and other.course_id != course.pk:
                session.warnings.append(f"The venue is already booked for {other.course.title} ({when})")


def save_plan(*, plan: Plan, by: User) -> list[Session]:
    """Add every planned session, or none: one transaction, one audit entry per session (as create_session
    writes for one). The course is locked once and the sessions are inserted together; the catalogue's cache
    is told once."""
    past = [planned for planned in plan.sessions if planned.starts_at <= timezone.now()]
    if past:
        raise ScheduleRefused(
            "Sessions cannot be added in the past: " + ", ".join(format_date(p.date) for p in past[:5])
        )
    if not plan.sessions:
        raise ScheduleRefused("There are no dates to add")
    with transaction.atomic():
        # Locked as create_session locks it, so sessions added at the same time get different numbers.
        Course.objects.select_for_update().get(pk=plan.course.pk)
        last = Session.objects.filter(course=plan.course).aggregate(n=Max("number"))["n"] or 0
        created = Session.objects.bulk_create(
            [
                Session(
                    course=plan.course,
                    number=last + n,
                    starts_at=planned.starts_at,
                    ends_at=planned.ends_at,
                    **_session_fields(plan.fields, planned.starts_at),
                )
                for n, planned in enumerate(plan.sessions, start=1)
            ]
        )
        Session.trainers.through.objects.bulk_create(
            [
                Session.trainers.through(session_id=session.pk, user_id=trainer.pk)
                for session in created
                for trainer in plan.trainers
            ]
        )
        for session in created:
            record(action=AuditAction.CREATE, actor=by, obj=session, detail="scheduled with others at once")
        transaction.on_commit(forget_catalogue)
        return created


def _session_fields(fields: dict[str, Any], starts_at: dt.datetime) -> dict[str, Any]:
    fields = dict(fields)
    hours = fields.pop("booking_closes_hours", 0) or 0
    fields["booking_closes_at"] = starts_at - dt.timedelta(hours=hours) if hours else None
    return fields


# --- The business unit's table of bank holidays ------------------------------------------------


def add_bank_holiday(*, date: dt.date, name: str, by: User) -> BankHoliday:
    with transaction.atomic():
        if BankHoliday.objects.filter(date=date).exists():
            error = ScheduleRefused(f"{format_date(date)} is already in the list")
            error.field = "date"
            raise error
        holiday = BankHoliday.objects.create(date=date, name=name.strip())
        record(action=AuditAction.CREATE, actor=by, obj=holiday, detail=f"added {holiday.name}")
        return holiday


def delete_bank_holiday(*, holiday: BankHoliday, by: User) -> None:
    with transaction.atomic():
        record(action=AuditAction.DELETE, actor=by, obj=holiday, detail=f"deleted {holiday.name}")
        holiday.delete()
