"""Request for help with a Mental Health Act assessment, made by an approved mental health professional."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from apps.core.forms import DateField

from ..models import FormType, Urgency
from .base import FormDefinition, Step, StepForm, TimeField, answer, choice, choices, long_text, text
from .common import AddressForm, PersonForm

RISKS = [
    ("weapons", "Weapons at the address"),
    ("violence", "A history of violence or aggression"),
    ("animals", "Animals, such as dogs"),
    ("others_present", "Other people likely to be there"),
]
WARRANT = [
    ("held", "Yes, a warrant is held"),
    ("sought", "A warrant is being sought"),
    ("not_needed", "No, a warrant is not needed"),
]


class AmhpForm(StepForm):
    name = text(
        "Name of the approved mental health professional (AMHP)", "Enter the AMHP's name", what="The AMHP's name"
    )
    phone = text("AMHP's phone number", "Enter the AMHP's phone number", max_length=30)
    local_authority = text("Local authority", "Enter the AMHP's local authority")


class PlannedForm(StepForm):
    date = DateField(
        label="Date of the assessment",
        what="the date of the assessment",
        when="not_past",
        help_text="For example, 4 6 2026",
    )
    time = TimeField(label="Time of the assessment", what="the time of the assessment")


class RisksForm(StepForm):
    risks = choices("Which of these risks are there?", RISKS, help_text="Select all that apply.")
    details = long_text("Tell us more about the risks (optional)", what="The details of the risks")

    def clean(self):
        data = super().clean()
        if data.get("risks") and not data.get("details"):
            self.add_error("details", "Describe the risks you selected")
        return data


class WarrantForm(StepForm):
    warrant = choice(
        "Is a section 135 warrant held or being sought?", WARRANT, "Select whether a section 135 warrant is held"
    )
    warrant_details = text(
        "Court and time of the warrant (if held or sought)",
        what="The court and time of the warrant",
        max_length=500,
        help_text="For example, York Magistrates' Court, granted 10am today",
    )

    def clean(self):
        data = super().clean()
        if data.get("warrant") in ("held", "sought") and not data.get("warrant_details"):
            self.add_error("warrant_details", "Enter the court and time of the warrant")
        return data


def mha_urgency(answers: dict) -> Urgency:
    planned = answer(answers, "when", "date")
    try:
        day = dt.date.fromisoformat(planned)
    except (TypeError, ValueError):
        return Urgency.STANDARD
    return Urgency.URGENT if day <= timezone.localdate() + dt.timedelta(days=1) else Urgency.STANDARD


MHA_ASSESSMENT = FormDefinition(
    form_type=FormType.MHA_ASSESSMENT,
    slug="mental-health-act-assessment",
    prefix="MHA",
    title="Ask for police help with a Mental Health Act assessment",
    noun="request for help with a Mental Health Act assessment",
    receiver="North Yorkshire Police Force Control Room",
    summary="For approved mental health professionals planning an assessment where police help is needed.",
    use_it_for=(
        "asking for police officers to attend a planned Mental Health Act assessment",
        "telling the police about risks at the address and any section 135 warrant",
    ),
    what_happens_next=(
        "You will get a reference number at once, and an email receipt.",
        "The Force Control Room plans who will attend. Assessments today or tomorrow are seen first.",
    ),
    steps=(
        Step("amhp", "The approved mental health professional", AmhpForm),
        Step("person", "The person being assessed", PersonForm),
        Step("address", "Where the assessment will be", AddressForm),
        Step("when", "When the assessment is planned", PlannedForm),
        Step("risks", "Risks", RisksForm),
        Step("warrant", "Section 135 warrant", WarrantForm),
    ),
    urgency=mha_urgency,
)
