"""Training reports: fill rate, no-shows, cancellations, waiting-list conversions and evaluation scores,
by course, organisation, sector or month (in Europe/London). Counted by the database (one aggregate
query a report, and one more for the places offered).

The business unit sees every booking. An organisation admin sees only the bookings of the organisations
they administer, and no fill rate (a session's places are not shared out by organisation)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, Count, Q, Sum
from django.db.models.functions import TruncMonth

from apps.accounts.models import Sector
from apps.accounts.permissions import is_business_unit, is_system_admin, roles_of
from apps.core.charts import Chart, bar_chart
from apps.core.csv_export import csv_writer
from apps.core.dates import LONDON, format_month

from .models import Booking, BookingStatus, Session, SessionStatus

GROUPINGS = {
    "course": ("Course", "session__course__title", "course__title"),
    "organisation": ("Organisation", "organisation__name", None),
    "sector": ("Sector", "organisation__sector", None),
    "month": ("Month", "month", "month"),
}


@dataclass(frozen=True)
class Scope:
    everything: bool
    organisation_ids: frozenset[int]

    @property
    def shows_fill_rate(self) -> bool:
        return self.everything


def scope_of(user: Any) -> Scope:
    if is_business_unit(user) or is_system_admin(user):
        return Scope(True, frozenset())
    return Scope(False, roles_of(user).admin_of_organisation_ids)


@dataclass(frozen=True)
class ReportRow:
    label: str
    places_offered: int | None
    booked: int
    attended: int
    no_shows: int
    cancellations: int
    from_waiting_list: int
    average_rating: Decimal | None

    @property
    def fill_rate(self) -> int | None:
        if not self.places_offered:
            return None
        return int((Decimal(100 * self.booked) / self.places_offered).quantize(Decimal("1"), ROUND_HALF_UP))


def _label(grouping: str, value: Any) -> str:
    if value is None:
        return "No organisation" if grouping in ("organisation", "sector") else "-"
    if grouping == "sector":
        return Sector(value).label if value in Sector.values else str(value)
    if grouping == "month":
        return format_month(value.astimezone(LONDON).date() if isinstance(value, dt.datetime) else value)
    return str(value)


def report(grouping: str, scope: Scope, *, since: dt.datetime | None = None, until: dt.datetime | None = None):
    """One row per course, organisation, sector or month, in that order of label (months oldest first)."""
    _, key, session_key = GROUPINGS[grouping]
    bookings = Booking.objects.filter(session__status=SessionStatus.SCHEDULED)
    sessions = Session.objects.filter(status=SessionStatus.SCHEDULED)
    if since:
        bookings, sessions = bookings.filter(session__starts_at__gte=since), sessions.filter(starts_at__gte=since)
    if until:
        bookings, sessions = bookings.filter(session__starts_at__lt=until), sessions.filter(starts_at__lt=until)
    if not scope.everything:
        bookings = bookings.filter(organisation_id__in=scope.organisation_ids)
    if grouping == "month":
        bookings = bookings.annotate(month=TruncMonth("session__starts_at", tzinfo=LONDON))
        sessions = sessions.annotate(month=TruncMonth("starts_at", tzinfo=LONDON))
    held = ~Q(status=BookingStatus.CANCELLED)
    figures = (
        bookings.values(key)
        .annotate(
            booked=Count("pk", filter=held),
            attended=Count("pk", filter=Q(status=BookingStatus.ATTENDED)),
            no_shows=Count("pk", filter=Q(status=BookingStatus.ABSENT)),
            cancellations=Count("pk", filter=Q(status__in=[BookingStatus.CANCELLED, BookingStatus.CANCELLED_LATE])),
            from_waiting_list=Count("pk", filter=Q(from_waiting_list=True) & held),
            average_rating=Avg("evaluation__rating"),
        )
        .order_by(key)
    )
    offered: dict[Any, int] = {}
    if scope.shows_fill_rate and session_key:
        offered = {
            row[session_key]: row["places"]
            for row in sessions.values(session_key).annotate(places=Sum("capacity")).order_by()
        }
    rows = []
    for row in figures:
        rating = row["average_rating"]
        rows.append(
            ReportRow(
                label=_label(grouping, row[key]),
                places_offered=offered.get(row[key]) if offered else None,
                booked=row["booked"],
                attended=row["attended"],
                no_shows=row["no_shows"],
                cancellations=row["cancellations"],
                from_waiting_list=row["from_waiting_list"],
                average_rating=Decimal(str(rating)).quantize(Decimal("0.1"), ROUND_HALF_UP) if rating else None,
            )
        )
    if grouping == "sector":
        rows.sort(key=lambda r: r.label)
    return rows


def charts(rows: list[ReportRow], heading: str) -> list[Chart]:
    return [
        bar_chart(f"Places taken by {heading.lower()}", [(r.label, r.booked) for r in rows]),
        bar_chart(f"Did not attend by {heading.lower()}", [(r.label, r.no_shows) for r in rows]),
    ]


def write_csv(file: Any, rows: list[ReportRow], heading: str, scope: Scope) -> None:
    writer = csv_writer(file)
    columns = [heading]
    if scope.shows_fill_rate:
        columns += ["Places offered", "Fill rate (%)"]
    columns += [
        "Places taken",
        "Attended",
        "Did not attend",
        "Cancellations",
        "Places taken from the waiting list",
        "Average evaluation (1 to 5)",
    ]
    writer.writerow(columns)
    for row in rows:
        cells: list[Any] = [row.label]
        if scope.shows_fill_rate:
            cells += [
                row.places_offered if row.places_offered is not None else "",
                row.fill_rate if row.fill_rate is not None else "",
            ]
        cells += [
            row.booked,
            row.attended,
            row.no_shows,
            row.cancellations,
            row.from_waiting_list,
            row.average_rating if row.average_rating is not None else "",
        ]
        writer.writerow(cells)
