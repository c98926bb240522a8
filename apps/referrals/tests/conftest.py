"""Fixtures the partner forms' tests share."""

from __future__ import annotations

import pytest

from apps.accounts.tests.factories import OrganisationFactory
from apps.referrals import services
from apps.referrals.models import FormType
from apps.referrals.tests.factories import receiving_team, route


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
