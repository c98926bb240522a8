"""The documents the partnership's news page names (../shared/seed), with generated demo PDFs. Idempotent."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile

from .demo_files import demo_pdf
from .models import Document, DocumentCategory
from .services import publish_version

LONDON = ZoneInfo("Europe/London")


def on(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 9, 0, tzinfo=LONDON)


DOCUMENTS = [
    {
        "slug": "multi-agency-child-protection-procedure",
        "title": "Multi-Agency Child Protection Procedure",
        "category": DocumentCategory.PROCEDURES,
        "summary": "How partner agencies work together when they are worried that a child is suffering, or is "
        "likely to suffer, significant harm: from the first concern to the child protection plan.",
        "versions": [
            ("1.0", "First published.", on(2023, 9, 1)),
            (
                "1.1",
                "A minor update. Please make sure you and your colleagues use this latest version.",
                on(2024, 2, 5),
            ),
        ],
    },
    {
        "slug": "7-point-briefing-harmful-sexual-behaviour-audit",
        "title": "7 Point Briefing - Harmful Sexual Behaviour (HSB) Audit",
        "category": DocumentCategory.SEVEN_POINT_BRIEFINGS,
        "summary": "Good practice and learning points from the June 2023 multi-agency audit of work with young "
        "people who display harmful sexual behaviour in the City of York, with where to find resources on HSB.",
        "versions": [("1.0", "First published.", on(2024, 2, 5))],
    },
    {
        "slug": "7-point-briefing-non-verbal-babies-and-infants",
        "title": "7 Point Briefing - Multi-agency audit of partnership responses to non-verbal babies and infants",
        "category": DocumentCategory.SEVEN_POINT_BRIEFINGS,
        "summary": "What the multi-agency audit found about how well the partnership understands and records the "
        "lived experience of children who are pre-verbal or have limited verbal skill.",
        "versions": [("1.0", "First published.", on(2024, 2, 5))],
    },
    {
        "slug": "joint-serious-violence-response-strategy",
        "title": "Joint Serious Violence Response Strategy (SVRS) for York and North Yorkshire",
        "category": DocumentCategory.STRATEGIES,
        "summary": "The current state of serious violence across York and North Yorkshire, and the priorities key "
        "partners have set to prevent and reduce it under the Serious Violence Duty.",
        "versions": [("1.0", "First published.", on(2024, 2, 23))],
    },
    {
        "slug": "working-together-to-safeguard-children-2023",
        "title": "Working Together to Safeguard Children 2023",
        "category": DocumentCategory.STATUTORY_GUIDANCE,
        "summary": "Statutory guidance on multi-agency working to help, protect and promote the welfare of all "
        "children, published by the government on 1 December 2023.",
        "versions": [("1.0", "The 2023 edition, published by the government on 1 December 2023.", on(2023, 12, 8))],
    },
]


def load(stdout=None) -> None:
    for spec in DOCUMENTS:
        document, _ = Document.objects.get_or_create(
            slug=spec["slug"],
            defaults={"title": spec["title"], "category": spec["category"], "summary": spec["summary"]},
        )
        for label, change_note, published_at in spec["versions"]:
            if document.versions.filter(label=label).exists():
                continue
            pdf = demo_pdf(title=document.title, label=label, summary=document.summary, change_note=change_note)
            publish_version(
                document=document,
                file=ContentFile(pdf, name=f"{document.slug}-{label}.pdf"),
                label=label,
                change_note=change_note,
                by=None,
                published_at=published_at,
            )
            if stdout is not None:
                stdout.write(f"Document library: published {document.title}, version {label}")
