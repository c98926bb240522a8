from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Submit
from django import forms

from . import extracts
from .models import ReviewDecision


class ExtractUploadForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Which agency is the extract from?",
        queryset=None,
        empty_label="Choose the agency",
        error_messages={"required": "Choose the agency the extract is from"},
    )
    file = forms.FileField(
        label="Upload the extract",
        error_messages={"required": "Choose a file to upload", "empty": "The file is empty: it has no records"},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = agencies
        limit = extracts.max_upload_bytes() // (1024 * 1024)
        self.fields[
            "file"
        ].help_text = f"A CSV file or an Excel workbook (.xlsx), up to {limit} MB, with one row of column names first."
        self.helper = FormHelper()
        self.helper.layout = Layout(Field("organisation"), Field("file"), Submit("submit", "Upload and continue"))


class ColumnMappingForm(forms.Form):
    def __init__(self, *args, headers: list[str], initial_mapping: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Not in this file"), *((header, header) for header in headers)]
        for item in extracts.FIELDS:
            required = item.key in extracts.REQUIRED_FIELDS
            self.fields[item.key] = forms.ChoiceField(
                label=item.label,
                choices=choices,
                required=required,
                initial=initial_mapping.get(item.key, ""),
                help_text=item.hint,
                error_messages={"required": f"Choose the column that holds the {item.label.lower()}"},
            )
        self.helper = FormHelper()
        self.helper.layout = Layout(*(Field(item.key) for item in extracts.FIELDS), Submit("submit", "Check the rows"))

    def clean(self):
        cleaned = super().clean()
        used: dict[str, str] = {}
        for item in extracts.FIELDS:
            column = cleaned.get(item.key)
            if not column:
                continue
            if column in used:
                self.add_error(item.key, f"The column {column} is already chosen for {used[column].lower()}")
            else:
                used[column] = item.label
        return cleaned

    def mapping(self) -> dict[str, str]:
        return {
            item.key: self.cleaned_data.get(item.key, "") for item in extracts.FIELDS if self.cleaned_data.get(item.key)
        }


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[(value, label) for value, label in ReviewDecision.Decision.choices if value != "unlink"],
        error_messages={"required": "Choose match, not a match or not sure"},
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why you decided, if it would help a colleague. Do not repeat the person's details.",
    )


class UnlinkForm(forms.Form):
    reason = forms.CharField(
        label="Why are these records not the same person?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the records are not the same person"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.textarea("reason", rows=3),
            Submit("submit", "Unlink these records", css_class="govuk-button--warning"),
        )


class PersonSearchForm(forms.Form):
    q = forms.CharField(label="Search by name", required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Field.text("q", field_width=20), Submit("search", "Search", css_class="govuk-button--secondary")
        )


class ReviewListForm(forms.Form):
    """The review list's filters: a probability band and where one of the records came from."""

    band = forms.ChoiceField(label="Score", required=False)
    source = forms.ChoiceField(label="A record from", required=False)

    def __init__(self, *args, sources: list[tuple[str, str]], **kwargs):
        from .evidence import BANDS

        super().__init__(*args, **kwargs)
        # Every band: pairs from a run wait below the auto-link threshold (one the twins-and-relatives rule held back
        # scores 90%), and a pair online matching found when a record was added waits whatever it scores.
        self.fields["band"].choices = [("", "Any score")] + [(band.key, band.label) for band in BANDS]
        self.fields["band"].error_messages["invalid_choice"] = "Choose a score from the list"
        self.fields["source"].choices = [("", "Any agency or source"), *sources]
        self.fields["source"].error_messages["invalid_choice"] = "Choose an agency or source from the list"
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Field.select("band"),
            Field.select("source"),
            Submit("filter", "Filter", css_class="govuk-button--secondary"),
        )
