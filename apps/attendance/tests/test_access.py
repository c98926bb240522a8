"""Who sees what: a school its own pupils, the attendance team every school, an early help lead the children of
their families (and nobody else's); every view in the audit trail; barriers recorded with who and when."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.accounts.tests.factories import UserFactory
from apps.audit.models import AuditEntry

from ..models import BarrierRecord, Pupil
from .factories import attendance_team_member, make_school, school_member, send, upn

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_schools():
    team = attendance_team_member()
    oakfield = make_school()
    elm = make_school("Elm Tree Primary School", "100002")
    send(oakfield, [(upn(1), 100, 12, 0), (upn(2), 100, 0, 0)], by=team)
    send(elm, [(upn(1, school=2), 100, 60, 0)], by=team)
    return team, oakfield, elm


def test_a_school_sees_its_own_pupils_and_figures_only(client, two_schools):
    _team, oakfield, _elm = two_schools
    teacher = school_member(oakfield)
    client.force_login(teacher)
    listing = client.get(reverse("attendance:index")).content.decode()
    assert listing.count('href="/attendance/pupils/') == 2
    theirs = Pupil.objects.get(upn=upn(1, school=2))
    assert client.get(reverse("attendance:pupil", kwargs={"pk": theirs.pk})).status_code == 403
    figures = client.get(reverse("attendance:dashboard")).content.decode()
    assert "Elm Tree Primary School" not in figures
    own = Pupil.objects.get(upn=upn(1))
    assert client.get(reverse("attendance:pupil", kwargs={"pk": own.pk})).status_code == 200


def test_the_attendance_team_sees_every_school(client, two_schools):
    team, _oakfield, _elm = two_schools
    client.force_login(team)
    page = client.get(reverse("attendance:dashboard")).content.decode()
    assert "Elm Tree Primary School" in page and "Oakfield Primary School" in page
    assert client.get(reverse("attendance:index")).content.decode().count('href="/attendance/pupils/') == 3
    csv_text = client.get(reverse("attendance:dashboard_csv")).content.decode()
    assert "School,Elm Tree Primary School" in csv_text


def test_an_early_help_lead_sees_the_children_of_their_families_only(client, two_schools):
    from apps.earlyhelp.tests.factories import open_family

    _team, _oakfield, _elm = two_schools
    family = open_family()
    family.members.update(pupil_number=upn(1))
    child = Pupil.objects.get(upn=upn(1))
    other = Pupil.objects.get(upn=upn(2))

    client.force_login(family.lead)
    assert client.get(reverse("attendance:index")).content.decode().count('href="/attendance/pupils/') == 1
    page = client.get(reverse("attendance:pupil", kwargs={"pk": child.pk}))
    assert page.status_code == 200
    assert reverse("earlyhelp:family", kwargs={"pk": family.pk}) in page.content.decode()
    assert "found by UPN" in page.content.decode()
    assert client.get(reverse("attendance:pupil", kwargs={"pk": other.pk})).status_code == 403
    assert client.get(reverse("attendance:dashboard")).status_code == 403

    colleague = UserFactory(organisation=family.lead.organisation)
    client.force_login(colleague)
    assert client.get(reverse("attendance:pupil", kwargs={"pk": child.pk})).status_code == 403


def test_the_school_sees_the_pupil_but_not_a_link_to_an_early_help_record_it_may_not_see(client, two_schools):
    from apps.earlyhelp.tests.factories import open_family

    _team, oakfield, _elm = two_schools
    family = open_family()
    family.members.update(pupil_number=upn(1))
    client.force_login(school_member(oakfield))
    page = client.get(reverse("attendance:pupil", kwargs={"pk": Pupil.objects.get(upn=upn(1)).pk})).content.decode()
    assert reverse("earlyhelp:family", kwargs={"pk": family.pk}) not in page
    assert "No early help record that you may see" in page


def test_every_view_is_audited(client, two_schools):
    team, _oakfield, _elm = two_schools
    child = Pupil.objects.get(upn=upn(1))
    client.force_login(team)
    client.get(reverse("attendance:pupil", kwargs={"pk": child.pk}))
    client.get(reverse("attendance:dashboard"))
    client.get(reverse("attendance:index"))
    client.get(reverse("attendance:dashboard_csv"))
    entries = AuditEntry.objects.filter(actor_id=team.pk)
    assert entries.filter(action="view", object_type="attendance.pupil", object_id=str(child.pk)).exists()
    assert entries.filter(action="view", object_type="attendance.figures").exists()
    assert entries.filter(action="search", object_type="attendance.pupil").exists()
    assert entries.filter(action="export", object_type="attendance.figures").exists()
    assert "Pupil0" not in " ".join(entries.values_list("object_label", flat=True))


def test_barriers_are_recorded_with_who_and_when_and_kept(client, two_schools):
    _team, oakfield, _elm = two_schools
    child = Pupil.objects.get(upn=upn(1))
    teacher = school_member(oakfield)
    client.force_login(teacher)
    url = reverse("attendance:record_barriers", kwargs={"pk": child.pk})
    empty = client.post(url, {})
    assert "Choose the kind of barrier behind the absence" in empty.content.decode()
    done = client.post(
        url, {"category": "symptom", "family_issues": ["housing", "financial-challenges"], "note": "Moved twice"}
    )
    assert done.status_code == 302
    client.post(url, {"category": "complex", "family_issues": ["parental-mental-health"]})
    assert [b.category for b in BarrierRecord.objects.filter(pupil=child)] == ["complex", "symptom"]
    first = BarrierRecord.objects.get(category="symptom")
    assert first.recorded_by == teacher and first.issue_labels() == ["Housing", "Financial challenges"]
    page = client.get(reverse("attendance:pupil", kwargs={"pk": child.pk})).content.decode()
    assert "Complex barriers" in page and "Parental mental health" in page and "Earlier judgements" in page
    assert f"{reverse('localoffer:index')}?issue=parental-mental-health" in page
    assert (
        AuditEntry.objects.filter(action="create", object_type="attendance.barrierrecord", actor_id=teacher.pk).count()
        == 2
    )


def test_the_upload_page_lists_each_problem_by_line_and_keeps_the_choices(client, two_schools):
    from .factories import termly_csv

    _team, oakfield, _elm = two_schools
    client.force_login(school_member(oakfield))
    bad = termly_csv(oakfield.urn, [(upn(1), 40, 30, 12)])
    response = client.post(
        reverse("attendance:upload"), {"academic_year": "2024", "term": "2", "kind": "termly", "file": bad}
    )
    page = response.content.decode()
    assert "Nothing was imported: the file has 1 problem" in page
    assert "are more than the sessions possible (40)" in page
    assert 'value="2" checked' in page or "checked" in page
    assert not oakfield.uploads.filter(term=2).exists()


def test_every_family_issue_is_a_local_offer_issue():
    from apps.localoffer.models import FamilyIssue as OfferIssue

    from ..models import FamilyIssue

    assert set(FamilyIssue.values) <= set(OfferIssue.values)
