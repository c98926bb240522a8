"""The early help demo: six families, one at each stage, the lead, the health visitor in the team around
the family, the colleague who is refused, and the Thistledown child waiting in the Supporting Families
team's linkage queue. Loading it twice changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Q
from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.permissions import can
from apps.audit.models import AuditEntry
from apps.demo import accounts
from apps.earlyhelp import demo, services
from apps.earlyhelp.models import ChronologyEntry, ClosureReason, Family, FamilyStatus, Review, Service, TeamMember
from apps.linkage import demo as linkage_demo
from apps.linkage.models import CandidatePair, PersonRecord
from apps.notifications.models import OutboxMessage
from apps.referrals import demo as referrals_demo
from apps.referrals.models import Submission

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(Family.objects.values_list("name", "status", "next_review_on", "closed_on")),
        ChronologyEntry.objects.count(),
        TeamMember.objects.count(),
        Review.objects.count(),
        Submission.objects.count(),
        PersonRecord.objects.count(),
        sorted(CandidatePair.objects.values_list("record_a", "record_b", "status")),
        OutboxMessage.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def loaded(settings, tmp_path):
    """Loaded as `load_demo` does, after the partner forms and record linkage demos."""
    settings.BASE_DIR = tmp_path
    settings.PROTECTED_MEDIA_ROOT = tmp_path / "protected"
    accounts.load()
    referrals_demo.load()
    linkage_demo.load()
    demo.load()


@pytest.fixture
def families_only():
    """Without the linkage demo (no model to match with): the six families all the same."""
    accounts.load()
    referrals_demo.load()
    demo.load()


def family(name: str) -> Family:
    return Family.objects.get(name=name)


def test_the_demo_has_a_family_at_each_stage_and_loading_it_again_changes_nothing(loaded):
    before = snapshot()
    demo.load()
    assert snapshot() == before

    today = timezone.localdate()
    lead = User.objects.get(email=demo.LEAD)
    health_visitor = User.objects.get(email=demo.HEALTH_VISITOR)

    draft = family(demo.DRAFT)
    assert draft.status == FamilyStatus.DRAFT and draft.assessments.get().family_story

    due = family(demo.REVIEW_DUE)
    assert due.status == FamilyStatus.OPEN and today <= due.next_review_on <= today + dt.timedelta(days=7)
    assert due.plan_outcomes.count() == 2 and due.meetings.count() == 1

    overdue = family(demo.REVIEW_OVERDUE)
    assert overdue.status == FamilyStatus.OPEN and overdue.next_review_on < today
    assert overdue.reviews.count() == 1

    stepped_up = family(demo.STEPPED_UP)
    assert stepped_up.status == FamilyStatus.STEPPED_UP and stepped_up.referred_to_tis
    step = stepped_up.step_changes.get()
    assert step.to_service == Service.TIS and step.carried["chronology"]
    assert step.submission.team.slug == "targeted-intervention-service"

    closed = family(demo.CLOSED)
    assert closed.status == FamilyStatus.CLOSED and closed.closure_reason == ClosureReason.OUTCOMES_ACHIEVED
    assert closed.closed_on < today and all(row.significant_progress for row in closed.closure_outcomes.all())

    # Made over the past months: the chronology says when each thing happened.
    assert closed.chronology.order_by("occurred_on").first().occurred_on < today - dt.timedelta(days=150)

    # The health visitor leads one family and is in the team around two more; the lead leads five.
    assert set(Family.objects.filter(lead=lead).values_list("name", flat=True)) == {
        demo.DRAFT,
        demo.REVIEW_DUE,
        demo.REVIEW_OVERDUE,
        demo.STEPPED_UP,
        demo.CLOSED,
    }
    assert family(demo.TWO_AGENCIES).lead == health_visitor
    for name in (demo.REVIEW_DUE, demo.REVIEW_OVERDUE):
        assert can(health_visitor, "earlyhelp.view_family", family(name))
    assert not can(health_visitor, "earlyhelp.view_family", draft)

    # The Thistledown child waits in the Supporting Families team's linkage queue beside the school's request.
    child = family(demo.TWO_AGENCIES).members.get(first_name="Elowen")
    ours = PersonRecord.objects.get(source="earlyhelp", source_reference=child.linkage_reference)
    pair = CandidatePair.objects.get(Q(record_a=ours) | Q(record_b=ours), status=CandidatePair.Status.QUEUED)
    theirs = pair.record_b if pair.record_a == ours else pair.record_a
    assert theirs.source == "referrals"
    assert (theirs.first_name, theirs.surname) == ("Elowyn", "Thistledowne")
    assert theirs.agency == demo.SCHOOL and ours.agency == demo.HEALTH


def test_the_colleague_at_the_leads_school_is_refused_every_record(families_only, client):
    assert Family.objects.count() == len(demo.FAMILIES)
    colleague = User.objects.get(email=demo.COLLEAGUE)
    assert colleague.organisation == User.objects.get(email=demo.LEAD).organisation
    client.force_login(colleague)
    for found in Family.objects.all():
        assert not can(colleague, "earlyhelp.view_family", found), found.name
        assert client.get(f"/early-help/{found.pk}/").status_code == 403
    assert not can(colleague, "earlyhelp.break_glass")
    # A receiving team may break the glass, with a reason; the Supporting Families team sees every record.
    force_control = User.objects.get(email="force.control@example.org")
    quillfeathers = family(demo.REVIEW_DUE)
    assert not can(force_control, "earlyhelp.view_family", quillfeathers)
    services.break_glass(family=quillfeathers, user=force_control, reason="A child on this record is missing tonight")
    assert can(force_control, "earlyhelp.view_family", quillfeathers)
    supporting_families = User.objects.get(email="supporting.families@example.org")
    assert all(can(supporting_families, "earlyhelp.view_family", found) for found in Family.objects.all())
