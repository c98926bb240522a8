"""Forms of the hub's own pages around the partner forms: sending, triage, routing and API tokens.

The questions of the partner forms themselves are in questions/.
"""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from apps.accounts.models import Organisation, Team

from .models import FormType, HandlingCode, IntelligenceGrade, SourceGrade, Status, Urgency
from .questions import DEFINITIONS
from .questions.base import LongTextField, too_long
from .questions.common import ReferenceField
from .selectors import QueueFilters


def _helper(*fields, button: str = "", button_class: str = "") -> FormHelper:
    helper = FormHelper()
    items = list(fields)
    if button:
        items.append(Button("submit", button, css_class=button_class))
    helper.layout = Layout(*items)
    return helper


class DeclarationForm(forms.Form):
    confirm = forms.BooleanField(
        label="I confirm that the information I have given is correct to the best of my knowledge, "
        "and that I am allowed to share it",
        error_messages={"required": "Confirm the declaration to send the form"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.checkbox("confirm"), button="Accept and send")


class AnswerForm(forms.Form):
    answer = LongTextField(
        label="Your answer",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter your answer", "max_length": too_long("Your answer", 5000)},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("answer", label_size=Size.MEDIUM, max_characters=5000), button="Send your answer"
        )


ASSIGNED = [("", "Anyone"), ("me", "Assigned to me"), ("unassigned", "Not assigned")]


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("open", "Open (not finished)"), ("all", "Any status"), *Status.choices],
    )
    form_type = forms.ChoiceField(label="Form", required=False, choices=[("", "Any form"), *FormType.choices])
    urgency = forms.ChoiceField(label="Urgency", required=False, choices=[("", "Any urgency"), *Urgency.choices])
    assigned = forms.ChoiceField(label="Assigned", required=False, choices=ASSIGNED)
    reference = ReferenceField(label="Reference number", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reference"].help_text = "For example, MPR-2026-000123-H"
        self.helper = _helper(
            Field.select("status"),
            Field.select("form_type"),
            Field.select("urgency"),
            Field.select("assigned"),
            Field.text("reference", field_width=20),
            button="Apply filters",
            button_class="govuk-button--secondary",
        )
        self.helper.form_method = "get"

    def filters(self) -> QueueFilters:
        if not self.is_bound:
            return QueueFilters()
        if not self.is_valid():
            data = {name: value for name, value in self.cleaned_data.items() if name != "reference"}
            return QueueFilters(**{k: v or QueueFilters.__dataclass_fields__[k].default for k, v in data.items()})
        data = self.cleaned_data
        return QueueFilters(
            status=data.get("status") or "open",
            form_type=data.get("form_type") or "",
            urgency=data.get("urgency") or "",
            assigned=data.get("assigned") or "",
            reference=data.get("reference") or "",
        )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label="Who should work on it?",
        queryset=None,
        empty_label=None,
        error_messages={"required": "Choose a member of the team", "invalid_choice": "Choose a member of the team"},
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = members
        self.fields["assignee"].label_from_instance = lambda user: user.get_full_name() or user.email
        self.helper = _helper(Field.radios("assignee", legend_size=Size.MEDIUM), button="Assign")


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label="New status",
        widget=forms.RadioSelect,
        choices=[
            (Status.IN_PROGRESS, Status.IN_PROGRESS.label),
            (Status.ACTIONED, Status.ACTIONED.label),
            (Status.CLOSED, Status.CLOSED.label),
            (Status.DECLINED, "Declined (give a reason)"),
            (Status.PASSED_ON, "Pass to another team (choose the team)"),
        ],
        error_messages={"required": "Choose the new status", "invalid_choice": "Choose the new status"},
    )
    reason = LongTextField(
        label="Reason",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when you decline. The sender sees the reason for a decline.",
        error_messages={"max_length": too_long("The reason", 2000)},
    )
    team = forms.ModelChoiceField(
        label="Team to pass it to",
        queryset=None,
        required=False,
        empty_label="Choose a team",
        error_messages={"invalid_choice": "Choose the team to pass this to"},
    )

    def __init__(self, *args, teams, current: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        # Only what the item can move to: not where it already is (it can be passed on again, to another team).
        self.current = current
        self.fields["status"].choices = [
            (value, label)
            for value, label in self.fields["status"].choices
            if value != current or value == Status.PASSED_ON
        ]
        self.fields["team"].queryset = teams
        self.fields["team"].label_from_instance = lambda team: f"{team.name} ({team.organisation.name})"
        self.helper = _helper(
            Field.radios("status", legend_size=Size.MEDIUM),
            Field.textarea("reason", max_characters=2000),
            Field.select("team"),
            button="Change status",
        )

    def clean(self):
        data = super().clean()
        if self.has_error("status") and self.current and self.data.get("status") == self.current:
            # A page from before someone else changed it, or a second click.
            self.errors["status"] = self.error_class([f"This item is already {Status(self.current).label.lower()}"])
        return data


class NoteForm(forms.Form):
    text = LongTextField(
        label="Add an internal note",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Only your team sees internal notes. The sender never does.",
        error_messages={"required": "Enter the note", "max_length": too_long("The note", 5000)},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("text", label_size=Size.SMALL, max_characters=5000), button="Add note")


class AskForm(forms.Form):
    question = LongTextField(
        label="What do you need to know?",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="We email the sender a link to answer in the hub, or, if their system sent it through the API, "
        "how to answer through the API. The email does not include your question.",
        error_messages={"required": "Enter what you need to know", "max_length": too_long("Your question", 5000)},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("question", label_size=Size.MEDIUM, max_characters=5000), button="Ask the sender"
        )


class GradeForm(forms.Form):
    source = forms.ChoiceField(
        label="Source evaluation",
        choices=SourceGrade.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the source evaluation"},
    )
    intelligence = forms.ChoiceField(
        label="Intelligence assessment",
        choices=IntelligenceGrade.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the intelligence assessment"},
    )
    handling = forms.ChoiceField(
        label="Handling code",
        choices=HandlingCode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the handling code"},
    )
    conditions = LongTextField(
        label="Conditions for sharing",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed for handling code 2",
        error_messages={"max_length": too_long("The conditions for sharing", 2000)},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("source", legend_size=Size.MEDIUM, small=True),
            Field.radios("intelligence", legend_size=Size.MEDIUM, small=True),
            Field.radios("handling", legend_size=Size.MEDIUM, small=True),
            Field.textarea("conditions", max_characters=2000),
            button="Save grading",
        )


def answer_choices() -> list[tuple[str, str]]:
    """Every answer a routing rule may name, as "key=value", across the forms (checked per form on saving)."""
    seen: dict[str, str] = {"": "Any answer"}
    for definition in DEFINITIONS.values():
        for key, (question, options) in definition.routing_questions().items():
            for value, label in options:
                seen.setdefault(f"{key}={value}", f"{question}: {label}")
    return list(seen.items())


class RoutingRuleForm(forms.Form):
    form_type = forms.ChoiceField(
        label="Form", choices=[("", "Choose a form"), *FormType.choices], error_messages={"required": "Choose a form"}
    )
    answer = forms.ChoiceField(
        label="When the answer is",
        required=False,
        choices=answer_choices,
        help_text="A rule that names an answer wins over the form's rule for any answer",
    )
    team = forms.ModelChoiceField(
        label="Send it to",
        queryset=Team.objects.none(),
        empty_label="Choose a team",
        error_messages={"required": "Choose a team", "invalid_choice": "Choose a team"},
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["team"].label_from_instance = lambda team: f"{team.name} ({team.organisation.name})"
        self.helper = _helper(
            Field.select("form_type"), Field.select("answer"), Field.select("team"), button="Save rule"
        )

    def answer_parts(self) -> tuple[str, str]:
        key, _, value = (self.cleaned_data.get("answer") or "").partition("=")
        return key, value


class ApiTokenForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.none(),
        empty_label="Choose an organisation",
        error_messages={"required": "Choose an organisation", "invalid_choice": "Choose an organisation"},
    )
    name = forms.CharField(
        label="Which system will use it?",
        max_length=120,
        help_text="For example, Case management system",
        error_messages={"required": "Enter which system will use the token"},
    )
    contact_email = forms.EmailField(
        label="Email address for receipts",
        help_text="Receipts for this system's submissions, and questions about them, are sent here",
        error_messages={
            "required": "Enter an email address for receipts",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.helper = _helper(
            Field.select("organisation"),
            Field.text("name"),
            Field.text("contact_email", field_width=30),
            button="Issue token",
        )


class ConfirmForm(forms.Form):
    def __init__(self, *args, button: str, button_class: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(button=button, button_class=button_class)
