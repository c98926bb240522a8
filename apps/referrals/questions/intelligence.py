"""Community partner intelligence, for the police Intelligence Unit, which grades it with 3x5x2."""

from __future__ import annotations

from apps.core.forms import DateField

from ..models import FormType, Urgency
from .base import FormDefinition, Step, StepForm, answer, choice, long_text, text

HOW_KNOWN = [
    ("seen", "I saw or heard it myself"),
    ("told_by_subject", "The person it is about told me"),
    ("told_by_other", "Someone else told me"),
    ("records", "From records or documents"),
    ("other", "Another way"),
]


class SubjectsForm(StepForm):
    people = long_text("People (optional)", max_length=2000, help_text="Names, nicknames, ages or descriptions")
    places = long_text("Places (optional)", max_length=2000, help_text="Addresses or descriptions of places")
    vehicles = text("Vehicles (optional)", max_length=500, help_text="Registration, make, model or colour")
    online_accounts = text(
        "Online accounts (optional)", max_length=500, help_text="For example, a social media username"
    )

    def clean(self):
        data = super().clean()
        if not any(data.get(name) for name in ("people", "places", "vehicles", "online_accounts")):
            self.add_error("people", "Tell us at least one person, place, vehicle or online account it is about")
        return data


class InformationForm(StepForm):
    information = long_text("What do you know?", "Enter what you know", what="What you know")


class SourceForm(StepForm):
    how_known = choice("How do you know this?", HOW_KNOWN, "Select how you know this")
    details = long_text("Tell us more about how you know (optional)", what="How you know", max_length=2000)


class WhenForm(StepForm):
    happened_on = DateField(
        label="When did this happen, or when did you find out?",
        what="the date it happened or you found out",
        when="not_future",
        help_text="For example, 27 3 2026",
    )
    time_critical = choice(
        "Could something happen in the next 24 hours?",
        [("yes", "Yes"), ("no", "No"), ("unknown", "I do not know")],
        "Select whether something could happen in the next 24 hours",
    )


COMMUNITY_INTELLIGENCE = FormDefinition(
    form_type=FormType.COMMUNITY_INTELLIGENCE,
    slug="community-partner-intelligence",
    prefix="CPI",
    title="Share community partner intelligence with the police",
    noun="community partner intelligence",
    receiver="North Yorkshire Police Intelligence Unit",
    summary="Tell the police Intelligence Unit something you know about people, places, vehicles or accounts.",
    use_it_for=(
        "information about crime, exploitation or risk in the community that is not an emergency",
        "small pieces of information: the Intelligence Unit puts them together with what it already knows",
    ),
    what_happens_next=(
        "You will get a reference number at once, and an email receipt.",
        "The Intelligence Unit assesses and grades the information. It may not contact you unless it needs more.",
    ),
    steps=(
        Step("subjects", "Who or what it is about", SubjectsForm),
        Step("information", "What you know", InformationForm),
        Step("source", "How you know it", SourceForm),
        Step("when", "When", WhenForm),
    ),
    urgency=lambda answers: Urgency.URGENT if answer(answers, "when", "time_critical") == "yes" else Urgency.STANDARD,
)
