from __future__ import annotations

from crispy_forms_gds.layout import Layout
from django import forms

from apps.earlyhelp.forms import HubForm, long_text, radios

from . import importer
from .models import BarrierCategory, FamilyIssue, Term, UploadKind, term_label


def academic_years(today=None) -> list[tuple[int, str]]:
    from django.utils import timezone

    from apps.core.dates import to_london

    now = to_london(timezone.now()).date() if today is None else today
    current = now.year if now.month >= 9 else now.year - 1
    return [(year, f"{year}/{str(year + 1)[-2:]}") for year in range(current, current - 4, -1)]


class UploadForm(HubForm):
    school = forms.ModelChoiceField(
        label="Which school is the file from?",
        queryset=None,
        empty_label="Choose the school",
        error_messages={
            "required": "Choose the school the file is from",
            "invalid_choice": "Choose a school from the list",
        },
    )
    academic_year = forms.TypedChoiceField(
        label="Academic year",
        coerce=int,
        choices=[],
        error_messages={
            "required": "Choose the academic year",
            "invalid_choice": "Choose an academic year from the list",
        },
    )
    term = forms.TypedChoiceField(
        label="Term",
        coerce=int,
        choices=Term.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the term", "invalid_choice": "Choose the term"},
    )
    kind = radios("What does the file hold?", UploadKind.choices, "Choose what the file holds")
    file = forms.FileField(
        label="Upload the file",
        error_messages={"required": "Choose a CSV file to upload", "empty": "The file is empty: it has no pupils"},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["academic_year"].choices = academic_years()
        limit = importer.size_text(importer.max_upload_bytes())
        self.fields["file"].help_text = f"A CSV file up to {limit}, with one row of column names first."
        self.only_school = schools.first() if schools is not None and schools.count() == 1 else None
        if self.only_school is not None:
            del self.fields["school"]
        self.helper.layout = Layout(*self.layout())

    def chosen_school(self):
        return self.only_school or self.cleaned_data["school"]

    def term_name(self) -> str:
        return term_label(self.cleaned_data["academic_year"], self.cleaned_data["term"])


class BarrierForm(HubForm):
    category = radios(
        "What kind of barrier is behind the absence?",
        BarrierCategory.choices,
        "Choose the kind of barrier behind the absence",
        help_text="Complex: many barriers that need support from several services. Attendance as a symptom: "
        "absence is a sign of needs to do with the child or family. Just attendance: the barrier is attendance itself.",
    )
    family_issues = forms.MultipleChoiceField(
        label="Which family issues lie behind it? (optional)",
        choices=FamilyIssue.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose only the family issues listed"},
    )
    note = long_text("Anything else to record (optional)", max_length=2000, rows=4)
