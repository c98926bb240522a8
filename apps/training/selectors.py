"""Reads of training data, with the access rules they carry."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, F, IntegerField, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import AccountStatus, Role, Team, User
from apps.accounts.permissions import is_business_unit, is_system_admin, roles_of
from apps.core.dates import to_london

from .models import (
    HOLDS_PLACE,
    Booking,
    BookingMethod,
    BookingRequest,
    BookingStatus,
    Course,
    CourseAudience,
    Delivery,
    ELearningCompletion,
    OutsideTraining,
    RequestStatus,
    Session,
    SessionStatus,
    WaitingListEntry,
    WaitingStatus,
)

if TYPE_CHECKING:
    from .forms import CatalogueFilterForm


def _count_sql(model, condition: str, params: list, alias: str) -> RawSQL:
    """A correlated COUNT(*) of `model` rows for the session, as plain SQL.

    Django's Subquery would say the same, but building it (cloning and relabelling the inner query
    for each annotation and again for each filter on it) cost more than running it: about 10 ms of
    every booking and catalogue request. The outer table is always the session table itself here."""
    quote = connection.ops.quote_name
    table, session = quote(model._meta.db_table), quote(Session._meta.db_table)
    # Only the hub's own table and column names are in the text; every value is a bound parameter.
    return RawSQL(  # noqa: S611
        f"SELECT COUNT(*) FROM {table} AS {alias} WHERE {alias}.{quote('session_id')} = {session}.{quote('id')}"  # noqa: S608
        f" AND {condition.format(a=alias)}",
        params,
        output_field=IntegerField(),
    )


def with_places(sessions: QuerySet[Session], now: dt.datetime | None = None) -> QuerySet[Session]:
    """Annotate `places_booked`, `places_offered`, `places_waiting` and `places_bookable` (free to a newcomer)."""
    now = now or timezone.now()
    holds = list(HOLDS_PLACE)
    status = connection.ops.quote_name("status")
    expires = connection.ops.quote_name("offer_expires_at")
    return sessions.annotate(
        places_booked=_count_sql(
            Booking, f"{{a}}.{status} IN ({', '.join(['%s'] * len(holds))})", [str(h) for h in holds], "places_b"
        ),
        places_offered=_count_sql(
            WaitingListEntry,
            f"{{a}}.{status} = %s AND {{a}}.{expires} > %s",
            [str(WaitingStatus.OFFERED), connection.ops.adapt_datetimefield_value(now)],
            "places_o",
        ),
        places_waiting=_count_sql(WaitingListEntry, f"{{a}}.{status} = %s", [str(WaitingStatus.WAITING)], "places_w"),
    ).annotate(places_bookable=F("capacity") - F("places_booked") - F("places_offered") - F("places_waiting"))


CATALOGUE_VERSION = "training:catalogue:version"


def catalogue_version() -> int:
    from django.core.cache import cache

    return cache.get_or_set(CATALOGUE_VERSION, 1, timeout=None)


def forget_catalogue() -> None:
    """Places or sessions changed: cached catalogue pages are stale from now on."""
    from django.core.cache import cache

    try:
        cache.incr(CATALOGUE_VERSION)
    except ValueError:
        cache.set(CATALOGUE_VERSION, 2, timeout=None)


def published_course(slug: str) -> Course:
    course = Course.objects.filter(slug=slug, is_published=True).first()
    if course is None:
        raise Http404("No such course")
    return course


def visible_session(pk: int, *, places: bool = True) -> Session:
    """A session of a published course, or 404. `places=False` leaves out the counts of places, for a booking
    whose service counts them again under the session's lock anyway."""
    sessions = Session.objects.select_related("course").filter(pk=pk, course__is_published=True)
    session = (with_places(sessions) if places else sessions).first()
    if session is None:
        raise Http404("No such session")
    return session


def upcoming_sessions(now: dt.datetime | None = None) -> QuerySet[Session]:
    now = now or timezone.now()
    return Session.objects.filter(
        course__is_published=True, status=SessionStatus.SCHEDULED, starts_at__gt=now
    ).select_related("course")


def catalogue_sessions(form: CatalogueFilterForm | None, now: dt.datetime | None = None) -> QuerySet[Session]:
    now = now or timezone.now()
    sessions = with_places(upcoming_sessions(now), now)
    data: dict[str, Any] = form.cleaned_data if form is not None and form.is_valid() else {}
    if data.get("q"):
        sessions = sessions.filter(course__in=_courses_matching(data["q"]).values("pk"))
    if data.get("date_from"):
        sessions = sessions.filter(starts_at__gte=_london_midnight(data["date_from"]))
    if data.get("date_to"):
        sessions = sessions.filter(starts_at__lt=_london_midnight(data["date_to"] + dt.timedelta(days=1)))
    # Course filters as subqueries, not joins: no duplicate rows, so no DISTINCT over the annotations.
    if data.get("topic"):
        sessions = sessions.filter(
            course__in=Course.topics.through.objects.filter(topic=data["topic"]).values("course")
        )
    if data.get("audience"):
        sessions = sessions.filter(course__in=CourseAudience.objects.filter(sector=data["audience"]).values("course"))
    if data.get("delivery"):
        sessions = sessions.filter(course__delivery=data["delivery"])
    if data.get("free_places"):
        # Places booked elsewhere are not known here, so only sessions booked through the hub qualify.
        sessions = sessions.exclude(course__booking_method=BookingMethod.EXTERNAL).filter(places_bookable__gt=0)
    return sessions.order_by("starts_at", "pk")


def catalogue_elearning(form: CatalogueFilterForm | None) -> QuerySet[Course]:
    """E-learning has no dates, so date and free-place filters leave it out."""
    data: dict[str, Any] = form.cleaned_data if form is not None and form.is_valid() else {}
    if data.get("date_from") or data.get("date_to") or data.get("free_places"):
        return Course.objects.none()
    if data.get("delivery") and data["delivery"] != Delivery.ELEARNING:
        return Course.objects.none()
    # An item is listed once it has a knowledge check: without questions there is nothing to pass.
    courses = Course.objects.filter(
        is_published=True, delivery=Delivery.ELEARNING, elearning__isnull=False, elearning__questions__isnull=False
    )
    if data.get("q"):
        courses = courses.filter(pk__in=_courses_matching(data["q"]).values("pk"))
    if data.get("topic"):
        courses = courses.filter(topics=data["topic"])
    if data.get("audience"):
        courses = courses.filter(audience__sector=data["audience"])
    return courses.distinct()


def _courses_matching(keywords: str) -> QuerySet[Course]:
    """Courses whose title, summary or description has every word searched for, in any case."""
    courses = Course.objects.all()
    for word in keywords.split()[:10]:
        courses = courses.filter(Q(title__icontains=word) | Q(summary__icontains=word) | Q(description__icontains=word))
    return courses


def _london_midnight(day: dt.date) -> dt.datetime:
    from apps.core.dates import LONDON

    return dt.datetime.combine(day, dt.time()).replace(tzinfo=LONDON)


# --- One person's training ---------------------------------------------------------------------


@dataclass
class MyTraining:
    upcoming: list[Booking]
    waiting: list[WaitingListEntry]
    requests: list[BookingRequest]
    past: list[Booking]


# A booking still to come: booked, or held while the line manager decides.
UPCOMING_STATUSES = (BookingStatus.BOOKED, BookingStatus.AWAITING_APPROVAL)


def training_of(person: User, now: dt.datetime | None = None) -> MyTraining:
    now = now or timezone.now()
    bookings = Booking.objects.filter(person=person).select_related("session__course").order_by("session__starts_at")
    return MyTraining(
        upcoming=[b for b in bookings if b.session.starts_at > now and b.status in UPCOMING_STATUSES],
        waiting=list(
            WaitingListEntry.objects.filter(
                person=person, status__in=[WaitingStatus.WAITING, WaitingStatus.OFFERED], session__starts_at__gt=now
            ).select_related("session__course")
        ),
        requests=list(
            BookingRequest.objects.filter(person=person)
            .select_related("course", "session")
            .order_by("-requested_at")[:20]
        ),
        past=sorted(
            (b for b in bookings if b.session.starts_at <= now or b.status not in UPCOMING_STATUSES),
            key=lambda b: b.session.starts_at,
            reverse=True,
        ),
    )


def live_booking(session: Session, person: Any) -> Booking | None:
    if not getattr(person, "is_authenticated", False):
        return None
    return Booking.objects.filter(session=session, person=person, status__in=HOLDS_PLACE).first()


def live_waiting_entry(session: Session, person: Any) -> WaitingListEntry | None:
    if not getattr(person, "is_authenticated", False):
        return None
    return WaitingListEntry.objects.filter(
        session=session, person=person, status__in=[WaitingStatus.WAITING, WaitingStatus.OFFERED]
    ).first()


def feed_bookings(person: User) -> QuerySet[Booking]:
    since = timezone.now() - dt.timedelta(days=90)
    return Booking.objects.filter(person=person, session__starts_at__gte=since).select_related(
        "session__course", "person"
    )


# --- Registers and teaching --------------------------------------------------------------------


def register_of(session: Session) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(session=session, status__in=HOLDS_PLACE)
        .exclude(status=BookingStatus.AWAITING_APPROVAL)  # not on the register until the manager approves
        .select_related("person", "organisation")
        .order_by("person__last_name", "person__first_name", "pk")
    )


def sessions_taught_by(user: User, now: dt.datetime | None = None) -> tuple[list[Session], list[Session]]:
    now = now or timezone.now()
    sessions = with_places(Session.objects.filter(trainers=user).select_related("course"))
    upcoming = list(sessions.filter(ends_at__gt=now - dt.timedelta(hours=12)).order_by("starts_at")[:50])
    past = list(sessions.filter(ends_at__lte=now - dt.timedelta(hours=12)).order_by("-starts_at")[:50])
    return upcoming, past


# --- The learning record -----------------------------------------------------------------------


@dataclass
class YearOfLearning:
    year: int
    hours: Decimal = Decimal("0")
    items: list[LearningItem] = field(default_factory=list)


@dataclass
class LearningItem:
    kind: str
    title: str
    provider: str
    date: dt.date
    hours: Decimal
    certificate_booking: Booking | None = None
    outside: OutsideTraining | None = None
    certificate_url: str = ""


@dataclass
class LearningRecord:
    person: User
    years: list[YearOfLearning]

    @property
    def total_hours(self) -> Decimal:
        return sum((year.hours for year in self.years), Decimal("0"))

    @property
    def items(self) -> list[LearningItem]:
        return [item for year in self.years for item in year.items]


def learning_record_of(person: User) -> LearningRecord:
    items: list[LearningItem] = []
    for booking in (
        Booking.objects.filter(person=person, status=BookingStatus.ATTENDED)
        .select_related("session__course", "certificate")
        .order_by("-session__starts_at")
    ):
        session = booking.session
        items.append(
            LearningItem(
                kind="Session attended",
                title=session.course.title,
                provider=session.course.provider,
                date=to_london(session.starts_at).date(),
                hours=session.hours,
                certificate_booking=booking if getattr(booking, "certificate", None) else None,
                certificate_url=reverse("training:certificate", args=[booking.pk])
                if getattr(booking, "certificate", None) and booking.certificate.is_valid
                else "",
            )
        )
    for completion in ELearningCompletion.objects.filter(person=person).select_related("item__course", "certificate"):
        certificate = getattr(completion, "certificate", None)
        items.append(
            LearningItem(
                kind="E-learning completed",
                title=completion.item.course.title,
                provider=completion.item.course.provider,
                date=to_london(completion.completed_at).date(),
                hours=completion.item.hours,
                certificate_url=reverse("training:elearning_certificate", args=[completion.item.course.slug])
                if certificate and certificate.is_valid
                else "",
            )
        )
    for outside in OutsideTraining.objects.filter(person=person):
        items.append(
            LearningItem(
                kind="Outside training",
                title=outside.title,
                provider=outside.provider,
                date=outside.completed_on,
                hours=outside.hours,
                outside=outside,
            )
        )
    years: dict[int, YearOfLearning] = {}
    for item in sorted(items, key=lambda i: i.date, reverse=True):
        year = years.setdefault(item.date.year, YearOfLearning(item.date.year))
        year.items.append(item)
        year.hours += item.hours
    return LearningRecord(person=person, years=sorted(years.values(), key=lambda y: y.year, reverse=True))


def people_whose_records(user: Any) -> QuerySet[User]:
    """Organisation admins see their own organisations' staff; the business unit sees every practitioner."""
    people = User.objects.filter(status=AccountStatus.ACTIVE, organisation__isnull=False).select_related("organisation")
    if is_business_unit(user) or is_system_admin(user):
        return people.order_by("organisation__name", "last_name", "first_name")
    return people.filter(organisation_id__in=roles_of(user).admin_of_organisation_ids).order_by(
        "organisation__name", "last_name", "first_name"
    )


# --- The business unit's view -------------------------------------------------------------------


@dataclass
class CourseFigures:
    course: Course
    sessions: int
    places: int
    held: int
    attended: int
    absent: int
    requests_open: int
    rating: float | None
    evaluations: int

    upcoming: int = 0
    completions: int = 0

    @property
    def is_elearning(self) -> bool:
        return self.course.delivery == Delivery.ELEARNING

    @property
    def booked_elsewhere(self) -> bool:
        """Places are booked on another website, so the hub cannot know how full the sessions were."""
        return self.course.booking_method == BookingMethod.EXTERNAL

    @property
    def fill_rate(self) -> int | None:
        if self.booked_elsewhere:
            return None
        return round(100 * self.held / self.places) if self.places else None

    @property
    def no_show_rate(self) -> int | None:
        marked = self.attended + self.absent
        return round(100 * self.absent / marked) if marked else None


def course_figures(now: dt.datetime | None = None) -> list[CourseFigures]:
    """Fill and no-show rates per course, over sessions that have started and were not cancelled.
    Upcoming sessions are still filling, so counting them would make every course look emptier than it was."""
    from django.db.models import Avg, Sum

    now = now or timezone.now()
    courses = Course.objects.order_by("title")
    held = Session.objects.filter(status=SessionStatus.SCHEDULED, starts_at__lte=now)
    sessions = held.values("course").annotate(n=Count("pk"), places=Sum("capacity"))
    by_course = {row["course"]: row for row in sessions}
    upcoming = dict(
        Session.objects.filter(status=SessionStatus.SCHEDULED, starts_at__gt=now)
        .values("course")
        .annotate(n=Count("pk"))
        .values_list("course", "n")
    )
    bookings = (
        Booking.objects.filter(session__in=held)
        .values("session__course")
        .annotate(
            held=Count("pk", filter=Q(status__in=HOLDS_PLACE)),
            attended=Count("pk", filter=Q(status=BookingStatus.ATTENDED)),
            absent=Count("pk", filter=Q(status=BookingStatus.ABSENT)),
            rating=Avg("evaluation__rating"),
            evaluations=Count("evaluation"),
        )
    )
    booked = {row["session__course"]: row for row in bookings}
    completions = dict(
        ELearningCompletion.objects.values("item__course").annotate(n=Count("pk")).values_list("item__course", "n")
    )
    requests = defaultdict(int)
    for row in BookingRequest.objects.filter(status=RequestStatus.REQUESTED).values("course").annotate(n=Count("pk")):
        requests[row["course"]] = row["n"]
    figures = []
    for course in courses:
        s = by_course.get(course.pk, {})
        b = booked.get(course.pk, {})
        figures.append(
            CourseFigures(
                course=course,
                sessions=s.get("n", 0),
                places=s.get("places") or 0,
                held=b.get("held", 0),
                attended=b.get("attended", 0),
                absent=b.get("absent", 0),
                requests_open=requests[course.pk],
                rating=round(b["rating"], 1) if b.get("rating") is not None else None,
                evaluations=b.get("evaluations", 0),
                upcoming=upcoming.get(course.pk, 0),
                completions=completions.get(course.pk, 0),
            )
        )
    return figures


def business_unit_addresses() -> list[str]:
    """Where news for the business unit goes: the business unit team's inbox if it has one (the team's slug is
    TRAINING_BUSINESS_UNIT_TEAM, "business-unit" unless set), or else every active business unit editor."""
    slug = getattr(settings, "TRAINING_BUSINESS_UNIT_TEAM", "business-unit")
    team = Team.objects.filter(slug=slug).exclude(inbox_email="").first()
    if team is not None:
        return [team.inbox_email]
    editors = User.objects.filter(status=AccountStatus.ACTIVE, role_grants__role=Role.BUSINESS_UNIT)
    return sorted(set(editors.values_list("email", flat=True)))


def open_requests() -> QuerySet[BookingRequest]:
    return BookingRequest.objects.filter(status=RequestStatus.REQUESTED).select_related(
        "course", "session", "person", "organisation"
    )


def course_sessions_for_organiser(course: Course) -> QuerySet[Session]:
    return with_places(course.sessions.all()).prefetch_related(Prefetch("trainers")).order_by("-starts_at")
