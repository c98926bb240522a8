"""Knowledge checks: answers in an order of each attempt's own, wrong answers named, a certificate for a pass,
and completions counted for the business unit."""

from __future__ import annotations

import re
import zlib

import pytest
from django.urls import reverse

from apps.accounts.tests.factories import UserFactory, make_role_user
from apps.training import forms, services
from apps.training.models import Answer, Certificate, ELearningCompletion, Question
from apps.training.tests.factories import ELearningItemFactory

pytestmark = pytest.mark.django_db


def item_with_four_choices(pass_mark: int = 100):
    item = ELearningItemFactory(pass_mark=pass_mark, course__title="Neglect toolkit")
    for question in item.questions.all():
        for number in (3, 4):
            Answer.objects.create(question=question, number=number, text=f"Also wrong {number}", is_correct=False)
    return item


def order_of(form, question: Question) -> list[int]:
    return [value for value, _ in form.fields[f"question_{question.pk}"].choices]


def pdf_text(content: bytes) -> str:
    """The text fpdf2 wrote: its page streams are zlib-compressed."""
    streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S)
    text = []
    for stream in streams:
        try:
            text.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            continue
    return " ".join(text)


def right_answers(item) -> dict[str, str]:
    return {f"question_{q.pk}": str(q.answers.get(is_correct=True).pk) for q in item.questions.all()}


def test_the_right_answer_is_not_always_first():
    item = item_with_four_choices()
    question = item.questions.first()
    right = question.answers.get(is_correct=True).pk
    firsts = {order_of(forms.KnowledgeCheckForm(item=item), question)[0] for _ in range(40)}
    assert len(firsts) > 1
    assert firsts != {right}


def test_the_order_stays_put_within_one_attempt():
    item = item_with_four_choices()
    question = item.questions.first()
    first = forms.KnowledgeCheckForm(item=item)
    again = forms.KnowledgeCheckForm({"attempt": first.attempt_token}, item=item)
    assert again.attempt_token == first.attempt_token
    assert order_of(again, question) == order_of(first, question)
    assert sorted(order_of(first, question)) == sorted(question.answers.values_list("pk", flat=True))


def test_an_unanswered_question_keeps_the_attempt_and_its_order_on_the_page(client):
    client.force_login(UserFactory())
    item = item_with_four_choices()
    url = reverse("training:elearning", args=[item.course.slug])
    shown = client.get(url).context["form"]
    response = client.post(url, {"attempt": shown.attempt_token})
    form = response.context["form"]
    assert form.errors and form.attempt_token == shown.attempt_token
    for question in item.questions.all():
        assert order_of(form, question) == order_of(shown, question)
    assert f'name="attempt" value="{shown.attempt_token}"' in response.content.decode()


def test_a_failed_attempt_says_which_answers_were_wrong_and_the_next_attempt_is_reshuffled(client):
    person = UserFactory()
    client.force_login(person)
    item = item_with_four_choices()
    second = item.questions.get(number=2)
    url = reverse("training:elearning", args=[item.course.slug])
    shown = client.get(url).context["form"]
    wrong = second.answers.get(number=3)
    answers = {**right_answers(item), f"question_{second.pk}": str(wrong.pk), "attempt": shown.attempt_token}
    response = client.post(url, answers)
    page = response.content.decode()
    assert "You scored 50%" in page
    assert "This answer was wrong:" in page
    assert "Question 2, Question 2?: you answered “Also wrong 3”" in page
    assert "Question 1, Question 1?" not in page
    assert response.context["form"].attempt_token != shown.attempt_token
    assert not response.context["form"].is_bound
    assert not ELearningCompletion.objects.filter(person=person).exists()


def test_passing_gives_a_certificate_that_checks_and_downloads(client):
    person = UserFactory(first_name="Priya", last_name="Shah")
    client.force_login(person)
    item = item_with_four_choices()
    url = reverse("training:elearning", args=[item.course.slug])
    page = client.post(url, right_answers(item)).content.decode()
    certificate = Certificate.objects.get(completion__person=person)
    assert "You passed" in page and "Download your certificate (PDF)" in page and certificate.code in page

    download = client.get(reverse("training:elearning_certificate", args=[item.course.slug]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    text = pdf_text(download.content)
    assert "Certificate of completion" in text and "Priya Shah" in text and "Neglect toolkit" in text

    record = client.get(reverse("training:learning_record")).content.decode()
    assert reverse("training:elearning_certificate", args=[item.course.slug]) in record

    client.logout()
    check = client.get(reverse("training:check_certificate"), {"code": certificate.code}).content.decode()
    assert "This certificate is genuine" in check and "Neglect toolkit" in check and "Priya" not in check


def test_passing_again_issues_no_second_certificate():
    person = UserFactory()
    item = item_with_four_choices()
    answers = {q.pk: q.answers.get(is_correct=True).pk for q in item.questions.all()}
    for _ in range(2):
        result = services.submit_knowledge_check(item=item, person=person, answers=answers, by=person)
        assert result.passed and result.wrong == []
    assert Certificate.objects.filter(completion__person=person).count() == 1


def test_someone_else_cannot_download_your_e_learning_certificate(client):
    person = UserFactory()
    item = item_with_four_choices()
    answers = {q.pk: q.answers.get(is_correct=True).pk for q in item.questions.all()}
    services.submit_knowledge_check(item=item, person=person, answers=answers, by=person)
    client.force_login(UserFactory())
    assert client.get(reverse("training:elearning_certificate", args=[item.course.slug])).status_code == 404


def test_the_manage_dashboard_counts_completions(client):
    item = item_with_four_choices(pass_mark=50)
    answers = {q.pk: q.answers.get(is_correct=True).pk for q in item.questions.all()}
    for person in (UserFactory(), UserFactory()):
        services.submit_knowledge_check(item=item, person=person, answers=answers, by=person)
    client.force_login(make_role_user("business_unit"))
    page = client.get(reverse("training:manage")).content.decode()
    row = re.search(r"Neglect toolkit</a>.*?</tr>", page, re.S).group(0)
    assert "2 people" in row


def test_people_who_passed_before_certificates_for_e_learning_get_theirs():
    import importlib

    from django.apps import apps as django_apps

    migration = importlib.import_module("apps.training.migrations.0004_certificates_for_past_e_learning")
    item = item_with_four_choices()
    earlier = ELearningCompletion.objects.create(item=item, person=UserFactory(), score=100)
    migration.issue(django_apps, None)
    certificate = Certificate.objects.get(completion=earlier)
    assert certificate.issued_at == earlier.completed_at and re.fullmatch(
        r"[A-Z2-9]{4}(-[A-Z2-9]{4}){2}", certificate.code
    )
    migration.issue(django_apps, None)  # run twice, still one each
    assert Certificate.objects.filter(completion=earlier).count() == 1
