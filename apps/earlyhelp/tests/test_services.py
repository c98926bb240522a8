"""The early help record's rules, through its services, as practitioners and the Supporting Families team meet them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.accounts.permissions import can
from apps.accounts.tests.factories import OrganisationFactory, UserFactory
from apps.audit.models import AuditEntry
from apps.audit.services import verify_chain
from apps.core.identifiers import nhs_number_is_valid, pupil_number_is_valid, upn_check_letter
from apps.notifications.models import OutboxMessage

from .. import selectors, services
from ..models import (
    ClosureReason,
    EntryKind,
    Family,
    FamilyStatus,
    MeetingDocument,
    Outcome,
    RetentionDecision,
    Service,
)
from .factories import (
    CHILD,
    add_child,
    consent_for,
    open_family,
    start_family,
    supporting_families_user,
    tis_user,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def kinds(family: Family) -> list[str]:
    return list(family.chronology.order_by("recorded_at", "pk").values_list("kind", flat=True))


# --- Identifiers -------------------------------------------------------------------------------------


def test_nhs_numbers_are_checked_by_their_modulus_11_digit():
    assert nhs_number_is_valid("943 476 5919")
    assert nhs_number_is_valid("9434765919")
    assert not nhs_number_is_valid("9434765918")  # last digit wrong
    assert not nhs_number_is_valid("943476591")  # too short
    assert not nhs_number_is_valid("1000000010")  # a check digit of 10 is never issued


def test_unique_pupil_numbers_are_checked_by_their_check_letter():
    rest = "801200001001"
    good = upn_check_letter(rest) + rest
    assert pupil_number_is_valid(good)
    assert pupil_number_is_valid(good.lower())
    wrong = ("A" if good[0] != "A" else "B") + rest
    assert not pupil_number_is_valid(wrong)
    assert not pupil_number_is_valid("I" + rest)  # I, O and S are never check letters
    temporary = "80120000100A"  # a temporary UPN ends in a letter
    assert pupil_number_is_valid(upn_check_letter(temporary) + temporary)


# --- Starting, consent --------------------------------------------------------------------------------


def test_starting_an_assessment_makes_the_practitioner_lead_with_consent_recorded():
    lead = UserFactory()
    family = start_family(lead)
    assert family.lead == lead and family.lead_organisation == lead.organisation
    assert family.status == FamilyStatus.DRAFT
    assert family.team.get().user == lead
    assert family.consents.get().agencies.filter(pk=lead.organisation.pk).exists()
    assert kinds(family) == [EntryKind.ASSESSMENT_STARTED, EntryKind.CONSENT_GIVEN]
    assert AuditEntry.objects.filter(object_type="earlyhelp.family", object_id=str(family.pk), action="create").exists()


def test_a_record_without_consent_needs_the_law_that_allows_it():
    with pytest.raises(services.EarlyHelpRefused) as refused:
        services.start_assessment(by=UserFactory(), family_name="The Fictional family", consent=None)
    assert "without it" in refused.value.message
    assert not Family.objects.exists()
    family = services.start_assessment(
        by=UserFactory(), family_name="The Fictional family", no_consent_basis="Children Act 1989 s47"
    )
    assert family.no_consent_basis == "Children Act 1989 s47"


def test_consent_in_the_future_is_refused():
    with pytest.raises(services.EarlyHelpRefused) as refused:
        start_family_with(consent_for(given_on=timezone.localdate() + dt.timedelta(days=1)))
    assert refused.value.field == "given_on"


def start_family_with(consent):
    return services.start_assessment(by=UserFactory(), family_name="The Fictional family", consent=consent)


def test_withdrawing_the_only_consent_closes_the_assessment_and_shares_with_nobody_new():
    family = open_family()
    consent = family.consents.get()
    services.withdraw_consent(consent=consent, by=family.lead, withdrawn_on=timezone.localdate(), note="Sam said no")
    family.refresh_from_db()
    assert family.status == FamilyStatus.CLOSED
    assert family.closure_reason == ClosureReason.CONSENT_WITHDRAWN
    assert EntryKind.CONSENT_WITHDRAWN in kinds(family) and EntryKind.CLOSED in kinds(family)
    with pytest.raises(services.EarlyHelpRefused):
        services.add_team_member(family=family, user=UserFactory(), role="School nurse", by=family.lead)


def test_withdrawal_cannot_come_before_consent_was_given():
    family = open_family()
    consent = family.consents.get()
    with pytest.raises(services.EarlyHelpRefused) as refused:
        services.withdraw_consent(consent=consent, by=family.lead, withdrawn_on=consent.given_on - dt.timedelta(days=3))
    assert refused.value.field == "withdrawn_on"
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_with_consent_still_given_by_another_the_record_stays_open():
    family = open_family()
    services.give_consent(family=family, consent=consent_for(family.lead.organisation), by=family.lead)
    first = family.consents.order_by("pk").first()
    services.withdraw_consent(consent=first, by=family.lead, withdrawn_on=timezone.localdate())
    family.refresh_from_db()
    assert family.status == FamilyStatus.OPEN


# --- People ---------------------------------------------------------------------------------------------


def test_a_person_added_becomes_a_linkage_record_and_a_new_address_keeps_the_old_one():
    from apps.linkage.models import PersonRecord

    family = start_family()
    child = add_child(family)
    record = PersonRecord.objects.get(source="earlyhelp", source_reference=child.linkage_reference)
    assert (record.first_name, record.surname, record.agency) == (
        "Jordan",
        "Fictional-Avery",
        family.lead_organisation.name,
    )
    services.change_member(member=child, by=family.lead, data={**CHILD, "address": "2 New Road, York"})
    child.refresh_from_db()
    assert child.previous_addresses.get().address == "1 Example Street, York"
    record.refresh_from_db()
    assert record.address == "2 New Road, York"


def test_relationships_join_two_people_of_the_family_once():
    family = start_family()
    child = add_child(family)
    parent = add_child(family, role="parent_carer", first_name="Sam", date_of_birth=dt.date(1985, 1, 2))
    services.add_relationship(family=family, person=parent, relative=child, kind="parent", by=family.lead)
    with pytest.raises(services.EarlyHelpRefused):
        services.add_relationship(family=family, person=parent, relative=child, kind="carer", by=family.lead)
    stranger = add_child(start_family())
    with pytest.raises(services.EarlyHelpRefused):
        services.add_relationship(family=family, person=parent, relative=stranger, kind="parent", by=family.lead)
    assert family.relationships.get().get_kind_display() == "Parent"


def test_a_date_of_birth_in_the_future_is_refused():
    family = start_family()
    with pytest.raises(services.EarlyHelpRefused) as refused:
        add_child(family, date_of_birth=timezone.localdate() + dt.timedelta(days=2))
    assert refused.value.field == "date_of_birth"
    assert not family.members.exists()


# --- The assessment --------------------------------------------------------------------------------


def test_signing_off_needs_every_part_and_opens_the_plan_with_a_review_in_six_weeks():
    family = start_family()
    assessment = family.assessments.get()
    with pytest.raises(services.EarlyHelpRefused) as refused:
        services.complete_assessment(assessment=assessment, by=family.lead)
    assert refused.value.field == "family_story"
    family = open_family()
    assert family.status == FamilyStatus.OPEN
    assert family.next_review_on == timezone.localdate() + dt.timedelta(days=42)
    assert EntryKind.ASSESSMENT_COMPLETED in kinds(family)
    assert family in selectors.central_record()


def test_only_the_lead_signs_off_and_a_signed_off_assessment_cannot_change():
    family = start_family()
    add_child(family)
    assessment = family.assessments.get()
    member = UserFactory()
    services.add_team_member(family=family, user=member, role="Health visitor", by=family.lead)
    family.refresh_from_db()
    with pytest.raises(services.EarlyHelpRefused):  # a draft record takes team members, but
        services.complete_assessment(assessment=assessment, by=member)  # only the lead signs off
    done = open_family()
    with pytest.raises(services.EarlyHelpRefused):
        services.save_assessment(assessment=done.assessments.get(), by=done.lead, data={"worries": "changed"})


# --- The team ------------------------------------------------------------------------------------------


def test_a_team_member_from_another_agency_sees_the_record_and_a_leaver_no_longer_does():
    family = open_family()
    nurse = UserFactory(organisation=OrganisationFactory(name="Fictional NHS Trust"))
    assert not can(nurse, "earlyhelp.view_family", family)
    joined = services.add_team_member(family=family, user=nurse, role="School nurse", by=family.lead)
    assert can(nurse, "earlyhelp.view_family", family)
    assert OutboxMessage.objects.filter(to=nurse.email, purpose="earlyhelp.team_joined").exists()
    services.remove_team_member(member=joined, by=family.lead)
    nurse = type(nurse).objects.get(pk=nurse.pk)  # their next request
    assert not can(nurse, "earlyhelp.view_family", family)
    assert family.team.filter(user=nurse, left_at__isnull=False).exists()  # the record keeps that they were a member
    assert [k for k in kinds(family) if k.startswith("team")] == [EntryKind.TEAM_JOINED, EntryKind.TEAM_LEFT]


def test_the_lead_passes_to_a_current_member_and_cannot_simply_leave():
    family = open_family()
    lead = family.lead
    nurse = UserFactory()
    joined = services.add_team_member(family=family, user=nurse, role="School nurse", by=lead)
    with pytest.raises(services.EarlyHelpRefused):
        services.remove_team_member(member=family.team.get(user=lead), by=lead)
    services.transfer_lead(family=family, to=joined, by=lead)
    family.refresh_from_db()
    assert family.lead == nurse and family.lead_organisation == nurse.organisation
    assert not can(lead, "earlyhelp.lead_family", family) and can(lead, "earlyhelp.view_family", family)
    assert EntryKind.LEAD_CHANGED in kinds(family)


# --- Meetings --------------------------------------------------------------------------------------


def test_meeting_minutes_must_be_a_pdf_docx_or_odt_by_content():
    family = open_family()
    fake = SimpleUploadedFile("minutes.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf")
    with pytest.raises(services.EarlyHelpRefused) as refused:
        services.record_meeting(
            family=family, by=family.lead, held_on=timezone.localdate(), attended="Sam", discussed="x", files=[fake]
        )
    assert refused.value.field == "documents"
    assert not family.meetings.exists()
    good = SimpleUploadedFile("minutes.pdf", PDF, "application/pdf")
    meeting = services.record_meeting(
        family=family, by=family.lead, held_on=timezone.localdate(), attended="Sam", discussed="x", files=[good]
    )
    document = MeetingDocument.objects.get(meeting=meeting)
    assert services.documents.path_of(document.stored_name).read_bytes() == PDF
    assert EntryKind.MEETING in kinds(family)


def test_a_meeting_that_fails_half_way_leaves_no_file_behind(monkeypatch):
    family = open_family()
    before = set(services.documents.folder().iterdir())

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "add_entry", broken)
    with pytest.raises(RuntimeError):
        services.record_meeting(
            family=family,
            by=family.lead,
            held_on=timezone.localdate(),
            attended="Sam",
            discussed="x",
            files=[SimpleUploadedFile("minutes.pdf", PDF, "application/pdf")],
        )
    assert not family.meetings.exists()
    assert set(services.documents.folder().iterdir()) == before


# --- Reviews and reminders ------------------------------------------------------------------------------


def test_a_review_records_progress_and_sets_the_next_date():
    family = open_family()
    action = family.plan_outcomes.get().actions.get()
    review = services.record_review(
        family=family,
        by=family.lead,
        held_on=timezone.localdate(),
        scaling=8,
        progress={action.pk: {"status": "done", "note": "Weekly meetings happen"}},
    )
    action.refresh_from_db()
    family.refresh_from_db()
    assert action.status == "done"
    assert review.next_review_on == timezone.localdate() + dt.timedelta(days=42) == family.next_review_on
    assert EntryKind.REVIEW in kinds(family)


def test_a_review_dated_before_the_assessment_or_next_review_before_it_is_refused():
    family = open_family()
    started = timezone.localtime(family.assessments.get().started_at).date()
    with pytest.raises(services.EarlyHelpRefused) as refused:
        services.record_review(
            family=family, by=family.lead, held_on=started - dt.timedelta(days=1), scaling=5, progress={}
        )
    assert refused.value.field == "held_on"
    with pytest.raises(services.EarlyHelpRefused) as refused:
        services.record_review(
            family=family, by=family.lead, held_on=started, scaling=5, progress={}, next_review_on=started
        )
    assert refused.value.field == "next_review_on"
    assert not family.reviews.exists()


def test_the_lead_is_reminded_once_a_week_before_a_review_and_the_team_sees_it_overdue():
    family = open_family()
    due = family.next_review_on
    assert services.send_review_reminders(today=due - dt.timedelta(days=8)) == 0
    assert services.send_review_reminders(today=due - dt.timedelta(days=7)) == 1
    assert services.send_review_reminders(today=due - dt.timedelta(days=6)) == 0  # once per review date
    assert services.send_review_reminders(today=due + dt.timedelta(days=1)) == 0
    reminders = OutboxMessage.objects.filter(purpose="earlyhelp.review_due", to=family.lead.email)
    assert reminders.count() == 1
    assert family.reference in reminders.get().subject
    assert list(selectors.overdue_reviews(today=due - dt.timedelta(days=1))) == []
    assert list(selectors.overdue_reviews(today=due + dt.timedelta(days=1))) == [family]


def test_reminders_follow_the_clock_across_the_change_to_summer_time():
    from freezegun import freeze_time

    with freeze_time("2026-02-15 12:00:00"):
        family = open_family()
    assert family.next_review_on == dt.date(2026, 3, 29)  # the day British Summer Time starts
    with freeze_time("2026-03-22 00:30:00"):  # 00:30 in London, a week before
        assert services.send_review_reminders() == 1


# --- Step up, step down, closure --------------------------------------------------------------------


def test_step_up_to_tis_carries_the_chronology_and_plan_and_lets_the_service_see_the_record():
    family = open_family()
    tis = tis_user()
    assert not can(tis, "earlyhelp.view_family", family)
    change = services.step_up(family=family, to_service=Service.TIS, reason="Needs more help", by=family.lead)
    family.refresh_from_db()
    assert family.status == FamilyStatus.STEPPED_UP
    assert can(tis, "earlyhelp.view_family", family)
    # The request reaches the service's triage queue as a partner form filled in from the record.
    request = change.submission
    assert request.team.slug == "targeted-intervention-service" and request.reference.startswith("TIS-")
    assert request.answers["family"]["child_name"] == "Jordan Lee Fictional-Avery"
    assert request.answers["needs"]["needs"] == ["education"]
    assert "Meet Jordan's class teacher weekly" in request.answers["early-help"]["tried"]
    assert request.reference in family.chronology.get(kind=EntryKind.STEP_UP).summary
    assert change.carried["plan"][0]["actions"][0]["what"] == "Meet Jordan's class teacher weekly"
    assert any(entry["what"] == "Assessment completed" for entry in change.carried["chronology"])
    services.step_down(family=family, from_service=Service.TIS, reason="Things are better", by=tis)
    family.refresh_from_db()
    assert family.status == FamilyStatus.OPEN and family.next_review_on is not None
    assert [k for k in kinds(family) if k.startswith("step")] == [EntryKind.STEP_UP, EntryKind.STEP_DOWN]


def test_a_step_up_to_tis_with_nobody_to_receive_it_is_refused_and_changes_nothing():
    family = open_family()
    with pytest.raises(services.EarlyHelpRefused) as refused:
        services.step_up(family=family, to_service=Service.TIS, reason="Needs more help", by=family.lead)
    assert "no team has been set up to receive it" in refused.value.message
    family.refresh_from_db()
    assert family.status == FamilyStatus.OPEN and not family.step_changes.exists()


def test_closing_asks_for_progress_on_each_outcome_of_the_plan_with_evidence():
    family = open_family()
    with pytest.raises(services.EarlyHelpRefused) as refused:
        services.close(family=family, by=family.lead, reason=ClosureReason.OUTCOMES_ACHIEVED, outcomes={})
    assert refused.value.field == f"outcome_{Outcome.EDUCATION}"
    with pytest.raises(services.EarlyHelpRefused) as refused:
        services.close(
            family=family,
            by=family.lead,
            reason=ClosureReason.OUTCOMES_ACHIEVED,
            outcomes={Outcome.EDUCATION: (True, "")},
        )
    assert refused.value.field == f"evidence_{Outcome.EDUCATION}"
    with pytest.raises(services.EarlyHelpRefused) as refused:
        services.close(family=family, by=family.lead, reason=ClosureReason.MOVED_AWAY, outcomes={})
    assert refused.value.field == "moved_to_area"
    services.close(
        family=family,
        by=family.lead,
        reason=ClosureReason.OUTCOMES_ACHIEVED,
        outcomes={Outcome.EDUCATION: (True, "Attendance 97% this term")},
    )
    family.refresh_from_db()
    assert family.status == FamilyStatus.CLOSED and family.closed_on == timezone.localdate()
    assert family.closure_outcomes.get().significant_progress
    assert selectors.figures()["outcomes"] == [(Outcome.EDUCATION.label, 1, 1)]


# --- The chronology ----------------------------------------------------------------------------------


def test_the_chronology_has_an_automatic_entry_for_each_thing_that_happened_and_manual_events():
    family = open_family()
    services.add_significant_event(
        family=family,
        by=family.lead,
        occurred_on=timezone.localdate() - dt.timedelta(days=3),
        source_agency="North Yorkshire Police",
        summary="Police called to a disturbance at the home",
        impact="Jordan did not sleep and missed school",
        member=family.members.get(),
    )
    lines = selectors.chronology_of(family.lead, family)
    assert [line.kind for line in lines if not line.automatic] == [EntryKind.SIGNIFICANT_EVENT]
    assert {EntryKind.ASSESSMENT_STARTED, EntryKind.CONSENT_GIVEN, EntryKind.PERSON_ADDED} <= {
        line.kind for line in lines
    }
    manual = selectors.chronology_of(family.lead, family, selectors.ChronologyFilters(kind="manual"))
    assert [line.summary for line in manual] == ["Police called to a disturbance at the home"]
    assert AuditEntry.objects.filter(object_id=str(family.pk), detail="chronology").count() == 2


def test_an_event_in_the_future_is_refused():
    family = open_family()
    with pytest.raises(services.EarlyHelpRefused):
        services.add_significant_event(
            family=family,
            by=family.lead,
            occurred_on=timezone.localdate() + dt.timedelta(days=1),
            source_agency="School",
            summary="x",
        )


def test_partner_forms_about_someone_on_the_record_appear_in_the_chronology_once_linkage_groups_them():
    from apps.linkage.models import CandidatePair, PersonRecord
    from apps.linkage.services import regroup_people, sync_sources
    from apps.referrals.models import FormType
    from apps.referrals.tests.factories import submit_sample

    family = open_family()
    child = family.members.get()
    submission = submit_sample(FormType.WELFARE_CHECK, by=UserFactory())
    sync_sources()
    ours = PersonRecord.objects.get(source="earlyhelp", source_reference=child.linkage_reference)
    theirs = PersonRecord.objects.get(source="referrals", source_reference__startswith=submission.reference)
    assert not selectors.partner_forms_about(family)
    from apps.linkage.models import LinkageModelVersion

    version = LinkageModelVersion.objects.create(version=1, model_json={}, record_count=0)
    low, high = sorted((ours.pk, theirs.pk))
    CandidatePair.objects.create(
        record_a_id=low,
        record_b_id=high,
        match_probability=0.99,
        match_weight=10,
        model_version=version,
        status=CandidatePair.Status.LINKED,
        decided_at=timezone.now(),
    )
    regroup_people()
    lines = selectors.partner_forms_about(family)
    assert [line.summary.split(":")[0] for line in lines] == [submission.reference]
    assert "Jordan" in lines[0].summary


def test_confirming_a_link_tells_the_lead_which_agency_only_as_far_as_consent_allows():
    from apps.linkage.models import CandidatePair, LinkageModelVersion, PersonRecord
    from apps.linkage.services import decide

    school = OrganisationFactory(name="Fictional Primary School")
    health = OrganisationFactory(name="Fictional Health Trust")
    ours = open_family(UserFactory(organisation=school))
    # The other family consented to sharing with the school, so the school's lead may be told who holds it.
    theirs = open_family(UserFactory(organisation=health), agencies=[school])
    a = PersonRecord.objects.get(source_reference=ours.members.get().linkage_reference)
    b = PersonRecord.objects.get(source_reference=theirs.members.get().linkage_reference)
    version = LinkageModelVersion.objects.create(version=1, model_json={}, record_count=0)
    low, high = sorted((a.pk, b.pk))
    pair = CandidatePair.objects.create(
        record_a_id=low,
        record_b_id=high,
        match_probability=0.8,
        match_weight=2,
        model_version=version,
        status=CandidatePair.Status.QUEUED,
        decided_at=timezone.now(),
    )
    decide(pair=pair, decision="match", by=supporting_families_user())
    to_school = OutboxMessage.objects.get(purpose="earlyhelp.another_agency", to=ours.lead.email)
    to_health = OutboxMessage.objects.get(purpose="earlyhelp.another_agency", to=theirs.lead.email)
    assert "Fictional Health Trust" in to_school.body_text
    assert "Fictional Primary School" not in to_health.body_text  # the school's family did not consent to it
    assert "another agency" in to_health.body_text
    assert "Jordan" not in to_school.body_text + to_school.subject  # no child's details in e-mail
    assert EntryKind.LINKAGE in kinds(ours) and EntryKind.LINKAGE in kinds(theirs)


# --- Break-glass, retention, subject access, the audit trail ---------------------------------------


def test_break_glass_needs_a_reason_lasts_hours_and_is_audited_and_listed(settings):
    from freezegun import freeze_time

    family = open_family()
    officer = UserFactory()
    with pytest.raises(services.EarlyHelpRefused):
        services.break_glass(family=family, user=officer, reason="need")
    access = services.break_glass(family=family, user=officer, reason="Child reported missing tonight")
    assert can(officer, "earlyhelp.view_family", family)
    entry = AuditEntry.objects.get(object_id=str(family.pk), reason="Child reported missing tonight")
    assert "break-glass" in entry.detail
    with freeze_time(timezone.now() + dt.timedelta(hours=settings.EARLY_HELP_BREAK_GLASS_HOURS, minutes=1)):
        fresh = type(officer).objects.get(pk=officer.pk)
        assert not can(fresh, "earlyhelp.view_family", family)
    services.review_break_glass(access=access, by=supporting_families_user(), note="Checked with the duty sergeant")
    access.refresh_from_db()
    assert access.reviewed_at is not None


def test_closed_records_are_flagged_for_a_decision_and_erased_only_when_someone_decides(settings):
    from apps.linkage.models import PersonRecord

    family = open_family()
    services.close(
        family=family,
        by=family.lead,
        reason=ClosureReason.UNIVERSAL_SERVICES,
        outcomes={Outcome.EDUCATION: (False, "")},
    )
    later = timezone.localdate() + dt.timedelta(days=settings.EARLY_HELP_RETENTION_DAYS)
    assert services.flag_for_retention_review(today=later - dt.timedelta(days=1)) == 0
    assert services.flag_for_retention_review(today=later) == 1
    assert services.flag_for_retention_review(today=later) == 0
    family.refresh_from_db()
    assert Family.objects.filter(pk=family.pk).exists()  # flagged, never deleted by the task
    team = supporting_families_user()
    services.decide_retention(family=family, decision="keep", reason="A sibling's case is open", by=team)
    family.refresh_from_db()
    assert family.retention_flagged_on is None and family.keep_until is not None
    Family.objects.filter(pk=family.pk).update(retention_flagged_on=later)
    reference = family.reference
    services.decide_retention(family=family, decision="erase", reason="Past retention", by=team)
    assert not Family.objects.filter(pk=family.pk).exists()
    assert not PersonRecord.objects.filter(source="earlyhelp").exists()
    assert RetentionDecision.objects.filter(family_reference=reference, decision="erase").exists()
    assert verify_chain()[1] is None


def test_the_subject_access_export_holds_the_person_the_record_consent_assessment_and_chronology():
    family = open_family()
    child = family.members.get()
    services.change_member(member=child, by=family.lead, data={**CHILD, "address": "2 New Road, York"})
    data = selectors.subject_access(child)
    assert data["person"]["name"] == "Jordan Lee Fictional-Avery"
    assert data["person"]["previous_addresses"][0]["address"] == "1 Example Street, York"
    assert data["record"]["reference"] == family.reference
    assert data["consent"][0]["given_by"] == "Sam Fictional-Avery"
    assert data["assessments"][0]["worries"] == "Jordan has missed 30 sessions this term."
    assert any(entry["what"] == "Person added" for entry in data["chronology"])


def test_every_change_keeps_the_audit_chain_whole():
    family = open_family()
    services.step_up(family=family, to_service=Service.CSC, reason="Risk of significant harm", by=family.lead)
    assert verify_chain()[1] is None


def test_families_known_to_other_agencies_leave_out_the_lead_s_own_agency_and_the_family_itself():
    from apps.linkage.models import CandidatePair, LinkageModelVersion, PersonRecord
    from apps.linkage.services import regroup_people

    school = OrganisationFactory(name="Fictional Primary School")
    ours = open_family(UserFactory(organisation=school))
    theirs = open_family(UserFactory(organisation=OrganisationFactory(name="Fictional Health Trust")))
    same_school = open_family(UserFactory(organisation=school))
    version = LinkageModelVersion.objects.create(version=1, model_json={}, record_count=0)

    def link(a, b):
        low, high = sorted((a.pk, b.pk))
        CandidatePair.objects.create(
            record_a_id=low,
            record_b_id=high,
            match_probability=0.99,
            match_weight=9,
            model_version=version,
            status=CandidatePair.Status.LINKED,
            decided_at=timezone.now(),
        )

    record = {
        family.pk: PersonRecord.objects.get(source_reference=family.members.get().linkage_reference)
        for family in (ours, theirs, same_school)
    }
    link(record[ours.pk], record[same_school.pk])
    regroup_people()
    assert selectors.known_to_other_agencies() == []  # two records of one agency are not two agencies
    link(record[ours.pk], record[theirs.pk])
    regroup_people()
    found = {row.family.pk: row.held_by for row in selectors.known_to_other_agencies()}
    assert found[ours.pk] == ["Fictional Health Trust"]
    assert found[theirs.pk] == ["Fictional Primary School"]
