"""The demo mailbox on a 375 px phone: nothing overflows the screen; wide tables scroll in their own
focusable region."""

from __future__ import annotations

import pytest
from django.utils import timezone

from apps.accounts.tests.factories import make_role_user
from apps.core.tests.fixtures import assert_accessible, use_session_of
from apps.notifications.models import OutboxMessage, OutboxStatus
from apps.notifications.services import deliver, queue_email

PHONE_WIDTH = 375


@pytest.fixture
def phone_375(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": PHONE_WIDTH, "height": 740}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_mailbox_fits_a_375_pixel_screen(phone_375, client, live_server, settings):
    settings.HUB_EMAIL_TRANSPORT = "mailbox"
    for number in range(3):
        sent = queue_email(
            to=f"designated.safeguarding.lead{number}@clifton-green-primary.example.org",
            subject="Your place on Working Together to Safeguard Children is booked",
            body_text="See you there",
            purpose="training booking confirmed",
        )
        deliver(sent.pk)
    OutboxMessage.objects.create(
        to="intelligence.unit.inbox@northyorkshire.police.example.org",
        subject="A new community partner intelligence report",
        body_text="x",
        status=OutboxStatus.FAILED,
        attempts=12,
        next_attempt_at=timezone.now(),
        last_error="SMTPRecipientsRefused: 550 mailbox unavailable",
    )
    use_session_of(phone_375, client, live_server, make_role_user("system_admin"))

    phone_375.goto("/mailbox/")

    assert phone_375.get_by_role("heading", level=1, name="Mailbox").is_visible()
    assert phone_375.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    for name in ("E-mails not sent yet", "Delivered e-mails"):
        region = phone_375.get_by_role("region", name=name)
        assert region.get_attribute("tabindex") == "0"
    assert_accessible(phone_375, context="mailbox at 375 px")
