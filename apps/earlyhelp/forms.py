"""The early help record's forms. Every field has a GOV.UK message that names it; nothing is lost on error."""

from __future__ import annotations

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from apps.accounts.models import AccountStatus, Organisation, User
from apps.core.forms import DateField
from apps.core.identifiers import nhs_number_is_valid, pupil_number_is_valid

from .models import (
    ActionStatus,
    ClosureReason,
    ConsentGiver,
    ConsentMethod,
    EntryKind,
    FamilyStatus,
    MemberRole,
    Outcome,
    RelationshipKind,
    RetentionDecision,
    Service,
    Sex,
)


def text(label: str, required: str = "", *, max_length: int = 200, **kwargs) -> forms.CharField:
    messages = {"max_length": f"{label} must be {max_length:,} characters or fewer"}
    if required:
        messages["required"] = required
    return forms.CharField(
        label=label, max_length=max_length, required=bool(required), error_messages=messages, **kwargs
    )


def long_text(label: str, required: str = "", *, max_length: int = 10000, rows: int = 5, **kwargs) -> forms.CharField:
    return text(label, required, max_length=max_length, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


def radios(label: str, choices, message: str, **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
        **kwargs,
    )


def select(label: str, choices, **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=False,
        error_messages={"invalid_choice": f"Choose {label.lower()} from the list"},
        **kwargs,
    )


SCALE = [(str(n), str(n)) for n in range(11)]


class HubForm(forms.Form):
    """Lays its fields out as GOV.UK components; the template writes the <form> and the button."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*self.layout())

    def layout(self) -> list:
        items = []
        for name, bound in self.fields.items():
            widget = bound.widget
            if isinstance(widget, forms.RadioSelect):
                small = not isinstance(bound, forms.ModelChoiceField) and len(bound.choices) > 6
                items.append(Field.radios(name, legend_size=Size.SMALL, inline=small, small=small))
            elif isinstance(widget, forms.CheckboxSelectMultiple):
                items.append(Field.checkboxes(name, legend_size=Size.SMALL, small=True))
            elif isinstance(widget, forms.Textarea):
                # GOV.UK's character count warns as people type and lets the server say no; a browser's
                # maxlength would cut pasted text short without a word.
                widget.attrs.pop("maxlength", None)
                if getattr(bound, "max_length", None):
                    # crispy-forms-gds adds the count's id to aria-describedby, which it expects to exist
                    # already (it sets it only for a field with a hint): without one, the page fails.
                    widget.attrs.setdefault("aria-describedby", "")
                items.append(
                    Field.textarea(
                        name,
                        label_size=Size.SMALL,
                        rows=widget.attrs.get("rows", 5),
                        max_characters=getattr(bound, "max_length", None),
                    )
                )
            elif isinstance(widget, forms.Select):
                items.append(Field.select(name, label_size=Size.SMALL))
            elif isinstance(bound, forms.FileField | forms.BooleanField | DateInputField):
                items.append(Field(name))
            else:
                items.append(Field.text(name, label_size=Size.SMALL))
        return items


def partner_organisations():
    return Organisation.objects.filter(is_active=True).order_by("name")


class ConsentFields(HubForm):
    given_by_name = text("Name of the person who gave consent", "Enter the name of the person who gave consent")
    given_by = radios("Who gave consent?", ConsentGiver.choices, "Choose who gave consent")
    given_on = DateField(
        label="Date consent was given",
        what="the date consent was given",
        when="not_future",
        help_text="For example, 27 3 2026",
    )
    method = radios("How was consent given?", ConsentMethod.choices, "Choose how consent was given")
    agencies = forms.ModelMultipleChoiceField(
        label="Which agencies may the assessment be shared with?",
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one agency the assessment may be shared with",
            "invalid_choice": "Choose only the agencies listed",
            "invalid_pk_value": "Choose only the agencies listed",
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = partner_organisations()


class StartForm(ConsentFields):
    family_name = text(
        "How is the family known?",
        "Enter how the family is known, for example the Avery family",
        help_text="For example, the Avery family. Add each person on the next pages.",
    )
    postcode = text("The family's postcode", max_length=10, required="")
    has_consent = radios(
        "Has the family given consent to the assessment?",
        [("yes", "Yes"), ("no", "No: the law allows the record to be kept without consent")],
        "Say whether the family has given consent",
    )
    no_consent_basis = long_text(
        "Under which law is the record kept without consent, and why?",
        max_length=2000,
        help_text="For example, Children Act 1989 section 47: a child is at risk of significant harm",
    )

    field_order = [
        "family_name",
        "postcode",
        "has_consent",
        "given_by_name",
        "given_by",
        "given_on",
        "method",
        "agencies",
        "no_consent_basis",
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("given_by_name", "given_by", "given_on", "method", "agencies"):
            self.fields[name].required = False
        self.helper.layout = Layout(*self.layout())

    def clean(self):
        data = super().clean()
        if data.get("has_consent") == "yes":
            for name, message in (
                ("given_by_name", "Enter the name of the person who gave consent"),
                ("given_by", "Choose who gave consent"),
                ("given_on", "Enter the date consent was given"),
                ("method", "Choose how consent was given"),
                ("agencies", "Choose at least one agency the assessment may be shared with"),
            ):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        elif data.get("has_consent") == "no" and not (data.get("no_consent_basis") or "").strip():
            self.add_error("no_consent_basis", "Enter the law under which the record is kept without consent, and why")
        return data


class ConsentForm(ConsentFields):
    pass


class WithdrawConsentForm(HubForm):
    withdrawn_on = DateField(
        label="Date consent was withdrawn",
        what="the date consent was withdrawn",
        when="not_future",
        help_text="For example, 27 3 2026",
    )
    note = long_text("What did the family say? (optional)", max_length=2000)


class MemberForm(HubForm):
    role = radios("Who are they in the family?", MemberRole.choices, "Choose who they are in the family")
    first_name = text("First name", "Enter their first name", max_length=100)
    middle_names = text("Middle names (optional)", max_length=200)
    surname = text("Last name", "Enter their last name", max_length=100)
    aliases = text("Other names they are known by (optional)", max_length=300)
    date_of_birth = DateField(
        label="Date of birth",
        what="their date of birth",
        when="not_future",
        required=False,
        help_text="For example, 27 3 2012. Leave it empty if it is not known",
    )
    sex = radios("Sex (optional)", [c for c in Sex.choices if c[0]], "Choose their sex", required=False)
    gender = text("Gender, in their words (optional)", max_length=100)
    ethnicity = text("Ethnicity (optional)", max_length=100)
    language = text("First language (optional)", max_length=100)
    needs_interpreter = forms.BooleanField(label="They need an interpreter", required=False)
    disability = text("Disability or special educational needs (optional)", max_length=300)
    school = text("School or early years setting (optional)", max_length=200)
    gp = text("GP practice (optional)", max_length=200)
    nhs_number = text("NHS number (optional)", max_length=14, help_text="10 digits, for example 943 476 5919")
    pupil_number = text(
        "Unique pupil number (UPN) (optional)", max_length=15, help_text="13 characters, for example A123456789012"
    )
    agency_name = text("Another agency's ID: agency (optional)", max_length=100)
    agency_identifier = text("Another agency's ID: their ID (optional)", max_length=50)
    address = long_text("Address (optional)", max_length=300, rows=3)
    postcode = text("Postcode (optional)", max_length=10)

    def clean_nhs_number(self) -> str:
        value = self.cleaned_data.get("nhs_number", "")
        if value and not nhs_number_is_valid(value):
            raise forms.ValidationError("Enter a real NHS number: 10 digits whose last is its check digit")
        return value

    def clean_pupil_number(self) -> str:
        value = self.cleaned_data.get("pupil_number", "")
        if value and not pupil_number_is_valid(value):
            raise forms.ValidationError(
                "Enter a real unique pupil number: a check letter, 11 digits, and a digit or letter, "
                "whose check letter agrees"
            )
        return value

    def clean(self):
        data = super().clean()
        if bool(data.get("agency_name")) != bool(data.get("agency_identifier")):
            missing = "agency_identifier" if data.get("agency_name") else "agency_name"
            self.add_error(missing, "Enter both the agency and its ID, or neither")
        return data

    def member_data(self) -> dict:
        data = {name: value for name, value in self.cleaned_data.items() if not name.startswith("agency_")}
        data["sex"] = data.get("sex") or ""
        if self.cleaned_data.get("agency_name"):
            data["agency_ids"] = [
                {"agency": self.cleaned_data["agency_name"], "identifier": self.cleaned_data["agency_identifier"]}
            ]
        return data

    @staticmethod
    def initial_from(member) -> dict:
        initial = {name: getattr(member, name) for name in MemberForm.base_fields if hasattr(member, name)}
        if member.agency_ids:
            initial["agency_name"] = member.agency_ids[0].get("agency", "")
            initial["agency_identifier"] = member.agency_ids[0].get("identifier", "")
        return initial


class RelationshipForm(HubForm):
    person = forms.ModelChoiceField(
        label="Who",
        queryset=None,
        empty_label="Choose a person",
        error_messages={"required": "Choose who", "invalid_choice": "Choose someone in this family"},
    )
    kind = select("is the", [("", "Choose a relationship"), *RelationshipKind.choices])
    relative = forms.ModelChoiceField(
        label="of",
        queryset=None,
        empty_label="Choose a person",
        error_messages={
            "required": "Choose whose relative they are",
            "invalid_choice": "Choose someone in this family",
        },
    )

    def __init__(self, *args, family, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("person", "relative"):
            self.fields[name].queryset = family.members.all()
            self.fields[name].label_from_instance = lambda member: member.full_name

    def clean(self):
        data = super().clean()
        if not data.get("kind") and "kind" not in self.errors:
            self.add_error("kind", "Choose the relationship")
        if data.get("person") and data.get("person") == data.get("relative"):
            self.add_error("relative", "Choose two different people")
        return data


class SameAsForm(HubForm):
    choice = forms.ChoiceField(
        label="Is this the same person?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a record, or say it is none of them",
            "invalid_choice": "Choose one of the records listed",
        },
    )

    def __init__(self, *args, offered, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = [
            (str(match.member.pk), f"Yes, {match.member.full_name} on record {match.member.family.reference}")
            for match in offered
        ] + [("none", "No, none of these")]
        self.helper.layout = Layout(*self.layout())


# --- The assessment's pages -------------------------------------------------------------------------


class StoryForm(HubForm):
    family_story = long_text(
        "The family's story, in their words",
        help_text="What the family say about their life now, what they want help with, and what they have tried",
        rows=8,
    )
    voice_of_child = long_text(
        "The voice of the child",
        help_text="What each child says, or shows, about their life: use their words where you can",
        rows=8,
    )


class SignsOfSafetyForm(HubForm):
    working_well = long_text("What is working well?", help_text="Strengths, safety and support the family already has")
    worries = long_text(
        "What are we worried about?", help_text="Harm that has happened, the risk of it, and what makes it harder"
    )
    needs_to_happen = long_text("What needs to happen?", help_text="The family's goals and the next steps")
    scaling = forms.TypedChoiceField(
        label="On a scale of 0 to 10, where 10 means everyone knows the children are safe and well cared for, "
        "and 0 means things are so bad the children cannot stay at home, where are things now?",
        choices=SCALE,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose a number from 0 to 10"},
    )


class NeedsForm(HubForm):
    needs = forms.MultipleChoiceField(
        label="Which of the family's needs does the assessment show?",
        choices=Outcome.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="The ten headline outcomes of the Supporting Families Outcome Framework",
        error_messages={"invalid_choice": "Choose only the needs listed"},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for value, label in Outcome.choices:
            self.fields[f"need_{value}"] = long_text(
                f"{label}: what does the family need? (optional)", max_length=2000, rows=3
            )
        self.helper.layout = Layout(*self.layout())

    def clean(self):
        data = super().clean()
        for value in data.get("needs") or []:
            if not (data.get(f"need_{value}") or "").strip():
                self.add_error(f"need_{value}", f"Enter what the family needs for {Outcome(value).label.lower()}")
        return data

    def needs_data(self) -> dict:
        return {value: self.cleaned_data[f"need_{value}"].strip() for value in self.cleaned_data.get("needs") or []}

    @staticmethod
    def initial_from(assessment) -> dict:
        initial = {"needs": list(assessment.needs)}
        initial.update({f"need_{key}": value for key, value in assessment.needs.items()})
        return initial


# --- The team, meetings, the plan, reviews -----------------------------------------------------------


class TeamMemberForm(HubForm):
    email = forms.EmailField(
        label="The practitioner's e-mail address",
        help_text="The address they sign in to the hub with",
        max_length=254,
        error_messages={
            "required": "Enter the practitioner's e-mail address",
            "invalid": "Enter an e-mail address in the correct format, like name@example.org",
        },
    )
    role = text("Their role for this family", "Enter their role for this family", help_text="For example, school nurse")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        user = User.objects.filter(email=email, status=AccountStatus.ACTIVE, organisation__isnull=False).first()
        if user is None:
            raise forms.ValidationError("Nobody with an active hub account has this e-mail address")
        self.user = user
        return email


class TransferLeadForm(HubForm):
    member = forms.ModelChoiceField(
        label="Who will be the lead practitioner?",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Choose who will be the lead practitioner",
            "invalid_choice": "Choose a member of the team",
        },
    )

    def __init__(self, *args, family, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = (
            family.team.filter(left_at__isnull=True).exclude(user=family.lead).select_related("user", "organisation")
        )
        self.fields["member"].label_from_instance = lambda m: (
            f"{m.user.get_full_name() or m.user.email}, {m.role} ({m.organisation.name})"
        )
        self.helper.layout = Layout(*self.layout())


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.docx,.odt"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class MeetingForm(HubForm):
    held_on = DateField(
        label="Date of the meeting",
        what="the date of the meeting",
        when="not_future",
        help_text="For example, 27 3 2026",
    )
    attended = long_text(
        "Who attended?", "Enter who attended", max_length=2000, rows=4, help_text="One a line, with their agency"
    )
    discussed = long_text("What was discussed?", "Enter what was discussed")
    decisions = long_text("What was decided? (optional)")
    documents = MultipleFileField(
        label="Minutes and other documents (optional)",
        required=False,
        help_text="PDF, DOCX or ODT",
        error_messages={"invalid": "The selected file could not be read", "empty": "The selected file is empty"},
    )


class OutcomeForm(HubForm):
    headline = radios("Which headline outcome is it under?", Outcome.choices, "Choose the headline outcome")
    description = long_text(
        "What does the family want to be different?", "Enter what the family wants to be different", max_length=2000
    )


class ActionForm(HubForm):
    what = long_text("What will be done?", "Enter what will be done", max_length=2000, rows=3)
    who = text("Who will do it?", "Enter who will do it", help_text="A person or an agency")
    due_on = DateField(label="By when?", what="the date the action is due", help_text="For example, 27 3 2027")


class ReviewForm(HubForm):
    held_on = DateField(
        label="Date of the review", what="the date of the review", when="not_future", help_text="For example, 27 3 2026"
    )
    scaling = forms.TypedChoiceField(
        label="On a scale of 0 to 10, where are things now?",
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a number from 0 to 10", "invalid_choice": "Choose a number from 0 to 10"},
    )
    what_changes = long_text("What changes in the plan? (optional)", max_length=5000)
    next_review_on = DateField(
        label="Date of the next review (optional)",
        what="the date of the next review",
        when="not_past",
        required=False,
        help_text="Leave it empty for six weeks after this review. For example, 27 3 2027",
    )

    def __init__(self, *args, actions, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.actions = list(actions)
        for action in self.actions:
            self.fields[f"action_{action.pk}"] = radios(
                f"How does “{action.what[:80]}” stand?",
                ActionStatus.choices,
                f"Choose how “{action.what[:40]}” stands",
                initial=action.status,
            )
            self.fields[f"note_{action.pk}"] = long_text(
                f"Progress on “{action.what[:80]}” (optional)", max_length=2000, rows=2
            )
        self.helper.layout = Layout(*self.layout())

    def progress(self) -> dict[int, dict]:
        return {
            action.pk: {
                "status": self.cleaned_data[f"action_{action.pk}"],
                "note": self.cleaned_data[f"note_{action.pk}"],
            }
            for action in self.actions
        }


class StepUpForm(HubForm):
    to_service = radios(
        "Where is the family being stepped up to?",
        [(Service.TIS, Service.TIS.label), (Service.CSC, Service.CSC.label)],
        "Choose where the family is being stepped up to",
    )
    reason = long_text("Why?", "Enter why the family is being stepped up", max_length=5000)
    reference = text(
        "Reference of a partner form request about the family (optional)",
        max_length=30,
        help_text="For example, TIS-2026-000004-K, if you have already sent one",
    )


class StepDownForm(HubForm):
    from_service = radios(
        "Which service is the family stepping down from?",
        [(Service.TIS, Service.TIS.label), (Service.CSC, Service.CSC.label)],
        "Choose which service the family is stepping down from",
    )
    reason = long_text("Why?", "Enter why the family is stepping down to early help", max_length=5000)


class CloseForm(HubForm):
    reason = radios("Why is the record closing?", ClosureReason.choices, "Choose why the record is closing")
    moved_to_area = text(
        "Which area has the family moved to?", max_length=200, help_text="Only if they moved out of area"
    )
    note = long_text("Anything else to say? (needed if the reason is other)", max_length=5000)

    def __init__(self, *args, headlines, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.headlines = list(headlines)
        for headline in self.headlines:
            label = Outcome(headline).label
            self.fields[f"outcome_{headline}"] = radios(
                f"{label}: was significant and sustained progress made?",
                [("yes", "Yes"), ("no", "No")],
                f"Say whether significant and sustained progress was made on {label.lower()}",
            )
            self.fields[f"evidence_{headline}"] = long_text(f"{label}: the evidence", max_length=5000, rows=3)
        self.helper.layout = Layout(*self.layout())

    def clean(self):
        data = super().clean()
        if data.get("reason") == ClosureReason.MOVED_AWAY and not (data.get("moved_to_area") or "").strip():
            self.add_error("moved_to_area", "Enter the area the family has moved to")
        if data.get("reason") == ClosureReason.OTHER and not (data.get("note") or "").strip():
            self.add_error("note", "Enter why the record is closing")
        for headline in self.headlines:
            if data.get(f"outcome_{headline}") == "yes" and not (data.get(f"evidence_{headline}") or "").strip():
                self.add_error(
                    f"evidence_{headline}", f"Enter the evidence of progress on {Outcome(headline).label.lower()}"
                )
        return data

    def outcomes(self) -> dict[str, tuple[bool, str]]:
        return {
            headline: (self.cleaned_data[f"outcome_{headline}"] == "yes", self.cleaned_data[f"evidence_{headline}"])
            for headline in self.headlines
        }


class EventForm(HubForm):
    occurred_on = DateField(
        label="When did it happen?", what="the date of the event", when="not_future", help_text="For example, 27 3 2026"
    )
    member = forms.ModelChoiceField(
        label="Who was it about? (optional)",
        queryset=None,
        required=False,
        empty_label="The whole family",
        error_messages={"invalid_choice": "Choose someone in this family"},
    )
    source_agency = text(
        "Which agency told you?", "Enter which agency told you", help_text="For example, North Yorkshire Police"
    )
    summary = long_text("What happened?", "Enter what happened", max_length=5000)
    impact = long_text("What was the impact on the child? (optional)", max_length=5000)

    def __init__(self, *args, family, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = family.members.all()
        self.fields["member"].label_from_instance = lambda member: member.full_name


class AttachForm(HubForm):
    reference = text(
        "Reference of the partner form",
        "Enter the reference of the partner form",
        max_length=30,
        help_text="For example, TIS-2026-000004-K",
    )


class BreakGlassForm(HubForm):
    reason = long_text(
        "Why do you need to open this record?",
        "Enter why you need to open this record",
        max_length=2000,
        help_text="Your reason is shown on the record, kept in the audit trail and reviewed by a manager",
    )


class ReviewAccessForm(HubForm):
    note = long_text("Your review (optional)", max_length=2000, rows=3)


class RetentionForm(HubForm):
    decision = radios(
        "What should happen to this closed record?",
        [
            (RetentionDecision.Decision.KEEP, "Keep it for another year"),
            (RetentionDecision.Decision.ERASE, "Erase it (the audit trail keeps that it existed)"),
        ],
        "Choose whether to keep or erase the record",
    )
    reason = long_text("Why?", "Enter the reason for your decision", max_length=2000, rows=3)


KIND_FILTERS = [
    ("", "Everything"),
    ("automatic", "Recorded by the hub"),
    ("manual", "Significant events"),
    *EntryKind.choices,
]


class ChronologyFilterForm(HubForm):
    kind = select("Show", KIND_FILTERS)
    member = forms.ModelChoiceField(
        label="About",
        queryset=None,
        required=False,
        empty_label="Everyone",
        error_messages={"invalid_choice": "Choose someone in this family"},
    )
    date_from = DateField(label="From", what="the from date", required=False, help_text="For example, 1 1 2026")
    date_to = DateField(label="To", what="the to date", required=False)

    def __init__(self, *args, family, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = family.members.all()
        self.fields["member"].label_from_instance = lambda member: member.full_name


class CentralFilterForm(HubForm):
    q = text("Person or family", max_length=100, help_text="A name, or a record reference such as EH-000012")
    school = text("School", max_length=100)
    postcode = text("Postcode", max_length=10, help_text="All or the start of it")
    status = select("Status", [("open", "Open (not closed)"), ("all", "Any status"), *FamilyStatus.choices])
    organisation = forms.ModelChoiceField(
        label="Agency",
        queryset=None,
        required=False,
        empty_label="Any agency",
        error_messages={"invalid_choice": "Choose an agency from the list"},
    )
    review = select("Review", [("", "Any"), ("overdue", "Overdue"), ("due_soon", "Due in the next 14 days")])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = partner_organisations()
        self.helper.layout = Layout(*self.layout())
