"""Forms for training. They check what was typed; the rules about places live in services.py."""

from __future__ import annotations

import datetime as dt
import random
import re
import secrets
from decimal import Decimal

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.accounts.models import Role, Sector, User
from apps.core.dates import LONDON, format_range
from apps.core.forms import DateField

from .models import BookingMethod, Course, Delivery, Session, Topic


def _helper(*fields, button: str, button_class: str = "") -> FormHelper:
    helper = FormHelper()
    helper.layout = Layout(*fields, Button("submit", button, css_class=button_class))
    return helper


# --- Messages written for people ----------------------------------------------------------------


def _default_messages(field: forms.Field) -> dict[str, str]:
    defaults: dict[str, str] = {}
    for cls in reversed(type(field).__mro__):
        defaults.update({code: str(text) for code, text in getattr(cls, "default_error_messages", {}).items()})
    return defaults


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _named_messages(field: forms.Field, what: str) -> dict[str, str]:
    """GOV.UK messages for `field`, naming it as `what` ("number of places")."""
    subject = _capital(what).replace("%", "%%")
    what = what.replace("%", "%%")
    if isinstance(field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField):
        return {
            "required": f"Choose the {what}",
            "invalid_choice": f"Choose the {what} from the options shown",
            "invalid_list": f"Choose the {what} from the options shown",
            "invalid_pk_value": f"Choose the {what} from the options shown",
        }
    if isinstance(field, forms.ModelChoiceField | forms.ChoiceField):
        return {"required": f"Choose the {what}", "invalid_choice": f"Choose the {what} from the options shown"}
    if isinstance(field, forms.FileField):
        return {
            "required": f"Choose the {what}",
            "invalid": f"Choose the {what} again",
            "missing": f"Choose the {what} again",
            "empty": f"The selected {what} is empty",
            "max_length": f"The name of the {what} must be %(max)d characters or fewer",
            "contradiction": f"Choose the {what}, or remove the one saved, not both",
        }
    messages = {
        "required": f"Enter the {what}",
        "max_length": f"{subject} must be %(limit_value)d characters or fewer",
        "min_length": f"{subject} must be %(limit_value)d characters or more",
        "null_characters_not_allowed": f"{subject} must not contain null characters",
        "min_value": f"{subject} must be %(limit_value)s or more",
        "max_value": f"{subject} must be %(limit_value)s or fewer",
    }
    if isinstance(field, forms.IntegerField | forms.FloatField | forms.DecimalField):
        kind = "a whole number" if isinstance(field, forms.IntegerField) else "a number"
        messages.update(
            invalid=f"{subject} must be {kind}",
            max_digits=f"{subject} must be %(max)s digits or fewer",
            max_decimal_places=f"{subject} must have %(max)s decimal places or fewer",
            max_whole_digits=f"{subject} must be smaller",
            step_size=f"{subject} must be a multiple of %(limit_value)s",
        )
    elif isinstance(field, forms.URLField):
        messages["invalid"] = f"Enter the {what} as a web address, like https://www.example.org"
    elif isinstance(field, forms.EmailField):
        messages["invalid"] = f"Enter the {what} in the correct format, like name@example.org"
    elif isinstance(field, forms.SlugField):
        messages["invalid"] = f"{subject} must only include lower-case letters, numbers and hyphens"
    elif isinstance(field, forms.DateField):
        messages["invalid"] = f"{subject} must be a real date"
    elif isinstance(field, forms.TimeField):
        messages["invalid"] = f"Enter the {what} as hours and minutes, for example 13:30"
    return messages


class GovukMessages:
    """Every field's error messages in GOV.UK style, naming the field.

    Django's own ("This field is required.", "Ensure this value is greater than or equal to 1.") name
    nothing, so a page with three of them says nothing useful. A message written for the field is kept;
    the rest are made from `names` (field -> "number of places"), or else from the field's label."""

    names: dict[str, str] = {}

    def full_clean(self) -> None:
        for name, field in self.fields.items():
            if isinstance(field, DateField):
                continue
            what = self.names.get(name) or str(field.label or name.replace("_", " ")).removesuffix(" (optional)")
            what = what.rstrip("?").strip()
            what = what[:1].lower() + what[1:]
            defaults = _default_messages(field)
            for code, message in _named_messages(field, what).items():
                current = field.error_messages.get(code)
                if current is None or str(current) == defaults.get(code):
                    field.error_messages[code] = message
        super().full_clean()


def london_datetime(day: dt.date, time: dt.time) -> dt.datetime:
    """A wall-clock time in London as an aware datetime (the clocks' changes handled by zoneinfo)."""
    return dt.datetime.combine(day, time).replace(tzinfo=LONDON)


def _time_field(label: str, **kwargs) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        input_formats=["%H:%M", "%H.%M"],
        help_text="Use the 24-hour clock, for example 13:30",
        error_messages={"invalid": f"Enter the {label.lower()} as hours and minutes, for example 13:30"},
        **kwargs,
    )


class AccessNeedsForm(GovukMessages, forms.Form):
    names = {"access_needs": "access needs"}

    access_needs = forms.CharField(
        label="Do you have any access needs?",
        help_text="For example, a hearing loop, step-free access or a break. Leave this empty if you have none.",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, button: str = "Book a place", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("access_needs", label_size=Size.MEDIUM), button=button)


class ConfirmForm(GovukMessages, forms.Form):
    """A button and nothing else, for actions that need only a yes."""

    def __init__(self, *args, button: str, button_class: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(button=button, button_class=button_class)


class RequestPlaceForm(GovukMessages, forms.Form):
    names = {"session": "session", "message": "message to the organiser", "access_needs": "access needs"}

    session = forms.ModelChoiceField(
        label="Which session would you like?",
        queryset=Session.objects.none(),
        required=False,
        empty_label="Any session",
        error_messages={"invalid_choice": "Choose one of the sessions listed"},
    )
    message = forms.CharField(
        label="Anything the organiser should know?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    access_needs = AccessNeedsForm.base_fields["access_needs"]

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions
        self.fields["session"].label_from_instance = lambda s: format_range(s.starts_at, s.ends_at)
        self.helper = _helper(
            Field.radios("session", legend_size=Size.MEDIUM),
            Field.textarea("message", label_size=Size.MEDIUM),
            Field.textarea("access_needs", label_size=Size.MEDIUM),
            button="Ask for a place",
        )


class DecideRequestForm(GovukMessages, forms.Form):
    names = {"decision": "decision", "session": "session to give a place at", "note": "note to the person"}

    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("accept", "Accept: give a place"), ("decline", "Decline")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose accept or decline"},
    )
    session = forms.ModelChoiceField(
        label="Session to give a place at",
        queryset=Session.objects.none(),
        required=False,
        help_text="Needed when you accept",
    )
    note = forms.CharField(
        label="Note to the person (sent when you decline)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions
        self.fields["session"].label_from_instance = lambda s: format_range(s.starts_at, s.ends_at)
        self.helper = _helper(
            Field.radios("decision", legend_size=Size.MEDIUM),
            Field.select("session"),
            Field.textarea("note"),
            button="Save decision",
        )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "accept" and not data.get("session"):
            self.add_error("session", "Choose the session to give this person a place at")
        return data


class RegisterMarkForm(GovukMessages, forms.Form):
    names = {"booking": "person", "status": "mark"}

    booking = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        choices=[("attended", "Attended"), ("absent", "Absent"), ("cancelled_late", "Cancelled late")]
    )


class CourseForm(GovukMessages, forms.ModelForm):
    names = {
        "title": "title",
        "slug": "web address name",
        "summary": "summary",
        "description": "description",
        "sectors": "sectors it is for",
        "audience_roles": "roles it is for",
        "topics": "topics",
        "learning_outcomes": "learning outcomes",
        "provider": "provider",
        "delivery": "way it is run",
        "booking_method": "way places are booked",
        "external_booking_url": "booking website address",
        "external_booking_name": "booking website name",
        "contact_email": "organiser's e-mail address",
    }

    sectors = forms.MultipleChoiceField(
        label="Which sectors is it for?",
        choices=Sector.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one sector"},
    )
    topics = forms.ModelMultipleChoiceField(
        label="Topics", queryset=Topic.objects.all(), widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Course
        fields = [
            "title",
            "slug",
            "summary",
            "description",
            "audience_roles",
            "learning_outcomes",
            "provider",
            "delivery",
            "booking_method",
            "external_booking_url",
            "external_booking_name",
            "contact_email",
            "non_attendance_charge",
            "charge_cancel_by_working_days",
            "is_published",
            "needs_manager_approval",
        ]
        labels = {
            "non_attendance_charge": "Non-attendance charge in pounds (optional)",
            "charge_cancel_by_working_days": "Working days' notice to cancel without a charge",
            "slug": "Web address name",
            "audience_roles": "Which roles is it for?",
            "is_published": "Show it in the catalogue",
            "needs_manager_approval": "Bookings need the line manager's approval",
            "external_booking_url": "Booking website address",
            "external_booking_name": "Booking website name",
            "contact_email": "Organiser's e-mail address",
        }
        error_messages = {"slug": {"unique": "Another course has this web address name: choose a different one"}}
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 6}),
            "learning_outcomes": forms.Textarea(attrs={"rows": 5}),
            "delivery": forms.RadioSelect,
            "booking_method": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["sectors"].initial = [row.sector for row in self.instance.audience.all()]
        self.fields["slug"].help_text = "Lower-case letters, numbers and hyphens, for example prevent-awareness"
        self.helper = _helper(
            Field.text("title"),
            Field.text("slug", field_width=20),
            Field.textarea("summary"),
            Field.textarea("description"),
            Field.checkboxes("sectors", legend_size=Size.SMALL, small=True),
            Field.text("audience_roles"),
            Field.checkboxes("topics", legend_size=Size.SMALL, small=True),
            Field.textarea("learning_outcomes"),
            Field.text("provider"),
            Field.radios("delivery", legend_size=Size.SMALL, small=True),
            Field.radios("booking_method", legend_size=Size.SMALL, small=True),
            Field.text("external_booking_url"),
            Field.text("external_booking_name", field_width=20),
            Field.text("contact_email", field_width=20),
            Field.text("non_attendance_charge", field_width=5),
            Field.text("charge_cancel_by_working_days", field_width=2),
            Field.checkbox("is_published"),
            Field.checkbox("needs_manager_approval"),
            button="Save course",
        )

    def clean(self):
        data = super().clean()
        if data.get("booking_method") == BookingMethod.EXTERNAL and not data.get("external_booking_url"):
            self.add_error("external_booking_url", "Enter the address of the website where people book")
        return data


def trainer_choices():
    return User.objects.filter(role_grants__role=Role.TRAINER, status="active").distinct().order_by("last_name")


SESSION_DETAILS = (
    "start_time",
    "end_time",
    "capacity",
    "trainers",
    "venue",
    "joining_link",
    "cancellation_cutoff_hours",
    "booking_closes_hours",
)


class SessionDetailsForm(GovukMessages, forms.Form):
    """What a session has besides its date, asked the same way for one session (`SessionForm`) and for a run of
    them (`coordinator_forms.ScheduleForm`). Each subclass orders its own fields and lays them out."""

    names = {
        "capacity": "number of places",
        "trainers": "trainers",
        "venue": "venue",
        "joining_link": "joining link",
        "cancellation_cutoff_hours": "hours before the start when cancelling closes",
        "booking_closes_hours": "hours before the start when booking closes",
    }

    start_time = _time_field("Start time")
    end_time = _time_field("End time")
    capacity = forms.IntegerField(label="Number of places", min_value=1, max_value=10000)
    trainers = forms.ModelMultipleChoiceField(
        label="Trainers", queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )
    venue = forms.CharField(label="Venue", required=False, max_length=300, help_text="For sessions in person")
    joining_link = forms.URLField(
        label="Joining link", required=False, help_text="For online sessions. Only people with a place see it."
    )
    cancellation_cutoff_hours = forms.IntegerField(
        label="Hours before the start when cancelling closes", min_value=0, max_value=24 * 60, initial=24
    )
    booking_closes_hours = forms.IntegerField(
        label="Hours before the start when booking closes", min_value=0, max_value=24 * 60, initial=0
    )

    def __init__(self, *args, course: Course, **kwargs):
        super().__init__(*args, **kwargs)
        self.course = course
        self.fields["trainers"].queryset = trainer_choices()

    @staticmethod
    def details_layout() -> list:
        return [
            Field.text("start_time", field_width=5),
            Field.text("end_time", field_width=5),
            Field.text("capacity", field_width=4),
            Field.checkboxes("trainers", legend_size=Size.SMALL, small=True),
            Field.text("venue"),
            Field.text("joining_link"),
            Field.text("cancellation_cutoff_hours", field_width=4),
            Field.text("booking_closes_hours", field_width=4),
        ]

    def clean_where(self, data: dict, *, no_link: str, no_venue: str) -> None:
        """An online course needs the joining link, and one in person the venue."""
        online = self.course.delivery == Delivery.ONLINE
        if online and not data.get("joining_link") and "joining_link" not in self.errors:
            self.add_error("joining_link", no_link)
        if self.course.delivery == Delivery.IN_PERSON and not data.get("venue") and "venue" not in self.errors:
            self.add_error("venue", no_venue)


class SessionForm(SessionDetailsForm):
    field_order = ["date", *SESSION_DETAILS, "opens_date", "opens_time"]

    date = DateField(
        label="Date", what="the date of the session", subject="Date of the session", help_text="For example, 19 3 2025"
    )
    opens_date = DateField(
        what="the date booking opens",
        subject="Date booking opens",
        label="Date booking opens (optional)",
        help_text="Leave the date and time empty to open booking as soon as the session is saved. "
        "For example, 3 3 2025",
        required=False,
    )
    opens_time = _time_field("Time booking opens", required=False)

    def __init__(self, *args, course: Course, current_start: dt.datetime | None = None, **kwargs):
        super().__init__(*args, course=course, **kwargs)
        self.current_start = current_start  # a session being changed may keep its start, even once it is past
        self.helper = _helper(
            Field("date"),
            *self.details_layout(),
            Field("opens_date"),
            Field.text("opens_time", field_width=5),
            button="Save session",
        )

    @classmethod
    def initial_from(cls, session: Session) -> dict:
        from apps.core.dates import to_london

        start, end = to_london(session.starts_at), to_london(session.ends_at)
        closes = int((session.starts_at - session.closes_at).total_seconds() // 3600)
        opens = to_london(session.booking_opens_at) if session.booking_opens_at else None
        return {
            "opens_date": opens.date() if opens else None,
            "opens_time": opens.strftime("%H:%M") if opens else "",
            "date": start.date(),
            "start_time": start.strftime("%H:%M"),
            "end_time": end.strftime("%H:%M"),
            "capacity": session.capacity,
            "trainers": list(session.trainers.all()),
            "venue": session.venue,
            "joining_link": session.joining_link,
            "cancellation_cutoff_hours": session.cancellation_cutoff_hours,
            "booking_closes_hours": closes,
        }

    def clean(self):
        data = super().clean()
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            if end <= start:
                self.add_error("end_time", "The end time must be after the start time")
            else:
                data["starts_at"] = london_datetime(day, start)
                data["ends_at"] = london_datetime(day, end)
                self._clean_start(data["starts_at"])
        self._clean_opening(data)
        self.clean_where(
            data,
            no_link="Enter the joining link for this online session",
            no_venue="Enter the venue for this session in person",
        )
        return data

    def _clean_start(self, starts_at: dt.datetime) -> None:
        if starts_at == self.current_start or starts_at > timezone.now():
            return
        if starts_at.date() < timezone.localdate():
            self.add_error("date", "Date must be today or in the future")
        else:
            self.add_error("start_time", "Start time must be later than now")

    def _clean_opening(self, data: dict) -> None:
        """When booking opens: a London date and time, both or neither, before booking closes."""
        day, time = data.get("opens_date"), data.get("opens_time")
        if "opens_date" in self.errors or "opens_time" in self.errors:
            return
        if day and not time:
            self.add_error("opens_time", "Enter the time booking opens, or leave the date empty too")
            return
        if time and not day:
            self.add_error("opens_date", "Enter the date booking opens, or leave the time empty too")
            return
        data["booking_opens_at"] = london_datetime(day, time) if day else None
        starts_at = data.get("starts_at")
        if day is None or starts_at is None:
            return
        hours = data.get("booking_closes_hours") or 0
        if data["booking_opens_at"] >= starts_at:
            self.add_error("opens_date", "Booking must open before the session starts")
        elif data["booking_opens_at"] >= starts_at - dt.timedelta(hours=hours):
            self.add_error("opens_date", f"Booking must open before it closes, {hours} hours before the session starts")

    def session_fields(self) -> dict:
        data = self.cleaned_data
        hours = data["booking_closes_hours"]
        return {
            "booking_opens_at": data["booking_opens_at"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "capacity": data["capacity"],
            "venue": data["venue"],
            "joining_link": data["joining_link"],
            "cancellation_cutoff_hours": data["cancellation_cutoff_hours"],
            "booking_closes_at": data["starts_at"] - dt.timedelta(hours=hours) if hours else None,
        }


class CopySessionForm(GovukMessages, forms.Form):
    date = DateField(
        label="Date of the new session",
        what="the date of the new session",
        subject="Date of the new session",
        help_text="It starts at the same time of day",
    )

    def __init__(self, *args, original: Session, **kwargs):
        super().__init__(*args, **kwargs)
        self.original = original
        self.helper = _helper(Field("date"), button="Copy session")

    def clean(self):
        data = super().clean()
        if data.get("date"):
            from apps.core.dates import to_london

            data["starts_at"] = london_datetime(data["date"], to_london(self.original.starts_at).time())
            if data["starts_at"] == self.original.starts_at:
                self.add_error("date", "Date of the new session must be different from the date of the session copied")
            elif data["starts_at"] <= timezone.now():
                self.add_error("date", "Date of the new session must be in the future")
        return data


class CancelSessionForm(GovukMessages, forms.Form):
    names = {"reason": "reason"}

    reason = forms.CharField(
        label="Why is it cancelled?",
        help_text="Everyone with a place, or waiting for one, is sent this.",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the session is cancelled"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("reason", label_size=Size.MEDIUM),
            button="Cancel the session",
            button_class="govuk-button--warning",
        )


class EvaluationForm(GovukMessages, forms.Form):
    names = {"rating": "rating", "comments": "comments"}

    rating = forms.TypedChoiceField(
        label="How useful was the session?",
        coerce=int,
        choices=[(5, "5: very useful"), (4, "4"), (3, "3"), (2, "2"), (1, "1: not useful")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how useful the session was"},
    )
    comments = forms.CharField(
        label="Comments", required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("rating", legend_size=Size.MEDIUM, small=True),
            Field.textarea("comments", label_size=Size.MEDIUM),
            button="Send evaluation",
        )


class OutsideTrainingForm(GovukMessages, forms.Form):
    names = {"title": "name of the training", "provider": "name of who ran it", "hours": "hours", "notes": "notes"}

    title = forms.CharField(label="Name of the training", max_length=200)
    provider = forms.CharField(label="Who ran it", max_length=200)
    completed_on = DateField(
        label="When did you finish it?",
        what="the date you finished",
        subject="Date you finished",
        help_text="For example, 27 3 2024",
    )
    hours = forms.DecimalField(
        label="Hours",
        min_value=Decimal("0.25"),
        max_value=200,
        decimal_places=2,
        help_text="For example, 1.5",
        error_messages={"invalid": "Enter the hours as a number, for example 1.5"},
    )
    evidence = forms.FileField(
        label="Evidence (optional)", required=False, help_text="A certificate as a PDF, PNG or JPEG, up to 5MB"
    )
    notes = forms.CharField(label="Notes", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("title"),
            Field.text("provider"),
            Field("completed_on"),
            Field.text("hours", field_width=4),
            Field("evidence"),
            Field.textarea("notes"),
            button="Add to my learning record",
        )

    def clean_completed_on(self):
        value = self.cleaned_data["completed_on"]
        if value and value > timezone.localdate():
            raise ValidationError("The date you finished must be today or in the past")
        return value


class KnowledgeCheckForm(GovukMessages, forms.Form):
    """The questions of an e-learning item, each with its answers in an order of the attempt's own.

    The right answer was written first, so the answers are shuffled: by the attempt's random token, so
    they stay put while one attempt is corrected and change for the next attempt."""

    attempt = forms.CharField(widget=forms.HiddenInput, required=False, max_length=32)

    ATTEMPT = re.compile(r"^[0-9a-f]{16,32}$")

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        posted = self.data.get("attempt", "") if self.is_bound else ""
        self.attempt_token = posted if self.ATTEMPT.match(posted) else self.new_attempt()
        self.initial["attempt"] = self.attempt_token
        if self.is_bound and posted != self.attempt_token:
            self.data = self.data.copy()
            self.data["attempt"] = self.attempt_token
        self.questions = list(item.questions.prefetch_related("answers"))
        drawn = item.questions_per_attempt
        if drawn and drawn < len(self.questions):
            # A question bank: each attempt draws its own questions, the same ones again when it is corrected.
            picked = random.Random(f"{self.attempt_token}:bank").sample(self.questions, drawn)  # noqa: S311
            self.questions = sorted(picked, key=lambda q: q.number)
        layout = [Field("attempt")]
        for position, question in enumerate(self.questions, start=1):
            name = f"question_{question.pk}"
            answers = list(question.answers.all())
            random.Random(f"{self.attempt_token}:{question.pk}").shuffle(answers)  # noqa: S311 (an order, not a secret)
            self.fields[name] = forms.TypedChoiceField(
                label=f"{position}. {question.text}",
                coerce=int,
                choices=[(answer.pk, answer.text) for answer in answers],
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Answer question {position}",
                    "invalid_choice": f"Answer question {position} with one of the answers shown",
                },
            )
            layout.append(Field.radios(name, legend_size=Size.SMALL, small=True))
        self.helper = _helper(*layout, button="Check my answers")

    def answers(self) -> dict[int, int]:
        return {q.pk: self.cleaned_data[f"question_{q.pk}"] for q in self.questions}

    @staticmethod
    def new_attempt() -> str:
        return secrets.token_hex(8)


class ELearningItemForm(GovukMessages, forms.Form):
    """The e-learning of a course: what the learner reads, a video link or file, and the pass mark."""

    names = {"video_file": "video file", "captions_file": "captions file", "transcript": "transcript"}

    body = forms.CharField(
        label="What the learner reads",
        help_text="A blank line starts a new paragraph.",
        max_length=20000,
        widget=forms.Textarea,
        error_messages={"required": "Enter what the learner reads"},
    )
    video_url = forms.URLField(
        label="Video link (optional)",
        help_text="The address of the video on another website, for example https://www.youtube.com/watch?v=...",
        required=False,
        error_messages={"invalid": "Enter the video link as a web address, like https://www.example.org/video"},
    )
    video_file = forms.FileField(label="Video file (optional)", required=False)
    captions_file = forms.FileField(
        label="Captions for the video file",
        help_text="A WebVTT (.vtt) file. A video file needs captions.",
        required=False,
    )
    remove_video = forms.BooleanField(label="Remove the video file and its captions", required=False)
    transcript = forms.CharField(
        label="Transcript of the video (optional)",
        required=False,
        max_length=50000,
        widget=forms.Textarea,
    )
    minutes = forms.IntegerField(
        label="Minutes it takes",
        help_text="The time credited to the learning record.",
        min_value=1,
        max_value=24 * 60,
        error_messages={
            "required": "Enter how many minutes it takes",
            "invalid": "Enter the minutes as a whole number, like 30",
            "min_value": "The minutes must be 1 or more",
            "max_value": "The minutes must be 1440 or fewer",
        },
    )
    pass_mark = forms.IntegerField(
        label="Pass mark",
        help_text="The percentage of questions a learner must answer rightly to pass, for example 80.",
        min_value=1,
        max_value=100,
        error_messages={
            "required": "Enter the pass mark",
            "invalid": "Enter the pass mark as a whole number from 1 to 100",
            "min_value": "The pass mark must be from 1 to 100",
            "max_value": "The pass mark must be from 1 to 100",
        },
    )

    questions_per_attempt = forms.IntegerField(
        label="Questions in each attempt (optional)",
        help_text="Each attempt draws this many questions from the question bank. Leave empty to ask every question.",
        required=False,
        min_value=1,
        max_value=100,
        error_messages={
            "invalid": "Enter the questions in each attempt as a whole number, like 5",
            "min_value": "The questions in each attempt must be 1 or more",
            "max_value": "The questions in each attempt must be 100 or fewer",
        },
    )

    def __init__(self, *args, item=None, **kwargs):
        from .services import largest_video_mb

        saved = {"body", "video_url", "transcript", "minutes", "pass_mark", "questions_per_attempt"}
        if item is not None:
            kwargs.setdefault("initial", {name: getattr(item, name) for name in saved})
        else:
            kwargs.setdefault("initial", {"minutes": 30, "pass_mark": 80})
        super().__init__(*args, **kwargs)
        video = self.fields["video_file"]
        video.help_text = (
            f"An MP4 or WebM video, smaller than {largest_video_mb()}MB. Only people signed in can watch it."
        )
        has_file = item is not None and bool(item.video_file)
        if has_file:
            self.fields["video_file"].label = "Replace the video file (optional)"
            self.fields["captions_file"].label = "Replace the captions (optional)"
        else:
            del self.fields["remove_video"]
        self.helper = _helper(
            Field.textarea("body"),
            Field.text("video_url"),
            Field("video_file"),
            Field("captions_file"),
            *([Field.checkbox("remove_video")] if has_file else []),
            Field.textarea("transcript", rows=6),
            Field.text("minutes", field_width=4),
            Field.text("pass_mark", field_width=3),
            Field.text("questions_per_attempt", field_width=3),
            button="Save e-learning",
        )

    def item_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "body": data["body"].strip(),
            "video_url": data["video_url"],
            "transcript": data["transcript"].strip(),
            "minutes": data["minutes"],
            "pass_mark": data["pass_mark"],
            "questions_per_attempt": data.get("questions_per_attempt"),
        }


class QuestionForm(GovukMessages, forms.Form):
    """One knowledge check question: its text, its choices and which choice is right."""

    names = {"correct": "right answer"}

    SLOTS = 4

    text = forms.CharField(
        label="Question",
        max_length=500,
        widget=forms.Textarea,
        error_messages={"required": "Enter the question", "max_length": "The question must be 500 characters or fewer"},
    )

    def __init__(self, *args, question=None, **kwargs):
        answers = list(question.answers.all()) if question is not None else []
        slots = max(self.SLOTS, len(answers))
        if question is not None:
            right = next((n for n, answer in enumerate(answers, start=1) if answer.is_correct), None)
            initial = {"text": question.text, "correct": str(right) if right else None, "feedback": question.feedback}
            initial.update({f"choice_{n}": answer.text for n, answer in enumerate(answers, start=1)})
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.slots = slots
        for n in range(1, slots + 1):
            self.fields[f"choice_{n}"] = forms.CharField(
                label=f"Choice {n}",
                required=False,
                max_length=300,
                error_messages={"max_length": f"Choice {n} must be 300 characters or fewer"},
            )
        self.fields["correct"] = forms.ChoiceField(
            label="Which choice is the right answer?",
            choices=[(str(n), f"Choice {n}") for n in range(1, slots + 1)],
            widget=forms.RadioSelect,
            error_messages={"required": "Choose which choice is the right answer"},
        )
        self.fields["choice_1"].help_text = "Write at least two choices. Leave the ones you do not need empty."
        self.fields["feedback"] = forms.CharField(
            label="Feedback after an attempt (optional)",
            help_text="Shown with the question after each attempt, whether the answer was right or wrong.",
            required=False,
            max_length=2000,
            widget=forms.Textarea,
            error_messages={"max_length": "The feedback must be 2000 characters or fewer"},
        )
        self.helper = _helper(
            Field.textarea("text", label_size=Size.MEDIUM, rows=3),
            *[Field.text(f"choice_{n}") for n in range(1, slots + 1)],
            Field.radios("correct", legend_size=Size.SMALL, small=True, inline=True),
            Field.textarea("feedback", rows=3),
            button="Save question",
        )

    def clean(self):
        data = super().clean()
        written = [n for n in range(1, self.slots + 1) if (data.get(f"choice_{n}") or "").strip()]
        if len(written) < 2 and not any(f"choice_{n}" in self.errors for n in range(1, self.slots + 1)):
            empty = next(n for n in range(1, self.slots + 1) if n not in written)
            self.add_error(f"choice_{empty}", "Write at least two choices")
        right = int(data["correct"]) if data.get("correct") else None
        if right is not None and right not in written:
            self.add_error("correct", f"Choice {right} is empty: write it, or choose another right answer")
        if right in written:
            data["choices"] = [data[f"choice_{n}"].strip() for n in written]
            data["correct_index"] = written.index(right)
        return data


class CatalogueFilterForm(GovukMessages, forms.Form):
    """The catalogue's filters (GET). Empty filters show everything upcoming."""

    names = {"q": "keywords", "topic": "topic", "audience": "sector", "delivery": "way it is run"}

    q = forms.CharField(
        label="Keywords",
        required=False,
        max_length=200,
        help_text="Words from the course's title or description, for example prevent",
    )
    date_from = DateField(
        label="From", what="the from date", subject="From date", required=False, help_text="For example, 27 3 2026"
    )
    date_to = DateField(label="To", what="the to date", subject="To date", required=False)
    topic = forms.ModelChoiceField(
        label="Topic", queryset=Topic.objects.all(), required=False, empty_label="All topics", to_field_name="slug"
    )
    audience = forms.ChoiceField(label="Sector", choices=[("", "All sectors"), *Sector.choices], required=False)
    delivery = forms.ChoiceField(label="How it is run", choices=[("", "Any way"), *Delivery.choices], required=False)
    free_places = forms.BooleanField(label="Only sessions with free places", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field.text("q", label_size=Size.SMALL),
            Field("date_from"),
            Field("date_to"),
            Field.select("topic"),
            Field.select("audience"),
            Field.select("delivery"),
            Field.checkbox("free_places", small=True),
        )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "The 'to' date must be the same as or after the 'from' date")
        return data
