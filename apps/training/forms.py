"""Forms for training. They check what was typed; the rules about places live in services.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.accounts.models import Role, Sector, User
from apps.core.dates import LONDON, format_range

from .models import BookingMethod, Course, Delivery, Session, Topic


def _helper(*fields, button: str, button_class: str = "") -> FormHelper:
    helper = FormHelper()
    helper.layout = Layout(*fields, Button("submit", button, css_class=button_class))
    return helper


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


class AccessNeedsForm(forms.Form):
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


class ConfirmForm(forms.Form):
    """A button and nothing else, for actions that need only a yes."""

    def __init__(self, *args, button: str, button_class: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(button=button, button_class=button_class)


class RequestPlaceForm(forms.Form):
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


class DecideRequestForm(forms.Form):
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


class RegisterMarkForm(forms.Form):
    booking = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        choices=[("attended", "Attended"), ("absent", "Absent"), ("cancelled_late", "Cancelled late")]
    )


class CourseForm(forms.ModelForm):
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
            "is_published",
        ]
        labels = {
            "slug": "Web address name",
            "audience_roles": "Which roles is it for?",
            "is_published": "Show it in the catalogue",
            "external_booking_url": "Booking website address",
            "external_booking_name": "Booking website name",
            "contact_email": "Organiser's e-mail address",
        }
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
            Field.checkbox("is_published"),
            button="Save course",
        )

    def clean(self):
        data = super().clean()
        if data.get("booking_method") == BookingMethod.EXTERNAL and not data.get("external_booking_url"):
            self.add_error("external_booking_url", "Enter the address of the website where people book")
        return data


def trainer_choices():
    return User.objects.filter(role_grants__role=Role.TRAINER, status="active").distinct().order_by("last_name")


class SessionForm(forms.Form):
    date = DateInputField(label="Date", help_text="For example, 19 3 2025", require_all_fields=False)
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
        self.helper = _helper(
            Field("date"),
            Field.text("start_time", field_width=5),
            Field.text("end_time", field_width=5),
            Field.text("capacity", field_width=4),
            Field.checkboxes("trainers", legend_size=Size.SMALL, small=True),
            Field.text("venue"),
            Field.text("joining_link"),
            Field.text("cancellation_cutoff_hours", field_width=4),
            Field.text("booking_closes_hours", field_width=4),
            button="Save session",
        )

    @classmethod
    def initial_from(cls, session: Session) -> dict:
        from apps.core.dates import to_london

        start, end = to_london(session.starts_at), to_london(session.ends_at)
        closes = int((session.starts_at - session.closes_at).total_seconds() // 3600)
        return {
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
        if self.course.delivery == Delivery.ONLINE and not data.get("joining_link"):
            self.add_error("joining_link", "Enter the joining link for this online session")
        if self.course.delivery == Delivery.IN_PERSON and not data.get("venue"):
            self.add_error("venue", "Enter the venue for this session in person")
        return data

    def session_fields(self) -> dict:
        data = self.cleaned_data
        hours = data["booking_closes_hours"]
        return {
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "capacity": data["capacity"],
            "venue": data["venue"],
            "joining_link": data["joining_link"],
            "cancellation_cutoff_hours": data["cancellation_cutoff_hours"],
            "booking_closes_at": data["starts_at"] - dt.timedelta(hours=hours) if hours else None,
        }


class CopySessionForm(forms.Form):
    date = DateInputField(label="Date of the new session", help_text="It starts at the same time of day")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("date"), button="Copy session")


class CancelSessionForm(forms.Form):
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


class EvaluationForm(forms.Form):
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


class OutsideTrainingForm(forms.Form):
    title = forms.CharField(label="Name of the training", max_length=200)
    provider = forms.CharField(label="Who ran it", max_length=200)
    completed_on = DateInputField(label="When did you finish it?", help_text="For example, 27 3 2024")
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


class KnowledgeCheckForm(forms.Form):
    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(item.questions.prefetch_related("answers"))
        layout = []
        for question in self.questions:
            name = f"question_{question.pk}"
            self.fields[name] = forms.TypedChoiceField(
                label=f"{question.number}. {question.text}",
                coerce=int,
                choices=[(answer.pk, answer.text) for answer in question.answers.all()],
                widget=forms.RadioSelect,
                error_messages={"required": f"Answer question {question.number}"},
            )
            layout.append(Field.radios(name, legend_size=Size.SMALL, small=True))
        self.helper = _helper(*layout, button="Check my answers")

    def answers(self) -> dict[int, int]:
        return {q.pk: self.cleaned_data[f"question_{q.pk}"] for q in self.questions}


class CatalogueFilterForm(forms.Form):
    """The catalogue's filters (GET). Empty filters show everything upcoming."""

    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date", "class": "govuk-input"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date", "class": "govuk-input"})
    )
    topic = forms.ModelChoiceField(
        label="Topic", queryset=Topic.objects.all(), required=False, empty_label="All topics", to_field_name="slug"
    )
    audience = forms.ChoiceField(label="Sector", choices=[("", "All sectors"), *Sector.choices], required=False)
    delivery = forms.ChoiceField(label="How it is run", choices=[("", "Any way"), *Delivery.choices], required=False)
    free_places = forms.BooleanField(label="Only sessions with free places", required=False)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "The 'to' date must be the same as or after the 'from' date")
        return data
