"""E-learning question banks: each attempt draws its own N questions; feedback is given question by question."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from apps.accounts.tests.factories import UserFactory
from apps.training import forms, services
from apps.training.models import Answer, ELearningCompletion, Question
from apps.training.tests.factories import ELearningItemFactory

pytestmark = pytest.mark.django_db


def bank(size=8, drawn=3):
    item = ELearningItemFactory(questions_per_attempt=drawn)
    item.questions.all().delete()
    for number in range(1, size + 1):
        question = Question.objects.create(
            item=item, number=number, text=f"Bank question {number}?", feedback=f"Why {number}: see page {number}."
        )
        Answer.objects.create(question=question, number=1, text=f"Right {number}", is_correct=True)
        Answer.objects.create(question=question, number=2, text=f"Wrong {number}", is_correct=False)
    return item


def test_each_attempt_draws_n_questions_from_the_bank_and_the_same_ones_when_corrected():
    item = bank()
    draws = set()
    for _ in range(12):
        form = forms.KnowledgeCheckForm(item=item)
        assert len(form.questions) == 3
        again = forms.KnowledgeCheckForm({"attempt": form.attempt_token}, item=item)
        assert [q.pk for q in again.questions] == [q.pk for q in form.questions]
        draws.add(tuple(q.pk for q in form.questions))
    assert len(draws) > 1  # 56 possible draws: twelve attempts all alike would mean no drawing


def test_an_item_without_a_bank_size_asks_every_question():
    item = bank(drawn=None)
    assert len(forms.KnowledgeCheckForm(item=item).questions) == 8


def test_the_score_counts_only_the_questions_drawn_and_feedback_covers_each_of_them(client):
    item = bank()
    person = UserFactory()
    client.force_login(person)
    shown = forms.KnowledgeCheckForm(item=item)
    first, *rest = shown.questions
    answers = {f"question_{q.pk}": str(q.answers.get(is_correct=True).pk) for q in rest}
    answers[f"question_{first.pk}"] = str(first.answers.get(is_correct=False).pk)
    item.pass_mark = 60
    item.save()
    page = client.post(
        reverse("training:elearning", args=[item.course.slug]), {**answers, "attempt": shown.attempt_token}
    ).content.decode()
    completion = ELearningCompletion.objects.get(item=item, person=person)
    assert completion.score == 67  # 2 of the 3 drawn, not 2 of 8
    assert "Question 1: wrong" in page and "Question 2: right" in page and "Question 3: right" in page
    assert f"You answered “Wrong {first.number}”." in page
    for question in shown.questions:
        assert f"Why {question.number}: see page {question.number}." in page
    assert len(re.findall(r"Question \d: (?:right|wrong)", page)) == 3


def test_the_business_unit_sets_the_bank_size_and_question_feedback():
    item = bank(drawn=None)
    by = UserFactory()
    services.save_elearning(
        course=item.course,
        by=by,
        body=item.body,
        video_url="",
        transcript="",
        minutes=20,
        pass_mark=80,
        questions_per_attempt=5,
    )
    item.refresh_from_db()
    assert item.questions_per_attempt == 5
    saved = services.save_question(
        item=item, by=by, text="Who?", choices=["LADO", "Nobody"], correct=0, feedback="The LADO advises."
    )
    assert Question.objects.get(pk=saved.pk).feedback == "The LADO advises."
