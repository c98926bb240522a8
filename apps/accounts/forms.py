from __future__ import annotations

from django import forms

from .models import Organisation


class PractitionerDetailsForm(forms.Form):
    """The extra questions at sign-up. allauth calls `signup()` once the account exists."""

    first_name = forms.CharField(
        label="First name", max_length=150, error_messages={"required": "Enter your first name"}
    )
    last_name = forms.CharField(label="Last name", max_length=150, error_messages={"required": "Enter your last name"})
    job_title = forms.CharField(label="Job title", max_length=200, required=False)
    organisation = forms.ModelChoiceField(
        label="Organisation you work for",
        queryset=Organisation.objects.filter(is_active=True),
        empty_label="Choose your organisation",
        error_messages={"required": "Choose the organisation you work for"},
        help_text="Your organisation's administrator approves your account before you can sign in.",
    )

    def signup(self, request, user) -> None:
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.job_title = self.cleaned_data["job_title"]
        user.organisation = self.cleaned_data["organisation"]
        user.save()
