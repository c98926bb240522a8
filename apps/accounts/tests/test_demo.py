"""The demo's waiting sign-up: loaded once, approved by the demo organisation admin."""

from __future__ import annotations

import pytest

from apps.accounts import demo, services
from apps.accounts.models import AccountStatus, User
from apps.demo import accounts as demo_accounts

pytestmark = pytest.mark.django_db


def test_the_demo_has_one_sign_up_waiting_for_the_demo_organisation_admin():
    demo_accounts.load()
    demo.load()
    demo.load()

    (waiting,) = User.objects.filter(status=AccountStatus.PENDING)
    assert waiting.email == demo.WAITING_EMAIL
    org_admin = User.objects.get(email="org.admin@example.org")
    services.approve_member(member=waiting, by=org_admin)
    waiting.refresh_from_db()
    assert waiting.status == AccountStatus.ACTIVE
    demo.load()
    assert User.objects.get(email=demo.WAITING_EMAIL).status == AccountStatus.ACTIVE
