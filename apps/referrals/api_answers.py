"""What the partner API accepts as a form: the JSON shape of each form's answers, from the same step forms
that check them.

One description serves the OpenAPI schema (`body_schema`) and the check of what a partner system sent
(`check_body`): unknown fields, steps and questions, and answers of the wrong JSON type, are refused by name
before the step forms check what the answers say.
"""

from __future__ import annotations

from typing import Any

from django import forms

from apps.core.forms import DateField

from .models import FormType
from .questions import DEFINITIONS, definition_of
from .questions.base import FormDefinition, Step, TimeField

FIELDS = ("form_type", "answers", "declaration")
DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
LONGEST_NAME = 100  # an unknown key is named in the error, cut to this length


class BodyRefused(Exception):
    """The body is not a form the API takes: {where: [messages]}, where as in the API's errors."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("The body is not a form the API takes")
        self.errors = errors


def kind_of(field: forms.Field) -> str:
    if isinstance(field, DateField):
        return "date"
    if isinstance(field, TimeField):
        return "time"
    if isinstance(field, forms.MultipleChoiceField):
        return "choices"
    if isinstance(field, forms.ChoiceField):
        return "choice"
    if isinstance(field, forms.IntegerField):
        return "integer"
    return "text"


def api_questions(step: Step) -> dict[str, forms.Field]:
    """A step's questions the API takes (files are sent through the hub's pages only)."""
    return {name: field for name, field in step.form.base_fields.items() if not isinstance(field, forms.FileField)}


# --- The schema -----------------------------------------------------------------------------------


def _question_schema(field: forms.Field) -> dict[str, Any]:
    kind = kind_of(field)
    schema: dict[str, Any] = {"description": str(field.label)}
    if kind == "date":
        schema.update(type="string", pattern=DATE_PATTERN if field.required else "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$")
        schema["description"] += " (YYYY-MM-DD)"
    elif kind == "time":
        schema.update(type="string", minLength=1 if field.required else 0, maxLength=20)
        schema["description"] += " (for example 14:30 or 2:30pm)"
    elif kind == "choices":
        options = [str(value) for value, _ in field.choices]
        schema.update(type="array", items={"type": "string", "enum": options})
        if field.required:
            schema["minItems"] = 1
    elif kind == "choice":
        options = [str(value) for value, _ in field.choices]
        schema.update(type="string", enum=options if field.required else [*options, ""])
    elif kind == "integer":
        schema["type"] = "integer"
        if field.min_value is not None:
            schema["minimum"] = field.min_value
        if field.max_value is not None:
            schema["maximum"] = field.max_value
    else:
        schema.update(type="string", maxLength=field.max_length)
        if field.required:
            schema["minLength"] = 1
    if not field.required:
        schema["nullable"] = True
    return schema


def form_schema(definition: FormDefinition) -> dict[str, Any]:
    steps: dict[str, Any] = {}
    required_steps = []
    for step in definition.steps:
        questions = api_questions(step)
        required = [name for name, field in questions.items() if field.required]
        steps[step.slug] = {
            "type": "object",
            "description": step.title,
            "properties": {name: _question_schema(field) for name, field in questions.items()},
            "additionalProperties": False,
            **({"required": required} if required else {}),
        }
        if required:
            required_steps.append(step.slug)
    return {
        "type": "object",
        "title": definition.title,
        "properties": {
            "form_type": {"type": "string", "enum": [definition.form_type.value]},
            "answers": {
                "type": "object",
                "description": "One object per step of the form, keyed by the step's name",
                "properties": steps,
                "additionalProperties": False,
                **({"required": required_steps} if required_steps else {}),
            },
            "declaration": {
                "type": "boolean",
                "enum": [True],
                "description": "true: the information is correct to the best of your knowledge and you may share it",
            },
        },
        "required": list(FIELDS),
        "additionalProperties": False,
    }


def body_schema() -> dict[str, Any]:
    """The request body of `POST submissions/`: one of the forms, told apart by form_type."""
    return {"oneOf": [form_schema(definition) for definition in DEFINITIONS.values()]}


# --- The check --------------------------------------------------------------------------------------


def _name(key: Any) -> str:
    return str(key)[:LONGEST_NAME]


def _listed(names) -> str:
    return ", ".join(names)


def _wrong_type(field: forms.Field, value: Any) -> str:
    """The message for an answer of the wrong JSON type (null means "not answered"), or ""."""
    if value is None:
        return ""
    kind = kind_of(field)
    if kind == "choices":
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            return "Send a list of the options that apply, as text"
        return ""
    if kind == "integer":
        return "" if isinstance(value, int) and not isinstance(value, bool) else "Send this answer as a whole number"
    if not isinstance(value, str):
        return {
            "date": "Send the date as text, YYYY-MM-DD",
            "time": "Send the time as text, for example 14:30",
            "choice": "Send one of the options, as text",
        }.get(kind, "Send this answer as text")
    if kind == "text" and field.max_length is not None and len(value) > field.max_length:
        # Counted as sent, before the form trims spaces, as the schema's maxLength counts.
        message = field.error_messages.get("max_length") or "Send at most %(limit_value)s characters"
        return message % {"limit_value": field.max_length, "show_value": len(value)}
    return ""


def _step_problems(step: Step, given: Any) -> dict[str, list[str]]:
    where = f"answers.{step.slug}"
    if given is None:
        return {}
    if not isinstance(given, dict):
        return {where: ["Send this step's answers as an object, keyed by the questions' names"]}
    problems: dict[str, list[str]] = {}
    questions = api_questions(step)
    for name, value in given.items():
        field = step.form.base_fields.get(name) if isinstance(name, str) else None
        if field is None:
            problems[f"{where}.{_name(name)}"] = [
                f"This step has no question {_name(name)}; its questions are: {_listed(questions) or 'none'}"
            ]
        elif name not in questions:
            problems[f"{where}.{name}"] = ["Files cannot be sent through the API: attach them in the hub instead"]
        elif message := _wrong_type(field, value):
            problems[f"{where}.{name}"] = [message]
    return problems


def check_body(body: Any) -> FormDefinition:
    """The form the body sends; BodyRefused names every field, step or question that is unknown or of the
    wrong type, and a declaration that is not true."""
    if not isinstance(body, dict):
        raise BodyRefused({"body": ["Send a JSON object with form_type, answers and declaration"]})
    problems: dict[str, list[str]] = {}
    for key in body:
        if key not in FIELDS:
            problems[_name(key)] = [f"There is no field {_name(key)}: send only {_listed(FIELDS)}"]
    form_type = body.get("form_type")
    definition = None
    if isinstance(form_type, str) and form_type in DEFINITIONS:
        definition = definition_of(form_type)
    else:
        problems["form_type"] = [f"form_type must be one of: {_listed(FormType.values)}"]
    if body.get("declaration") is not True:
        problems["declaration"] = ["Confirm the declaration: set declaration to true"]
    answers = body.get("answers")
    if not isinstance(answers, dict):
        problems["answers"] = ["Send answers as an object with one entry for each step of the form"]
    elif definition is not None:
        slugs = [step.slug for step in definition.steps]
        for key in answers:
            if key not in slugs:
                problems[f"answers.{_name(key)}"] = [
                    f"This form has no step {_name(key)}; its steps are: {_listed(slugs)}"
                ]
        for step in definition.steps:
            problems.update(_step_problems(step, answers.get(step.slug)))
    if problems:
        raise BodyRefused(problems)
    return definition
