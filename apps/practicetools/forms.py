"""The PAMIC tool's forms. Each field's message names it (GOV.UK style); nothing typed is lost on error."""

from __future__ import annotations

from django import forms

from apps.earlyhelp.forms import HubForm, long_text, radios, text
from apps.training.forms import GovukMessages

from . import pamic


def _scale_choices(points: list[dict]) -> list[tuple[str, str]]:
    return [(str(value), f"{point['label']}: {point['descriptor']}") for value, point in enumerate(points, start=1)]


class AssessForm(GovukMessages, HubForm):
    """Step one: who, the adult's mental ill health, likelihood, severity and the child's protective factors."""

    names = {"adult": "adult", "child": "child"}

    def __init__(self, *args, config: dict, adults=None, children=None, **kwargs) -> None:
        self.config = config
        on_record = adults is not None
        fields: dict[str, forms.Field] = {}
        if on_record:
            fields["adult"] = forms.ModelChoiceField(
                label="Which adult is this about?",
                queryset=adults,
                widget=forms.RadioSelect,
                empty_label=None,
                error_messages={"required": "Choose the adult", "invalid_choice": "Choose an adult in this family"},
            )
            fields["child"] = forms.ModelChoiceField(
                label="Which child is this about?",
                queryset=children,
                widget=forms.RadioSelect,
                empty_label=None,
                error_messages={"required": "Choose the child", "invalid_choice": "Choose a child in this family"},
            )
        else:
            fields["adult"] = text(
                "The adult",
                "Enter who the adult is",
                max_length=100,
                help_text="Their initials or how they are related to the child, for example mother",
            )
            fields["child"] = text(
                "The child",
                "Enter who the child is",
                max_length=100,
                help_text="Their initials and age, for example J, 7",
            )
        fields["mental_health"] = long_text(
            "The adult's mental ill health, as described",
            "Describe the adult's mental ill health",
            max_length=5000,
            help_text="What you know: the diagnosis or symptoms, treatment, and how it shows at home",
        )
        fields["likelihood"] = radios(
            "How likely is it that the adult's mental ill health will affect the child?",
            _scale_choices(config["likelihood"]),
            "Choose how likely it is that the adult's mental ill health will affect the child",
        )
        fields["severity"] = radios(
            "If it does, how severe would the impact on the child be?",
            _scale_choices(config["severity"]),
            "Choose how severe the impact on the child would be",
        )
        fields["protective_factors"] = forms.MultipleChoiceField(
            label="Which protective factors does the child have?",
            choices=[(str(index), factor) for index, factor in enumerate(config["protective_factors"])],
            widget=forms.CheckboxSelectMultiple,
            required=False,
            help_text="Select all that apply",
            error_messages={"invalid_choice": "Choose protective factors from the list"},
        )
        fields["protective_notes"] = long_text(
            "Other protective factors, or more about these (optional)",
            max_length=3000,
            rows=3,
        )
        self.base_fields = fields
        super().__init__(*args, **kwargs)

    def chosen_factors(self) -> list[str]:
        return [self.config["protective_factors"][int(index)] for index in self.cleaned_data["protective_factors"]]


class JudgementForm(GovukMessages, HubForm):
    """Step two: the practitioner's professional judgement, which may move the grid's level, with a reason."""

    def __init__(self, *args, config: dict, grid_level: int, **kwargs) -> None:
        self.config = config
        self.grid_level = grid_level
        choices = []
        for index, level in enumerate(config["levels"]):
            suffix = " (the grid's level)" if index == grid_level else ""
            choices.append((str(index), f"{level['label']}: {pamic.RESPONSES[level['response']]}{suffix}"))
        self.base_fields = {
            "final_level": radios(
                "What level does your professional judgement give?",
                choices,
                "Choose the level your professional judgement gives",
                initial=str(grid_level),
                help_text="Keep the grid's level, or choose another and say why",
            ),
            "reason": long_text(
                "Why does your judgement differ from the grid? (only if it does)",
                max_length=3000,
                rows=4,
            ),
        }
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("final_level") not in (None, ""):
            final = int(data["final_level"])
            if final != self.grid_level and not (data.get("reason") or "").strip():
                self.add_error(
                    "reason",
                    f"Explain why your professional judgement moves the result from "
                    f"{self.config['levels'][self.grid_level]['label']} to {self.config['levels'][final]['label']}",
                )
        return data


class VersionForm(GovukMessages, HubForm):
    """A new version of the tool: every label, descriptor, level and grid cell, starting from the current ones."""

    def __init__(self, *args, config: dict, **kwargs) -> None:
        self.config = config
        fields: dict[str, forms.Field] = {}
        initial = kwargs.pop("initial", None) or {}
        for scale, name in (("likelihood", "Likelihood"), ("severity", "Severity")):
            for value, point in enumerate(config[scale], start=1):
                fields[f"{scale}_{value}_label"] = text(
                    f"{name} {value}: label", f"Enter the label of {name.lower()} {value}", max_length=60
                )
                fields[f"{scale}_{value}_descriptor"] = long_text(
                    f"{name} {value}: descriptor",
                    f"Enter the descriptor of {name.lower()} {value}",
                    max_length=1000,
                    rows=2,
                )
                initial.setdefault(f"{scale}_{value}_label", point["label"])
                initial.setdefault(f"{scale}_{value}_descriptor", point["descriptor"])
        response_choices = list(pamic.RESPONSES.items())
        for index, level in enumerate(config["levels"]):
            number = index + 1
            fields[f"level_{number}_label"] = text(
                f"Level {number}: label", f"Enter the label of level {number}", max_length=80
            )
            fields[f"level_{number}_response"] = radios(
                f"Level {number}: suggested response",
                response_choices,
                f"Choose the suggested response for level {number}",
            )
            fields[f"level_{number}_advice"] = long_text(
                f"Level {number}: what to do", f"Enter what to do at level {number}", max_length=1000, rows=2
            )
            initial.setdefault(f"level_{number}_label", level["label"])
            initial.setdefault(f"level_{number}_response", level["response"])
            initial.setdefault(f"level_{number}_advice", level["advice"])
        level_choices = [(str(index), f"Level {index + 1}") for index in range(len(config["levels"]))]
        for row, points in enumerate(config["grid"], start=1):
            for column, cell in enumerate(points, start=1):
                fields[f"grid_{row}_{column}"] = forms.ChoiceField(
                    label=f"Likelihood {row}, severity {column}: level",
                    choices=level_choices,
                    error_messages={
                        "required": f"Choose the level for likelihood {row} and severity {column}",
                        "invalid_choice": f"Choose the level for likelihood {row} and severity {column} from the list",
                    },
                )
                initial.setdefault(f"grid_{row}_{column}", str(cell))
        fields["protective_factors"] = long_text(
            "Protective factors checklist",
            "Enter at least one protective factor",
            max_length=5000,
            rows=7,
            help_text="One a line",
        )
        initial.setdefault("protective_factors", "\n".join(config["protective_factors"]))
        fields["change_note"] = long_text(
            "What has changed in this version?", "Enter what has changed in this version", max_length=2000, rows=3
        )
        self.base_fields = fields
        super().__init__(*args, initial=initial, **kwargs)

    def new_config(self) -> dict:
        data = self.cleaned_data
        config = self.config
        return {
            "likelihood": [
                {"label": data[f"likelihood_{v}_label"], "descriptor": data[f"likelihood_{v}_descriptor"]}
                for v in range(1, len(config["likelihood"]) + 1)
            ],
            "severity": [
                {"label": data[f"severity_{v}_label"], "descriptor": data[f"severity_{v}_descriptor"]}
                for v in range(1, len(config["severity"]) + 1)
            ],
            "levels": [
                {
                    "label": data[f"level_{n}_label"],
                    "response": data[f"level_{n}_response"],
                    "advice": data[f"level_{n}_advice"],
                }
                for n in range(1, len(config["levels"]) + 1)
            ],
            "grid": [
                [int(data[f"grid_{row}_{column}"]) for column in range(1, len(config["severity"]) + 1)]
                for row in range(1, len(config["likelihood"]) + 1)
            ],
            "protective_factors": [line.strip() for line in data["protective_factors"].splitlines() if line.strip()],
        }
