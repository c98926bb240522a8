from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Fluid, Layout, Size, Submit
from django import forms

from .models import DocumentCategory
from .uploads import ALLOWED_NAMES, KINDS, UploadRefused, check_upload, largest_upload_mb

ACCEPT = ",".join([f".{kind.extension}" for kind in KINDS.values()] + list(KINDS))


def file_field(label: str) -> forms.FileField:
    return forms.FileField(
        label=label,
        help_text=f"The file must be {ALLOWED_NAMES}, smaller than {largest_upload_mb()}MB.",
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )


class FileChecksMixin:
    def clean_file(self):
        file = self.cleaned_data["file"]
        try:
            check_upload(file)
        except UploadRefused as refused:
            raise forms.ValidationError(refused.message) from refused
        return file


class VersionForm(FileChecksMixin, forms.Form):
    file = file_field("Upload the new version")
    label = forms.CharField(
        label="Version number",
        max_length=20,
        help_text="For a small change, go from 1.0 to 1.1. For a big change, go from 1.1 to 2.0.",
        error_messages={"required": "Enter the version number"},
    )
    change_note = forms.CharField(
        label="What changed",
        widget=forms.Textarea,
        help_text="Subscribers get this in their email. Say what is different and what readers need to do.",
        error_messages={"required": "Enter what changed in this version"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"] = file_field("Upload the new version")
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field("file"),
            Field.text("label", field_width=5),
            Field.textarea("change_note", rows=4),
            Submit("submit", "Publish this version"),
        )


class DocumentForm(FileChecksMixin, forms.Form):
    title = forms.CharField(label="Title", max_length=250, error_messages={"required": "Enter the document's title"})
    category = forms.ChoiceField(
        label="What kind of document is it?",
        choices=DocumentCategory.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of document"},
    )
    summary = forms.CharField(
        label="Summary",
        widget=forms.Textarea,
        help_text="One or two sentences: what the document is for and who should read it.",
        error_messages={"required": "Enter a summary"},
    )
    published = forms.BooleanField(label="Show it in the library now", required=False, initial=True)
    file = file_field("Upload the document")
    label = forms.CharField(
        label="Version number", max_length=20, initial="1.0", error_messages={"required": "Enter the version number"}
    )
    change_note = forms.CharField(
        label="About this version",
        initial="First published.",
        widget=forms.Textarea,
        error_messages={"required": "Enter a note about this version"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"] = file_field("Upload the document")
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("title"),
            Field.radios("category", legend_size=Size.SMALL),
            Field.textarea("summary", rows=3),
            Field.checkbox("published"),
            Fieldset(
                Field("file"),
                Field.text("label", field_width=5),
                Field.textarea("change_note", rows=2),
                legend="The first version",
                legend_size=Size.MEDIUM,
            ),
            Submit("submit", "Add the document"),
        )


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def __init__(self, *args, submit_label: str = "Subscribe", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(Field.text("email", field_width=Fluid.TWO_THIRDS), Submit("submit", submit_label))
