"""Questions more than one form asks: a person, an address, a follow-up's original report, a photo or file."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from apps.core.forms import DateField

from ..references import BadReference, parse_reference
from ..uploads import UploadRefused, check_attachment, check_photo
from .base import StepForm, text, too_long


class PersonForm(StepForm):
    """Who the form is about: a name, and a date of birth or an age."""

    full_name = text("Full name", "Enter the person's full name")
    other_names = text(
        "Other names they use (optional)", what="Other names", help_text="For example, a nickname or a previous surname"
    )
    date_of_birth = DateField(
        label="Date of birth (optional)",
        what="the date of birth",
        when="not_future",
        required=False,
        help_text="For example, 27 3 2011",
    )
    age = forms.IntegerField(
        label="Age, if you do not know their date of birth",
        required=False,
        min_value=0,
        max_value=120,
        error_messages={
            "invalid": "Enter the age as a number, for example 14",
            "min_value": "The age must be 0 or more",
            "max_value": "The age must be 120 or less",
        },
    )

    def clean(self):
        data = super().clean()
        if not data.get("date_of_birth") and data.get("age") is None and not self.has_error("date_of_birth"):
            self.add_error("date_of_birth", "Enter the date of birth, or their age if you do not know it")
        return data


class AddressForm(StepForm):
    address = text(
        "Address",
        "Enter the address",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
    )
    postcode = text("Postcode (optional)", max_length=10)


class ReferenceField(forms.CharField):
    """A typed reference number: its format and check character are checked before anything is looked up."""

    def __init__(self, **kwargs) -> None:
        super().__init__(
            max_length=30,
            error_messages={
                "required": "Enter the reference number",
                "max_length": too_long("The reference number", 30),
            },
            help_text="It is on the receipt, for example MPR-2026-000123-H",
            **kwargs,
        )

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        try:
            return parse_reference(value)
        except BadReference as error:
            raise ValidationError(error.message) from None


class OriginalReportForm(StepForm):
    """Which missing person report a follow-up belongs to; it must be one of the organisation's own."""

    reference = ReferenceField(label="Reference number of the missing person report")

    def clean_reference(self):
        from ..models import FormType, Submission

        reference = self.cleaned_data["reference"]
        if not Submission.objects.filter(
            reference=reference, form_type=FormType.MISSING_PERSON, organisation=self.organisation
        ).exists():
            raise ValidationError("No missing person report from your organisation has this reference number")
        return reference


class PhotoForm(StepForm):
    photo = forms.FileField(
        label="Upload a photo (optional)",
        required=False,
        help_text="A recent photo of the person: a JPEG or PNG, up to 10MB. "
        "We remove the location the photo was taken from the file.",
    )

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        try:
            return check_photo(upload)
        except UploadRefused as refused:
            raise ValidationError(refused.message) from None


class AttachmentForm(StepForm):
    document = forms.FileField(
        label="Attach a file (optional)",
        required=False,
        help_text="A PDF, JPEG or PNG, up to 10MB.",
    )

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if not upload:
            return None
        try:
            return check_attachment(upload)
        except UploadRefused as refused:
            raise ValidationError(refused.message) from None
