"""Bar charts drawn on the server as SVG, shared by the apps that show figures (early help, training reports).

Each chart is an image with a text alternative, and the page puts a table of the same figures beside
it, so nothing is told by colour or shape alone; the SVG needs no script and prints as it is."""

from __future__ import annotations

from dataclasses import dataclass

BAR_HEIGHT = 24
GAP = 8
LABEL_WIDTH = 260
CHART_WIDTH = 300


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int
    width: float
    text_x: float


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list[Bar]
    height: int
    width: int
    label_x: int
    bar_x: int

    @property
    def description(self) -> str:
        return f"{self.title}: " + "; ".join(f"{bar.label} {bar.value}" for bar in self.bars)


def bar_chart(title: str, items: list[tuple[str, int]]) -> Chart:
    largest = max((value for _, value in items), default=0) or 1
    bars = []
    for index, (label, value) in enumerate(items):
        width = value / largest * CHART_WIDTH
        bars.append(
            Bar(label, value, index * (BAR_HEIGHT + GAP) + 4, max(width, 1 if value else 0), LABEL_WIDTH + width + 6)
        )
    return Chart(
        title=title,
        bars=bars,
        height=len(items) * (BAR_HEIGHT + GAP) + 8,
        width=LABEL_WIDTH + CHART_WIDTH + 60,
        label_x=LABEL_WIDTH - 8,
        bar_x=LABEL_WIDTH,
    )
