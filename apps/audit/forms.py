from __future__ import annotations

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Layout, Size
from django import forms

from .models import AuditAction
from .selectors import AuditFilters


class AuditSearchForm(forms.Form):
    actor = forms.CharField(label="Who (e-mail address)", required=False, max_length=254)
    organisation = forms.CharField(label="Organisation", required=False, max_length=200)
    action = forms.ChoiceField(label="Action", required=False, choices=[("", "Any action"), *AuditAction.choices])
    object_type = forms.CharField(
        label="Kind of record", required=False, max_length=100, help_text="For example, referrals.submission"
    )
    object_id = forms.CharField(label="Record id or reference", required=False, max_length=64)
    date_from = DateInputField(
        label="From", required=False, require_all_fields=False, help_text="For example, 27 3 2026"
    )
    date_to = DateInputField(label="To", required=False, require_all_fields=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Fieldset(
                Field.text("actor"),
                Field.text("organisation"),
                Field.select("action"),
                Field.text("object_type"),
                Field.text("object_id", field_width=20),
                Field("date_from"),
                Field("date_to"),
                legend="Search the audit trail",
                legend_size=Size.MEDIUM,
            ),
            Button("search", "Search"),
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The ‘to’ date must be the same as or after the ‘from’ date")
        return cleaned

    def filters(self) -> AuditFilters:
        data = self.cleaned_data
        return AuditFilters(
            actor=data.get("actor", ""),
            organisation=data.get("organisation", ""),
            action=data.get("action", ""),
            object_type=data.get("object_type", ""),
            object_id=data.get("object_id", ""),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
