"""A partner system that sends one form twice at the same moment (a retry fired before the first answer came)
gets one submission, one receipt and the same answer twice."""

from __future__ import annotations

from collections import Counter

import pytest

from apps.core.tests.fixtures import all_at_once
from apps.notifications.models import OutboxMessage
from apps.referrals import services
from apps.referrals.models import FormType, Submission
from apps.referrals.samples import sample_answers


@pytest.mark.django_db(transaction=True)
def test_the_same_idempotency_key_sent_six_times_at_once_makes_one_submission(shared_database, partner):
    body = {"form_type": "welfare_check", "answers": sample_answers(FormType.WELFARE_CHECK), "declaration": True}

    def send(_) -> services.ApiOutcome:
        return services.submit_through_api(token=partner["token"], body=body, idempotency_key="case-9001-welfare")

    outcomes = all_at_once(send, range(6), connections_at_once=6)
    assert {outcome.status for outcome in outcomes} == {201}
    assert len({outcome.body["reference"] for outcome in outcomes}) == 1
    assert Counter(outcome.replayed for outcome in outcomes)[False] == 1
    assert Submission.objects.count() == 1
    assert OutboxMessage.objects.filter(to="cases@youth.example.org").count() == 1
