"""The business unit keeps the calendar in the CMS (/cms/), as Wagtail snippets."""

import datetime as dt

import pytest

from apps.accounts.tests.factories import make_role_user
from apps.audit.models import AuditEntry
from apps.awareness.models import AwarenessEvent
from apps.awareness.tests.factories import AwarenessEventFactory

pytestmark = pytest.mark.django_db

LIST = "/cms/snippets/awareness/awarenessevent/"


def test_the_business_unit_adds_an_awareness_day_in_the_cms_and_it_is_audited(client):
    editor = make_role_user("business_unit")
    client.force_login(editor)
    assert client.get(LIST).status_code == 200

    response = client.post(
        f"{LIST}add/",
        {
            "title": "Safer Internet Day",
            "slug": "",
            "start_date": "2025-02-11",
            "end_date": "",
            "dates_note": "",
            "organiser": "UK Safer Internet Centre",
            "link": "https://saferinternet.org.uk/",
            "description": "Talk to children about staying safe online.",
            "published": "on",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    event = AwarenessEvent.objects.get(title="Safer Internet Day")
    assert (event.slug, event.start_date) == ("safer-internet-day", dt.date(2025, 2, 11))
    entry = AuditEntry.objects.filter(object_type="awareness.awarenessevent").latest("sequence")
    assert (entry.action, entry.actor_id, entry.object_label) == ("create", editor.pk, "Safer Internet Day")


def test_the_cms_refuses_dates_that_end_before_they_start(client):
    client.force_login(make_role_user("business_unit"))
    response = client.post(
        f"{LIST}add/",
        {
            "title": "Backwards week",
            "start_date": "2025-03-17",
            "end_date": "2025-03-11",
            "organiser": "Someone",
            "description": "x",
        },
    )
    assert response.status_code == 200
    assert "The last day must be the same as or after the first day" in response.content.decode()
    assert not AwarenessEvent.objects.filter(title="Backwards week").exists()


@pytest.mark.parametrize("role", ["practitioner", "trainer", "team_member", "organisation_admin"])
def test_nobody_else_edits_the_calendar(client, role):
    event = AwarenessEventFactory()
    client.force_login(make_role_user(role))
    assert client.get(LIST).status_code in (302, 403)
    assert client.get(f"{LIST}edit/{event.pk}/").status_code in (302, 403)
