"""Need-to-know, through the pages: who beyond the permission table's roles may see a family, and who may not.

The table (permission_table.py) covers every URL for every role of one organisation, including the lead's own
colleague, who is refused. These are the people the table cannot hold: the Supporting Families team, the
Targeted Intervention Service, a team member from another agency, a leaver, and break-glass."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.accounts.models import Role
from apps.accounts.tests.factories import OrganisationFactory, UserFactory, grant, with_totp
from apps.audit.models import AuditEntry

from .. import services
from ..models import Service
from .factories import open_family, supporting_families_user, team_user, tis_user

pytestmark = pytest.mark.django_db

PAGES = ("earlyhelp:family", "earlyhelp:chronology", "earlyhelp:assessment")


def statuses(client, user, family) -> dict[str, int]:
    client.force_login(user)
    return {name: client.get(reverse(name, kwargs={"pk": family.pk})).status_code for name in PAGES}


def test_the_lead_and_a_team_member_from_another_agency_see_the_record(client):
    family = open_family()
    nurse = UserFactory(organisation=OrganisationFactory(name="Fictional NHS Trust"))
    services.add_team_member(family=family, user=nurse, role="School nurse", by=family.lead)
    assert set(statuses(client, family.lead, family).values()) == {200}
    assert set(statuses(client, nurse, family).values()) == {200}


def test_a_leaver_is_refused_from_the_moment_they_leave(client):
    family = open_family()
    nurse = UserFactory()
    joined = services.add_team_member(family=family, user=nurse, role="School nurse", by=family.lead)
    services.remove_team_member(member=joined, by=family.lead)
    assert set(statuses(client, nurse, family).values()) == {403}


def test_the_lead_s_own_colleagues_and_their_organisation_admin_are_refused(client):
    family = open_family()
    colleague = UserFactory(organisation=family.lead_organisation)
    admin = UserFactory(organisation=family.lead_organisation)
    grant(admin, Role.ORGANISATION_ADMIN, organisation=family.lead_organisation)
    with_totp(admin)
    assert set(statuses(client, colleague, family).values()) == {403}
    assert set(statuses(client, admin, family).values()) == {403}


def test_the_supporting_families_team_sees_every_family_but_cannot_change_one(client):
    family = open_family()
    team = supporting_families_user()
    assert set(statuses(client, team, family).values()) == {200}
    assert client.get(reverse("earlyhelp:add_member", kwargs={"pk": family.pk})).status_code == 403
    assert client.get(reverse("earlyhelp:central_record")).status_code == 200
    assert client.get(reverse("earlyhelp:who_looked", kwargs={"pk": family.pk})).status_code == 200


def test_the_targeted_intervention_service_sees_only_families_referred_to_it(client):
    referred, other = open_family(), open_family()
    tis = tis_user()
    services.step_up(family=referred, to_service=Service.TIS, reason="More help needed", by=referred.lead)
    assert set(statuses(client, tis, referred).values()) == {200}
    assert client.get(reverse("earlyhelp:family", kwargs={"pk": other.pk})).status_code == 403
    assert client.get(reverse("earlyhelp:central_record")).status_code == 403
    request = referred.step_changes.get().submission
    item = client.get(reverse("referrals:item", kwargs={"slug": request.team.slug, "reference": request.reference}))
    assert referred.reference in item.text  # the triage page leads to the record


def test_other_receiving_teams_may_break_the_glass_with_a_reason_that_is_shown_and_audited(client):
    family = open_family()
    officer = team_user("force-control-room")
    client.force_login(officer)
    url = reverse("earlyhelp:family", kwargs={"pk": family.pk})
    refused = client.get(url)
    assert refused.status_code == 403
    assert "Open the record" in refused.text
    short = client.post(url, {"reason": "urgent"})
    assert short.status_code == 403 and "at least 10 characters" in short.text and "urgent" in short.text
    opened = client.post(url, {"reason": "Child reported missing from home tonight"})
    assert opened.status_code == 302
    page = client.get(url)
    assert page.status_code == 200
    assert "Opened outside the need-to-know rule" in page.text
    assert "Child reported missing from home tonight" in page.text
    assert AuditEntry.objects.filter(
        actor_id=officer.pk, object_id=str(family.pk), reason="Child reported missing from home tonight"
    ).exists()
    client.force_login(supporting_families_user())
    listed = client.get(reverse("earlyhelp:break_glass_list"))
    assert "Child reported missing from home tonight" in listed.text


def test_a_practitioner_without_a_receiving_role_cannot_break_the_glass(client):
    family = open_family()
    client.force_login(UserFactory())
    url = reverse("earlyhelp:family", kwargs={"pk": family.pk})
    assert client.post(url, {"reason": "I would like to see it please"}).status_code == 403
    assert not family.break_glass.exists()


def test_every_view_of_a_family_person_assessment_and_chronology_is_audited(client):
    family = open_family()
    child = family.members.get()
    client.force_login(family.lead)
    before = AuditEntry.objects.filter(actor_id=family.lead.pk, action="view").count()
    client.get(reverse("earlyhelp:family", kwargs={"pk": family.pk}))
    client.get(reverse("earlyhelp:member", kwargs={"pk": family.pk, "member": child.pk}))
    client.get(reverse("earlyhelp:assessment", kwargs={"pk": family.pk}))
    client.get(reverse("earlyhelp:chronology", kwargs={"pk": family.pk}))
    views = AuditEntry.objects.filter(actor_id=family.lead.pk, action="view").order_by("sequence")[before:]
    seen = {(entry.object_type, entry.detail) for entry in views}
    assert ("earlyhelp.family", "") in seen
    assert ("earlyhelp.familymember", "") in seen
    assert ("earlyhelp.assessment", "") in seen
    assert ("earlyhelp.family", "chronology") in seen
    assert all("Jordan" not in entry.object_label for entry in views)  # the trail keeps references only
    client.force_login(supporting_families_user())
    who = client.get(reverse("earlyhelp:who_looked", kwargs={"pk": family.pk}))
    assert family.lead.email in who.text


def test_a_subject_access_export_is_for_the_supporting_families_team_and_is_audited(client):
    family = open_family()
    child = family.members.get()
    url = reverse("earlyhelp:subject_access", kwargs={"pk": family.pk, "member": child.pk, "fmt": "json"})
    client.force_login(family.lead)
    assert client.get(url).status_code == 403
    team = supporting_families_user()
    client.force_login(team)
    response = client.get(url)
    assert response.status_code == 200
    assert response.json()["person"]["name"] == "Jordan Lee Fictional-Avery"
    pdf = client.get(url.replace(".json", ".pdf"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(actor_id=team.pk, action="export", object_id=str(child.pk)).count() == 2
