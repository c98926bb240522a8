"""Why the model scored a pair as it did, for people: the waterfall of match weights and the
fields side by side with their differences."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from apps.core.dates import format_date

from .models import PersonRecord

ROW_HEIGHT = 30
LABEL_WIDTH = 300
CHART_WIDTH = 340
WIDTH = LABEL_WIDTH + CHART_WIDTH + 56


def probability_of(weight: float) -> float:
    odds = 2**weight
    return odds / (1 + odds)


@dataclass(frozen=True)
class Bar:
    label: str
    level: str
    weight: float
    start: float
    end: float
    y: int
    x: float
    width: float
    probability_after: float

    @property
    def direction(self) -> str:
        if abs(self.weight) < 0.005:
            return "none"
        return "towards" if self.weight > 0 else "against"

    @property
    def percent(self) -> str:
        return percent(self.probability_after)

    @property
    def text_x(self) -> float:
        return self.x + self.width + 4

    @property
    def text_y(self) -> int:
        return self.y + 15


# Splink's own label for a level where a field is missing is SQL ("sex is NULL"); models trained before
# the hub named those levels itself still carry it, so it is put in words here too.
_RAW_NULL = re.compile(r"^\(?\s*\w+(_l|_r)?\s+is\s+null\b", re.IGNORECASE)


def plain_level(description: str, level: str) -> str:
    """The level as people read it: never SQL."""
    if _RAW_NULL.match(level or "") or (level or "").strip().lower() in {"null", "is null"}:
        return f"{description} not recorded on one record or both"
    return level


def waterfall(explanation: dict) -> dict:
    """Bars for the prior, each comparison and the total, on one scale of match weight (bits)."""
    steps = [("Before comparing anything", "How likely any two records are to match", explanation["prior_weight"])]
    steps += [
        (step["description"], plain_level(step["description"], step["level"]), step["weight"])
        for step in explanation["steps"]
    ]
    running = 0.0
    spans = []
    for label, level, weight in steps:
        spans.append((label, level, weight, running, running + weight))
        running += weight
    total = running
    low = min(0.0, *(min(start, end) for *_, start, end in spans))
    high = max(0.0, *(max(start, end) for *_, start, end in spans))
    span = (high - low) or 1.0

    def scale(value: float) -> float:
        return LABEL_WIDTH + (value - low) / span * CHART_WIDTH

    bars = []
    for index, (label, level, weight, start, end) in enumerate(spans):
        left, right = scale(min(start, end)), scale(max(start, end))
        bars.append(
            Bar(
                label,
                level,
                weight,
                start,
                end,
                index * ROW_HEIGHT + 4,
                left,
                max(right - left, 2),
                probability_of(end),
            )
        )
    total_bar = Bar(
        "Total match weight",
        "",
        total,
        0.0,
        total,
        len(spans) * ROW_HEIGHT + 4,
        min(scale(0), scale(total)),
        max(abs(scale(total) - scale(0)), 2),
        probability_of(total),
    )
    return {
        "bars": bars,
        "total": total_bar,
        "height": (len(spans) + 1) * ROW_HEIGHT + 8,
        "width": WIDTH,
        "zero_x": scale(0),
        "probability": probability_of(total),
        "label_x": LABEL_WIDTH - 8,
    }


FIELDS = (
    ("Given names", lambda r: " ".join(part for part in (r.first_name, r.middle_names) if part)),
    ("Surname", lambda r: r.surname),
    ("Date of birth", lambda r: format_date(r.date_of_birth) if r.date_of_birth else ""),
    ("Sex", lambda r: r.get_sex_display() if r.sex else ""),
    ("Address", lambda r: r.address),
    ("Postcode", lambda r: r.postcode),
    ("NHS number", lambda r: f"{r.nhs_number[:3]} {r.nhs_number[3:6]} {r.nhs_number[6:]}" if r.nhs_number else ""),
    ("Unique pupil number", lambda r: r.pupil_number),
    ("Held by", lambda r: r.source_label),
    ("Their identifier", lambda r: r.source_reference),
)


def _same(left: str, right: str) -> bool:
    def simple(text: str) -> str:
        return " ".join("".join(ch for ch in text.casefold() if ch.isalnum() or ch.isspace()).split())

    return simple(left) == simple(right)


def side_by_side(a: PersonRecord, b: PersonRecord) -> list[dict]:
    """Each field of the two records, and whether they differ (ignoring case and punctuation)."""
    rows = []
    for label, value_of in FIELDS:
        left, right = value_of(a) or "", value_of(b) or ""
        if not left and not right:
            state = "missing"
        elif not left or not right:
            state = "one_missing"
        else:
            state = "same" if _same(left, right) else "different"
        rows.append({"label": label, "a": left, "b": right, "state": state})
    return rows


def percent(probability: float) -> str:
    """A probability as people read it: 99.9% rather than 0.999, never 100% unless certain."""
    value = probability * 100
    if value >= 99.95 and probability < 1:
        return "99.9%"
    return f"{math.floor(value * 10) / 10:.1f}%"
