"""Forms for the day of a session (check-in) and for charges. GOV.UK messages, naming the field."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Size
from django import forms

from .forms import GovukMessages, _helper


class CheckInForm(GovukMessages, forms.Form):
    """The code on a booking's confirmation: read by the camera, or typed by the trainer. Works without script."""

    code = forms.CharField(
        label="Check-in code",
        help_text="On the person's booking page and confirmation e-mail, for example ABCD-EFGH-JKLM-NPQR.",
        max_length=40,
        error_messages={
            "required": "Enter the check-in code",
            "max_length": "The check-in code must be 40 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false", "data-checkin-code": ""}
        )
        self.helper = _helper(Field.text("code", field_width=20), button="Check in")


class WaiveChargeForm(GovukMessages, forms.Form):
    reason = forms.CharField(
        label="Why is the charge waived?",
        help_text="Kept in the audit log, for example 'Cancelled late because of a family emergency'.",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why the charge is waived",
            "max_length": "The reason must be 1000 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("reason", label_size=Size.MEDIUM), button="Waive the charge", button_class=""
        )
