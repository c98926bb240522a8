"""Training and events: courses, their sessions, places, waiting lists, registers and the learning record.

Times are stored in UTC (aware datetimes) and shown in Europe/London through apps.core.dates.
Rows here carry only the invariants of one row; who may book, and when, lives in services.py.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Sector


class Topic(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Delivery(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"
    ELEARNING = "elearning", "E-learning"


class BookingMethod(models.TextChoices):
    HUB = "hub", "Book on the hub"
    EXTERNAL = "external", "Book on another website"
    REQUEST = "request", "Ask the organiser for a place"


class Course(models.Model):
    """Something the partnership offers: a briefing, a course or an e-learning item."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.TextField(help_text="One or two sentences for the catalogue.")
    description = models.TextField(blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="courses")
    audience_roles = models.CharField(
        max_length=300, blank=True, help_text="Who it is for, for example 'Designated safeguarding leads and deputies'."
    )
    learning_outcomes = models.TextField(blank=True, help_text="One outcome a line.")
    provider = models.CharField(
        max_length=200, default="City of York Safeguarding Children Partnership", help_text="Who runs it."
    )
    delivery = models.CharField(max_length=16, choices=Delivery.choices, default=Delivery.IN_PERSON)
    booking_method = models.CharField(max_length=16, choices=BookingMethod.choices, default=BookingMethod.HUB)
    external_booking_url = models.URLField(blank=True, help_text="Where to book when booking is on another website.")
    external_booking_name = models.CharField(
        max_length=100, blank=True, help_text="The other website's name, for example 'EventBrite'."
    )
    contact_email = models.EmailField(blank=True)
    non_attendance_charge = models.DecimalField(
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="Pounds charged to the organisation when its member does not attend or cancels late. Empty: none.",
    )
    charge_cancel_by_working_days = models.PositiveSmallIntegerField(
        default=2, help_text="A place cancelled fewer than this many working days before the session is charged."
    )
    is_published = models.BooleanField(default=True)
    needs_manager_approval = models.BooleanField(
        default=False,
        help_text="A booking names the person's line manager, who approves or declines it by e-mail. "
        "The place is held until then.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(booking_method="external") | ~Q(external_booking_url=""),
                name="course_external_booking_has_url",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:course", kwargs={"slug": self.slug})

    def audit_label(self) -> str:
        return self.title

    @property
    def outcomes(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.learning_outcomes.splitlines() if line.strip(" -•\t")]

    @property
    def sectors(self) -> list[str]:
        return [Sector(row.sector).label for row in self.audience.all()]


class CourseAudience(models.Model):
    """One sector a course is for. A course with every sector is open to all partners."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="audience")
    sector = models.CharField(max_length=32, choices=Sector.choices)

    class Meta:
        ordering = ["sector"]
        constraints = [models.UniqueConstraint(fields=["course", "sector"], name="course_audience_unique")]

    def __str__(self) -> str:
        return f"{self.course}: {self.get_sector_display()}"


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"


class Session(models.Model):
    """One dated run of a course. `number` is the session's stable place in its course."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    number = models.PositiveIntegerField()
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    capacity = models.PositiveIntegerField(default=20, validators=[MinValueValidator(1)])
    trainers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="sessions_trained")
    venue = models.CharField(max_length=300, blank=True, help_text="Where it is, for sessions in person.")
    joining_link = models.URLField(blank=True, help_text="Shown only to people with a place.")
    booking_opens_at = models.DateTimeField(null=True, blank=True, help_text="Empty: open now.")
    booking_closes_at = models.DateTimeField(null=True, blank=True, help_text="Empty: when the session starts.")
    cancellation_cutoff_hours = models.PositiveIntegerField(
        default=24, help_text="People can cancel their place until this many hours before the start."
    )
    status = models.CharField(max_length=16, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED)
    cancelled_reason = models.TextField(blank=True)
    register_closed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the register was closed: marks are final and charges are worked out."
    )
    register_closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["course", "number"], name="session_number_unique_in_course"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="session_has_places"),
        ]

    def __str__(self) -> str:
        from apps.core.dates import format_range

        return f"{self.course.title}, {format_range(self.starts_at, self.ends_at)}"

    def get_absolute_url(self) -> str:
        return reverse("training:session", kwargs={"pk": self.pk})

    def audit_label(self) -> str:
        return f"{self.course.slug} #{self.number}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    @property
    def hours(self) -> Decimal:
        return (Decimal((self.ends_at - self.starts_at).total_seconds()) / Decimal(3600)).quantize(Decimal("0.01"))

    @property
    def closes_at(self) -> dt.datetime:
        return self.booking_closes_at or self.starts_at

    @property
    def cancel_by(self) -> dt.datetime:
        return self.starts_at - dt.timedelta(hours=self.cancellation_cutoff_hours)

    def is_open_for_booking(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        opened = self.booking_opens_at is None or self.booking_opens_at <= now
        return self.status == SessionStatus.SCHEDULED and opened and now < self.closes_at


CHECKIN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_checkin_code() -> str:
    """80 random bits in four groups of four, without letters that look like digits: a QR code or typed by hand."""
    raw = "".join(secrets.choice(CHECKIN_ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


class BookingStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    CANCELLED = "cancelled", "Cancelled"
    ATTENDED = "attended", "Attended"
    ABSENT = "absent", "Absent"
    CANCELLED_LATE = "cancelled_late", "Cancelled late"
    AWAITING_APPROVAL = "pending_approval", "Waiting for manager approval"


# Statuses that hold one of the session's places. A cancelled booking frees its place; a place waiting
# for the line manager's approval is held (see approval.py).
HOLDS_PLACE = [
    BookingStatus.BOOKED,
    BookingStatus.ATTENDED,
    BookingStatus.ABSENT,
    BookingStatus.CANCELLED_LATE,
    BookingStatus.AWAITING_APPROVAL,
]
REGISTER_MARKS = [BookingStatus.ATTENDED, BookingStatus.ABSENT, BookingStatus.CANCELLED_LATE]


class Booking(models.Model):
    """A place at a session held by one person. The organisation is the one they worked for when they booked."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="bookings")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_bookings")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=16, choices=BookingStatus.choices, default=BookingStatus.BOOKED)
    access_needs = models.TextField(blank=True)
    from_waiting_list = models.BooleanField(default=False)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, help_text="The calendar event's UID.")
    calendar_sequence = models.PositiveIntegerField(
        default=0, help_text="iCalendar SEQUENCE: goes up each time the event is sent again changed."
    )
    booked_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    marked_at = models.DateTimeField(null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reminder_sent_at = models.DateTimeField(
        null=True, blank=True, help_text="Set in the same transaction as the reminder's outbox row."
    )
    checkin_code = models.CharField(
        max_length=24,
        unique=True,
        default=new_checkin_code,
        editable=False,
        help_text="The secret the booking's QR code carries: random, never the booking's number.",
    )
    checked_in_at = models.DateTimeField(null=True, blank=True, help_text="When the QR code or typed code was used.")

    class Meta:
        ordering = ["session__starts_at", "booked_at", "pk"]
        constraints = [
            # The database itself refuses a second live booking of one person at one session.
            models.UniqueConstraint(
                fields=["session", "person"],
                condition=~Q(status="cancelled"),
                name="booking_one_live_place_per_person",
            )
        ]
        indexes = [models.Index(fields=["session", "status"], name="booking_session_status_idx")]

    def __str__(self) -> str:
        return f"{self.person} at {self.session}"

    def get_absolute_url(self) -> str:
        return reverse("training:booking", kwargs={"pk": self.pk})

    def audit_label(self) -> str:
        return f"booking {self.pk} ({self.session.audit_label()})"

    @property
    def holds_place(self) -> bool:
        return self.status in HOLDS_PLACE


class WaitingStatus(models.TextChoices):
    WAITING = "waiting", "Waiting"
    OFFERED = "offered", "Offered a place"
    ACCEPTED = "accepted", "Took the place"
    DECLINED = "declined", "Turned the place down"
    EXPIRED = "expired", "Offer ran out"
    LEFT = "left", "Left the waiting list"
    CLOSED = "closed", "Session cancelled"


class WaitingListEntry(models.Model):
    """A person waiting for a place. First come, first served: position is by `joined_at`, then id."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="waiting_list")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="waiting_list_entries")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    access_needs = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=WaitingStatus.choices, default=WaitingStatus.WAITING)
    joined_at = models.DateTimeField(default=timezone.now)
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    booking = models.OneToOneField(Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["joined_at", "pk"]
        verbose_name_plural = "waiting list entries"
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"],
                condition=Q(status__in=["waiting", "offered"]),
                name="waiting_once_per_person",
            ),
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(offer_expires_at__isnull=False),
                name="waiting_offer_has_expiry",
            ),
        ]
        indexes = [models.Index(fields=["session", "status", "joined_at"], name="waiting_queue_idx")]

    def __str__(self) -> str:
        return f"{self.person} waiting for {self.session}"

    def get_absolute_url(self) -> str:
        return reverse("training:waiting_entry", kwargs={"pk": self.pk})

    def audit_label(self) -> str:
        return f"waiting list entry {self.pk} ({self.session.audit_label()})"

    @property
    def is_live(self) -> bool:
        return self.status in (WaitingStatus.WAITING, WaitingStatus.OFFERED)


class RequestStatus(models.TextChoices):
    REQUESTED = "requested", "Waiting for a decision"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class BookingRequest(models.Model):
    """A request for a place on a course booked "by request"; the business unit accepts or declines it."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="requests")
    session = models.ForeignKey(Session, on_delete=models.PROTECT, null=True, blank=True, related_name="requests")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_requests")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    message = models.TextField(blank=True)
    access_needs = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=RequestStatus.choices, default=RequestStatus.REQUESTED)
    requested_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_note = models.TextField(blank=True)
    booking = models.OneToOneField(Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "session", "person"],
                condition=Q(status="requested"),
                name="request_once_while_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} asks for {self.course}"

    def audit_label(self) -> str:
        return f"booking request {self.pk} ({self.course.slug})"


class Certificate(models.Model):
    """Proof of attending a session (a booking) or of passing an e-learning knowledge check (a completion).
    The code is all a public check reveals: course, date and hours, never the person."""

    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="certificate", null=True, blank=True)
    completion = models.OneToOneField(
        "ELearningCompletion", on_delete=models.CASCADE, related_name="certificate", null=True, blank=True
    )
    code = models.CharField(max_length=20, unique=True)
    issued_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(booking__isnull=False, completion__isnull=True)
                | Q(booking__isnull=True, completion__isnull=False),
                name="certificate_of_a_booking_or_a_completion",
            )
        ]

    def __str__(self) -> str:
        return self.code

    def audit_label(self) -> str:
        return f"certificate {self.code}"

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None

    @property
    def course(self) -> Course:
        return self.booking.session.course if self.booking_id else self.completion.item.course

    @property
    def person(self):
        return self.booking.person if self.booking_id else self.completion.person

    @property
    def hours(self) -> Decimal:
        return self.booking.session.hours if self.booking_id else self.completion.item.hours

    @staticmethod
    def new_code() -> str:
        # 40 bits in four groups, without letters that look like digits: easy to type from paper.
        alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
        raw = "".join(secrets.choice(alphabet) for _ in range(12))
        return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


class Evaluation(models.Model):
    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="evaluation")
    rating = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    comments = models.TextField(blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="evaluation_rating_1_to_5")
        ]

    def __str__(self) -> str:
        return f"{self.rating}/5 for {self.booking.session}"


def evidence_path(instance: OutsideTraining, filename: str) -> str:
    # The stored name never carries what the person called the file.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"training/evidence/{instance.person_id}/{uuid.uuid4().hex}.{suffix}"


class ProtectedStorage(FileSystemStorage):
    """Files outside the web root, only ever served by views that check who is asking.
    The location is read when used, so it follows PROTECTED_MEDIA_ROOT wherever that points."""

    @property
    def base_location(self) -> str:
        return str(settings.PROTECTED_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    @property
    def base_url(self) -> None:
        return None


def protected_storage() -> ProtectedStorage:
    return ProtectedStorage()


class OutsideTraining(models.Model):
    """Training a practitioner did elsewhere and records themselves, with evidence."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outside_training")
    title = models.CharField(max_length=200)
    provider = models.CharField(max_length=200)
    completed_on = models.DateField()
    hours = models.DecimalField(
        max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(200)]
    )
    evidence = models.FileField(upload_to=evidence_path, storage=protected_storage, blank=True)
    evidence_name = models.CharField(max_length=200, blank=True)
    evidence_content_type = models.CharField(max_length=100, blank=True)
    notes = models.TextField(blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-completed_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0), name="outside_training_has_hours")]

    def __str__(self) -> str:
        return self.title

    def audit_label(self) -> str:
        return f"outside training {self.pk}"


class ELearningItem(models.Model):
    """A video (a file or a link) with text and a short knowledge check.

    Uploaded videos and captions are kept outside the web root and served only to people signed in
    (views.elearning_video), so they are there in production as well as with DEBUG on."""

    course = models.OneToOneField(Course, on_delete=models.CASCADE, related_name="elearning")
    video_url = models.URLField(blank=True)
    video_file = models.FileField(upload_to="training/elearning/", storage=protected_storage, blank=True)
    captions_file = models.FileField(
        upload_to="training/elearning/", storage=protected_storage, blank=True, help_text="WebVTT captions."
    )
    body = models.TextField(help_text="What the learner reads. A blank line starts a new paragraph.")
    transcript = models.TextField(blank=True)
    minutes = models.PositiveIntegerField(default=30, help_text="Time credited to the learning record.")
    pass_mark = models.PositiveSmallIntegerField(
        default=80, validators=[MinValueValidator(1), MaxValueValidator(100)], help_text="Per cent correct to pass."
    )
    questions_per_attempt = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="How many questions each attempt draws from the question bank. Empty: every question.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(pass_mark__gte=1, pass_mark__lte=100), name="elearning_pass_mark"),
            models.CheckConstraint(
                condition=Q(video_file="") | ~Q(captions_file=""), name="elearning_video_file_has_captions"
            ),
        ]

    def __str__(self) -> str:
        return self.course.title

    def get_absolute_url(self) -> str:
        return reverse("training:elearning", kwargs={"slug": self.course.slug})

    def audit_label(self) -> str:
        return f"e-learning {self.course.slug}"

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.split("\n\n") if p.strip()]

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / Decimal(60)).quantize(Decimal("0.01"))

    @property
    def has_video(self) -> bool:
        return bool(self.video_file or self.video_url)

    def right_answers_to_pass(self, questions: int) -> int:
        """How many of `questions` a learner must answer rightly to reach the pass mark (as the check scores)."""
        if questions <= 0:
            return 0
        return next((n for n in range(questions + 1) if round(100 * n / questions) >= self.pass_mark), questions)


class Question(models.Model):
    item = models.ForeignKey(ELearningItem, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=500)
    feedback = models.TextField(blank=True, help_text="Shown with the question after each attempt, right or wrong.")

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="question_number_unique")]

    def __str__(self) -> str:
        return self.text

    def audit_label(self) -> str:
        return f"question {self.number} of {self.item.audit_label()}"


class Answer(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    number = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    is_correct = models.BooleanField(default=False)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["question", "number"], name="answer_number_unique")]

    def __str__(self) -> str:
        return self.text


class ELearningCompletion(models.Model):
    """The first pass of an item's knowledge check; later attempts change nothing."""

    item = models.ForeignKey(ELearningItem, on_delete=models.PROTECT, related_name="completions")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="elearning_done")
    score = models.PositiveSmallIntegerField(help_text="Per cent correct.")
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-completed_at"]
        constraints = [models.UniqueConstraint(fields=["item", "person"], name="elearning_completed_once")]

    def __str__(self) -> str:
        return f"{self.person} completed {self.item}"


class CalendarFeed(models.Model):
    """A person's secret calendar address. Revoking gives a new token; the old address stops working."""

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_feed")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"calendar feed of {self.person}"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)


# --- The coordinator's week: scheduling, booking questions, manager approval, messages --------------


class BankHoliday(models.Model):
    """A bank holiday in England, kept by the business unit. Scheduling warns of sessions on one."""

    date = models.DateField(unique=True)
    name = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%Y-%m-%d})"

    def audit_label(self) -> str:
        return f"bank holiday {self.date:%Y-%m-%d}"


class QuestionKind(models.TextChoices):
    TEXT = "text", "Text"
    CHOICE = "choice", "One of a list"
    YES_NO = "yes_no", "Yes or no"


class BookingQuestion(models.Model):
    """A question a course asks everyone who books, for example their role or dietary needs."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="booking_questions")
    number = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    hint = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=16, choices=QuestionKind.choices, default=QuestionKind.TEXT)
    choices = models.TextField(blank=True, help_text="For 'one of a list': one choice a line.")
    required = models.BooleanField(default=True)

    class Meta:
        ordering = ["number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["course", "number"], name="booking_question_number_unique"),
            models.CheckConstraint(
                condition=~Q(kind="choice") | ~Q(choices=""), name="booking_question_choice_has_choices"
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def audit_label(self) -> str:
        return f"booking question {self.number} of {self.course.slug}"

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class BookingAnswer(models.Model):
    """An answer given when booking (or joining the waiting list). The question's text is kept with it,
    so the register still reads rightly if the question is later changed or deleted."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, null=True, blank=True, related_name="answers")
    waiting_entry = models.ForeignKey(
        WaitingListEntry, on_delete=models.CASCADE, null=True, blank=True, related_name="answers"
    )
    question = models.ForeignKey(BookingQuestion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    question_text = models.CharField(max_length=300)
    answer = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(booking__isnull=False) | Q(waiting_entry__isnull=False),
                name="booking_answer_of_a_booking_or_waiting_entry",
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_text}: {self.answer}"


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the manager"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    LAPSED = "lapsed", "Not answered in time"


class ManagerApproval(models.Model):
    """A line manager's approval of a booking. The e-mailed link carries a secret token; only its hash is kept.
    The link works once, and until `expires_at`; after that the held place goes to the waiting list."""

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="approval")
    manager_email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=16, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING)
    requested_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["status", "expires_at"], name="approval_due_idx")]

    def __str__(self) -> str:
        return f"approval of {self.booking_id} by {self.manager_email}"

    def audit_label(self) -> str:
        return f"manager approval of booking {self.booking_id}"


class MessageAudience(models.TextChoices):
    BOOKED = "booked", "Everyone with a place"
    WAITING = "waiting", "Everyone on the waiting list"
    BOTH = "both", "Both"


class SessionMessage(models.Model):
    """An e-mail sent to everyone booked on a session (or waiting for it), kept on the session."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="messages")
    audience = models.CharField(max_length=16, choices=MessageAudience.choices)
    subject = models.CharField(max_length=150)
    body = models.TextField()
    recipients = models.PositiveIntegerField()
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return self.subject

    def audit_label(self) -> str:
        return f"message {self.pk} to {self.session.audit_label()}"


# --- On the day: non-attendance charges -----------------------------------------------------------


class ChargeReason(models.TextChoices):
    NO_SHOW = "no_show", "Did not attend"
    CANCELLED_LATE = "cancelled_late", "Cancelled late"


class Charge(models.Model):
    """A non-attendance charge to an organisation, worked out when a session's register is closed.
    The hub takes no payment: the business unit exports the month's charges for the council's finance system."""

    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="charge")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    amount = models.DecimalField(max_digits=7, decimal_places=2)
    reason = models.CharField(max_length=16, choices=ChargeReason.choices)
    session_starts_at = models.DateTimeField(db_index=True, help_text="The session's start: the month charged.")
    created_at = models.DateTimeField(default=timezone.now)
    waived_at = models.DateTimeField(null=True, blank=True)
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    waiver_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["session_starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="charge_amount_positive"),
            models.CheckConstraint(
                condition=Q(waived_at__isnull=True) | ~Q(waiver_reason=""), name="charge_waiver_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"£{self.amount} for {self.booking}"

    def audit_label(self) -> str:
        return f"charge {self.pk} ({self.booking.audit_label()})"

    @property
    def is_waived(self) -> bool:
        return self.waived_at is not None
