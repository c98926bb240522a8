"""Form pieces shared by every app."""

from __future__ import annotations

import datetime as dt

from crispy_forms_gds.fields import DateInputField
from django.core.exceptions import ValidationError
from django.utils import timezone


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


class DateField(DateInputField):
    """The GOV.UK date input (day, month and year) with the GOV.UK messages, naming the date.

    `what` is the date as it reads after "Enter": "the date the person was last seen". Messages that start
    with the date use `subject`, by default `what` with a capital: "The date the person was last seen must
    be a real date" (or give `subject="Date of the session"`). `when` adds a rule: "past", "not_future",
    "not_past", or "" for none. A year must have 4 numbers and be after 1900."""

    def __init__(self, *, what: str, subject: str = "", when: str = "", **kwargs) -> None:
        self.what = what
        self.subject = subject or _capital(what)
        self.when = when
        kwargs.setdefault("require_all_fields", False)
        super().__init__(**kwargs)
        real = f"{self.subject} must be a real date"
        self.error_messages["required"] = f"Enter {what}"
        self.error_messages["incomplete"] = f"Enter {what}"
        self.error_messages["invalid"] = real
        for part, name in zip(self.fields, ("day", "month", "year"), strict=True):
            part.error_messages["incomplete"] = f"{self.subject} must include a {name}"
            part.error_messages["max_length"] = real
            part.validators[0].message = real

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        if len(str(year).strip()) != 4:
            raise ValidationError(f"{self.subject} must include a year with 4 numbers", code="invalid")
        try:
            value = dt.date(day=int(day), month=int(month), year=int(year))
        except (ValueError, OverflowError):
            raise ValidationError(f"{self.subject} must be a real date", code="invalid") from None
        if value.year < 1900:
            raise ValidationError(f"{self.subject} must be after 1900", code="invalid")
        today = timezone.localdate()
        if self.when == "past" and value >= today:
            raise ValidationError(f"{self.subject} must be in the past", code="invalid")
        if self.when == "not_future" and value > today:
            raise ValidationError(f"{self.subject} must be today or in the past", code="invalid")
        if self.when == "not_past" and value < today:
            raise ValidationError(f"{self.subject} must be today or in the future", code="invalid")
        return value
