"""Bar charts of the early help figures, drawn on the server as SVG.

Each chart is an image with a text alternative, and the page puts a table of the same figures beside
it, so nothing is told by colour or shape alone; the SVG needs no script and prints as it is."""

from __future__ import annotations

from apps.core.charts import Bar, Chart, bar_chart

__all__ = ["Bar", "Chart", "bar_chart", "charts_of"]


def _by_month(rows: list[tuple[str, str, int]]) -> list[tuple[str, int]]:
    totals: dict[str, int] = {}
    for month, _, count in rows:
        totals[month] = totals.get(month, 0) + count
    return list(totals.items())[-12:]


def charts_of(figures: dict) -> list[Chart]:
    return [
        bar_chart("Assessments opened by month", _by_month(figures["opened"])),
        bar_chart("Records closed by month", _by_month(figures["closed"])),
        bar_chart("Why records closed", figures["closure_reasons"]),
        bar_chart(
            "Outcomes with significant and sustained progress",
            [(label, achieved) for label, achieved, _ in figures["outcomes"]],
        ),
    ]
