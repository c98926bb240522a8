"""The partner forms' pages: one step a page, check your answers, what was sent, and the teams' triage."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from apps.accounts.models import Role
from apps.accounts.tests.factories import UserFactory, grant, make_role_user, with_totp
from apps.audit.models import AuditEntry
from apps.notifications.models import OutboxMessage
from apps.referrals import services
from apps.referrals.models import ApiToken, Draft, FormType, InternalNote, RoutingRule, Status, Submission, Urgency
from apps.referrals.questions import definition_of
from apps.referrals.references import ALPHABET, parse_reference
from apps.referrals.samples import sample_answers
from apps.referrals.tests.factories import receiving_team, route, submit_sample, team_member

pytestmark = pytest.mark.django_db


def signed_in(client, user=None):
    user = user or UserFactory()
    client.force_login(user)
    return user


def force_control_room():
    return receiving_team("force-control-room", "Force Control Room")


def member_of(team, **kwargs):
    """A team member who has set up their authenticator app, as the role requires."""
    return with_totp(team_member(team, **kwargs))


def begin(client, slug: str = "welfare-check", **data) -> Draft:
    response = client.post(reverse("referrals:begin", args=[slug]), data)
    assert response.status_code == 302
    return Draft.objects.get(pk=response["Location"].split("/")[-3])


def step_url(draft: Draft, step: str, *, change: bool = False) -> str:
    url = reverse("referrals:step", kwargs={"draft": draft.pk, "step": step})
    return url + "?change=1" if change else url


def typed(form_type: str, step: str, answers: dict | None = None, **changes) -> dict:
    """What a browser posts for a step answered with the sample answers (and any changes)."""
    definition = definition_of(form_type)
    answers = answers or sample_answers(form_type)
    data = definition.step(step).form.data_from(answers[step])
    return {**data, "action": "continue", **changes}


def fill_in(client, draft: Draft, form_type: str = FormType.WELFARE_CHECK, answers: dict | None = None):
    response = None
    for current in definition_of(form_type).steps:
        response = client.post(step_url(draft, current.slug), typed(form_type, current.slug, answers))
        assert response.status_code == 302, response.content.decode()
    return response


def html(response) -> str:
    return response.content.decode()


def views_of(submission: Submission) -> int:
    return AuditEntry.objects.filter(action="view", object_id=str(submission.pk)).count()


# --- One step a page ---------------------------------------------------------------------------------


def test_a_step_with_bad_input_shows_the_error_summary_and_keeps_what_was_typed(client):
    signed_in(client)
    draft = begin(client)
    response = client.post(
        step_url(draft, "person"), {"full_name": "", "other_names": "Jojo", "age": "15", "action": "continue"}
    )
    page = html(response)
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert "govuk-error-summary" in page and "There is a problem" in page
    assert "Enter the person&#x27;s full name" in page
    assert 'value="Jojo"' in page and 'value="15"' in page
    draft.refresh_from_db()
    assert draft.answers == {} and draft.unchecked == {}


def test_a_good_step_is_saved_and_leads_to_the_next(client):
    signed_in(client)
    draft = begin(client)
    response = client.post(step_url(draft, "person"), typed(FormType.WELFARE_CHECK, "person"))
    assert response["Location"] == step_url(draft, "address")
    draft.refresh_from_db()
    assert draft.answers["person"]["full_name"] == "Jordan Avery"
    assert draft.answers["person"]["age"] == 15
    page = html(client.get(step_url(draft, "address")))
    assert "section 2 of 5" in page
    assert f'href="{step_url(draft, "person")}"' in page, "the back link goes to the step before"


def test_a_step_asks_for_the_date_of_birth_or_an_age(client):
    signed_in(client)
    draft = begin(client)
    page = html(client.post(step_url(draft, "person"), {"full_name": "Jordan Avery", "action": "continue"}))
    assert "Enter the date of birth, or their age if you do not know it" in page
    assert 'value="Jordan Avery"' in page


@pytest.mark.parametrize(
    ("slug", "step", "field", "days", "message"),
    [
        ("welfare-check", "concern", "last_contact", 1, "The date you last had contact must be today or in the past"),
        ("welfare-check", "person", "date_of_birth", 30, "The date of birth must be today or in the past"),
        ("missing-person", "last-seen", "date", 2, "The date the person was last seen must be today or in the past"),
        (
            "mental-health-act-assessment",
            "when",
            "date",
            -1,
            "The date of the assessment must be today or in the future",
        ),
    ],
)
def test_a_date_on_the_wrong_side_of_today_is_refused_with_its_message(client, slug, step, field, days, message):
    signed_in(client)
    draft = begin(client, slug)
    form_type = definition_of(draft.form_type).form_type
    day = timezone.localdate() + dt.timedelta(days=days)
    data = typed(
        form_type,
        step,
        **{f"{field}_0": str(day.day), f"{field}_1": str(day.month), f"{field}_2": str(day.year)},
    )
    data.pop("age", None)
    response = client.post(step_url(draft, step), data)
    page = html(response)
    assert response.status_code == 200
    assert "There is a problem" in page and message in page
    draft.refresh_from_db()
    assert step not in draft.answers


def test_an_unanswered_radio_question_links_its_error_to_the_first_option(client):
    signed_in(client)
    draft = begin(client)
    page = html(client.post(step_url(draft, "urgency"), {"action": "continue"}))
    assert '<a href="#id_urgency_1">Select how urgent the welfare check is</a>' in page
    assert 'id="id_urgency_1"' in page


def test_a_date_that_does_not_exist_is_refused(client):
    signed_in(client)
    draft = begin(client)
    data = typed(FormType.WELFARE_CHECK, "concern", last_contact_0="31", last_contact_1="2", last_contact_2="2024")
    page = html(client.post(step_url(draft, "concern"), data))
    assert "The date you last had contact must be a real date" in page
    # The error summary's link puts the cursor in the day box, as GOV.UK asks, not on the group around it.
    assert '<a href="#id_last_contact_0">The date you last had contact must be a real date</a>' in page
    assert 'id="id_last_contact_0"' in page


# Ten in the morning in York on 15 June (British Summer Time: 09:00 UTC).
SUMMER_MORNING = "2026-06-15 09:00:00"


def date_and_time(day: dt.date, time: str) -> dict:
    return {"date_0": str(day.day), "date_1": str(day.month), "date_2": str(day.year), "time": time}


@freeze_time(SUMMER_MORNING)
def test_a_last_seen_time_later_today_is_refused_and_the_time_is_read_as_york_time(client):
    signed_in(client)
    draft = begin(client, "missing-person")
    today = dt.date(2026, 6, 15)
    data = {**date_and_time(today, "10:30"), "place": "Outside the school", "action": "continue"}
    response = client.post(step_url(draft, "last-seen"), data)
    page = html(response)
    assert response.status_code == 200
    assert "There is a problem" in page and "The time the person was last seen must be in the past" in page
    assert '<a href="#id_time">The time the person was last seen must be in the past</a>' in page
    assert 'value="10:30"' in page and 'value="Outside the school"' in page
    draft.refresh_from_db()
    assert "last-seen" not in draft.answers

    # 09:30 in York is 08:30 UTC: already past at 10am, though it would not be as a UTC time.
    response = client.post(step_url(draft, "last-seen"), {**data, "time": "09:30"})
    assert response["Location"] == step_url(draft, "circumstances")
    draft.refresh_from_db()
    assert draft.answers["last-seen"]["time"] == "09:30"


@freeze_time(SUMMER_MORNING)
def test_a_return_in_the_future_or_before_the_person_was_last_seen_is_refused(client):
    partner = signed_in(client)
    answers = sample_answers(FormType.MISSING_PERSON)
    answers["last-seen"].update(date="2026-06-14", time="16:30")
    original = submit_sample(FormType.MISSING_PERSON, by=partner, team=force_control_room(), answers=answers)
    draft = begin(client, "missing-person-returned", reference=original.reference)
    client.post(step_url(draft, "original"), {"reference": original.reference, "action": "continue"})
    rest = {"where_found": "Returned home", "interview": "not_yet", "action": "continue"}

    for day, time, field, message in [
        (dt.date(2026, 6, 15), "11:00", "time", "The time the person returned must be in the past"),
        (
            dt.date(2026, 6, 14),
            "15:45",
            "time",
            "The time the person returned must be after the time they were last seen: 4:30pm on 14 June 2026",
        ),
        (
            dt.date(2026, 6, 13),
            "20:00",
            "date_0",
            "The date the person returned must be the same as or after the date they were last seen: 14 June 2026",
        ),
    ]:
        response = client.post(step_url(draft, "return"), {**date_and_time(day, time), **rest})
        page = html(response)
        assert response.status_code == 200, (day, time)
        assert "There is a problem" in page and f'<a href="#id_{field}">{message}</a>' in page
        assert f'value="{time}"' in page and 'value="Returned home"' in page
    draft.refresh_from_db()
    assert "return" not in draft.answers

    response = client.post(step_url(draft, "return"), {**date_and_time(dt.date(2026, 6, 14), "21:10"), **rest})
    assert response["Location"] == reverse("referrals:check_answers", args=[draft.pk])
    client.post(reverse("referrals:check_answers", args=[draft.pk]), {"confirm": "on"})
    assert Submission.objects.get(form_type=FormType.PERSON_RETURNED).answers["return"]["time"] == "21:10"


# --- Save and come back later ------------------------------------------------------------------------


def test_save_and_come_back_later_keeps_even_unchecked_input_and_shows_it_again(client):
    signed_in(client)
    draft = begin(client)
    client.post(step_url(draft, "person"), typed(FormType.WELFARE_CHECK, "person"))
    response = client.post(
        step_url(draft, "address"), {"address": "", "postcode": "YO1 not finished", "action": "save"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:draft_saved", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.unchecked["address"] == {"address": "", "postcode": "YO1 not finished"}
    assert "address" not in draft.answers

    page = html(client.get(response["Location"]))
    assert "Your answers have been saved" in page
    assert reverse("referrals:resume", args=[draft.pk]) in page

    # Later: the forms index lists the draft, and resuming it goes to the first step not answered.
    index = html(client.get(reverse("referrals:index")))
    assert "Continue your welfare check request" in index
    resumed = client.get(reverse("referrals:resume", args=[draft.pk]))
    assert resumed["Location"] == step_url(draft, "address")
    page = html(client.get(resumed["Location"]))
    assert 'value="YO1 not finished"' in page
    assert "There is a problem" not in page, "what was kept is shown again, not checked yet"


def test_save_and_come_back_later_keeps_a_date_and_several_choices_as_typed(client):
    signed_in(client)
    draft = begin(client, "missing-person")
    client.post(step_url(draft, "risks"), {"risk_factors": ["medical", "other"], "details": "", "action": "save"})
    client.post(
        step_url(draft, "last-seen"),
        {"date_0": "12", "date_1": "13", "date_2": "2025", "time": "25:00", "place": "", "action": "save"},
    )
    page = html(client.get(step_url(draft, "last-seen")))
    assert 'value="12"' in page and 'value="13"' in page and 'value="25:00"' in page
    page = html(client.get(step_url(draft, "risks")))
    assert re.search(r'value="medical"[^>]*checked', page) and re.search(r'value="other"[^>]*checked', page)
    assert not re.search(r'value="exploitation"[^>]*checked', page)


def test_save_and_come_back_later_with_good_answers_saves_them(client):
    signed_in(client)
    draft = begin(client)
    data = typed(FormType.WELFARE_CHECK, "person", action="save")
    response = client.post(step_url(draft, "person"), data)
    assert response["Location"] == reverse("referrals:draft_saved", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.answers["person"]["full_name"] == "Jordan Avery"


def test_someone_elses_draft_is_not_theirs_to_open(client):
    owner = signed_in(client)
    draft = begin(client)
    assert draft.owner == owner
    signed_in(client)
    assert client.get(step_url(draft, "person")).status_code == 403


# --- Check your answers and sending ---------------------------------------------------------------


def test_check_your_answers_change_declaration_and_sending(client):
    route(FormType.WELFARE_CHECK, force_control_room())
    partner = signed_in(client, UserFactory(email="dsl@school.example.org"))
    draft = begin(client)
    response = fill_in(client, draft)
    check_url = reverse("referrals:check_answers", args=[draft.pk])
    assert response["Location"] == check_url

    page = html(client.get(check_url))
    assert "Check your answers before sending your form" in page
    assert "Jordan Avery" in page and "3 Sample Close, York" in page
    assert "Urgent: I am worried about their safety today" in page
    for current in definition_of(FormType.WELFARE_CHECK).steps:
        assert f'href="{step_url(draft, current.slug, change=True)}"' in page
    assert 'Change<span class="govuk-visually-hidden"> full name</span>' in page

    # Changing an answer returns to check your answers, showing the new answer.
    change = html(client.get(step_url(draft, "person", change=True)))
    assert "Save and return to check your answers" in change
    assert f'href="{check_url}"' in change, "the back link returns to check your answers"
    response = client.post(
        step_url(draft, "person", change=True), typed(FormType.WELFARE_CHECK, "person", full_name="Jordan Ashby")
    )
    assert response["Location"] == check_url
    page = html(client.get(check_url))
    assert "Jordan Ashby" in page and "Jordan Avery" not in page

    # The declaration is required.
    response = client.post(check_url, {})
    page = html(response)
    assert response.status_code == 200
    assert "There is a problem" in page and "Confirm the declaration to send the form" in page
    assert not Submission.objects.exists()

    response = client.post(check_url, {"confirm": "on"})
    submission = Submission.objects.get()
    assert response["Location"] == reverse("referrals:confirmation", args=[submission.reference])
    assert parse_reference(submission.reference) == submission.reference
    assert submission.reference.startswith("WFC-")
    assert submission.submitted_by == partner and submission.urgency == Urgency.URGENT
    assert submission.answers["person"]["full_name"] == "Jordan Ashby"

    page = html(client.get(response["Location"]))
    assert "Form sent" in page and submission.reference in page
    assert "Force Control Room" in page

    receipt = OutboxMessage.objects.get(purpose="referrals.receipt")
    assert receipt.to == "dsl@school.example.org"
    assert submission.reference in receipt.subject and submission.reference in receipt.body_text
    for text in (receipt.subject, receipt.body_text, receipt.body_html):
        assert "Jordan" not in text and "Ashby" not in text and "Sample Close" not in text

    # Sending again (a double click, or the back button) sends nothing more.
    again = client.post(check_url, {"confirm": "on"})
    assert again["Location"] == reverse("referrals:confirmation", args=[submission.reference])
    assert Submission.objects.count() == 1
    assert client.get(step_url(draft, "person"))["Location"] == again["Location"]


def test_check_your_answers_says_what_is_missing_and_will_not_send_it(client):
    route(FormType.WELFARE_CHECK, force_control_room())
    signed_in(client)
    draft = begin(client)
    client.post(step_url(draft, "person"), typed(FormType.WELFARE_CHECK, "person"))
    check_url = reverse("referrals:check_answers", args=[draft.pk])
    page = html(client.get(check_url))
    assert "You need to answer every section before you can send the form." in page
    assert "Accept and send" not in page
    assert f'href="{step_url(draft, "address", change=True)}"' in page

    page = html(client.post(check_url, {"confirm": "on"}))
    assert "There is a problem" in page and "Their address: Enter the address" in page
    assert not Submission.objects.exists()


def test_a_form_no_team_receives_yet_says_so_and_keeps_the_answers(client):
    signed_in(client)
    draft = begin(client)
    fill_in(client, draft)
    page = html(client.post(reverse("referrals:check_answers", args=[draft.pk]), {"confirm": "on"}))
    assert "no team has been set up to receive it" in page
    assert not Submission.objects.exists()
    draft.refresh_from_db()
    assert draft.answers["person"]["full_name"] == "Jordan Avery"


# --- Follow-ups ------------------------------------------------------------------------------------


def wrong_check_character(reference: str) -> str:
    right = reference[-1]
    return reference[:-1] + next(c for c in ALPHABET if c != right)


def test_a_follow_up_with_a_mistyped_reference_says_check_the_reference_number(client):
    partner = signed_in(client)
    original = submit_sample(FormType.MISSING_PERSON, by=partner, team=force_control_room())
    draft = begin(client, "missing-person-returned", reference=wrong_check_character(original.reference))

    page = html(client.get(step_url(draft, "original")))
    assert f'value="{wrong_check_character(original.reference)}"' in page, "the reference given is filled in"
    response = client.post(
        step_url(draft, "original"), {"reference": wrong_check_character(original.reference), "action": "continue"}
    )
    page = html(response)
    assert response.status_code == 200
    assert "There is a problem" in page and "Check the reference number" in page

    prefix, year, number, check = original.reference.split("-")
    mistyped_digit = f"{prefix}-{year}-{number[:-1]}{(int(number[-1]) + 6) % 10}-{check}"
    page = html(client.post(step_url(draft, "original"), {"reference": mistyped_digit, "action": "continue"}))
    assert "Check the reference number" in page

    page = html(client.post(step_url(draft, "original"), {"reference": "MPR 2026", "action": "continue"}))
    assert "Enter a reference number in the right format, like MPR-2026-000123-H" in page

    # Typed in lower case without the dashes, it is still the reference.
    compact = original.reference.replace("-", "").lower()
    response = client.post(step_url(draft, "original"), {"reference": compact, "action": "continue"})
    assert response["Location"] == step_url(draft, "return")
    draft.refresh_from_db()
    assert draft.answers["original"]["reference"] == original.reference


def test_a_follow_up_to_another_organisations_report_is_refused(client):
    original = submit_sample(FormType.MISSING_PERSON, team=force_control_room())
    signed_in(client)
    draft = begin(client, "missing-person-returned")
    page = html(client.post(step_url(draft, "original"), {"reference": original.reference, "action": "continue"}))
    assert "No missing person report from your organisation has this reference number" in page


def test_a_follow_up_is_sent_to_the_team_of_the_original_and_linked_to_it(client):
    partner = signed_in(client)
    team = force_control_room()
    original = submit_sample(FormType.MISSING_PERSON, by=partner, team=team)
    start = html(client.get(reverse("referrals:submission", args=[original.reference])))
    assert f"?reference={original.reference}" in start
    draft = begin(client, "missing-person-returned", reference=original.reference)
    answers = sample_answers(FormType.PERSON_RETURNED, original=original.reference)
    fill_in(client, draft, FormType.PERSON_RETURNED, answers)
    client.post(reverse("referrals:check_answers", args=[draft.pk]), {"confirm": "on"})
    follow_up = Submission.objects.get(form_type=FormType.PERSON_RETURNED)
    assert follow_up.follows == original and follow_up.team == team
    assert follow_up.reference in html(client.get(original.get_absolute_url()))


# --- What was sent, and who sees it ---------------------------------------------------------------------


def test_the_sender_sees_what_they_sent_without_the_teams_notes_and_each_view_is_audited(client):
    team = force_control_room()
    partner = UserFactory()
    member = member_of(team, first_name="Morgan", last_name="Fisher")
    submission = submit_sample(FormType.WELFARE_CHECK, by=partner, team=team)
    InternalNote.objects.create(
        submission=submission, team=team, text="Known to the neighbourhood team", written_by=member
    )

    signed_in(client, partner)
    before = views_of(submission)
    page = html(client.get(submission.get_absolute_url()))
    assert submission.reference in page and "Jordan Avery" in page
    assert "Known to the neighbourhood team" not in page and "Internal notes" not in page
    assert views_of(submission) == before + 1
    client.get(reverse("referrals:confirmation", args=[submission.reference]))
    assert views_of(submission) == before + 2
    sent = html(client.get(reverse("referrals:your_submissions")))
    assert submission.reference in sent
    assert views_of(submission) == before + 2, "a list is not a view of each submission"

    signed_in(client, member)
    page = html(client.get(submission.get_item_url()))
    assert "Known to the neighbourhood team" in page and "Morgan Fisher" in page
    assert "Jordan Avery" in page
    entry = AuditEntry.objects.filter(action="view", object_id=str(submission.pk)).order_by("-sequence").first()
    assert views_of(submission) == before + 3
    assert entry.actor_id == member.pk and entry.detail == "triage"


def test_someone_else_cannot_see_what_a_partner_sent(client):
    submission = submit_sample(FormType.WELFARE_CHECK, team=force_control_room())
    signed_in(client)
    assert client.get(submission.get_absolute_url()).status_code == 403
    assert client.get(reverse("referrals:confirmation", args=[submission.reference])).status_code == 403
    mistyped = wrong_check_character(submission.reference)
    assert client.get(reverse("referrals:submission", args=[mistyped])).status_code == 404


def test_an_organisation_admin_sees_what_their_organisation_sent(client):
    partner = UserFactory()
    submission = submit_sample(FormType.WELFARE_CHECK, by=partner, team=force_control_room())
    admin = make_role_user("organisation_admin", organisation=partner.organisation)
    signed_in(client, admin)
    assert client.get(submission.get_absolute_url()).status_code == 200
    assert submission.reference in html(client.get(reverse("referrals:your_submissions")))


# --- Triage ------------------------------------------------------------------------------------------


@pytest.fixture
def triage(client):
    """A welfare check in the Force Control Room's queue, and a member of that team signed in."""
    team = force_control_room()
    partner = UserFactory(email="sender@school.example.org", first_name="Sasha", last_name="Reed")
    submission = submit_sample(FormType.WELFARE_CHECK, by=partner, team=team)
    member = signed_in(client, member_of(team, first_name="Alex", last_name="Carter"))
    return team, partner, submission, member


def action_url(name: str, submission: Submission) -> str:
    return reverse(f"referrals:{name}", kwargs={"slug": submission.team.slug, "reference": submission.reference})


def test_a_team_member_claims_an_item(client, triage):
    _, _, submission, member = triage
    page = html(client.get(submission.get_item_url()))
    assert "Claim it" in page and "Nobody" in page
    response = client.post(action_url("claim", submission))
    assert response["Location"] == submission.get_item_url()
    submission.refresh_from_db()
    assert submission.assigned_to == member and submission.status == Status.IN_PROGRESS
    page = html(client.get(submission.get_item_url()))
    assert "Alex Carter" in page and "Claim it" not in page
    assert AuditEntry.objects.filter(object_id=str(submission.pk), detail="claimed").exists()


def test_a_finished_item_cannot_be_claimed(client, triage):
    _, _, submission, _ = triage
    Submission.objects.filter(pk=submission.pk).update(status=Status.CLOSED)
    response = client.post(action_url("claim", submission))
    page = html(response)
    assert response.status_code == 200
    assert "There is a problem" in page and "This item is finished. Change its status to work on it again" in page


def test_a_team_member_assigns_an_item_to_a_colleague(client, triage):
    team, _, submission, _ = triage
    colleague = member_of(team, first_name="Bo", last_name="Lind")
    outsider = UserFactory()
    page = html(client.get(action_url("assign", submission)))
    assert "Who should work on it?" in page and "Bo Lind" in page and outsider.email not in page

    page = html(client.post(action_url("assign", submission), {"assignee": outsider.pk}))
    assert "There is a problem" in page and "Choose a member of the team" in page
    page = html(client.post(action_url("assign", submission), {}))
    assert "Choose a member of the team" in page

    response = client.post(action_url("assign", submission), {"assignee": colleague.pk})
    assert response["Location"] == submission.get_item_url()
    submission.refresh_from_db()
    assert submission.assigned_to == colleague and submission.status == Status.IN_PROGRESS


def test_declining_needs_a_reason_and_the_sender_sees_it(client, triage):
    _, partner, submission, _ = triage
    url = action_url("change_status", submission)
    assert "Change the status of" in html(client.get(url))

    page = html(client.post(url, {}))
    assert "There is a problem" in page and "Choose the new status" in page

    response = client.post(url, {"status": Status.DECLINED, "reason": "  "})
    page = html(response)
    assert response.status_code == 200
    assert "There is a problem" in page and "Enter the reason for declining" in page
    submission.refresh_from_db()
    assert submission.status == Status.NEW

    response = client.post(url, {"status": Status.DECLINED, "reason": "This is a matter for the school nurse"})
    assert response["Location"] == submission.get_item_url()
    submission.refresh_from_db()
    assert submission.status == Status.DECLINED
    assert submission.decline_reason == "This is a matter for the school nurse"
    told = OutboxMessage.objects.get(purpose="referrals.status")
    assert told.to == partner.email and "Jordan" not in told.body_text

    signed_in(client, partner)
    page = html(client.get(submission.get_absolute_url()))
    assert "Declined" in page and "Reason: This is a matter for the school nurse" in page


def test_changing_to_the_same_status_or_passing_on_without_a_team_is_refused(client, triage):
    _, _, submission, _ = triage
    url = action_url("change_status", submission)
    client.post(url, {"status": Status.IN_PROGRESS})
    page = html(client.post(url, {"status": Status.IN_PROGRESS}))
    assert "This item is already in progress" in page
    page = html(client.post(url, {"status": Status.PASSED_ON}))
    assert "Choose the team to pass this to" in page
    submission.refresh_from_db()
    assert submission.status == Status.IN_PROGRESS


def test_passing_an_item_on_moves_it_out_of_the_queue(client, triage):
    team, _, submission, _ = triage
    other = receiving_team("intelligence-unit", "Intelligence Unit")
    response = client.post(
        action_url("change_status", submission), {"status": Status.PASSED_ON, "team": other.pk, "reason": ""}
    )
    assert response["Location"] == reverse("referrals:queue", args=[team.slug])
    submission.refresh_from_db()
    assert submission.team == other and submission.status == Status.PASSED_ON
    assert client.get(reverse("referrals:item", args=[team.slug, submission.reference])).status_code == 403
    assert OutboxMessage.objects.filter(purpose="referrals.team_notice", to=other.inbox_email).exists()


def test_a_team_member_adds_an_internal_note(client, triage):
    _, _, submission, member = triage
    response = client.post(action_url("add_note", submission), {"text": ""})
    page = html(response)
    assert response.status_code == 400
    assert "There is a problem" in page and "Enter the note" in page
    assert not InternalNote.objects.exists()

    response = client.post(action_url("add_note", submission), {"text": "Called the school: no news"})
    assert response["Location"] == submission.get_item_url()
    note = InternalNote.objects.get()
    assert note.written_by == member and note.text == "Called the school: no news"
    page = html(client.get(submission.get_item_url()))
    assert "Called the school: no news" in page and "No notes yet" not in page


def test_asking_the_sender_for_more_information_and_the_sender_answering(client, triage):
    _, partner, submission, member = triage
    url = action_url("ask", submission)
    page = html(client.post(url, {"question": ""}))
    assert "There is a problem" in page and "Enter what you need to know" in page

    response = client.post(url, {"question": "Does Jordan have a dog at home?"})
    assert response["Location"] == submission.get_item_url()
    submission.refresh_from_db()
    assert submission.status == Status.MORE_INFORMATION_REQUESTED and submission.assigned_to == member
    asked = submission.information_requests.get()
    mail = OutboxMessage.objects.get(purpose="referrals.information_requested")
    assert mail.to == partner.email
    assert submission.reference in mail.body_text and submission.get_absolute_url() in mail.body_text
    assert "dog" not in mail.body_text and "Jordan" not in mail.body_text, "the question is not in the email"

    signed_in(client, partner)
    page = html(client.get(submission.get_absolute_url()))
    answer_url = reverse("referrals:answer_question", args=[submission.reference, asked.pk])
    assert "Does Jordan have a dog at home?" in page and answer_url in page
    assert "Does Jordan have a dog at home?" in html(client.get(answer_url))
    page = html(client.post(answer_url, {"answer": ""}))
    assert "There is a problem" in page and "Enter your answer" in page
    response = client.post(answer_url, {"answer": "Yes, a friendly spaniel"})
    assert response["Location"] == submission.get_absolute_url()
    submission.refresh_from_db()
    assert submission.status == Status.IN_PROGRESS
    assert OutboxMessage.objects.filter(purpose="referrals.information_answered", to=member.email).exists()
    assert client.get(answer_url)["Location"] == submission.get_absolute_url(), "answered once only"

    signed_in(client, member)
    assert "Yes, a friendly spaniel" in html(client.get(submission.get_item_url()))


def test_someone_other_than_the_sender_cannot_answer_the_question(client, triage):
    _, _, submission, _ = triage
    asked = client.post(action_url("ask", submission), {"question": "Is there a dog?"})
    assert asked.status_code == 302
    pk = submission.information_requests.get().pk
    signed_in(client)
    assert client.get(reverse("referrals:answer_question", args=[submission.reference, pk])).status_code == 403


def test_grading_intelligence_3x5x2(client):
    unit = receiving_team("intelligence-unit", "Intelligence Unit")
    submission = submit_sample(FormType.COMMUNITY_INTELLIGENCE, team=unit)
    signed_in(client, member_of(unit))
    page = html(client.get(submission.get_item_url()))
    assert "Not graded yet" in page and "Grade it (3x5x2)" in page
    url = action_url("grade", submission)
    page = html(client.get(url))
    assert "Source evaluation" in page and "Intelligence assessment" in page and "Handling code" in page

    page = html(client.post(url, {}))
    assert "Select the source evaluation" in page and "Select the handling code" in page
    page = html(client.post(url, {"source": "2", "intelligence": "C", "handling": "2", "conditions": ""}))
    assert "Enter the conditions for sharing" in page

    response = client.post(
        url, {"source": "2", "intelligence": "C", "handling": "2", "conditions": "Not to be shared with the school"}
    )
    assert response["Location"] == submission.get_item_url()
    submission.refresh_from_db()
    assert (submission.source_grade, submission.intelligence_grade, submission.handling_code) == ("2", "C", "2")
    page = html(client.get(submission.get_item_url()))
    assert "Source 2: untested" in page and "Intelligence C: known indirectly to the source" in page
    assert "Conditions: Not to be shared with the school" in page


def test_only_intelligence_is_graded(client, triage):
    _, _, submission, _ = triage
    assert "Grade it (3x5x2)" not in html(client.get(submission.get_item_url()))
    page = html(client.post(action_url("grade", submission), {"source": "1", "intelligence": "A", "handling": "1"}))
    assert "Only community partner intelligence is graded" in page
    submission.refresh_from_db()
    assert submission.source_grade == ""


def test_a_member_of_another_team_cannot_open_or_act_on_the_item(client, triage):
    _, _, submission, _ = triage
    other = receiving_team("intelligence-unit", "Intelligence Unit")
    signed_in(client, member_of(other))
    for url in (submission.get_item_url(), reverse("referrals:item", args=[other.slug, submission.reference])):
        assert client.get(url).status_code in (403, 404)
    assert client.post(action_url("claim", submission)).status_code in (403, 404)
    assert client.post(action_url("add_note", submission), {"text": "Not mine"}).status_code in (403, 404)
    assert client.get(reverse("referrals:queue", args=["force-control-room"])).status_code in (403, 404)
    submission.refresh_from_db()
    assert submission.assigned_to is None and not InternalNote.objects.exists()


def test_a_partner_cannot_open_the_teams_pages(client, triage):
    _, partner, submission, _ = triage
    signed_in(client, partner)
    assert client.get(submission.get_item_url()).status_code == 403
    assert client.get(reverse("referrals:queue", args=["force-control-room"])).status_code == 403


def test_the_queue_lists_urgent_items_first_then_the_oldest(client):
    team = force_control_room()
    now = timezone.now()

    def sent(variant: int, hours_ago: int) -> Submission:
        submission = submit_sample(FormType.WELFARE_CHECK, team=team, variant=variant)
        Submission.objects.filter(pk=submission.pk).update(submitted_at=now - dt.timedelta(hours=hours_ago))
        return submission

    old_standard = sent(1, 30)  # odd variants are not urgent
    new_urgent = sent(0, 1)
    older_urgent = sent(0, 5)
    new_standard = sent(1, 2)
    closed = sent(0, 50)
    Submission.objects.filter(pk=closed.pk).update(status=Status.CLOSED)
    assert new_urgent.urgency == Urgency.URGENT and old_standard.urgency == Urgency.STANDARD

    member = member_of(team)
    signed_in(client, member)
    assert client.get(reverse("referrals:queues"))["Location"] == reverse("referrals:queue", args=[team.slug])
    page = html(client.get(reverse("referrals:queue", args=[team.slug])))
    order = [older_urgent, new_urgent, old_standard, new_standard]
    positions = [page.index(s.reference) for s in order]
    assert positions == sorted(positions)
    assert closed.reference not in page, "the queue shows open items unless asked"
    assert "Jordan Avery" not in page and "Casey Morgan" not in page, "the queue names nobody"

    everything = html(client.get(reverse("referrals:queue", args=[team.slug]), {"status": "all"}))
    assert closed.reference in everything
    urgent = html(client.get(reverse("referrals:queue", args=[team.slug]), {"urgency": "urgent"}))
    assert older_urgent.reference in urgent and old_standard.reference not in urgent


def test_a_partner_who_is_also_a_team_member_sees_the_queue_link(client):
    team = force_control_room()
    member = member_of(team)
    grant(member, Role.TEAM_MEMBER, team=receiving_team("intelligence-unit", "Intelligence Unit"))
    signed_in(client, member)
    page = html(client.get(reverse("referrals:index")))
    assert "Force Control Room queue" in page and "Intelligence Unit queue" in page
    page = html(client.get(reverse("referrals:queues")))
    assert "Your teams" in page and "Force Control Room queue" in page


def test_the_queue_finds_an_item_by_its_reference_and_checks_a_mistyped_one(client):
    team = force_control_room()
    wanted = submit_sample(FormType.WELFARE_CHECK, team=team)
    other = submit_sample(FormType.WELFARE_CHECK, team=team, variant=1)
    signed_in(client, member_of(team))
    url = reverse("referrals:queue", args=[team.slug])
    page = html(client.get(url, {"reference": wanted.reference.replace("-", " ").lower()}))
    assert wanted.reference in page and other.reference not in page
    page = html(client.get(url, {"reference": wrong_check_character(wanted.reference)}))
    assert "There is a problem" in page and "Check the reference number" in page
    assert wanted.reference in page and other.reference in page, "a mistyped reference filters nothing out"


# --- Set-up: where each form goes, and the API's tokens ------------------------------------------------


def selected(page: str, value: str) -> bool:
    return re.search(rf'<option value="{re.escape(value)}"[^>]*selected', page) is not None


@pytest.fixture
def system_admin(client):
    return signed_in(client, make_role_user("system_admin"))


def test_adding_a_routing_rule_keeps_what_was_typed_when_it_is_refused(client, system_admin):
    team = force_control_room()
    receiving_team("intelligence-unit", "Intelligence Unit")
    page = html(client.get(reverse("referrals:routing_rules")))
    assert "There are no rules yet." in page and "These forms cannot be sent until they have a rule" in page
    url = reverse("referrals:add_routing_rule")
    page = html(client.get(url))
    assert "Add a routing rule" in page and "Force Control Room (North Yorkshire Police)" in page

    page = html(client.post(url, {}))
    assert "There is a problem" in page and "Choose a form" in page and "Choose a team" in page
    page = html(client.post(url, {"form_type": FormType.WELFARE_CHECK, "answer": "urgency=urgent", "team": ""}))
    assert "There is a problem" in page and "Choose a team" in page
    assert selected(page, FormType.WELFARE_CHECK) and selected(page, "urgency=urgent")
    assert not RoutingRule.objects.exists()

    typed = {"form_type": FormType.WELFARE_CHECK, "answer": "urgency=urgent", "team": team.pk}
    response = client.post(url, typed)
    assert response["Location"] == reverse("referrals:routing_rules")
    rule = RoutingRule.objects.get()
    assert (rule.form_type, rule.answer_key, rule.answer_value, rule.team) == (
        FormType.WELFARE_CHECK,
        "urgency",
        "urgent",
        team,
    )
    assert AuditEntry.objects.filter(action="create", object_id=str(rule.pk), actor_id=system_admin.pk).exists()
    page = html(client.get(reverse("referrals:routing_rules")))
    assert "Welfare check request" in page and "Urgency: urgent" in page and "Force Control Room" in page

    # The same form and answer again: refused, and the page still shows the choices made.
    page = html(client.post(url, typed))
    assert "There is a problem" in page
    assert "A rule for this form and answer already exists: change that rule instead" in page
    assert selected(page, FormType.WELFARE_CHECK) and selected(page, "urgency=urgent") and selected(page, str(team.pk))
    assert RoutingRule.objects.count() == 1


def test_changing_a_routing_rule_starts_from_it_and_saves_the_change(client, system_admin):
    team, unit = force_control_room(), receiving_team("intelligence-unit", "Intelligence Unit")
    rule = route(FormType.COMMUNITY_INTELLIGENCE, team)
    url = reverse("referrals:edit_routing_rule", args=[rule.pk])
    assert f'href="{url}"' in html(client.get(reverse("referrals:routing_rules")))
    page = html(client.get(url))
    assert "Change a routing rule" in page
    assert selected(page, FormType.COMMUNITY_INTELLIGENCE) and selected(page, str(team.pk))

    page = html(client.post(url, {"form_type": FormType.COMMUNITY_INTELLIGENCE, "answer": "", "team": "999999"}))
    assert "There is a problem" in page and "Choose a team" in page
    assert selected(page, FormType.COMMUNITY_INTELLIGENCE)
    rule.refresh_from_db()
    assert rule.team == team

    response = client.post(url, {"form_type": FormType.COMMUNITY_INTELLIGENCE, "answer": "", "team": unit.pk})
    assert response["Location"] == reverse("referrals:routing_rules")
    rule.refresh_from_db()
    assert rule.team == unit and RoutingRule.objects.count() == 1
    assert AuditEntry.objects.filter(action="change", object_id=str(rule.pk)).exists()
    assert submit_sample(FormType.COMMUNITY_INTELLIGENCE).team == unit, "new forms go to the new team"


def test_deleting_a_routing_rule_asks_first_and_then_the_form_cannot_be_sent(client, system_admin):
    rule = route(FormType.WELFARE_CHECK, force_control_room())
    url = reverse("referrals:delete_routing_rule", args=[rule.pk])
    page = html(client.get(url))
    assert "Delete the rule that sends each welfare check request to the Force Control Room?" in page
    assert "Delete rule" in page
    assert RoutingRule.objects.exists(), "opening the page deletes nothing"

    response = client.post(url)
    assert response["Location"] == reverse("referrals:routing_rules")
    assert not RoutingRule.objects.exists()
    assert AuditEntry.objects.filter(action="delete", object_id=str(rule.pk)).exists()
    page = html(client.get(reverse("referrals:routing_rules")))
    assert "These forms cannot be sent until they have a rule" in page and "Welfare check request" in page


def test_the_routing_page_warns_of_each_team_that_would_not_be_told_of_new_forms(client, system_admin):
    silent = receiving_team("safeguarding-hub", "Safeguarding Hub")
    silent.inbox_email = ""
    silent.save()
    told = force_control_room()
    route(FormType.WELFARE_CHECK, silent)
    route(FormType.TARGETED_INTERVENTION, silent)
    route(FormType.MISSING_PERSON, told)

    page = html(client.get(reverse("referrals:routing_rules")))
    warning = "The Safeguarding Hub has no inbox email address, so nobody there is told when a form reaches its queue."
    assert page.count(warning) == 1, "one warning for the team, however many rules send work to it"
    assert page.count("has no inbox email address") == 1, "the team with an inbox is not named"
    edit = reverse("accounts:team_edit", args=[silent.organisation_id, silent.pk])
    assert f'<a class="govuk-link" href="{edit}">Add an inbox email address for the Safeguarding Hub</a>' in page
    assert not OutboxMessage.objects.filter(purpose="referrals.team_notice").exists()
    submit_sample(FormType.WELFARE_CHECK)
    assert not OutboxMessage.objects.filter(purpose="referrals.team_notice").exists(), "what the warning is about"

    silent.inbox_email = "hub@safeguarding.example.org"
    silent.save()
    assert "has no inbox email address" not in html(client.get(reverse("referrals:routing_rules")))


def test_an_organisation_admin_issues_a_token_and_sees_its_secret_once(client):
    admin = signed_in(client, make_role_user("organisation_admin"))
    organisation = admin.organisation
    other = UserFactory().organisation
    url = reverse("referrals:issue_api_token")
    page = html(client.get(url))
    assert "Issue an API token" in page and organisation.name in page and other.name not in page

    bad = {"organisation": organisation.pk, "name": "", "contact_email": "cases-at-example"}
    page = html(client.post(url, bad))
    assert "There is a problem" in page
    assert "Enter which system will use the token" in page
    assert "Enter an email address in the correct format, like name@example.org" in page
    assert 'value="cases-at-example"' in page and selected(page, str(organisation.pk))
    page = html(client.post(url, {**bad, "organisation": other.pk, "name": "Case system"}))
    assert "Choose an organisation" in page and 'value="Case system"' in page
    assert not ApiToken.objects.exists()

    response = client.post(url, {"organisation": organisation.pk, "name": "Case system", "contact_email": "c@x.org"})
    page = html(response)
    assert response.status_code == 200 and "API token issued" in page
    assert "Copy the token now" in page and "cannot show it again" in page
    assert "no-store" in response["Cache-Control"]
    secret = re.search(r'id="token" type="text" value="(hub_[^"]+)"', page).group(1)
    token = ApiToken.objects.get()
    assert (token.organisation, token.name, token.contact_email, token.issued_by) == (
        organisation,
        "Case system",
        "c@x.org",
        admin,
    )
    assert services.token_for(secret) == token and secret not in (token.secret_hash, token.prefix)
    assert secret.startswith(token.prefix)

    # Nowhere shows it again: the list gives only its start.
    listed = html(client.get(reverse("referrals:api_tokens")))
    assert token.prefix in listed and secret not in listed and "Receipts to c@x.org" in listed
    assert secret not in html(client.get(url))
    api = client.get("/api/v1/submissions/", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 200


def test_revoking_a_token_through_the_pages_stops_it_working(client):
    admin = signed_in(client, make_role_user("organisation_admin"))
    token, secret = services.issue_api_token(
        organisation=admin.organisation, name="Case system", contact_email="c@x.org", by=admin
    )
    url = reverse("referrals:revoke_api_token", args=[token.pk])
    assert f'href="{url}"' in html(client.get(reverse("referrals:api_tokens")))
    page = html(client.get(url))
    assert f"Revoke the token {token.prefix} of {admin.organisation.name}?" in page and "Revoke token" in page
    token.refresh_from_db()
    assert token.is_active, "opening the page revokes nothing"

    response = client.post(url)
    assert response["Location"] == reverse("referrals:api_tokens")
    token.refresh_from_db()
    assert not token.is_active and token.revoked_by == admin
    assert AuditEntry.objects.filter(object_id=str(token.pk), detail="revoked").count() == 1
    listed = html(client.get(reverse("referrals:api_tokens")))
    assert "Revoked" in listed and f'href="{url}"' not in listed
    assert client.get("/api/v1/submissions/", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    assert "This token has already been revoked." in html(client.get(url))
    client.post(url)
    assert AuditEntry.objects.filter(object_id=str(token.pk), detail="revoked").count() == 1, "revoked once"


def test_a_finished_item_offers_neither_claiming_nor_asking_the_sender(client, triage):
    _, _, submission, _ = triage
    page = html(client.get(submission.get_item_url()))
    assert "Claim it" in page and "Ask the sender for more information" in page
    Submission.objects.filter(pk=submission.pk).update(status=Status.CLOSED)
    page = html(client.get(submission.get_item_url()))
    assert "Claim it" not in page and "Ask the sender for more information" not in page
    assert "Change the status" in page
    page = html(client.get(action_url("ask", submission)))
    assert "This item is closed, so the sender cannot be asked for more" in page
    assert 'name="question"' not in page


def test_the_status_page_offers_only_statuses_the_item_can_move_to(client, triage):
    _, _, submission, _ = triage
    url = action_url("change_status", submission)

    def offered() -> set[str]:
        page = html(client.get(url))
        return set(re.findall(r'name="status"\s+class="govuk-radios__input"\s+id="[^"]+"\s+value="([a-z_]+)"', page))

    Submission.objects.filter(pk=submission.pk).update(status=Status.IN_PROGRESS)
    assert offered() == {Status.ACTIONED, Status.CLOSED, Status.DECLINED, Status.PASSED_ON}
    Submission.objects.filter(pk=submission.pk).update(status=Status.CLOSED)
    assert offered() == {Status.IN_PROGRESS, Status.ACTIONED, Status.DECLINED, Status.PASSED_ON}
    Submission.objects.filter(pk=submission.pk).update(status=Status.PASSED_ON)
    assert Status.PASSED_ON in offered(), "it can be passed on again, to another team"
