"""A saved PAMIC result as a PDF, through the hub's one report layout."""

from __future__ import annotations

from django.utils import timezone

from apps.core.dates import format_date
from apps.core.pdf import Section, report_pdf

from . import pamic
from .models import PamicResult


def result_pdf(result: PamicResult) -> bytes:
    outcome = result.outcome
    config = result.version.config
    grid = Section(
        "The grid (likelihood by severity)",
        rows=[
            (
                f"Likelihood {likelihood}: {point['label']}",
                "; ".join(
                    f"severity {cell.severity}: {cell.label}" + (" <- these answers" if cell.on_grid else "")
                    for cell in cells
                ),
            )
            for point, likelihood, cells in pamic.matrix(config, outcome)
        ],
    )
    return report_pdf(
        "PAMIC tool: Parental Mental Health and the Impact on Children",
        [
            Section(
                "The result",
                rows=[
                    ("Level", outcome.level["label"]),
                    ("Suggested response", f"{outcome.response}. {outcome.level['advice']}"),
                    ("Level on the grid", outcome.grid_level_label),
                    ("Professional judgement", outcome.reason or "Agrees with the grid"),
                ],
            ),
            Section(
                "Who",
                rows=[("The adult", result.adult.full_name), ("The child", result.child.full_name)],
            ),
            Section("The adult's mental ill health, as described", paragraphs=[result.mental_health]),
            Section("The reasoning", paragraphs=result.reasoning),
            grid,
        ],
        caption=(
            f"{result.family.reference}. Completed by {result.created_by.get_full_name() or result.created_by.email} "
            f"on {format_date(result.created_at)} with version {result.version.number} of the tool."
        ),
        footer=f"Printed {format_date(timezone.now())}.",
    )
