"""References stay unique and checkable when 200 partners send a form at the same moment."""

from __future__ import annotations

import pytest

from apps.accounts.tests.factories import OrganisationFactory, UserFactory
from apps.core.tests.fixtures import all_at_once
from apps.notifications.models import OutboxMessage
from apps.referrals import services
from apps.referrals.models import FormType, ReferenceSequence, Submission
from apps.referrals.questions import definition_of
from apps.referrals.references import parse_reference
from apps.referrals.samples import sample_answers
from apps.referrals.tests.factories import receiving_team, route

SENDERS = 200
# PostgreSQL here allows 100 connections for everyone, so at most this many threads hold one at a
# time; all 200 still start together and race for the same counter row.
CONNECTIONS_AT_ONCE = 30


@pytest.mark.django_db(transaction=True)
def test_two_hundred_forms_sent_at_once_get_two_hundred_different_checkable_references(shared_database):
    route(FormType.WELFARE_CHECK, receiving_team("force-control-room", "Force Control Room"))
    organisation = OrganisationFactory()
    senders = [UserFactory(organisation=organisation) for _ in range(SENDERS)]
    definition = definition_of(FormType.WELFARE_CHECK)

    def send(numbered) -> str:
        variant, sender = numbered
        return services.submit(
            definition=definition,
            answers=sample_answers(FormType.WELFARE_CHECK, variant=variant),
            organisation=organisation,
            receipt_email=sender.email,
            submitter=sender,
        ).reference

    references = all_at_once(send, enumerate(senders), connections_at_once=CONNECTIONS_AT_ONCE)
    assert len(references) == SENDERS
    assert len(set(references)) == SENDERS, "two submissions were given the same reference"
    assert all(parse_reference(reference) == reference for reference in references)
    # No number skipped or used twice: the sequence runs 1..200 with nothing lost to a rollback.
    numbers = sorted(int(reference.split("-")[2]) for reference in references)
    assert numbers == list(range(1, SENDERS + 1))
    assert ReferenceSequence.objects.get(prefix=definition.prefix).last_number == SENDERS
    assert Submission.objects.count() == SENDERS
    # Each submission queued its own receipt in the same transaction.
    receipts = OutboxMessage.objects.filter(purpose="referrals.receipt")
    assert sorted(receipts.values_list("to", flat=True)) == sorted(sender.email for sender in senders)
