"""What the partner forms say about each form, in the confirmation, the receipts and the status e-mails: every
form type reads as a sentence ("Your report that a missing person has returned has gone to..."), and
statuses keep their capitals."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.accounts.tests.factories import UserFactory
from apps.notifications.models import OutboxMessage
from apps.referrals import services
from apps.referrals.models import FormType, Status
from apps.referrals.questions import DEFINITIONS
from apps.referrals.tests.factories import receiving_team, submit_sample, team_member

pytestmark = pytest.mark.django_db

SENTENCES = {
    FormType.MISSING_PERSON: "missing person report",
    FormType.PERSON_RETURNED: "report that a missing person has returned",
    FormType.MISSING_PERSON_UPDATE: "further information about a missing person",
    FormType.MHA_ASSESSMENT: "request for help with a Mental Health Act assessment",
    FormType.WELFARE_CHECK: "welfare check request",
    FormType.COMMUNITY_INTELLIGENCE: "community partner intelligence",
    FormType.TARGETED_INTERVENTION: "request for Targeted Intervention Service support",
}


def sent(form_type: str, partner):
    team = receiving_team("force-control-room", "Force Control Room")
    original = ""
    if DEFINITIONS[form_type].follows:
        original = submit_sample(FormType.MISSING_PERSON, by=partner, team=team).reference
        OutboxMessage.objects.all().delete()
    return submit_sample(form_type, by=partner, team=None if original else team, original=original)


@pytest.mark.parametrize("form_type", list(FormType))
def test_the_confirmation_and_the_receipt_name_each_form_in_a_sentence(client, form_type):
    partner = UserFactory(email="dsl@school.example.org")
    submission = sent(form_type, partner)
    client.force_login(partner)
    page = client.get(reverse("referrals:confirmation", args=[submission.reference])).content.decode()
    assert f"Your {SENTENCES[form_type]} has gone to the Force Control Room." in page
    receipt = OutboxMessage.objects.get(purpose="referrals.receipt", to=partner.email)
    assert receipt.subject == f"We have received your {SENTENCES[form_type]}: {submission.reference}"
    assert receipt.body_text.startswith(f"We have received your {SENTENCES[form_type]}.")


def test_the_status_email_keeps_the_statuss_capitals_in_its_subject():
    partner = UserFactory(email="dsl@school.example.org")
    team = receiving_team("force-control-room", "Force Control Room")
    submission = submit_sample(FormType.MHA_ASSESSMENT, by=partner, team=team)
    member = team_member(team)
    services.change_status(submission=submission, status=Status.CLOSED, by=member)
    told = OutboxMessage.objects.get(purpose="referrals.status")
    assert told.subject == f"Status of {submission.reference}: Closed"
    assert told.body_text.startswith(
        "The status of your request for help with a Mental Health Act assessment, "
        f"reference {submission.reference}, is now: Closed."
    )
    other = receiving_team("intelligence-unit", "Intelligence Unit")
    services.change_status(submission=submission, status=Status.PASSED_ON, team=other, by=member)
    told = OutboxMessage.objects.filter(purpose="referrals.status").latest("pk")
    assert told.subject == f"Status of {submission.reference}: Passed to another team"


def test_the_teams_notices_name_the_form_by_its_title():
    partner = UserFactory(email="dsl@school.example.org")
    team = receiving_team("force-control-room", "Force Control Room")
    submission = sent(FormType.PERSON_RETURNED, partner)
    notice = OutboxMessage.objects.get(purpose="referrals.team_notice", to=team.inbox_email)
    assert notice.subject == f"New standard item {submission.reference}: Missing person returned"
    assert "There is a new item in the Force Control Room queue: Missing person returned." in notice.body_text


def test_a_saved_draft_is_named_in_a_sentence(client):
    client.force_login(UserFactory())
    response = client.post(reverse("referrals:begin", args=["missing-person-returned"]))
    draft_page = response["Location"]
    assert draft_page
    page = client.get(reverse("referrals:index")).content.decode()
    assert "Continue your report that a missing person has returned" in page
    assert "missing person returned</a>" not in page
