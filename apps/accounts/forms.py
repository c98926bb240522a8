"""Forms for the sign-up questions, the members area and organisation management.

allauth's own forms, in GOV.UK dress, are in account_forms.py.
"""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Fluid, Layout, Size
from django import forms
from django.core.validators import validate_slug

from .models import AccountStatus, Organisation, Role, Sector, Team
from .selectors import MemberFilters


class PractitionerDetailsForm(forms.Form):
    """The extra questions at sign-up. allauth calls `signup()` once the account exists."""

    first_name = forms.CharField(
        label="First name", max_length=150, error_messages={"required": "Enter your first name"}
    )
    last_name = forms.CharField(label="Last name", max_length=150, error_messages={"required": "Enter your last name"})
    job_title = forms.CharField(label="Job title (optional)", max_length=200, required=False)
    organisation = forms.ModelChoiceField(
        label="Organisation you work for",
        queryset=Organisation.objects.filter(is_active=True),
        empty_label="Choose your organisation",
        error_messages={"required": "Choose the organisation you work for"},
        help_text="Your organisation's administrator approves your account before you can sign in.",
    )

    def signup(self, request, user) -> None:
        from .services import record_sign_up

        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.job_title = self.cleaned_data["job_title"]
        user.organisation = self.cleaned_data["organisation"]
        user.save()
        record_sign_up(member=user, request=request)


def _helper(*fields, button: str, button_class: str = "") -> FormHelper:
    helper = FormHelper()
    helper.attrs = {"novalidate": ""}  # the hub's own messages, in the error summary, not the browser's
    helper.layout = Layout(*fields, Button("submit", button, css_class=button_class))
    return helper


class MemberFilterForm(forms.Form):
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *AccountStatus.choices])
    organisation = forms.ModelChoiceField(
        label="Organisation", required=False, queryset=Organisation.objects.none(), empty_label="Any organisation"
    )
    search = forms.CharField(label="Name or email address", required=False, max_length=200)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        fields = [Field.text("search"), Field.select("status")]
        if organisations is not None and organisations.count() > 1:
            self.fields["organisation"].queryset = organisations
            fields.append(Field.select("organisation"))
        else:
            del self.fields["organisation"]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Fieldset(*fields, legend="Filter members", legend_size=Size.MEDIUM),
            Button("filter", "Filter", css_class="govuk-button--secondary"),
        )

    def filters(self) -> MemberFilters:
        if not self.is_valid():
            return MemberFilters()
        data = self.cleaned_data
        return MemberFilters(
            status=data.get("status", ""), organisation=data.get("organisation"), search=data.get("search", "")
        )


class SuspendForm(forms.Form):
    reason = forms.CharField(
        label="Why are you suspending this account?",
        help_text="The member is sent this reason, and it is kept in the audit trail.",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter why you are suspending the account",
            "max_length": "The reason must be 1,000 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("reason", label_size=Size.MEDIUM),
            button="Suspend account",
            button_class="govuk-button--warning",
        )


class GrantRoleForm(forms.Form):
    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the role to give"},
    )
    team = forms.ModelChoiceField(
        label="Team",
        required=False,
        queryset=Team.objects.select_related("organisation"),
        empty_label="Choose a team",
        help_text="Only for receiving team members.",
    )
    organisation = forms.ModelChoiceField(
        label="Organisation they administer",
        required=False,
        queryset=Organisation.objects.all(),
        empty_label="Choose an organisation",
        help_text="Only for organisation administrators.",
    )
    reason = forms.CharField(
        label="Reason (optional)", required=False, max_length=500, help_text="Kept in the audit trail."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("role", legend_size=Size.MEDIUM),
            Field.select("team"),
            Field.select("organisation"),
            Field.text("reason"),
            button="Give role",
        )

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if role == Role.TEAM_MEMBER and not cleaned.get("team"):
            self.add_error("team", "Choose the team they will be a member of")
        if role == Role.ORGANISATION_ADMIN and not cleaned.get("organisation"):
            self.add_error("organisation", "Choose the organisation they will administer")
        if role != Role.TEAM_MEMBER:
            cleaned["team"] = None
        if role != Role.ORGANISATION_ADMIN:
            cleaned["organisation"] = None
        return cleaned


class OrganisationForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter the organisation's name"})
    sector = forms.ChoiceField(
        label="Sector",
        choices=Sector.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the organisation's sector"},
    )
    is_active = forms.BooleanField(
        label="People can choose this organisation when they sign up",
        required=False,
        initial=True,
    )

    def __init__(self, *args, button: str = "Save organisation", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("name"),
            Field.radios("sector", legend_size=Size.SMALL),
            Field.checkbox("is_active"),
            button=button,
        )


class TeamForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter the team's name"})
    slug = forms.CharField(
        label="Short name",
        max_length=80,
        validators=[validate_slug],
        help_text="Used in web addresses. Lower-case letters, numbers and hyphens, like force-control-room.",
        error_messages={
            "required": "Enter a short name for the team",
            "invalid": "Use only lower-case letters, numbers and hyphens in the short name",
        },
    )
    description = forms.CharField(
        label="What the team does (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    inbox_email = forms.EmailField(
        label="Team inbox email address (optional)",
        required=False,
        help_text="Where notices of new work for the team are sent.",
        error_messages={"invalid": "Enter an email address in the correct format, like team@example.org"},
    )
    is_receiving_team = forms.BooleanField(label="This team receives and triages partner forms", required=False)

    def __init__(self, *args, button: str = "Save team", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("name"),
            Field.text("slug", field_width=Fluid.ONE_HALF),
            Field.textarea("description"),
            Field.text("inbox_email"),
            Field.checkbox("is_receiving_team"),
            button=button,
        )

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].strip()
        if slug != slug.lower():
            raise forms.ValidationError("Use only lower-case letters, numbers and hyphens in the short name")
        return slug
