"""Submitting, references, receipts and triage, through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from freezegun import freeze_time

from apps.accounts.tests.factories import UserFactory
from apps.audit.models import AuditEntry
from apps.notifications.models import OutboxMessage
from apps.referrals import services
from apps.referrals.models import FormType, Status, StatusChange, Submission, Urgency
from apps.referrals.questions import DEFINITIONS
from apps.referrals.references import parse_reference
from apps.referrals.samples import sample_answers
from apps.referrals.tests.factories import receiving_team, route, submit_sample


@pytest.mark.django_db
@pytest.mark.parametrize("form_type", [t for t, d in DEFINITIONS.items() if d.follows is None])
def test_each_form_is_sent_with_a_checkable_reference_a_receipt_and_a_team_notice(form_type):
    partner = UserFactory(email="dsl@school.example.org")
    team = receiving_team("the-team")
    submission = submit_sample(form_type, by=partner, team=team)

    assert parse_reference(submission.reference) == submission.reference
    assert submission.reference.startswith(DEFINITIONS[form_type].prefix + "-")
    assert submission.team == team and submission.status == Status.NEW
    receipt = OutboxMessage.objects.get(to="dsl@school.example.org")
    assert submission.reference in receipt.subject and submission.reference in receipt.body_text
    assert submission.get_absolute_url() in receipt.body_text
    notice = OutboxMessage.objects.get(to=team.inbox_email)
    for message in (receipt, notice):
        for step in submission.answers.values():
            for value in step.values():
                if isinstance(value, str) and len(value) > 3 and not value[:4].isdigit():
                    assert value not in message.body_text, f"{value!r} is in an e-mail"
    assert AuditEntry.objects.filter(object_id=str(submission.pk), action="create").count() == 1
    assert StatusChange.objects.filter(submission=submission).count() == 1


@pytest.mark.django_db
def test_a_submission_that_fails_half_way_leaves_nothing_behind(monkeypatch):
    partner = UserFactory()
    route(FormType.WELFARE_CHECK, receiving_team("force-control-room"))

    def broken(**kwargs):
        raise RuntimeError("the audit trail is unavailable")

    monkeypatch.setattr(services, "record", broken)
    with pytest.raises(RuntimeError):
        submit_sample(FormType.WELFARE_CHECK, by=partner)
    assert Submission.objects.count() == 0
    assert OutboxMessage.objects.count() == 0
    monkeypatch.undo()
    first = submit_sample(FormType.WELFARE_CHECK, by=partner)
    assert first.reference.split("-")[2] == "000001", "the failed submission's number was given back"


@pytest.mark.django_db
def test_urgent_answers_route_by_the_rule_that_names_them():
    routine_team, urgent_team = receiving_team("routine"), receiving_team("urgent")
    route(FormType.WELFARE_CHECK, routine_team)
    services.save_routing_rule(
        form_type=FormType.WELFARE_CHECK, answer_key="urgency", answer_value="urgent", team=urgent_team, by=None
    )
    urgent = submit_sample(FormType.WELFARE_CHECK, variant=0)
    routine = submit_sample(FormType.WELFARE_CHECK, variant=1)
    assert (urgent.team, urgent.urgency) == (urgent_team, Urgency.URGENT)
    assert (routine.team, routine.urgency) == (routine_team, Urgency.STANDARD)


@pytest.mark.django_db
def test_a_form_nobody_receives_is_refused_and_nothing_is_written():
    with pytest.raises(services.NoReceivingTeam):
        services.submit(
            definition=DEFINITIONS[FormType.TARGETED_INTERVENTION],
            answers=sample_answers(FormType.TARGETED_INTERVENTION),
            organisation=UserFactory().organisation,
            receipt_email="a@example.org",
            submitter=UserFactory(),
        )
    assert Submission.objects.count() == 0


@pytest.mark.django_db
def test_follow_ups_attach_to_the_original_and_go_to_its_team():
    partner = UserFactory()
    original = submit_sample(FormType.MISSING_PERSON, by=partner)
    returned = submit_sample(FormType.PERSON_RETURNED, by=partner, original=original.reference)
    update = submit_sample(FormType.MISSING_PERSON_UPDATE, by=partner, original=original.reference)
    assert returned.follows == original and update.follows == original
    assert returned.team == original.team
    assert returned.reference.startswith("RTN-") and update.reference.startswith("MFI-")


@pytest.mark.django_db
def test_a_follow_up_to_another_organisations_report_is_refused():
    original = submit_sample(FormType.MISSING_PERSON)
    with pytest.raises(services.FormNotAccepted) as refused:
        submit_sample(FormType.PERSON_RETURNED, by=UserFactory(), original=original.reference)
    assert refused.value.errors["original"]["reference"] == [
        "No missing person report from your organisation has this reference number"
    ]


@pytest.mark.django_db
def test_a_mistyped_reference_is_caught_by_its_check_character():
    partner = UserFactory()
    original = submit_sample(FormType.MISSING_PERSON, by=partner)
    mistyped = original.reference[:-1] + ("A" if original.reference[-1] != "A" else "B")
    with pytest.raises(services.FormNotAccepted) as refused:
        submit_sample(FormType.PERSON_RETURNED, by=partner, original=mistyped)
    assert refused.value.errors["original"]["reference"] == ["Check the reference number"]


@pytest.mark.django_db
def test_dates_that_must_be_past_refuse_the_future():
    answers = sample_answers(FormType.MISSING_PERSON)
    answers["last-seen"]["date"] = "2999-01-01"
    answers["person"]["date_of_birth"] = "2011-02-30"
    with pytest.raises(services.FormNotAccepted) as refused:
        services.validate_answers(DEFINITIONS[FormType.MISSING_PERSON], answers, organisation=None, keep_files=False)
    assert refused.value.errors["last-seen"]["date"] == [
        "The date the person was last seen must be today or in the past"
    ]
    assert refused.value.errors["person"]["date_of_birth"] == ["The date of birth must be a real date"]


@pytest.mark.django_db
@freeze_time("2026-01-20 12:00:00")  # midday in York, in winter (GMT)
def test_times_that_cannot_have_happened_yet_are_refused_when_a_whole_form_is_sent():
    partner = UserFactory()
    answers = sample_answers(FormType.MISSING_PERSON)
    answers["last-seen"].update(date="2026-01-20", time="12:30")
    with pytest.raises(services.FormNotAccepted) as refused:
        services.validate_answers(DEFINITIONS[FormType.MISSING_PERSON], answers, organisation=None, keep_files=False)
    assert refused.value.errors == {"last-seen": {"time": ["The time the person was last seen must be in the past"]}}

    answers["last-seen"]["time"] = "11:45"
    original = submit_sample(FormType.MISSING_PERSON, by=partner, answers=answers)
    returned = sample_answers(FormType.PERSON_RETURNED, original=original.reference)
    after = "The time the person returned must be after the time they were last seen: "
    same_or_after = "The date the person returned must be the same as or after the date they were last seen: "
    for date, time, errors in [
        ("2026-01-20", "12:05", {"time": ["The time the person returned must be in the past"]}),
        ("2026-01-20", "11:00", {"time": [after + "11:45am on 20 January 2026"]}),
        ("2026-01-19", "23:00", {"date": [same_or_after + "20 January 2026"]}),
    ]:
        returned["return"].update(date=date, time=time)
        with pytest.raises(services.FormNotAccepted) as refused:
            submit_sample(FormType.PERSON_RETURNED, by=partner, answers=returned)
        assert refused.value.errors == {"return": errors}, (date, time)
    returned["return"].update(date="2026-01-20", time="11:45")
    assert submit_sample(FormType.PERSON_RETURNED, by=partner, answers=returned).follows == original


@pytest.mark.django_db
def test_with_the_mail_server_down_the_form_is_still_sent_and_its_receipt_goes_once_the_server_is_back(smtp_server):
    from apps.notifications.models import OutboxStatus
    from apps.notifications.services import deliver_due

    smtp_server.stop()
    partner = UserFactory(email="dsl@school.example.org")
    submission = submit_sample(FormType.WELFARE_CHECK, by=partner, team=receiving_team("force-control-room"))
    receipt = OutboxMessage.objects.get(to="dsl@school.example.org")

    assert Submission.objects.filter(reference=submission.reference).exists(), "the form was sent all the same"
    assert deliver_due().get("failed", 0) >= 1
    receipt.refresh_from_db()
    assert receipt.status == OutboxStatus.PENDING and receipt.attempts == 1

    smtp_server.start()
    with freeze_time(receipt.next_attempt_at + dt.timedelta(seconds=1)):
        deliver_due()
        deliver_due()
    receipt.refresh_from_db()
    assert receipt.status == OutboxStatus.SENT
    received = [m for m in smtp_server.messages if m["To"] == "dsl@school.example.org"]
    assert len(received) == 1, "the receipt arrived exactly once"
    assert submission.reference in received[0]["Subject"]


@pytest.mark.django_db
def test_drafts_nobody_touched_for_four_weeks_are_forgotten_by_the_periodic_task():
    from django.conf import settings

    from apps.referrals.models import Draft
    from apps.referrals.questions import definition_of
    from apps.referrals.tasks import forget_stale_drafts

    assert ("apps.referrals.tasks.forget_stale_drafts", 3600) in settings.HUB_PERIODIC_TASKS
    partner = UserFactory()
    definition = definition_of(FormType.WELFARE_CHECK)
    with freeze_time(dt.datetime.now(dt.UTC) - dt.timedelta(days=29)):
        old = services.start_draft(definition=definition, owner=partner)
    recent = services.start_draft(definition=definition, owner=partner)

    assert forget_stale_drafts.call() == 1
    assert list(Draft.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not Draft.objects.filter(pk=old.pk).exists()
