"""Request for Targeted Intervention Service support, from the council."""

from __future__ import annotations

from apps.core.forms import DateField

from ..models import FormType
from .base import FormDefinition, Step, StepForm, choice, choices, long_text, text
from .common import AddressForm

NEEDS = [
    ("education", "Getting a good education"),
    ("early_years", "Good early years development"),
    ("health", "Improved mental and physical health"),
    ("substance_use", "Promoting recovery and reducing harm from substance use"),
    ("relationships", "Improved family relationships"),
    ("exploitation", "Children safe from abuse and exploitation"),
    ("crime", "Crime prevention and tackling crime"),
    ("domestic_abuse", "Safe from domestic abuse"),
    ("housing", "Secure housing"),
    ("finances", "Financial stability"),
]


class FamilyForm(StepForm):
    child_name = text(
        "Full name of the child or young person", "Enter the child's full name", what="The child's full name"
    )
    date_of_birth = DateField(label="Their date of birth", what="the child's date of birth", when="not_future")
    household = long_text(
        "Who else lives in the household? (optional)",
        what="Who else lives in the household",
        max_length=2000,
        help_text="Names, ages and relationships",
    )


class ConsentForm(StepForm):
    consent = choice(
        "Has the family agreed to this request?",
        [("yes", "Yes"), ("no", "No")],
        "Select whether the family has agreed to this request",
    )
    given_by = text(
        "Who gave consent?",
        "Enter who gave consent",
        what="Who gave consent",
        help_text="For example, the child's mother",
    )
    given_on = DateField(label="Date consent was given", what="the date consent was given", when="not_future")

    def clean(self):
        data = super().clean()
        if data.get("consent") == "no":
            self.add_error(
                "consent",
                "You need the family's agreement before you ask for support. If a child is at risk of harm, "
                "contact children's social care",
            )
        return data


class NeedsForm(StepForm):
    needs = choices(
        "What does the family need help with?",
        NEEDS,
        required_message="Select at least one thing the family needs help with",
        help_text="Select all that apply.",
    )
    details = long_text("Tell us about the family's needs", "Describe the family's needs", what="The family's needs")


class EarlyHelpForm(StepForm):
    tried = long_text(
        "What early help has been tried?",
        "Tell us what early help has been tried",
        what="What early help has been tried",
        help_text="Who has worked with the family, what they did and what changed",
    )
    assessment = choice(
        "Is there an Early Help Assessment?",
        [("yes", "Yes"), ("no", "No")],
        "Select whether there is an Early Help Assessment",
    )


TARGETED_INTERVENTION = FormDefinition(
    form_type=FormType.TARGETED_INTERVENTION,
    slug="targeted-intervention-support",
    prefix="TIS",
    title="Request Targeted Intervention Service support",
    noun="request for Targeted Intervention Service support",
    receiver="City of York Council Targeted Intervention Service",
    summary="Ask the council's Targeted Intervention Service to support a family, with the family's agreement.",
    use_it_for=("a family whose needs are more than early help alone can meet, who have agreed to the request",),
    what_happens_next=(
        "You will get a reference number at once, and an email receipt.",
        "The Targeted Intervention Service looks at the request and may ask you for more information.",
    ),
    steps=(
        Step("family", "The family", FamilyForm),
        Step("address", "The family's address", AddressForm),
        Step("consent", "Consent", ConsentForm),
        Step("needs", "The family's needs", NeedsForm),
        Step("early-help", "Early help so far", EarlyHelpForm),
    ),
)
