"""Welfare check request: asking the police to check on someone the requester cannot check on themselves."""

from __future__ import annotations

from apps.core.forms import DateField

from ..models import FormType, Urgency
from .base import FormDefinition, Step, StepForm, answer, choice, long_text
from .common import AddressForm, PersonForm


class ConcernForm(StepForm):
    concern = long_text("What is your concern?", "Describe your concern about the person", what="Your concern")
    last_contact = DateField(
        label="When did you last have contact with them? (optional)",
        what="the date you last had contact",
        when="not_future",
        required=False,
    )


class WhyNotYouForm(StepForm):
    reason = long_text(
        "Why can you not check on them yourself?",
        "Tell us why you cannot check on the person yourself",
        what="Why you cannot check on them yourself",
        help_text="For example, you have tried to visit and phone, or it is not safe for you to visit",
    )


class UrgencyForm(StepForm):
    urgency = choice(
        "How urgent is it?",
        [
            ("urgent", "Urgent: I am worried about their safety today"),
            ("standard", "Not urgent: a check within the next few days"),
        ],
        "Select how urgent the welfare check is",
    )


WELFARE_CHECK = FormDefinition(
    form_type=FormType.WELFARE_CHECK,
    slug="welfare-check",
    prefix="WFC",
    title="Ask the police for a welfare check",
    noun="welfare check request",
    receiver="North Yorkshire Police Force Control Room",
    summary="Ask the police to check on someone you are worried about and cannot check on yourself.",
    use_it_for=("a person you are worried about, when you have tried and cannot check on them yourself",),
    what_happens_next=(
        "You will get a reference number at once, and an email receipt.",
        "The Force Control Room decides who visits and when. Urgent requests are seen first.",
    ),
    steps=(
        Step("person", "The person", PersonForm),
        Step("address", "Their address", AddressForm),
        Step("concern", "Your concern", ConcernForm),
        Step("why-not-you", "Why you cannot check yourself", WhyNotYouForm),
        Step("urgency", "Urgency", UrgencyForm),
    ),
    urgency=lambda answers: Urgency(answer(answers, "urgency", "urgency", Urgency.STANDARD)),
)
