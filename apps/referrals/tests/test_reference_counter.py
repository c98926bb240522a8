"""The reference counter is on every submission's path: one round trip for the next number."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from apps.referrals.models import ReferenceSequence
from apps.referrals.references import parse_reference
from apps.referrals.services import allocate_reference

pytestmark = pytest.mark.django_db


def test_the_first_reference_of_a_year_starts_the_counter_and_the_next_costs_one_query():
    first = allocate_reference("WFC", 2031)
    with CaptureQueriesContext(connection) as queries:
        second = allocate_reference("WFC", 2031)
    assert [first, second] == [parse_reference(first), parse_reference(second)]
    assert first.startswith("WFC-2031-000001-") and second.startswith("WFC-2031-000002-")
    assert len(queries.captured_queries) == 1
    assert ReferenceSequence.objects.get(prefix="WFC", year=2031).last_number == 2


def test_a_rolled_back_submission_gives_its_number_back():
    allocate_reference("MPR", 2031)
    with pytest.raises(RuntimeError), transaction.atomic():
        allocate_reference("MPR", 2031)
        raise RuntimeError("the submission failed")
    assert allocate_reference("MPR", 2031).startswith("MPR-2031-000002-")
