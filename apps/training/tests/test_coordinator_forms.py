"""The coordinator's forms speak to people too: walked with the same wrong answers as test_form_messages.py."""

from __future__ import annotations

import inspect

import pytest
from django import forms as django_forms
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.training import coordinator_forms, forms
from apps.training.models import BookingQuestion, QuestionKind
from apps.training.tests.factories import CourseFactory
from apps.training.tests.test_form_messages import DJANGO_DEFAULTS, bad_values, messages_of

pytestmark = pytest.mark.django_db


def form_kwargs() -> dict[str, dict]:
    asking = CourseFactory(needs_manager_approval=True)
    BookingQuestion.objects.create(course=asking, number=1, text="What is your role?")
    BookingQuestion.objects.create(
        course=asking, number=2, text="Which lunch?", kind=QuestionKind.CHOICE, choices="Vegan\nAny"
    )
    BookingQuestion.objects.create(course=asking, number=3, text="Parking?", kind=QuestionKind.YES_NO)
    return {
        "ScheduleForm": {"course": CourseFactory()},
        "BankHolidayForm": {},
        "BookingQuestionForm": {},
        "PlaceForm": {"course": asking},
        "TakeOfferForm": {"course": asking},
        "ApprovalDecisionForm": {},
        "SessionEmailForm": {},
    }


def test_every_coordinator_form_answers_empty_and_wrong_input_with_messages_written_for_people():
    needs = form_kwargs()
    classes = [
        cls
        for _, cls in inspect.getmembers(coordinator_forms, inspect.isclass)
        if issubclass(cls, django_forms.BaseForm) and cls.__module__ == coordinator_forms.__name__
    ]
    assert {cls.__name__ for cls in classes} == set(needs), "add the new form to form_kwargs()"
    shown = []
    for cls in classes:
        empty = cls({}, **needs[cls.__name__])
        empty.is_valid()
        shown += [(cls.__name__, message) for message in messages_of(empty)]
        for round_ in range(4):
            data = {}
            for name, field in empty.fields.items():
                value = bad_values(field)[round_]
                if isinstance(field, forms.DateField):
                    data.update({f"{name}_{i}": part for i, part in enumerate(value)})
                elif not isinstance(value, SimpleUploadedFile):
                    data[name] = value
            for pattern in ("weekly", "monthly", "dates"):
                if cls is coordinator_forms.ScheduleForm:
                    data["pattern"] = pattern
                form = cls(data, **needs[cls.__name__])
                form.is_valid()
                shown += [(cls.__name__, message) for message in messages_of(form)]
    defaults = [(form, message) for form, message in shown if any(text in message for text in DJANGO_DEFAULTS)]
    assert defaults == []
    assert len(shown) > 60


def test_the_booking_form_names_each_question_in_its_message():
    course = CourseFactory(needs_manager_approval=True)
    question = BookingQuestion.objects.create(course=course, number=1, text="What is your role?")
    form = coordinator_forms.PlaceForm({}, course=course)
    assert not form.is_valid()
    assert form.errors[f"question_{question.pk}"] == ["Answer “What is your role?”"]
    assert form.errors["manager_email"] == ["Enter your line manager's e-mail address"]
