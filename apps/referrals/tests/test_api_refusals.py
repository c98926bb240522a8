"""The partner API refuses what it cannot take by name, and answers everything under /api/ in JSON, in the
shape its schema documents: {"errors": {where: [messages]}} for a body it refuses, {"detail": "..."} otherwise."""

from __future__ import annotations

import json

import pytest
from django.test import Client, override_settings

from apps.referrals.models import Submission
from apps.referrals.tests.test_api import SUBMISSIONS, send, welfare_check

SCHEMA = "/api/v1/schema/?format=json"


def auth(partner) -> dict:
    return {"Authorization": f"Bearer {partner['secret']}"}


@pytest.mark.django_db
def test_a_misspelt_question_is_refused_by_name_and_nothing_is_sent(client, partner):
    body = welfare_check()
    body["answers"]["address"]["postocde"] = body["answers"]["address"].pop("postcode", "YO1 7HH") or "YO1 7HH"
    response = send(client, partner["secret"], body)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == ["answers.address.postocde"]
    assert errors["answers.address.postocde"] == [
        "This step has no question postocde; its questions are: address, postcode"
    ]
    assert Submission.objects.count() == 0


@pytest.mark.django_db
def test_unknown_fields_and_steps_are_refused_by_name(client, partner):
    body = welfare_check(urgent=True)
    body["answers"]["adress"] = {"address": "1 High Street"}
    body["answers"]["photo"] = {"photo": "x"}
    response = send(client, partner["secret"], body)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["urgent"] == ["There is no field urgent: send only form_type, answers, declaration"]
    assert errors["answers.adress"][0].startswith("This form has no step adress; its steps are: person, address")
    assert "answers.photo" in errors
    assert Submission.objects.count() == 0


@pytest.mark.django_db
def test_a_file_question_or_an_answer_of_the_wrong_type_is_refused(client, partner):
    body = {
        "form_type": "missing_person_update",
        "answers": {"original": {"reference": 42}, "attachment": {"document": "report.pdf"}},
        "declaration": True,
    }
    errors = send(client, partner["secret"], body).json()["errors"]
    assert errors == {
        "answers.original.reference": ["Send this answer as text"],
        "answers.attachment.document": ["Files cannot be sent through the API: attach them in the hub instead"],
    }
    body = welfare_check()
    body["answers"]["person"]["age"] = "14"
    body["answers"]["person"]["full_name"] = "x" * 200 + " "
    errors = send(client, partner["secret"], body).json()["errors"]
    assert errors == {
        "answers.person.age": ["Send this answer as a whole number"],
        "answers.person.full_name": ["Full name must be 200 characters or fewer"],
    }


@pytest.mark.django_db
def test_a_declaration_that_is_not_true_is_refused_and_the_schema_says_it_must_be_true(client, partner):
    response = send(client, partner["secret"], welfare_check(declaration=False))
    assert response.json()["errors"] == {"declaration": ["Confirm the declaration: set declaration to true"]}
    schema = client.get(SCHEMA).json()
    body = schema["paths"][SUBMISSIONS]["post"]["requestBody"]["content"]["application/json"]["schema"]
    for form in body["oneOf"]:
        assert form["properties"]["declaration"]["enum"] == [True]
        assert form["additionalProperties"] is False
        assert form["properties"]["answers"]["additionalProperties"] is False
        for step in form["properties"]["answers"]["properties"].values():
            assert step["additionalProperties"] is False


@pytest.mark.django_db
@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024 * 1024)
def test_a_body_over_the_limit_gets_413_in_json(client, partner):
    body = welfare_check()
    body["answers"]["concern"]["concern"] = "x" * (2 * 1024 * 1024)
    response = send(client, partner["secret"], body)
    assert response.status_code == 413
    assert response.json() == {"errors": {"body": ["The body is too large: send at most 1MB"]}}
    assert Submission.objects.count() == 0


@pytest.mark.django_db
def test_malformed_json_gets_the_documented_errors_shape(client, partner):
    response = client.post(SUBMISSIONS, data="{bad", content_type="application/json", headers=auth(partner))
    assert response.status_code == 400
    assert list(response.json()) == ["errors"]
    assert response.json()["errors"]["body"][0].startswith("Send the body as JSON")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        ("form_type=welfare_check&declaration=true", "application/x-www-form-urlencoded"),
        ("form_type=welfare_check", "text/plain"),
    ],
)
def test_a_body_that_is_not_json_gets_415(client, partner, data, content_type):
    response = client.post(SUBMISSIONS, data=data, content_type=content_type, headers=auth(partner))
    assert response.status_code == 415
    assert response.json() == {
        "errors": {"Content-Type": ["Send the body as JSON, with the header Content-Type: application/json"]}
    }


@pytest.mark.django_db
def test_a_page_that_is_not_a_number_is_refused(client, partner):
    for page in ("abc", "0", "-1", " 2", "٢", "02", "2.0"):
        response = client.get(SUBMISSIONS, {"page": page}, headers=auth(partner))
        assert response.status_code == 400, page
        assert response.json() == {"errors": {"page": ["Send the page as a whole number, 1 or more"]}}
    assert client.get(SUBMISSIONS, {"page": "2"}, headers=auth(partner)).status_code == 404


@pytest.mark.django_db
def test_every_answer_under_api_is_json_even_for_addresses_that_match_nothing(partner):
    client = Client(enforce_csrf_checks=True)
    headers = auth(partner)
    for method, path in [
        ("get", "/api/v1/nothing/"),
        ("get", "/api/"),
        ("get", "/api/v2/submissions/"),
        ("post", f"{SUBMISSIONS}MPR-2026-000001-H/questions/abc/answer/"),
        ("delete", "/api/v1/forms/nothing"),
    ]:
        response = getattr(client, method)(path, headers=headers)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/json"
        assert response.json()["detail"].startswith("There is nothing at this address"), path
    response = client.get("/api/v1/submissions", headers=headers)
    assert response.status_code == 404
    assert response.json()["detail"].endswith("Did you mean /api/v1/submissions/ (ending with a slash)?")


@pytest.mark.django_db
def test_a_signed_in_browser_posting_without_a_csrf_token_gets_json_not_a_csrf_page(partner):
    from apps.accounts.tests.factories import UserFactory

    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    for path in (SUBMISSIONS, f"{SUBMISSIONS}MPR-2026-000001-H/questions/abc/answer/", "/api/v1/nothing/"):
        response = client.post(path, data="{}", content_type="application/json")
        assert response["Content-Type"] == "application/json", path
        assert response.status_code in (401, 404), path


@pytest.mark.django_db
def test_the_api_answers_json_whatever_the_accept_header_asks_for(client, partner):
    response = client.get(SUBMISSIONS, headers={**auth(partner), "Accept": "text/html"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    response = client.get(f"{SUBMISSIONS}?format=api", headers=auth(partner))
    assert response["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_an_unknown_field_in_an_answer_to_a_question_is_refused(client, partner):
    from apps.referrals import services

    reference = send(client, partner["secret"], welfare_check()).json()["reference"]
    question = services.ask_for_information(
        submission=Submission.objects.get(reference=reference), question="Who else lives there?", by=None
    )
    url = f"{SUBMISSIONS}{reference}/questions/{question.pk}/answer/"
    for body, errors in [
        ({"answer": "Nobody", "anser": "x"}, {"anser": ["There is no field anser: send only answer"]}),
        ({"answer": 5}, {"answer": ["Send the answer as text"]}),
    ]:
        response = client.post(url, data=json.dumps(body), content_type="application/json", headers=auth(partner))
        assert response.status_code == 400
        assert response.json() == {"errors": errors}
    question.refresh_from_db()
    assert not question.is_answered


@pytest.mark.django_db
def test_an_unexpected_failure_answers_json_500(partner, monkeypatch):
    from apps.referrals import api

    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(api.services, "submit_through_api", broken)
    client = Client(raise_request_exception=False)
    response = send(client, partner["secret"], welfare_check())
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"].startswith("Something went wrong in the hub")


@pytest.mark.django_db
def test_a_database_outage_answers_json_503_with_when_to_try_again(partner, monkeypatch):
    from django.db import OperationalError

    from apps.referrals import api

    def unreachable(**kwargs):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")

    monkeypatch.setattr(api.services, "submit_through_api", unreachable)
    client = Client(raise_request_exception=False)
    response = send(client, partner["secret"], welfare_check())
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "30"
    assert response.json() == {"detail": "The hub is unavailable for a moment. Send the request again shortly."}
