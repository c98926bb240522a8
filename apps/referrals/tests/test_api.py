"""The JSON API: organisation tokens, sending forms, reading their status, idempotency, and the schema."""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from apps.accounts.tests.factories import OrganisationFactory
from apps.audit.models import AuditEntry
from apps.notifications.models import OutboxMessage
from apps.referrals import services
from apps.referrals.models import FormType, Submission
from apps.referrals.samples import sample_answers
from apps.referrals.tests.factories import receiving_team, route, submit_sample

SUBMISSIONS = "/api/v1/submissions/"


@pytest.fixture
def partner(db):
    organisation = OrganisationFactory(name="York Youth Action")
    token, secret = services.issue_api_token(
        organisation=organisation, name="Case system", contact_email="cases@youth.example.org", by=None
    )
    team = receiving_team("force-control-room")
    for form_type in FormType:
        if form_type not in (FormType.PERSON_RETURNED, FormType.MISSING_PERSON_UPDATE):
            route(form_type, team)
    return {"token": token, "secret": secret, "organisation": organisation}


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
        "/api/v1/forms/",
    }


@pytest.mark.django_db
def test_no_request_the_schema_allows_makes_a_server_error(partner):
    """Schemathesis generates requests from the schema for every operation; none may get a 5xx.

    Driven through a Hypothesis strategy: schemathesis's own pytest plugin does not run on pytest 9."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", WSGIHandler())
    headers = {"Authorization": f"Bearer {partner['secret']}"}
    operations = set()

    @given(case=schema.as_strategy())
    @settings(max_examples=90, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def no_server_error(case):
        operations.add(f"{case.method} {case.path}")
        case.call_and_validate(headers=headers, checks=[not_a_server_error])

    no_server_error()
    assert operations >= {
        f"POST {SUBMISSIONS}",
        f"GET {SUBMISSIONS}",
        f"GET {SUBMISSIONS}{{reference}}/",
        "GET /api/v1/forms/",
    }, "every operation was tried"
