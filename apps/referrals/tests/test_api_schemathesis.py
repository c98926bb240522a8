"""Schemathesis tries the partner API from its schema: every phase (examples, coverage, fuzzing, and stateful
sequences that send a form and then read it), every check, against a real submission with a question to
answer. It must find nothing.

Driven through schemathesis's engine, as its command line does (its pytest plugin does not run on pytest 9),
over HTTP against the live test server: its in-process WSGI transport cannot send the probes of some checks.
"""

from __future__ import annotations

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, events

from apps.accounts.tests.factories import OrganisationFactory
from apps.referrals import services
from apps.referrals.models import FormType, Submission
from apps.referrals.samples import sample_answers
from apps.referrals.tests.factories import receiving_team, route, team_member

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def partner_with_a_question(live_server):
    organisation = OrganisationFactory(name="York Youth Action")
    token, secret = services.issue_api_token(
        organisation=organisation, name="Case system", contact_email="cases@youth.example.org", by=None
    )
    team = receiving_team("force-control-room")
    for form_type in FormType:
        if form_type not in (FormType.PERSON_RETURNED, FormType.MISSING_PERSON_UPDATE):
            route(form_type, team)
    outcome = services.submit_through_api(
        token=token,
        body={"form_type": "welfare_check", "answers": sample_answers(FormType.WELFARE_CHECK), "declaration": True},
    )
    submission = Submission.objects.get(reference=outcome.body["reference"])
    member = team_member(team, email="alex.carter@police.example.org")
    question = services.ask_for_information(submission=submission, question="Who else lives there?", by=member)
    return {"secret": secret, "reference": submission.reference, "question": question.pk}


def config_for(partner: dict) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            "headers": {"Authorization": f"Bearer {partner['secret']}"},
            "generation": {"max-examples": 20, "database": "none"},
            "phases": {
                "examples": {"enabled": True},
                "coverage": {"enabled": True},
                "fuzzing": {"enabled": True},
                "stateful": {"enabled": True, "max-steps": 12},
            },
            "parameters": {"reference": partner["reference"], "id": partner["question"]},
            "checks": {
                # The schema says the shape of a form; whether its answers hold together (a date of birth or an
                # age, a last sighting after the birth, an original report that exists) is for the step forms to
                # say, with a 400 naming the question. The same goes for a question already answered (409).
                "positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401", "404", "409"]},
            },
        }
    )


def test_schemathesis_finds_nothing_in_the_partner_api(live_server, partner_with_a_question):
    schema = schemathesis.openapi.from_url(
        f"{live_server.url}/api/v1/schema/?format=json", config=config_for(partner_with_a_question)
    )
    problems, tried, phases = [], set(), set()
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            phases.add(event.phase.value)
            for case in event.recorder.cases.values():
                tried.add(f"{case.value.method} {case.value.path}")
            if event.status in (Status.FAILURE, Status.ERROR):
                problems.extend(
                    f"{event.phase.value} {event.label}: {check.failure_info.failure.title} "
                    f"({check.failure_info.failure.message[:300]})"
                    for checks in event.recorder.checks.values()
                    for check in checks
                    if check.failure_info is not None
                )
        elif isinstance(event, events.NonFatalError | events.FatalError):
            problems.append(
                f"error in {getattr(event, 'phase', '')} {getattr(event, 'label', '')}: "
                f"{getattr(event, 'info', None) and event.info.format()}"[:3000]
            )
    assert not problems, "\n".join(sorted(set(problems))[:30])
    assert {"coverage", "fuzzing", "stateful"} <= phases, phases
    assert {
        "POST /api/v1/submissions/",
        "GET /api/v1/submissions/",
        "GET /api/v1/submissions/{reference}/",
        "POST /api/v1/submissions/{reference}/questions/{id}/answer/",
        "GET /api/v1/forms/",
    } <= tried, tried
