"""The JSON API: organisation tokens, sending forms, reading their status and answering the team's questions,
idempotency, and the schema."""

from __future__ import annotations

import json

import pytest
from django.conf import settings as django_settings

from apps.audit.models import AuditEntry
from apps.notifications.models import OutboxMessage
from apps.referrals import services
from apps.referrals.models import FormType, Status, Submission
from apps.referrals.samples import sample_answers
from apps.referrals.tests.factories import submit_sample, team_member

SUBMISSIONS = "/api/v1/submissions/"


def send(client, secret, body, **headers):
    return client.post(
        SUBMISSIONS,
        data=json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}", **headers},
    )


def welfare_check(**changes):
    return {
        "form_type": "welfare_check",
        "answers": sample_answers(FormType.WELFARE_CHECK),
        "declaration": True,
        **changes,
    }


@pytest.mark.django_db
def test_without_a_token_or_with_a_revoked_one_the_api_answers_401(client, partner):
    assert client.get(SUBMISSIONS).status_code == 401
    assert client.get(SUBMISSIONS, headers={"Authorization": "Bearer hub_not-a-real-token"}).status_code == 401
    services.revoke_api_token(token=partner["token"], by=None)
    response = client.get(SUBMISSIONS, headers={"Authorization": f"Bearer {partner['secret']}"})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
def test_a_partner_system_sends_a_form_and_reads_its_status(client, partner):
    response = send(client, partner["secret"], welfare_check())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reference"].startswith("WFC-") and body["status"] == "new"
    submission = Submission.objects.get(reference=body["reference"])
    assert submission.organisation == partner["organisation"] and submission.submitted_through == partner["token"]
    assert OutboxMessage.objects.filter(to="cases@youth.example.org", subject__contains=body["reference"]).exists()

    status = client.get(f"{SUBMISSIONS}{body['reference']}/", headers={"Authorization": f"Bearer {partner['secret']}"})
    assert status.status_code == 200 and status.json()["status_label"] == "New"
    assert AuditEntry.objects.filter(action="view", object_id=str(submission.pk)).exists()
    listed = client.get(SUBMISSIONS, headers={"Authorization": f"Bearer {partner['secret']}"}).json()
    assert [item["reference"] for item in listed["results"]] == [body["reference"]]


@pytest.mark.django_db
def test_another_organisations_submission_is_not_found_and_a_mistyped_reference_is_named(client, partner):
    theirs = submit_sample(FormType.WELFARE_CHECK)
    auth = {"Authorization": f"Bearer {partner['secret']}"}
    assert client.get(f"{SUBMISSIONS}{theirs.reference}/", headers=auth).status_code == 404
    mistyped = theirs.reference[:-1] + ("A" if theirs.reference[-1] != "A" else "B")
    response = client.get(f"{SUBMISSIONS}{mistyped}/", headers=auth)
    assert response.status_code == 404 and response.json()["detail"] == "Check the reference number"


@pytest.mark.django_db
def test_bad_answers_get_each_message_by_where_it_belongs(client, partner):
    body = welfare_check()
    body["answers"]["person"]["full_name"] = ""
    body["answers"]["concern"]["last_contact"] = "2999-01-01"
    response = send(client, partner["secret"], body)
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "answers.person.full_name": ["Enter the person's full name"],
        "answers.concern.last_contact": ["The date you last had contact must be today or in the past"],
    }
    assert send(client, partner["secret"], {**welfare_check(), "declaration": False}).status_code == 400
    assert send(client, partner["secret"], {"form_type": "parking_ticket"}).status_code == 400
    assert Submission.objects.count() == 0


@pytest.mark.django_db
def test_the_same_idempotency_key_and_body_give_the_first_answer_and_another_body_gets_409(client, partner):
    first = send(client, partner["secret"], welfare_check(), **{"Idempotency-Key": "case-4411-welfare"})
    again = send(client, partner["secret"], welfare_check(), **{"Idempotency-Key": "case-4411-welfare"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    assert Submission.objects.count() == 1
    assert OutboxMessage.objects.filter(to="cases@youth.example.org").count() == 1

    other = welfare_check()
    other["answers"]["urgency"]["urgency"] = "standard"
    clash = send(client, partner["secret"], other, **{"Idempotency-Key": "case-4411-welfare"})
    assert clash.status_code == 409
    assert Submission.objects.count() == 1
    # The key belongs to the organisation: another organisation may use the same words.
    assert send(client, partner["secret"], other, **{"Idempotency-Key": "case-4412"}).status_code == 201


@pytest.mark.django_db
def test_the_openapi_schema_describes_the_api(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/submissions/",
        "/api/v1/submissions/{reference}/",
        "/api/v1/submissions/{reference}/questions/{id}/answer/",
        "/api/v1/forms/",
    }
    answering = schema["paths"]["/api/v1/submissions/{reference}/questions/{id}/answer/"]["post"]
    assert set(answering["responses"]) == {"200", "400", "401", "404", "409", "413", "415"}
    listed = schema["components"]["schemas"]["SubmissionOut"]["properties"]["information_requests"]
    assert listed["type"] == "array"


# --- The receiving team's questions ---------------------------------------------------------------


def absolute(path: str) -> str:
    return f"{django_settings.HUB_BASE_URL}{path}"


def answer_url(reference: str, question_id) -> str:
    return f"{SUBMISSIONS}{reference}/questions/{question_id}/answer/"


def answer(client, secret, reference, question_id, body):
    return client.post(
        answer_url(reference, question_id),
        data=json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )


@pytest.fixture
def asked(client, partner):
    """A welfare check the partner's system sent, and a question the Force Control Room asked about it."""
    reference = send(client, partner["secret"], welfare_check()).json()["reference"]
    submission = Submission.objects.get(reference=reference)
    member = team_member(submission.team, email="alex.carter@police.example.org")
    question = services.ask_for_information(submission=submission, question="Does Jordan have a dog?", by=member)
    return submission, question, member


@pytest.mark.django_db
def test_the_receipt_for_a_system_says_how_to_read_it_through_the_api_not_a_page_its_contact_cannot_open(
    client, partner
):
    reference = send(client, partner["secret"], welfare_check()).json()["reference"]
    submission = Submission.objects.get(reference=reference)
    receipt = OutboxMessage.objects.get(purpose="referrals.receipt")
    assert receipt.to == "cases@youth.example.org"
    assert f"GET {absolute(SUBMISSIONS + reference + '/')}" in receipt.body_text
    assert submission.get_absolute_url() not in receipt.body_text
    assert "You can see it, and where it stands, in the hub" not in receipt.body_text


@pytest.mark.django_db
def test_a_partner_system_reads_the_teams_question_and_answers_it(client, partner, asked):
    submission, question, member = asked
    auth = {"Authorization": f"Bearer {partner['secret']}"}

    # The e-mail names the question's id and where to answer it, never the question or a hub page.
    mail = OutboxMessage.objects.get(purpose="referrals.information_requested")
    assert mail.to == "cases@youth.example.org"
    assert f"question {question.pk} of {submission.reference}" in mail.body_text
    assert f"GET {absolute(SUBMISSIONS + submission.reference + '/')}" in mail.body_text
    assert f"POST {absolute(answer_url(submission.reference, question.pk))}" in mail.body_text
    assert "dog" not in mail.body_text and "Jordan" not in mail.body_text
    assert submission.get_absolute_url() not in mail.body_text and "Sign in" not in mail.body_text

    read = client.get(f"{SUBMISSIONS}{submission.reference}/", headers=auth).json()
    assert read["status"] == "more_information_requested"
    assert [(q["id"], q["question"], q["answered"], q["answer"]) for q in read["information_requests"]] == [
        (question.pk, "Does Jordan have a dog?", False, None)
    ]
    assert read["information_requests"][0]["asked_at"] == question.asked_at.isoformat()
    listed = client.get(SUBMISSIONS, headers=auth).json()["results"]
    assert listed[0]["information_requests"][0]["id"] == question.pk

    # Refusals say what is wrong, and answer nothing.
    for body, message in [
        ({}, "Enter your answer"),
        ({"answer": "   "}, "Enter your answer"),
        ({"answer": None}, "Enter your answer"),
        ({"answer": "x" * 5001}, "Your answer must be 5,000 characters or fewer"),
    ]:
        refused = answer(client, partner["secret"], submission.reference, question.pk, body)
        assert refused.status_code == 400
        assert refused.json() == {"errors": {"answer": [message]}}
    refused = answer(client, partner["secret"], submission.reference, question.pk, ["Yes"])
    assert refused.status_code == 400 and refused.json()["errors"] == {
        "body": ['Send a JSON object: {"answer": "your answer"}']
    }
    question.refresh_from_db()
    assert not question.is_answered

    answered = answer(client, partner["secret"], submission.reference, question.pk, {"answer": " Yes, a spaniel "})
    assert answered.status_code == 200, answered.content
    assert answered.json()["id"] == question.pk
    assert answered.json()["answered"] is True and answered.json()["answer"] == "Yes, a spaniel"
    submission.refresh_from_db()
    assert submission.status == Status.IN_PROGRESS, "no question is open any more"
    told = OutboxMessage.objects.get(purpose="referrals.information_answered")
    assert told.to == member.email and "spaniel" not in told.body_text
    entry = AuditEntry.objects.filter(object_id=str(submission.pk), detail__startswith="more information given").get()
    assert entry.actor_id is None and entry.actor_label == partner["token"].audit_label()

    again = answer(client, partner["secret"], submission.reference, question.pk, {"answer": "No dog after all"})
    assert again.status_code == 409
    assert again.json() == {"detail": "This question has already been answered"}
    question.refresh_from_db()
    assert question.answer == "Yes, a spaniel"
    read = client.get(f"{SUBMISSIONS}{submission.reference}/", headers=auth).json()
    assert read["information_requests"][0]["answered"] is True
    assert read["information_requests"][0]["answer"] == "Yes, a spaniel"


@pytest.mark.django_db
def test_only_the_organisations_own_questions_can_be_answered(client, partner, asked):
    submission, question, _ = asked
    theirs = submit_sample(FormType.WELFARE_CHECK)
    their_question = services.ask_for_information(submission=theirs, question="Who else lives there?", by=None)
    own_other = send(client, partner["secret"], welfare_check()).json()["reference"]

    for reference, question_id, detail in [
        (theirs.reference, their_question.pk, "Your organisation has sent nothing with this reference"),
        # The question belongs to another submission than the one named.
        (own_other, question.pk, "There is no question with this id about this submission"),
        (submission.reference, their_question.pk, "There is no question with this id about this submission"),
        (submission.reference, 2**70, "There is no question with this id about this submission"),
        (
            submission.reference[:-1] + "-",
            question.pk,
            "Enter a reference number in the right format, like MPR-2026-000123-H",
        ),
    ]:
        response = answer(client, partner["secret"], reference, question_id, {"answer": "Nobody"})
        assert response.status_code == 404, (reference, question_id)
        assert response.json()["detail"] == detail
    their_question.refresh_from_db()
    question.refresh_from_db()
    assert not their_question.is_answered and not question.is_answered


@pytest.mark.django_db
def test_when_a_team_finishes_with_a_systems_submission_the_mail_points_to_the_api(client, partner, asked):
    submission, _, member = asked
    services.change_status(submission=submission, status=Status.CLOSED, by=member)
    told = OutboxMessage.objects.get(purpose="referrals.status")
    assert told.to == "cases@youth.example.org"
    assert f"GET {absolute(SUBMISSIONS + submission.reference + '/')}" in told.body_text
    assert submission.get_absolute_url() not in told.body_text
