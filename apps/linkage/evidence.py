"""Evidence for the thresholds: how the current model's pairs spread over probability bands, and how
often the team, checking pairs scored at or above the auto-link threshold, found them to be one person.

The estimate of precision is a proportion from a labelled sample (the team's own decisions), so it
comes with its sample size and a Wilson score interval, which stays inside 0 to 1 and behaves on the
small samples a team reviews (a plain normal interval says "100% ± 0" after ten agreeing checks).
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Band:
    key: str
    label: str
    low: float
    high: float  # exclusive, except for the top band


# Bands of match probability, from the review threshold up. The auto-link threshold (95%) is a band
# edge, so every band is wholly linked automatically or wholly for review.
BANDS = (
    Band("50-70", "50% to 70%", 0.5, 0.7),
    Band("70-80", "70% to 80%", 0.7, 0.8),
    Band("80-90", "80% to 90%", 0.8, 0.9),
    Band("90-95", "90% to 95%", 0.9, 0.95),
    Band("95-99", "95% to 99%", 0.95, 0.99),
    Band("99-100", "99% and above", 0.99, 1.0),
)
BAND_BY_KEY = {band.key: band for band in BANDS}


def bands_chart(rows: list[dict]):
    """A bar chart of how many pairs fall in each band, drawn as the early help figures' charts are."""
    from apps.core.charts import bar_chart

    return bar_chart("Pairs by score", [(row["band"].label, row["total"]) for row in rows])


def band_of(probability: float) -> Band | None:
    for band in BANDS:
        if band.low <= probability < band.high or (band is BANDS[-1] and probability >= band.low):
            return band
    return None


@dataclass(frozen=True)
class Estimate:
    """Precision from a labelled sample: `confirmed` of `sample` pairs were one person."""

    confirmed: int
    sample: int
    low: float | None
    high: float | None

    @property
    def share(self) -> float | None:
        return self.confirmed / self.sample if self.sample else None

    @property
    def in_words(self) -> dict[str, str]:
        """The estimate and its interval as percentages to one decimal place."""
        if not self.sample:
            return {}
        values = {"share": self.share, "low": self.low, "high": self.high}
        return {name: f"{value * 100:.1f}%" for name, value in values.items()}


def wilson_interval(successes: int, trials: int, *, z: float = 1.96) -> tuple[float, float] | None:
    """The Wilson score interval (95% by default) for a proportion; None with no trials."""
    if trials <= 0:
        return None
    share = successes / trials
    denominator = 1 + z * z / trials
    centre = (share + z * z / (2 * trials)) / denominator
    margin = z * math.sqrt(share * (1 - share) / trials + z * z / (4 * trials * trials)) / denominator
    return max(0.0, centre - margin), min(1.0, centre + margin)


def estimate(confirmed: int, sample: int) -> Estimate:
    interval = wilson_interval(confirmed, sample)
    return Estimate(confirmed, sample, *(interval or (None, None)))
