"""The local offer's forms: GOV.UK messages naming each field; nothing typed is lost on error."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from apps.earlyhelp.forms import HubForm, long_text, text
from apps.training.forms import GovukMessages

from .models import FamilyIssue


class OfferFilterForm(GovukMessages, forms.Form):
    """The list's search and filters (GET). Empty filters show every listed service."""

    names = {"q": "keywords", "issue": "family issue", "age": "child's age", "area": "area"}

    q = forms.CharField(
        label="Keywords",
        required=False,
        max_length=200,
        help_text="Words from the service's name, provider or description, for example debt",
    )
    issue = forms.ChoiceField(label="Family issue", choices=[("", "Any issue"), *FamilyIssue.choices], required=False)
    age = forms.IntegerField(
        label="Child's age", required=False, min_value=0, max_value=25, help_text="In years, for example 9"
    )
    area = forms.ChoiceField(label="Area", choices=[("", "Any area")], required=False)
    for_parents = forms.BooleanField(label="Only services for parents and carers", required=False)

    def __init__(self, *args, areas: list[str] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "Any area"), *((area, area) for area in areas)]
        self.fields["age"].widget = forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"})
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field.text("q", label_size=Size.SMALL),
            Field.select("issue", label_size=Size.SMALL),
            Field.text("age", label_size=Size.SMALL, field_width=3),
            Field.select("area", label_size=Size.SMALL),
            Field("for_parents"),
        )


class ServiceForm(GovukMessages, HubForm):
    name = text("Name of the service", "Enter the name of the service")
    provider = text("Who provides it", "Enter who provides the service")
    summary = text(
        "Summary", "Enter a one-sentence summary", max_length=300, help_text="One sentence, shown in the list"
    )
    description = long_text("What the service does", "Enter what the service does", max_length=5000)
    who_for = long_text(
        "Who it is for", "Enter who the service is for", max_length=2000, rows=3, help_text="Needs and circumstances"
    )
    issues = forms.MultipleChoiceField(
        label="Family issues it helps with",
        choices=FamilyIssue.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Practitioners filter the local offer by these",
    )
    min_age = forms.IntegerField(
        label="Youngest age (optional)", required=False, min_value=0, max_value=25, help_text="In years"
    )
    max_age = forms.IntegerField(
        label="Oldest age (optional)", required=False, min_value=0, max_value=25, help_text="In years"
    )
    for_parents = forms.BooleanField(label="Also for parents and carers", required=False)
    area = text("Area", "Enter the area where the service is offered", help_text="For example, City of York")
    how_to_refer = long_text("How to refer", "Enter how to refer to the service", max_length=2000, rows=3)
    referral_url = forms.URLField(label="Referral web address (optional)", required=False, max_length=500)
    phone = text("Phone number (optional)", max_length=40)
    email = forms.EmailField(label="Email address (optional)", required=False, max_length=254)
    website = forms.URLField(label="Website (optional)", required=False, max_length=500)
    address = text("Address (optional)", max_length=300)
    opening_times = long_text("Opening times (optional)", max_length=1000, rows=3)
    eligibility_notes = long_text("Eligibility notes (optional)", max_length=2000, rows=3)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("min_age", "max_age"):
            # GOV.UK asks for a text input with a numeric keyboard: a number input drops letters silently.
            self.fields[name].widget = forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"})

    def layout(self) -> list:
        items = super().layout()
        return [
            Field.text(item.fields[0], label_size=Size.SMALL, field_width=3)
            if getattr(item, "fields", None) and item.fields[0] in ("min_age", "max_age")
            else item
            for item in items
        ]

    def clean(self):
        data = super().clean()
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and low > high:
            self.add_error("max_age", "The oldest age must be the same as or higher than the youngest age")
        return data


class WithdrawForm(GovukMessages, HubForm):
    reason = long_text(
        "Why is the service being withdrawn?",
        "Enter why the service is being withdrawn",
        max_length=2000,
        rows=3,
        help_text="For example, the service has closed. Practitioners will no longer see it.",
    )


class RelistForm(HubForm):
    pass
