"""Every training form speaks to people: its messages name the field, as GOV.UK asks, never Django's defaults."""

from __future__ import annotations

import inspect
import itertools

import pytest
from django import forms as django_forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.accounts.tests.factories import UserFactory, make_role_user
from apps.training import forms
from apps.training.models import Session
from apps.training.tests.factories import CourseFactory, ELearningItemFactory, SessionFactory

pytestmark = pytest.mark.django_db

DJANGO_DEFAULTS = [
    "This field is required",
    "Ensure this value",
    "Ensure that there are no more",
    "Enter a valid",
    "out of range",
    "Select a valid choice",
    "Enter a whole number",
    "Enter a number",
    "Enter a list of values",
    "Enter a complete value",
    "is not a valid value",
    "No file was submitted",
    "The submitted file is empty",
    "already exists",
]


def form_kwargs() -> dict[str, dict]:
    """What each form needs besides its data. A form missing here fails the test, so a new one is walked too."""
    sessions = Session.objects.all()
    return {
        "AccessNeedsForm": {},
        "ConfirmForm": {"button": "Yes"},
        "RequestPlaceForm": {"sessions": sessions},
        "DecideRequestForm": {"sessions": sessions},
        "RegisterMarkForm": {},
        "CourseForm": {},
        "SessionForm": {"course": CourseFactory()},
        "SessionDetailsForm": {"course": CourseFactory()},
        "CopySessionForm": {"original": SessionFactory()},
        "CancelSessionForm": {},
        "EvaluationForm": {},
        "OutsideTrainingForm": {},
        "KnowledgeCheckForm": {"item": ELearningItemFactory()},
        "ELearningItemForm": {},
        "QuestionForm": {},
        "CatalogueFilterForm": {},
    }


def training_form_classes() -> list[type]:
    return [
        cls
        for _, cls in inspect.getmembers(forms, inspect.isclass)
        if issubclass(cls, django_forms.BaseForm) and cls.__module__ == forms.__name__
    ]


def bad_values(field: django_forms.Field) -> list:
    """Wrong answers of every kind a person could give, tried one kind a round."""
    if isinstance(field, forms.DateField):
        return [("31", "2", "2025"), ("x", "y", "z"), ("1", "1", "25"), ("99999999999999999999", "1", "2025")]
    if isinstance(field, django_forms.IntegerField):
        return ["-5", "x", "99999999", "1.5"]
    if isinstance(field, django_forms.DecimalField):
        return ["-1", "abc", "1.23456", "99999"]
    if isinstance(field, django_forms.TimeField):
        return ["25:99", "noon", "1", ""]
    if isinstance(field, django_forms.FileField):
        return [SimpleUploadedFile("empty.pdf", b""), "", "", ""]
    if isinstance(field, django_forms.MultipleChoiceField | django_forms.ModelMultipleChoiceField):
        return [["zzz"], ["99999"], "x", [""]]
    if isinstance(field, django_forms.ChoiceField | django_forms.ModelChoiceField):
        return ["zzz", "99999", "-1", "abc"]
    if isinstance(field, django_forms.URLField):
        return ["not a web address", "x" * 300, "http://", "ftp:/x"]
    if isinstance(field, django_forms.EmailField):
        return ["not an address", "@", "a@", "x" * 300]
    if isinstance(field, django_forms.SlugField):
        return ["Not A Slug!", "x" * 300, "é", "a b"]
    if isinstance(field, django_forms.BooleanField):
        return ["on", "", "on", ""]
    return ["x" * 60_000, "\x00", "x" * 3000, "x" * 600]


def bound(cls: type, kwargs: dict, data: dict, files: dict):
    form = cls(data, files, **kwargs) if _takes_files(cls) else cls(data, **kwargs)
    form.is_valid()
    return form


def _takes_files(cls: type) -> bool:
    return cls in (forms.OutsideTrainingForm, forms.ELearningItemForm)


def messages_of(form) -> list[str]:
    return [str(message) for message in itertools.chain.from_iterable(form.errors.values())]


def test_every_training_form_answers_empty_and_wrong_input_with_messages_written_for_people():
    CourseFactory(slug="taken")
    needs = form_kwargs()
    classes = training_form_classes()
    assert {cls.__name__ for cls in classes} == set(needs), "add the new form to form_kwargs()"
    seen: dict[str, list[str]] = {}
    for cls in classes:
        kwargs = needs[cls.__name__]
        empty = bound(cls, kwargs, {}, {})
        seen[cls.__name__] = messages_of(empty)
        for round_ in range(4):
            data, files = {}, {}
            for name, field in empty.fields.items():
                value = bad_values(field)[round_]
                if isinstance(field, forms.DateField):
                    data.update({f"{name}_{i}": part for i, part in enumerate(value)})
                elif isinstance(value, SimpleUploadedFile):
                    files[name] = value
                else:
                    data[name] = value
            if cls is forms.CourseForm:
                data["slug"] = "taken" if round_ == 0 else data["slug"]
            seen[cls.__name__] += messages_of(bound(cls, kwargs, data, files))
    shown = [(form, message) for form, messages in seen.items() for message in messages]
    defaults = [(form, message) for form, message in shown if any(text in message for text in DJANGO_DEFAULTS)]
    assert defaults == []
    assert len(shown) > 100  # the walk reached the fields


def test_the_session_form_names_each_field_in_its_messages():
    form = forms.SessionForm({}, course=CourseFactory())
    assert not form.is_valid()
    assert form.errors["capacity"] == ["Enter the number of places"]
    assert form.errors["date"] == ["Enter the date of the session"]
    form = forms.SessionForm(
        {"capacity": "0", "date_0": "31", "date_1": "2", "date_2": "2030", "cancellation_cutoff_hours": "-1"},
        course=CourseFactory(),
    )
    assert not form.is_valid()
    assert form.errors["capacity"] == ["Number of places must be 1 or more"]
    assert form.errors["date"] == ["Date of the session must be a real date"]
    assert form.errors["cancellation_cutoff_hours"] == [
        "Hours before the start when cancelling closes must be 0 or more"
    ]


def test_a_date_with_a_day_missing_says_so():
    form = forms.CopySessionForm({"date_1": "3", "date_2": "2030"}, original=SessionFactory())
    assert not form.is_valid()
    assert form.errors["date"] == ["Date of the new session must include a day"]


def test_the_session_page_shows_the_messages_with_their_fields(client):
    client.force_login(make_role_user("business_unit"))
    course = CourseFactory()
    page = client.post(reverse("training:session_create", args=[course.slug]), {}).content.decode()
    assert "This field is required" not in page
    assert "Enter the number of places" in page
    assert "Enter the date of the session" in page


def test_a_wrong_answer_id_in_the_knowledge_check_is_refused_in_words(client):
    client.force_login(UserFactory())
    item = ELearningItemFactory()
    question = item.questions.first()
    form = forms.KnowledgeCheckForm({f"question_{question.pk}": "99999"}, item=item)
    assert not form.is_valid()
    assert form.errors[f"question_{question.pk}"] == [
        f"Answer question {question.number} with one of the answers shown"
    ]
