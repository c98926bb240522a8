"""The early help record's PDFs: the assessment (to print or share with the family), the chronology, and a
subject access export. Built from the one report layout in `core.pdf`."""

from __future__ import annotations

from django.utils import timezone

from apps.core.dates import format_date
from apps.core.pdf import Section, report_pdf

from .models import Assessment, Family


def assessment_pdf(family: Family, assessment: Assessment) -> bytes:
    people = Section(
        "The family",
        rows=[
            (
                f"{member.full_name} ({member.get_role_display().lower()})",
                f"Born {format_date(member.date_of_birth)}" if member.date_of_birth else "Date of birth not known",
            )
            for member in family.members.all()
        ],
    )
    story = Section(
        "In the family's words",
        rows=[("The family's story", assessment.family_story), ("The voice of the child", assessment.voice_of_child)],
    )
    signs = Section(
        "Signs of Safety",
        rows=[
            ("What is working well", assessment.working_well),
            ("What we are worried about", assessment.worries),
            ("What needs to happen", assessment.needs_to_happen),
            ("Scaling (0 to 10)", "" if assessment.scaling is None else f"{assessment.scaling} out of 10"),
        ],
    )
    needs = Section("The family's needs", rows=assessment.needs_list())
    status = (
        f"Signed off by {assessment.signed_off_by.get_full_name() or assessment.signed_off_by.email} on "
        f"{format_date(assessment.completed_at)}"
        if assessment.is_completed
        else "In progress: not signed off yet"
    )
    lead = family.lead.get_full_name() or family.lead.email
    return report_pdf(
        "Early Help Assessment",
        [people, story, signs, needs],
        caption=f"{family.reference}: {family.name}. {status}.",
        footer=f"Printed {format_date(timezone.now())}. Lead practitioner: {lead}, {family.lead_organisation.name}.",
    )


def chronology_pdf(family: Family, lines: list) -> bytes:
    section = Section(
        "Chronology, newest first",
        rows=[
            (
                f"{format_date(line.occurred_on)}: {line.kind_label}"
                + (f" ({line.source_agency})" if line.source_agency else ""),
                line.summary + (f"\nImpact on the child: {line.impact}" if line.impact else ""),
            )
            for line in lines
        ],
    )
    return report_pdf(
        "Chronology",
        [section],
        caption=f"{family.reference}: {family.name}",
        footer=f"Printed {format_date(timezone.now())}.",
    )


def subject_access_pdf(data: dict) -> bytes:
    person = data["person"]
    sections = [
        Section(
            "Personal details",
            rows=[(key.replace("_", " ").capitalize(), _text(value)) for key, value in person.items()],
        ),
        Section(
            "The record",
            rows=[(key.replace("_", " ").capitalize(), _text(value)) for key, value in data["record"].items()],
        ),
        Section(
            "Consent",
            rows=[
                (f"Given by {row['given_by']} on {row['given_on']} ({row['how']})", _text(row))
                for row in data["consent"]
            ],
        ),
        Section(
            "Assessments",
            rows=[(f"Started {row['started']} ({row['status']})", _text(row)) for row in data["assessments"]],
        ),
        Section("Chronology", rows=[(f"{row['on']}: {row['what']}", row["summary"]) for row in data["chronology"]]),
        Section(
            "PAMIC tool results",
            rows=[(f"{row['on']}: {row['level']}", _text(row)) for row in data.get("practice_tools", [])],
        ),
    ]
    return report_pdf(
        f"Everything the early help record holds about {person['name']}",
        sections,
        caption="Subject access export",
        footer=f"Exported {format_date(timezone.now())}.",
    )


def _text(value) -> str:
    if isinstance(value, dict):
        return "\n".join(f"{key.replace('_', ' ').capitalize()}: {_text(item)}" for key, item in value.items())
    if isinstance(value, list):
        return "; ".join(_text(item) for item in value) or "-"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return "" if value is None else str(value)
