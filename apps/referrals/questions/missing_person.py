"""The missing person report, and its two follow-ups: "the person has returned" and "further information"."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from apps.core.dates import format_date, format_time
from apps.core.forms import DateField

from ..models import FormType, Urgency
from .base import (
    FormDefinition,
    Step,
    StepForm,
    TimeField,
    answer,
    choice,
    choices,
    london_moment,
    long_text,
    text,
)
from .common import AttachmentForm, OriginalReportForm, PersonForm, PhotoForm

RISK_FACTORS = [
    ("exploitation", "Concerns about child exploitation (criminal or sexual)"),
    ("medical", "Medical needs, such as medication they need"),
    ("mental_health", "Mental health concerns"),
    ("first_time", "This is the first time they have been missing"),
    ("other", "Other vulnerabilities"),
]
URGENT_RISKS = {"exploitation", "medical", "mental_health"}
YES_NO = [("yes", "Yes"), ("no", "No")]


class DescriptionForm(StepForm):
    description = long_text(
        "Describe the person",
        "Describe the person",
        what="Description",
        help_text="Height, build, hair, skin tone, and anything distinctive such as glasses, scars or tattoos",
    )
    clothing = long_text(
        "What were they wearing when last seen?", "Describe what they were wearing", what="What they were wearing"
    )


class LastSeenForm(StepForm):
    date = DateField(label="Date last seen", what="the date the person was last seen", when="not_future")
    time = TimeField(label="Time last seen", what="the time the person was last seen")
    place = text(
        "Where were they last seen?",
        "Enter where the person was last seen",
        what="Where they were last seen",
        max_length=500,
    )

    def clean(self):
        data = super().clean()
        seen = london_moment(data.get("date"), data.get("time"))
        if seen is not None and seen > timezone.now():
            self.add_error("time", "The time the person was last seen must be in the past")
        if data.get("date") and not self.has_error("date"):
            refusal = before_birth(data["date"], self.other_steps.get("person") or {})
            if refusal:
                self.add_error("date", refusal)
        return data


def before_birth(seen: dt.date, person: dict) -> str:
    """Why a last sighting on this date cannot be, given the person's date of birth or age, or ""."""
    try:
        born = dt.date.fromisoformat(person.get("date_of_birth") or "")
    except (TypeError, ValueError):
        born = None
    if born is not None:
        if seen < born:
            return f"The date the person was last seen must be on or after their date of birth, {format_date(born)}"
        return ""
    age = person.get("age")
    if isinstance(age, int) and not isinstance(age, bool):
        today = timezone.localdate()
        # Someone who is `age` now was born after this date (a day after their (age + 1)th birthday's eve).
        try:
            earliest = today.replace(year=today.year - age - 1) + dt.timedelta(days=1)
        except ValueError:  # 29 February
            earliest = today.replace(year=today.year - age - 1, day=28) + dt.timedelta(days=1)
        if seen < earliest:
            return (
                f"The date the person was last seen must be after they were born: they are {age}, "
                f"so they were born after {format_date(earliest - dt.timedelta(days=1))}"
            )
    return ""


class CircumstancesForm(StepForm):
    circumstances = long_text(
        "What happened before they went missing?",
        "Describe what happened before the person went missing",
        what="What happened before they went missing",
        help_text="Include anything they said, who they may be with, and places they may go",
    )


class RisksForm(StepForm):
    risk_factors = choices(
        "Which of these apply?", RISK_FACTORS, help_text="Select all that apply. Leave them all empty if none do."
    )
    details = long_text("Tell us more about the risks (optional)", what="The details of the risks")

    def clean(self):
        data = super().clean()
        if "other" in (data.get("risk_factors") or []) and not data.get("details"):
            self.add_error("details", "Describe the other vulnerabilities")
        return data


class CarerForm(StepForm):
    name = text(
        "Name of the parent or carer", "Enter the name of the parent or carer", what="The parent or carer's name"
    )
    relationship = text("Their relationship to the person", "Enter their relationship to the person")
    phone = text(
        "Their phone number",
        "Enter the parent or carer's phone number",
        what="The parent or carer's phone number",
        max_length=30,
    )
    address = text("Their address (optional)", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class ReporterForm(StepForm):
    role = text("Your role", "Enter your role", help_text="For example, residential care worker")
    phone = text(
        "Your phone number",
        "Enter a phone number we can call you on",
        max_length=30,
        help_text="The Force Control Room may call you about this report",
    )


class ReturnForm(StepForm):
    date = DateField(label="Date they returned", what="the date the person returned", when="not_future")
    time = TimeField(label="Time they returned", what="the time the person returned")
    where_found = text(
        "Where were they found, or where did they return to?",
        "Enter where the person was found",
        what="Where they were found",
    )
    with_whom = text("Who were they with? (optional)", what="Who they were with", max_length=500)
    concerns = long_text("Any injuries or concerns? (optional)", what="Injuries or concerns")
    interview = choice(
        "Has a return home interview been offered?",
        [("yes", "Yes"), ("no", "No"), ("not_yet", "Not yet")],
        "Select whether a return home interview has been offered",
    )

    def clean(self):
        data = super().clean()
        returned = london_moment(data.get("date"), data.get("time"))
        if returned is None:
            return data
        if returned > timezone.now():
            self.add_error("time", "The time the person returned must be in the past")
            return data
        seen = self.last_seen()
        if seen is None or returned >= seen:
            return data
        if returned.date() < seen.date():
            self.add_error(
                "date",
                "The date the person returned must be the same as or after the date they were last seen: "
                f"{format_date(seen.date())}",
            )
        else:
            self.add_error(
                "time",
                "The time the person returned must be after the time they were last seen: "
                f"{format_time(seen.time())} on {format_date(seen.date())}",
            )
        return data

    def last_seen(self):
        """When the person was last seen, from the organisation's missing person report this follows."""
        from ..models import Submission

        reference = (self.other_steps.get("original") or {}).get("reference")
        if not reference or self.organisation is None:
            return None
        report = (
            Submission.objects.filter(
                reference=reference, form_type=FormType.MISSING_PERSON, organisation=self.organisation
            )
            .values_list("answers", flat=True)
            .first()
        )
        seen = (report or {}).get("last-seen") or {}
        return london_moment(seen.get("date"), seen.get("time"))


class FurtherInformationForm(StepForm):
    information = long_text("What do you want to tell us?", "Enter the new information", what="The new information")
    more_urgent = choice(
        "Does this make the search more urgent?",
        YES_NO,
        "Select yes if this makes the search more urgent",
    )


def missing_person_urgency(answers: dict) -> Urgency:
    risks = set(answer(answers, "risks", "risk_factors", []) or [])
    return Urgency.URGENT if risks & URGENT_RISKS else Urgency.STANDARD


MISSING_PERSON = FormDefinition(
    form_type=FormType.MISSING_PERSON,
    slug="missing-person",
    prefix="MPR",
    title="Report a missing person",
    noun="missing person report",
    receiver="North Yorkshire Police Force Control Room",
    summary="Tell the police about someone who is missing, instead of calling 101.",
    use_it_for=(
        "a child or adult you work with who is missing and is not in immediate danger",
        "telling the police what the person looks like, when and where they were last seen, and any risks",
    ),
    what_happens_next=(
        "You will get a reference number at once, and an email receipt.",
        "The Force Control Room deals with your report as it would a 101 call. Reports with risks such as "
        "exploitation, medical needs or mental health concerns are seen first.",
        "Tell us when the person returns, or if you learn anything new, using the reference number.",
    ),
    steps=(
        Step("person", "The person who is missing", PersonForm),
        Step("description", "What they look like", DescriptionForm),
        Step("photo", "A photo of the person", PhotoForm),
        Step("last-seen", "When and where they were last seen", LastSeenForm),
        Step("circumstances", "The circumstances", CircumstancesForm),
        Step("risks", "Risks", RisksForm),
        Step("carer", "Their parent or carer", CarerForm),
        Step("reporter", "Your details", ReporterForm),
    ),
    urgency=missing_person_urgency,
)

PERSON_RETURNED = FormDefinition(
    form_type=FormType.PERSON_RETURNED,
    slug="missing-person-returned",
    prefix="RTN",
    title="Tell the police a missing person has returned",
    noun="report that a missing person has returned",
    receiver="North Yorkshire Police Force Control Room",
    summary="Tell the police that someone you reported missing is back.",
    use_it_for=("a person you reported missing through the hub who has now returned or been found",),
    what_happens_next=(
        "You will get a reference number at once, and an email receipt.",
        "The Force Control Room adds what you tell us to the original report.",
    ),
    steps=(
        Step("original", "The missing person report", OriginalReportForm),
        Step("return", "Their return", ReturnForm),
    ),
    follows=FormType.MISSING_PERSON,
)


def further_information_urgency(answers: dict) -> Urgency:
    return Urgency.URGENT if answer(answers, "information", "more_urgent") == "yes" else Urgency.STANDARD


MISSING_PERSON_UPDATE = FormDefinition(
    form_type=FormType.MISSING_PERSON_UPDATE,
    slug="missing-person-further-information",
    prefix="MFI",
    title="Give further information about a missing person",
    noun="further information about a missing person",
    receiver="North Yorkshire Police Force Control Room",
    summary="Add something you have learnt to a missing person report you made.",
    use_it_for=("new information about a person you reported missing through the hub",),
    what_happens_next=(
        "You will get a reference number at once, and an email receipt.",
        "The Force Control Room adds what you tell us to the original report.",
    ),
    steps=(
        Step("original", "The missing person report", OriginalReportForm),
        Step("information", "The new information", FurtherInformationForm),
        Step("attachment", "A file", AttachmentForm),
    ),
    urgency=further_information_urgency,
    follows=FormType.MISSING_PERSON,
)
