from __future__ import annotations

import io

import pytest

from apps.demo.accounts import load as load_accounts
from apps.referrals import demo
from apps.referrals.models import ApiToken, RoutingRule, Submission


@pytest.mark.django_db
def test_the_demo_fills_three_queues_and_changes_nothing_when_loaded_again():
    load_accounts()
    out = io.StringIO()
    demo.load(stdout=out)
    teams = set(Submission.objects.values_list("team__slug", flat=True))
    assert teams == {"force-control-room", "intelligence-unit", "targeted-intervention-service"}
    assert "hub_" in out.getvalue()
    counts = (Submission.objects.count(), RoutingRule.objects.count(), ApiToken.objects.count())
    demo.load(stdout=io.StringIO())
    assert (Submission.objects.count(), RoutingRule.objects.count(), ApiToken.objects.count()) == counts
    assert Submission.objects.filter(follows__isnull=False).count() == 1
