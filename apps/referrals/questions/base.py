"""The small engine behind every partner form: a list of steps, each a Django form.

A step's answers are kept as JSON (dates as ISO strings, lists for several choices). The
same step form checks what a person typed on its page, what the API was sent, and what a
draft holds when it is submitted, so there is one set of rules and one set of messages.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.core.exceptions import ValidationError

from apps.core.dates import LONDON, format_date, format_time

from ..models import FormType, Urgency

TIME_OF_DAY = re.compile(
    r"(?P<hour>[0-9]{1,2})(?:[:.](?P<minute>[0-9]{2}))?\s*(?P<half>am|pm|a\.m\.|p\.m\.)?", re.IGNORECASE
)
TWENTY_FOUR_HOUR = re.compile(r"(?P<hour>[0-9]{1,2})(?P<minute>[0-9]{2})")
NAMED_TIMES = {
    "noon": dt.time(12),
    "midday": dt.time(12),
    "12 noon": dt.time(12),
    "12 midday": dt.time(12),
    "midnight": dt.time(0),
    "12 midnight": dt.time(0),
}


def parse_time_of_day(typed: str) -> dt.time | None:
    """A time as people write it, as GOV.UK suggests: 10am, 2:30pm, 10.30am, noon, midday, or the 24-hour
    clock (14:30, 14.30, 1430). None if it is not a time."""
    text = " ".join(typed.strip().lower().split())
    if text in NAMED_TIMES:
        return NAMED_TIMES[text]
    match = TIME_OF_DAY.fullmatch(text) or TWENTY_FOUR_HOUR.fullmatch(text)
    if match is None:
        return None
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    half = (match.groupdict().get("half") or "").replace(".", "")
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif match["minute"] is None:
        return None  # "10" alone could be morning or evening
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


class TimeField(forms.TimeField):
    """A time of day typed in one box, in any of the ways people write one (see `parse_time_of_day`)."""

    def __init__(self, *, label: str, what: str, **kwargs) -> None:
        super().__init__(
            label=label,
            help_text=kwargs.pop("help_text", "For example, 2:30pm or 14:30"),
            error_messages={
                "required": f"Enter {what}",
                "invalid": f"Enter {what} as a time of day, like 2:30pm or 14:30",
            },
            **kwargs,
        )

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.time):
            return value
        parsed = parse_time_of_day(str(value))
        if parsed is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


def london_moment(date: Any, time: Any) -> dt.datetime | None:
    """A date and a time of day as partners give them (in Europe/London), or None if either is missing."""
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date)
        except ValueError:
            return None
    if isinstance(time, str):
        try:
            time = dt.time.fromisoformat(time)
        except ValueError:
            return None
    if not isinstance(date, dt.date) or not isinstance(time, dt.time):
        return None
    return dt.datetime.combine(date, time, tzinfo=LONDON)


class LongTextField(forms.CharField):
    """Text over several lines, shown with the GOV.UK character count: it warns as people type and the server
    says no. A maxlength attribute would make the browser cut pasted text short without a word."""

    widget = forms.Textarea

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        # crispy-forms-gds adds the count's message to aria-describedby, and reads it first (a KeyError without
        # a hint); it replaces this empty value with the message's id.
        attrs.setdefault("aria-describedby", "")
        return attrs


def too_long(what: str, max_length: int) -> str:
    """GOV.UK's message for text over the limit: "Description must be 5,000 characters or fewer"."""
    return f"{what[0].upper()}{what[1:]} must be {max_length:,} characters or fewer"


def text(label: str, required_message: str = "", *, what: str = "", max_length: int = 200, **kwargs) -> forms.CharField:
    """A text question. `what` names the answer in messages ("Description"), when the label is a question or
    an instruction; otherwise the label says it."""
    messages = {"max_length": too_long(what or label.replace(" (optional)", ""), max_length)}
    if required_message:
        messages["required"] = required_message
    field_class = LongTextField if isinstance(kwargs.get("widget"), forms.Textarea) else forms.CharField
    return field_class(
        label=label, max_length=max_length, required=bool(required_message), error_messages=messages, **kwargs
    )


def long_text(
    label: str, required_message: str = "", *, what: str = "", max_length: int = 5000, **kwargs
) -> forms.CharField:
    return text(
        label, required_message, what=what, max_length=max_length, widget=forms.Textarea(attrs={"rows": 5}), **kwargs
    )


def choice(label: str, choices, required_message: str, **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": required_message, "invalid_choice": required_message},
        **kwargs,
    )


def choices(label: str, options, *, required_message: str = "", **kwargs) -> forms.MultipleChoiceField:
    message = required_message or "Select the options that apply"
    return forms.MultipleChoiceField(
        label=label,
        choices=options,
        widget=forms.CheckboxSelectMultiple,
        required=bool(required_message),
        error_messages={"required": message, "invalid_choice": "Select only the options listed"},
        **kwargs,
    )


class StepForm(forms.Form):
    """One page of a form. Subclasses declare fields; `layout()` may size or group them.

    `other_steps` holds the answers to the form's other steps so far ({step: answers}), for a check
    that needs one of them (the checked steps before this one, when the whole form is checked).
    """

    def __init__(self, *args, organisation=None, other_steps: dict | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.other_steps = other_steps or {}
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*self.layout())

    def layout(self) -> list:
        items = []
        for name, bound in self.fields.items():
            widget = bound.widget
            if isinstance(widget, forms.RadioSelect):
                items.append(Field.radios(name, legend_size=Size.SMALL))
            elif isinstance(widget, forms.CheckboxSelectMultiple):
                items.append(Field.checkboxes(name, legend_size=Size.SMALL))
            elif isinstance(widget, forms.Textarea):
                items.append(Field.textarea(name, label_size=Size.SMALL, max_characters=bound.max_length))
            elif isinstance(bound, forms.FileField | forms.BooleanField | DateInputField):
                items.append(Field(name))
            else:
                items.append(Field.text(name, label_size=Size.SMALL))
        return items

    # --- answers as JSON ---------------------------------------------------------------------

    def answers(self) -> dict[str, Any]:
        """The cleaned data as JSON. File fields are kept by the view as attachments, not here."""
        result: dict[str, Any] = {}
        for name, value in self.cleaned_data.items():
            if isinstance(self.fields[name], forms.FileField):
                continue
            result[name] = to_json(value)
        return result

    @classmethod
    def data_from(cls, answers: dict[str, Any]) -> dict[str, Any]:
        """What a browser would post for these answers, to bind the form to them again."""
        data: dict[str, Any] = {}
        for name, bound in cls.base_fields.items():
            value = answers.get(name)
            if value is None or isinstance(bound, forms.FileField):
                continue
            if isinstance(bound, DateInputField):
                parts = _date_parts(value)
                for index, part in enumerate(parts):
                    data[f"{name}_{index}"] = part
            elif isinstance(bound, forms.BooleanField):
                if value is True:
                    data[name] = "on"
                elif value not in (False, None):
                    data[name] = value
            elif isinstance(bound, forms.MultipleChoiceField):
                data[name] = value if isinstance(value, list) else [value]
            else:
                data[name] = value if isinstance(value, str | int | float) else str(value)
        return data

    @classmethod
    def summary(cls, answers: dict[str, Any]) -> list[tuple[str, list[str]]]:
        """(question, lines of the answer) for "Check your answers" and the pages that show a submission."""
        rows = []
        for name, bound in cls.base_fields.items():
            if isinstance(bound, forms.FileField):
                continue
            rows.append((str(bound.label), describe(bound, answers.get(name))))
        return rows


def to_json(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, list | tuple):
        return [to_json(item) for item in value]
    return value


def _date_parts(value: Any) -> tuple[str, str, str]:
    """An ISO date ("2010-04-01") as the three boxes of the date input, checked there like typed boxes."""
    match = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", value) if isinstance(value, str) else None
    if match is None:
        return (str(value), "", "")
    year, month, day = match.groups()
    return (str(int(day)), str(int(month)), year)


def describe(bound: forms.Field, value: Any) -> list[str]:
    if value in (None, "", []):
        return ["Not given"]
    if isinstance(bound, DateInputField):
        try:
            return [format_date(dt.date.fromisoformat(value))]
        except (TypeError, ValueError):
            return [str(value)]
    if isinstance(bound, forms.TimeField):
        try:
            return [format_time(dt.time.fromisoformat(value))]
        except (TypeError, ValueError):
            return [str(value)]
    if isinstance(bound, forms.BooleanField):
        return ["Yes" if value else "No"]
    if isinstance(bound, forms.ChoiceField):
        labels = dict(bound.choices)
        values = value if isinstance(value, list) else [value]
        return [str(labels.get(item, item)) for item in values]
    return str(value).splitlines() or [str(value)]


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    form: type[StepForm]
    hint: str = ""


@dataclass(frozen=True)
class FormDefinition:
    """Everything that makes one partner form what it is."""

    form_type: FormType
    slug: str
    prefix: str
    title: str  # the start page's heading: "Report a missing person"
    noun: str  # what it is in a sentence, after "your" or "the": "report that a missing person has returned"
    receiver: str  # who handles it, in the partner's words
    summary: str  # one sentence for the list of forms
    use_it_for: tuple[str, ...]
    what_happens_next: tuple[str, ...]
    steps: tuple[Step, ...]
    urgency: Callable[[dict], Urgency] = lambda answers: Urgency.STANDARD
    follows: FormType | None = None  # a follow-up attaches to an original of this form type
    # Answers (besides the urgency every form has) that routing rules may name: key -> (question, choices).
    routable: dict[str, tuple[str, list[tuple[str, str]]]] = field(default_factory=dict)

    def step(self, slug: str) -> Step | None:
        return next((step for step in self.steps if step.slug == slug), None)

    def next_step(self, slug: str) -> Step | None:
        slugs = [step.slug for step in self.steps]
        index = slugs.index(slug)
        return self.steps[index + 1] if index + 1 < len(self.steps) else None

    def routing_answers(self, answers: dict) -> dict[str, str]:
        values = {"urgency": str(self.urgency(answers))}
        for key in self.routable:
            step, _, name = key.partition(".")
            value = answers.get(step, {}).get(name)
            if isinstance(value, list):
                continue
            if value not in (None, ""):
                values[key] = str(value)
        return values

    def routing_questions(self) -> dict[str, tuple[str, list[tuple[str, str]]]]:
        return {"urgency": ("Urgency", list(Urgency.choices)), **self.routable}

    @property
    def is_follow_up(self) -> bool:
        return self.follows is not None


def answer(answers: dict, step: str, name: str, default: Any = None) -> Any:
    return answers.get(step, {}).get(name, default)
