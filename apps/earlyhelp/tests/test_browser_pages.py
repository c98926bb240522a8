"""Every early help page the permission table's roles cannot reach (they are the lead's and the team's), opened by
the lead in a real browser and scanned with axe-core: as it first shows, and after sending it empty, with the
GOV.UK error summary."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.accounts.tests.factories import UserFactory
from apps.core.tests.fixtures import assert_accessible, use_session_of

from .. import services
from .factories import add_child, open_family

pytestmark = pytest.mark.browser


def pages_of(family, child, consent, outcome, joined):
    kw = {"pk": family.pk}
    return [
        ("earlyhelp:add_consent", kw),
        ("earlyhelp:withdraw_consent", {**kw, "consent": consent.pk}),
        ("earlyhelp:add_relationship", kw),
        ("earlyhelp:transfer_lead", kw),
        ("earlyhelp:add_meeting", kw),
        ("earlyhelp:add_outcome", kw),
        ("earlyhelp:add_action", {**kw, "outcome": outcome.pk}),
        ("earlyhelp:add_event", kw),
        ("earlyhelp:attach_submission", kw),
        ("earlyhelp:change_member", {**kw, "member": child.pk}),
        ("earlyhelp:remove_team_member", {**kw, "member": joined.pk}),
        ("earlyhelp:add_review", kw),
        ("earlyhelp:close", kw),
    ]


def test_the_lead_s_pages_pass_axe_as_they_open_and_with_their_errors(page, live_server, client):
    family = open_family()
    child = family.members.get()
    add_child(family, role="parent_carer", first_name="Sam", date_of_birth=timezone.localdate().replace(year=1985))
    joined = services.add_team_member(family=family, user=UserFactory(), role="School nurse", by=family.lead)
    services.record_meeting(
        family=family,
        by=family.lead,
        held_on=timezone.localdate(),
        attended="Sam\nJordan's teacher",
        discussed="School",
        files=[SimpleUploadedFile("minutes.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")],
    )
    use_session_of(page, client, live_server, family.lead)
    for name, kwargs in pages_of(family, child, family.consents.get(), family.plan_outcomes.get(), joined):
        page.goto(reverse(name, kwargs=kwargs))
        page.get_by_role("heading", level=1).wait_for()
        assert_accessible(page, context=f"{name}, as it opens")
        if name in ("earlyhelp:change_member", "earlyhelp:remove_team_member"):
            continue  # a full form, and a confirmation: sending them changes the record
        page.locator("main form[method=post] button[type=submit]").first.click()
        page.wait_for_load_state()
        assert page.locator(".govuk-error-summary").count() == 1, f"{name}: no error summary for an empty form"
        assert_accessible(page, context=f"{name}, with its errors")
    page.goto(reverse("earlyhelp:family", kwargs={"pk": family.pk}))
    assert_accessible(page, context="the family page with a meeting, a team and a plan")


def test_the_possible_matches_page_passes_axe_with_a_match_offered_and_with_its_error(
    page, live_server, client, monkeypatch
):
    """Linkage offers the lead a person on a record they already lead; the page shows why, and asks."""
    from apps.linkage import online
    from apps.linkage.models import LinkageModelVersion, PersonRecord

    from .factories import start_family

    LinkageModelVersion.objects.create(version=1, model_json={}, record_count=0)
    known = open_family()
    lead = known.lead
    mine = PersonRecord.objects.get(source_reference=known.members.get().linkage_reference)
    explanation = {
        "prior_weight": -10,
        "steps": [
            {"description": "Date of birth", "level": "Exact match", "weight": 9},
            {"description": "Surname", "level": "Alike (a likely typo)", "weight": 4},
        ],
    }
    monkeypatch.setattr(
        online,
        "find_matches",
        lambda fields, **kw: [online.Candidate(str(mine.pk), 0.97, 5.0, explanation, mine.person_id)],
    )
    family = start_family(lead, name="The Fictional family (new)")
    use_session_of(page, client, live_server, lead)
    page.goto(reverse("earlyhelp:add_member", kwargs={"pk": family.pk}))
    page.get_by_label("Child", exact=True).check()
    page.get_by_label("First name").fill("Jordan")
    page.get_by_label("Last name").fill("Fictional-Avery")
    page.locator("main form[method=post] button[type=submit]").first.click()
    page.get_by_role("heading", level=1).wait_for()
    assert "/possible-matches/" in page.url
    assert known.reference in page.content()
    assert_accessible(page, context="possible matches, as it opens")
    page.locator("main form[method=post] button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").count() == 1, "no error summary when nothing is chosen"
    assert_accessible(page, context="possible matches, with its error")
