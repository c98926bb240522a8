"""The PAMIC tool's arithmetic: where a likelihood and a severity fall on the grid, what professional judgement
does to that level, and the reasoning written out. Pure functions of one version's configuration, so a saved
result can always be explained again with the version it used.

A configuration is plain data (kept as JSON on `PamicVersion`):
  likelihood, severity: the scale's points, lowest first, each {"label", "descriptor"} (a point's value is
    its position, from 1);
  levels: the grid's levels, lowest first, each {"label", "response", "advice"}, where response is one of
    RESPONSES;
  grid: grid[likelihood - 1][severity - 1] is the index of a level;
  protective_factors: the checklist.
"""

from __future__ import annotations

from dataclasses import dataclass

RESPONSES = {
    "universal": "Universal services",
    "early_help": "Early help",
    "csc": "Referral to children's social care",
}
# GOV.UK tag colours: each meets WCAG AA contrast with its text, and every cell also says its level in words.
LEVEL_TAGS = ["govuk-tag--green", "govuk-tag--yellow", "govuk-tag--red", "govuk-tag--purple"]

FIRST_VERSION = {
    "likelihood": [
        {
            "label": "Unlikely",
            "descriptor": "The adult's mental ill health is stable or well managed, and there is no sign so far "
            "that it has affected the child's care.",
        },
        {
            "label": "Possible",
            "descriptor": "The adult's mental ill health varies; at times it has affected routines or the attention "
            "the child receives, but the adult recognises this and accepts help.",
        },
        {
            "label": "Likely",
            "descriptor": "The adult's mental ill health is affecting the child's care now, or has done repeatedly; "
            "support is not in place or not taken up.",
        },
        {
            "label": "Almost certain",
            "descriptor": "The child's care is already compromised by the adult's mental ill health, or the child is "
            "part of the adult's symptoms (for example delusions or thoughts of harm that include the child).",
        },
    ],
    "severity": [
        {
            "label": "Minimal",
            "descriptor": "A short-lived effect on routines or mood that other people around the child make up for.",
        },
        {
            "label": "Moderate",
            "descriptor": "An effect on the child's health, education or emotional wellbeing that needs some help to "
            "put right (for example missed school, a young carer role, worry).",
        },
        {
            "label": "Significant",
            "descriptor": "Neglect of the child's needs, exposure to frightening behaviour, or a lasting effect on the "
            "child's development or emotional health.",
        },
        {
            "label": "Severe",
            "descriptor": "Serious harm to the child: injury, being left without care, involvement in self-harm or "
            "suicidal behaviour, or being the focus of the adult's delusions.",
        },
    ],
    "levels": [
        {
            "label": "Level 1: lower impact",
            "response": "universal",
            "advice": "Universal services meet the child's needs: make sure the school, GP or health visitor know, "
            "with consent, and review if things change.",
        },
        {
            "label": "Level 2: moderate impact",
            "response": "early_help",
            "advice": "Offer early help: start or add to an Early Help Assessment and build a plan around the "
            "family with the adult's mental health support.",
        },
        {
            "label": "Level 3: high impact",
            "response": "csc",
            "advice": "Refer to children's social care through the front door today, and tell the adult's mental "
            "health team. If the child is in immediate danger, call 999.",
        },
    ],
    # Rows: likelihood 1 to 4; columns: severity 1 to 4.
    "grid": [
        [0, 0, 1, 1],
        [0, 1, 1, 2],
        [1, 1, 2, 2],
        [1, 2, 2, 2],
    ],
    "protective_factors": [
        "Another protective adult lives with the child or is closely involved",
        "The child understands the adult's illness in a way that suits their age",
        "The child attends school or nursery regularly and is known to staff there",
        "The child has a support network: family, friends or groups outside the home",
        "The adult accepts help and engages with their mental health treatment",
        "The adult has a plan for the child's care if they become unwell",
    ],
}


class ConfigProblem(ValueError):
    pass


def check_config(config: dict) -> None:
    """Refuse a configuration the tool could not use: every cell must name a level, every level a response."""
    for scale in ("likelihood", "severity"):
        points = config.get(scale) or []
        if len(points) < 2 or any(not str(point.get("label", "")).strip() for point in points):
            raise ConfigProblem(f"Every point of the {scale} scale needs a label")
    levels = config.get("levels") or []
    if not levels or any(level.get("response") not in RESPONSES for level in levels):
        raise ConfigProblem("Every level needs one of the suggested responses")
    grid = config.get("grid") or []
    if len(grid) != len(config["likelihood"]) or any(len(row) != len(config["severity"]) for row in grid):
        raise ConfigProblem("The grid needs one cell for every likelihood and severity")
    if any(not (isinstance(cell, int) and 0 <= cell < len(levels)) for row in grid for cell in row):
        raise ConfigProblem("Every cell of the grid must name a level")


def grid_level(config: dict, likelihood: int, severity: int) -> int:
    """The index of the level where the likelihood's row meets the severity's column."""
    if not (1 <= likelihood <= len(config["likelihood"]) and 1 <= severity <= len(config["severity"])):
        raise ConfigProblem("Likelihood and severity must be points of the scale")
    return config["grid"][likelihood - 1][severity - 1]


@dataclass(frozen=True)
class Outcome:
    likelihood: int
    severity: int
    grid_level: int
    final_level: int
    reason: str
    config: dict

    @property
    def moved(self) -> bool:
        return self.final_level != self.grid_level

    @property
    def direction(self) -> str:
        if not self.moved:
            return ""
        return "up" if self.final_level > self.grid_level else "down"

    @property
    def level(self) -> dict:
        return self.config["levels"][self.final_level]

    @property
    def grid_level_label(self) -> str:
        return self.config["levels"][self.grid_level]["label"]

    @property
    def response(self) -> str:
        return RESPONSES[self.level["response"]]

    @property
    def tag(self) -> str:
        return LEVEL_TAGS[self.final_level % len(LEVEL_TAGS)]


class JudgementNeedsReason(ValueError):
    pass


def weigh(config: dict, *, likelihood: int, severity: int, final_level: int | None = None, reason: str = "") -> Outcome:
    """The grid's level, moved by professional judgement if the practitioner says so, and then only with a reason."""
    on_grid = grid_level(config, likelihood, severity)
    final = on_grid if final_level is None else final_level
    if not 0 <= final < len(config["levels"]):
        raise ConfigProblem("Choose one of the levels")
    if final != on_grid and not reason.strip():
        raise JudgementNeedsReason(
            f"Explain why your professional judgement moves the result from {config['levels'][on_grid]['label']} "
            f"to {config['levels'][final]['label']}"
        )
    return Outcome(likelihood, severity, on_grid, final, reason.strip() if final != on_grid else "", config)


def reasoning(outcome: Outcome, *, factors: list[str], notes: str = "") -> list[str]:
    """The result in sentences, in the order the practitioner weighed it."""
    config = outcome.config
    likely = config["likelihood"][outcome.likelihood - 1]
    severe = config["severity"][outcome.severity - 1]
    lines = [
        f"Likelihood that the adult's mental ill health will affect the child: {likely['label']} "
        f"({outcome.likelihood} of {len(config['likelihood'])}). {likely['descriptor']}",
        f"Severity of the impact if it does: {severe['label']} ({outcome.severity} of {len(config['severity'])}). "
        f"{severe['descriptor']}",
        f"On the grid, {likely['label'].lower()} and {severe['label'].lower()} give {outcome.grid_level_label}.",
    ]
    if factors:
        lines.append("Protective factors for the child: " + "; ".join(factors) + ".")
    else:
        lines.append("No protective factors from the checklist were found.")
    if notes.strip():
        lines.append(f"About the protective factors: {notes.strip()}")
    if outcome.moved:
        lines.append(
            f"Professional judgement moves the result {outcome.direction} from {outcome.grid_level_label} to "
            f"{outcome.level['label']}, because: {outcome.reason}"
        )
    else:
        lines.append(f"Professional judgement agrees with the grid: {outcome.level['label']}.")
    lines.append(f"Suggested response: {outcome.response}. {outcome.level['advice']}")
    return lines


@dataclass(frozen=True)
class Cell:
    likelihood: int
    severity: int
    level: int
    label: str
    tag: str
    on_grid: bool  # where the likelihood and severity fall
    chosen: bool  # the final level after judgement falls here (the same cell unless judgement moved it)


def matrix(config: dict, outcome: Outcome | None = None) -> list[tuple[dict, int, list[Cell]]]:
    """Rows of the grid, highest likelihood first (as a risk matrix is read), each with its cells."""
    rows = []
    for index in reversed(range(len(config["likelihood"]))):
        likelihood = index + 1
        cells = []
        for column, level in enumerate(config["grid"][index]):
            severity = column + 1
            here = outcome is not None and (outcome.likelihood, outcome.severity) == (likelihood, severity)
            cells.append(
                Cell(
                    likelihood,
                    severity,
                    level,
                    config["levels"][level]["label"],
                    LEVEL_TAGS[level % len(LEVEL_TAGS)],
                    here,
                    here and not outcome.moved,
                )
            )
        rows.append((config["likelihood"][index], likelihood, cells))
    return rows
