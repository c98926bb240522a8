"""Forms for the coordinator's week: scheduling many sessions, bank holidays, booking questions, the booking
form with those questions (and the line manager), the manager's decision, and e-mailing a session.

They use the training forms' GOV.UK messages (GovukMessages) and the hub's date input (core.forms.DateField);
test_coordinator_forms.py walks each with the same wrong answers as test_form_messages.py."""

from __future__ import annotations

import datetime as dt
import re

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.core.dates import format_date
from apps.core.forms import DateField

from . import scheduling
from .forms import (
    SESSION_DETAILS,
    AccessNeedsForm,
    GovukMessages,
    SessionDetailsForm,
    _helper,
)
from .models import BookingQuestion, Course, MessageAudience, QuestionKind

DATE_LINE = re.compile(r"^(\d{1,2})[\s/.\-]+(\d{1,2})[\s/.\-]+(\d{4})$")
ISO_LINE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def parse_date_line(line: str) -> dt.date | None:
    """A date as people type it: 19/3/2026, 19 3 2026, 19-03-2026, 2026-03-19 or 19 March 2026."""
    text = " ".join(line.split())
    parts = None
    if match := DATE_LINE.match(text):
        parts = (int(match[3]), int(match[2]), int(match[1]))
    elif match := ISO_LINE.match(text):
        parts = (int(match[1]), int(match[2]), int(match[3]))
    if parts:
        try:
            return dt.date(*parts)
        except ValueError:
            return None
    for pattern in ("%d %B %Y", "%d %b %Y", "%A %d %B %Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


class ScheduleForm(SessionDetailsForm):
    """A repeating pattern (weekly, or monthly on the nth weekday) or a list of dates, with what every
    session shares."""

    names = {
        "pattern": "pattern",
        "count": "number of sessions or months",
        "nth": "week of the month",
        "weekday": "day of the week",
        "dates": "dates",
        **SessionDetailsForm.names,
    }
    field_order = ["pattern", "first_date", "count", "nth", "weekday", "dates", *SESSION_DETAILS]

    pattern = forms.ChoiceField(
        label="How do the sessions repeat?",
        choices=[
            (scheduling.WEEKLY, "Every week"),
            (scheduling.MONTHLY, "Every month, on a day such as the second Tuesday"),
            (scheduling.DATES, "On the dates I list"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the sessions repeat"},
    )
    first_date = DateField(
        label="Date of the first session",
        what="the date of the first session",
        subject="Date of the first session",
        required=False,
        help_text="For every week or every month. For example, 13 1 2027",
    )
    count = forms.IntegerField(
        label="How many?",
        required=False,
        min_value=1,
        max_value=scheduling.MOST_SESSIONS,
        help_text="Every week: the number of sessions. Every month: the number of months.",
    )
    nth = forms.TypedChoiceField(
        label="Which week of the month?",
        coerce=int,
        required=False,
        choices=[("", "Choose")] + [(str(n), label.capitalize()) for n, label in scheduling.ORDINALS.items()],
        help_text="Every month only",
    )
    weekday = forms.TypedChoiceField(
        label="Which day of the week?",
        coerce=int,
        required=False,
        choices=[("", "Choose")] + [(str(n), day) for n, day in enumerate(scheduling.WEEKDAYS)],
        help_text="Every month only",
    )
    dates = forms.CharField(
        label="Dates",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="On the dates I list: one date a line, for example 13/1/2027",
    )

    def __init__(self, *args, course: Course, **kwargs):
        super().__init__(*args, course=course, **kwargs)
        self.helper = _helper(
            Field.radios("pattern", legend_size=Size.MEDIUM),
            Fieldset(
                Field("first_date"),
                Field.text("count", field_width=3),
                Field.select("nth"),
                Field.select("weekday"),
                legend="Every week or every month",
                legend_size=Size.SMALL,
            ),
            Fieldset(Field.textarea("dates"), legend="On the dates I list", legend_size=Size.SMALL),
            *self.details_layout(),
            button="Preview the sessions",
        )

    def clean(self):
        data = super().clean()
        pattern = data.get("pattern")
        data["planned_dates"], data["skipped"] = [], []
        if pattern in (scheduling.WEEKLY, scheduling.MONTHLY):
            self._clean_pattern(data, pattern)
        elif pattern == scheduling.DATES:
            self._clean_dates(data)
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", "The end time must be after the start time")
        elif start and data["planned_dates"]:
            self._clean_past(data, start)
        self.clean_where(
            data,
            no_link="Enter the joining link for these online sessions",
            no_venue="Enter the venue for these sessions in person",
        )
        return data

    def _clean_pattern(self, data: dict, pattern: str) -> None:
        if not data.get("first_date") and "first_date" not in self.errors:
            self.add_error("first_date", "Enter the date of the first session")
        if not data.get("count") and "count" not in self.errors:
            self.add_error(
                "count", "Enter how many sessions" if pattern == scheduling.WEEKLY else "Enter how many months"
            )
        if pattern == scheduling.MONTHLY:
            if data.get("nth") in (None, "") and "nth" not in self.errors:
                self.add_error("nth", "Choose the week of the month, for example second")
            if data.get("weekday") in (None, "") and "weekday" not in self.errors:
                self.add_error("weekday", "Choose the day of the week")
        if self.errors:
            return
        if pattern == scheduling.WEEKLY:
            data["planned_dates"] = scheduling.weekly_dates(data["first_date"], data["count"])
        else:
            data["planned_dates"], data["skipped"] = scheduling.monthly_dates(
                data["first_date"], data["count"], data["weekday"], data["nth"]
            )
            if not data["planned_dates"]:
                self.add_error("count", "No month in that range has that day: choose more months or another day")

    def _clean_dates(self, data: dict) -> None:
        lines = [line.strip() for line in (data.get("dates") or "").splitlines() if line.strip()]
        if not lines:
            if "dates" not in self.errors:
                self.add_error("dates", "Enter the dates, one a line")
            return
        found, wrong = [], []
        for number, line in enumerate(lines, start=1):
            day = parse_date_line(line)
            if day is None:
                wrong.append(f"line {number} (“{line[:40]}”)")
            else:
                found.append(day)
        if wrong:
            self.add_error("dates", f"Dates must be real dates, like 13/1/2027: check {', '.join(wrong[:5])}")
        elif len(set(found)) > scheduling.MOST_SESSIONS:
            self.add_error("dates", f"Dates must be {scheduling.MOST_SESSIONS} or fewer at once")
        else:
            data["planned_dates"] = sorted(set(found))

    def _clean_past(self, data: dict, start: dt.time) -> None:
        """Sessions cannot start in the past, as the single-session form says."""
        now = timezone.now()
        past = [day for day in data["planned_dates"] if scheduling.london(day, start) <= now]
        if not past:
            return
        field = "dates" if data.get("pattern") == scheduling.DATES else "first_date"
        if past == [timezone.localdate()] and past[0] == data["planned_dates"][0]:
            self.add_error("start_time", "Start time must be later than now")
        elif field == "first_date":
            self.add_error("first_date", "Date of the first session must be today or in the future")
        else:
            named = ", ".join(format_date(day) for day in past[:5])
            verb = "is" if len(past) == 1 else "are"
            self.add_error("dates", f"Dates must be today or in the future: {named} {verb} past")

    def plan_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "capacity": data["capacity"],
            "joining_link": data["joining_link"],
            "cancellation_cutoff_hours": data["cancellation_cutoff_hours"],
            "booking_closes_hours": data["booking_closes_hours"],
        }


class BankHolidayForm(GovukMessages, forms.Form):
    names = {"name": "name of the bank holiday"}

    date = DateField(
        label="Date",
        what="the date of the bank holiday",
        subject="Date of the bank holiday",
        help_text="For example, 25 12 2029",
    )
    name = forms.CharField(label="Name", max_length=100, help_text="For example, Christmas Day")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("date"), Field.text("name", field_width=20), button="Add bank holiday")


class BookingQuestionForm(GovukMessages, forms.ModelForm):
    names = {"text": "question", "hint": "hint", "kind": "kind of answer", "choices": "choices"}

    class Meta:
        model = BookingQuestion
        fields = ["text", "hint", "kind", "choices", "required"]
        labels = {
            "text": "Question",
            "hint": "Hint (optional)",
            "kind": "Kind of answer",
            "choices": "Choices",
            "required": "People must answer it",
        }
        help_texts = {
            "text": "For example, What is your role? or Do you have any dietary needs?",
            "hint": "Shown under the question, for example: Leave this empty if you have none",
            "choices": "For 'one of a list' only: one choice a line",
        }
        widgets = {"kind": forms.RadioSelect, "choices": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].error_messages["required"] = "Enter the question"
        self.fields["kind"].error_messages["required"] = "Choose the kind of answer"
        self.helper = _helper(
            Field.text("text"),
            Field.text("hint"),
            Field.radios("kind", legend_size=Size.SMALL, small=True),
            Field.textarea("choices"),
            Field.checkbox("required"),
            button="Save question",
        )

    def clean(self):
        data = super().clean()
        if data.get("kind") == QuestionKind.CHOICE:
            choices = [line.strip() for line in (data.get("choices") or "").splitlines() if line.strip()]
            if len(choices) < 2 and "choices" not in self.errors:
                self.add_error("choices", "Enter at least two choices, one a line")
        elif data.get("kind"):
            data["choices"] = ""
        return data


YES_NO = [("yes", "Yes"), ("no", "No")]


def manager_email_field() -> forms.EmailField:
    return forms.EmailField(
        label="Your line manager's e-mail address",
        help_text="This course needs your manager's approval. We hold your place and e-mail them a link "
        "to approve or decline it.",
        max_length=254,
        error_messages={
            "required": "Enter your line manager's e-mail address",
            "invalid": "Enter your line manager's e-mail address in the correct format, like name@example.org",
        },
    )


def clean_manager_email(value: str, user) -> str:
    value = value.strip()
    if user is not None and value.lower() == (user.email or "").lower():
        raise ValidationError("Your line manager's e-mail address must not be your own")
    return value


class PlaceForm(GovukMessages, forms.Form):
    """The booking form of a course: access needs, the course's own questions, and the line manager's
    e-mail address when the course needs the manager's approval."""

    access_needs = AccessNeedsForm.base_fields["access_needs"]

    def __init__(self, *args, course: Course, button: str = "Book a place", manager: bool = True, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.questions = list(course.booking_questions.all())
        layout = []
        for question in self.questions:
            name = f"question_{question.pk}"
            what = f"answer to “{question.text.rstrip('?')}”"
            messages = {"required": f"Answer “{question.text}”"}
            if question.kind == QuestionKind.TEXT:
                self.fields[name] = forms.CharField(
                    label=question.text,
                    help_text=question.hint,
                    required=question.required,
                    max_length=1000,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    error_messages={**messages, "max_length": f"The {what} must be 1000 characters or fewer"},
                )
                layout.append(Field.textarea(name, label_size=Size.SMALL))
            else:
                choices = YES_NO if question.kind == QuestionKind.YES_NO else [(c, c) for c in question.choice_list]
                self.fields[name] = forms.ChoiceField(
                    label=question.text,
                    help_text=question.hint,
                    required=question.required,
                    choices=choices,
                    widget=forms.RadioSelect,
                    error_messages={**messages, "invalid_choice": f"Answer “{question.text}” with one of the choices"},
                )
                layout.append(
                    Field.radios(name, legend_size=Size.SMALL, small=True, inline=question.kind == QuestionKind.YES_NO)
                )
            if not question.required:
                self.fields[name].label = f"{question.text} (optional)"
        layout.append(Field.textarea("access_needs", label_size=Size.SMALL))
        self.needs_manager = manager and course.needs_manager_approval
        if self.needs_manager:
            self.fields["manager_email"] = manager_email_field()
            layout.append(Field.text("manager_email", field_width=20))
        self.helper = _helper(*layout, button=button)

    def clean_manager_email(self):
        return clean_manager_email(self.cleaned_data["manager_email"], self.user)

    def answers(self) -> list[tuple[BookingQuestion, str]]:
        """Each question with its answer ("" for an optional question left empty)."""
        return [
            (question, (self.cleaned_data.get(f"question_{question.pk}") or "").strip()) for question in self.questions
        ]


class TakeOfferForm(GovukMessages, forms.Form):
    """Taking a place offered from the waiting list: on a course that needs the line manager's approval,
    the manager's e-mail address (the waiting list does not ask for it), as the booking form does."""

    def __init__(self, *args, course: Course, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        layout = []
        if course.needs_manager_approval:
            self.fields["manager_email"] = manager_email_field()
            layout.append(Field.text("manager_email", field_width=20))
        self.helper = _helper(*layout, button="Take the place")

    def clean_manager_email(self):
        return clean_manager_email(self.cleaned_data["manager_email"], self.user)


class ApprovalDecisionForm(GovukMessages, forms.Form):
    names = {"decision": "decision", "note": "note"}

    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Approve: they may attend"), ("decline", "Decline: they may not attend")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose approve or decline"},
    )
    note = forms.CharField(
        label="Note to them (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Sent to them with your decision",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("decision", legend_size=Size.MEDIUM), Field.textarea("note"), button="Send my decision"
        )


class SessionEmailForm(GovukMessages, forms.Form):
    names = {"audience": "people to e-mail", "subject": "subject", "body": "message"}

    audience = forms.ChoiceField(
        label="Who should get it?",
        choices=MessageAudience.choices,
        widget=forms.RadioSelect,
        initial=MessageAudience.BOOKED,
        error_messages={"required": "Choose who should get the e-mail"},
    )
    subject = forms.CharField(label="Subject", max_length=150)
    body = forms.CharField(
        label="Message",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="The session's date, time and place are added below your message.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("audience", legend_size=Size.SMALL, small=True),
            Field.text("subject"),
            Field.textarea("body"),
            button="Send the e-mail",
        )
