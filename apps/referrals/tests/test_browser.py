"""Partner forms in a real browser, with axe-core on every page passed: sending each form, saving and coming
back, changing an answer, and the Force Control Room working an item."""

from __future__ import annotations

import re

import pytest
from crispy_forms_gds.fields import DateInputField
from django import forms
from django.urls import reverse

from apps.accounts.tests.factories import UserFactory, with_totp
from apps.core.tests.fixtures import assert_accessible, use_session_of
from apps.notifications.models import OutboxMessage
from apps.referrals import services
from apps.referrals.models import FormType, InternalNote, Status, Submission
from apps.referrals.questions import definition_of
from apps.referrals.questions.base import Step
from apps.referrals.references import parse_reference
from apps.referrals.samples import sample_answers
from apps.referrals.tests.factories import receiving_team, route, submit_sample, team_member

FIVE_FORMS = [
    FormType.MISSING_PERSON,
    FormType.MHA_ASSESSMENT,
    FormType.WELFARE_CHECK,
    FormType.COMMUNITY_INTELLIGENCE,
    FormType.TARGETED_INTERVENTION,
]


def answer(page, step: Step, answers: dict) -> None:
    """Fill in one step as a person would: find each question by its label, type or tick the sample answer."""
    typed = step.form.data_from(answers)
    for name, field in step.form.base_fields.items():
        label = str(field.label)
        value = answers.get(name)
        if value in (None, "", []) or isinstance(field, forms.FileField):
            continue
        if isinstance(field, DateInputField):
            date = page.get_by_role("group", name=label)
            for index, part in enumerate(("Day", "Month", "Year")):
                date.get_by_label(part, exact=True).fill(typed[f"{name}_{index}"])
        elif isinstance(field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            options = page.get_by_role("group", name=label)
            for chosen in value if isinstance(value, list) else [value]:
                options.get_by_label(str(dict(field.choices)[chosen]), exact=True).check()
        else:
            page.get_by_label(label, exact=True).fill(str(value))


def continue_to(page, heading: str | re.Pattern, button: str = "Continue") -> None:
    page.get_by_role("button", name=button).click()
    page.get_by_role("heading", name=heading, level=1).wait_for()
    assert page.locator(".govuk-error-summary").count() == 0, page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)


def start(page, form_type: str) -> None:
    definition = definition_of(form_type)
    page.goto(reverse("referrals:index"))
    assert_accessible(page)
    page.get_by_role("link", name=definition.title, exact=True).click()
    page.get_by_role("heading", name=definition.title, level=1).wait_for()
    assert_accessible(page)
    continue_to(page, definition.steps[0].title, button="Start now")


def send(page) -> Submission:
    page.get_by_label(re.compile("I confirm that the information I have given is correct")).check()
    page.get_by_role("button", name="Accept and send").click()
    page.get_by_role("heading", name="Form sent").wait_for()
    assert_accessible(page)
    submission = Submission.objects.get()
    assert parse_reference(submission.reference) == submission.reference
    assert page.locator(".govuk-panel__body").inner_text().split()[-1] == submission.reference
    return submission


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("form_type", FIVE_FORMS)
def test_each_form_from_its_start_page_to_the_confirmation(page, live_server, client, form_type):
    definition = definition_of(form_type)
    team = receiving_team("the-receiving-team", definition.receiver)
    route(form_type, team)
    partner = UserFactory()
    answers = sample_answers(form_type)
    use_session_of(page, client, live_server, partner)

    start(page, form_type)
    for current, following in zip(definition.steps, [*definition.steps[1:], None], strict=True):
        assert page.get_by_text(f"section {definition.steps.index(current) + 1} of {len(definition.steps)}").count()
        answer(page, current, answers[current.slug])
        continue_to(page, following.title if following else "Check your answers before sending your form")

    # Every answer given is there to check.
    summary = page.locator("main").inner_text()
    for current in definition.steps:
        assert current.title in summary
        for name, field in current.form.base_fields.items():
            value = answers[current.slug].get(name)
            if isinstance(field, forms.CharField) and value:
                assert value in summary, f"{value!r} is not on check your answers"

    # The declaration is needed.
    page.get_by_role("button", name="Accept and send").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert page.get_by_role("link", name="Confirm the declaration to send the form").count() == 1
    assert_accessible(page)
    submission = send(page)
    assert submission.form_type == form_type and submission.team == team
    assert submission.answers == services.validate_answers(
        definition, answers, organisation=partner.organisation, keep_files=True
    )
    assert OutboxMessage.objects.filter(purpose="referrals.receipt", to=partner.email).exists()

    page.get_by_role("link", name="See what you sent and its status").click()
    page.get_by_role("heading", name=submission.reference, level=1).wait_for()
    assert_accessible(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_save_a_welfare_check_and_come_back_later_to_finish_it(page, live_server, client):
    route(FormType.WELFARE_CHECK, receiving_team("force-control-room", "Force Control Room"))
    definition = definition_of(FormType.WELFARE_CHECK)
    answers = sample_answers(FormType.WELFARE_CHECK)
    use_session_of(page, client, live_server, UserFactory())

    start(page, FormType.WELFARE_CHECK)
    page.get_by_label("Full name", exact=True).fill("Riley Hughes")
    page.get_by_label("Age, if you do not know their date of birth").fill("15")
    continue_to(page, "Their address")
    # Half done, and not yet right: saved as it is.
    page.get_by_label("Postcode (optional)").fill("YO24 0ZZ")
    continue_to(page, "Your answers have been saved", button="Save and come back later")

    page.goto("/")
    page.goto(reverse("referrals:index"))
    assert_accessible(page)
    page.get_by_role("link", name="Continue your welfare check request").click()
    page.get_by_role("heading", name="Their address", level=1).wait_for()
    assert_accessible(page)
    assert page.get_by_label("Postcode (optional)").input_value() == "YO24 0ZZ"
    page.get_by_label("Address", exact=True).fill("3 Sample Close, York")
    for current in definition.steps[2:]:
        continue_to(page, current.title)
        answer(page, current, answers[current.slug])
    continue_to(page, "Check your answers before sending your form")
    main = page.locator("main")
    assert "Riley Hughes" in main.inner_text() and "YO24 0ZZ" in main.inner_text()
    submission = send(page)
    assert submission.answers["address"] == {"address": "3 Sample Close, York", "postcode": "YO24 0ZZ"}
    assert submission.answers["person"]["full_name"] == "Riley Hughes"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_change_an_answer_from_check_your_answers(page, live_server, client):
    route(FormType.WELFARE_CHECK, receiving_team("force-control-room", "Force Control Room"))
    partner = UserFactory()
    draft = services.start_draft(
        definition=definition_of(FormType.WELFARE_CHECK), owner=partner, answers=sample_answers(FormType.WELFARE_CHECK)
    )
    use_session_of(page, client, live_server, partner)
    page.goto(reverse("referrals:check_answers", args=[draft.pk]))
    assert_accessible(page)
    row = page.locator(".govuk-summary-list__row", has_text="Postcode")
    assert "YO24 0ZZ" in row.inner_text()

    row.get_by_role("link", name="Change postcode").click()
    page.get_by_role("heading", name="Their address", level=1).wait_for()
    assert_accessible(page)
    page.get_by_label("Postcode (optional)").fill("YO10 5DD")
    continue_to(page, "Check your answers before sending your form", button="Save and return to check your answers")
    assert "YO10 5DD" in row.inner_text() and "YO24 0ZZ" not in page.locator("main").inner_text()

    # A change that is not right says so on its page, and back at check your answers nothing changed.
    page.get_by_role("link", name="Change full name").click()
    page.get_by_label("Full name", exact=True).fill("")
    page.get_by_role("button", name="Save and return to check your answers").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Enter the person's full name").click()
    assert page.evaluate("document.activeElement.id") == "id_full_name"
    page.get_by_role("link", name="Back").click()
    page.get_by_role("heading", name="Check your answers before sending your form").wait_for()
    assert "Jordan Avery" in page.locator("main").inner_text()
    assert send(page).answers["address"]["postcode"] == "YO10 5DD"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_force_control_room_claims_an_item_adds_a_note_and_changes_its_status(page, live_server, client):
    team = receiving_team("force-control-room", "Force Control Room")
    submission = submit_sample(FormType.WELFARE_CHECK, team=team)
    standard = submit_sample(FormType.WELFARE_CHECK, team=team, variant=1)
    member = with_totp(team_member(team, first_name="Alex", last_name="Carter"))
    use_session_of(page, client, live_server, member)

    page.goto(reverse("referrals:index"))
    page.get_by_role("link", name="Force Control Room queue").click()
    page.get_by_role("heading", name="Force Control Room queue").wait_for()
    assert_accessible(page)
    rows = page.locator("tbody tr")
    assert submission.reference in rows.nth(0).inner_text() and "Urgent" in rows.nth(0).inner_text()
    assert standard.reference in rows.nth(1).inner_text()

    page.get_by_role("link", name=submission.reference).click()
    page.get_by_role("heading", name=submission.reference, level=1).wait_for()
    assert_accessible(page)
    assert "Jordan Avery" in page.locator("main").inner_text()

    page.get_by_role("button", name="Claim it").click()
    page.get_by_role("button", name="Claim it").wait_for(state="detached")
    assert_accessible(page)
    assigned = page.locator(".govuk-summary-list__row", has_text="Assigned to")
    assert "Alex Carter" in assigned.inner_text()

    page.get_by_role("button", name="Add note").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert_accessible(page)
    page.get_by_label("Add an internal note").fill("Spoke to the school: they will try once more")
    page.get_by_role("button", name="Add note").click()
    page.get_by_text("Spoke to the school: they will try once more").wait_for()
    assert_accessible(page)

    page.get_by_role("link", name="Change the status").click()
    page.get_by_role("heading", name=f"Change the status of {submission.reference}").wait_for()
    assert_accessible(page)
    page.get_by_label("Declined (give a reason)").check()
    page.get_by_role("button", name="Change status").click()
    page.get_by_role("link", name="Enter the reason for declining").wait_for()
    assert_accessible(page)
    page.get_by_label("Actioned").check()
    page.get_by_role("button", name="Change status").click()
    page.get_by_role("heading", name=submission.reference, level=1).wait_for()
    assert_accessible(page)
    status = page.locator(".govuk-summary-list__row", has_text="Status")
    assert "Actioned" in status.first.inner_text()

    submission.refresh_from_db()
    assert submission.status == Status.ACTIONED and submission.assigned_to == member
    assert InternalNote.objects.get().written_by == member


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pasting_a_long_description_keeps_it_all_and_the_character_count_says_how_much_is_too_much(
    page, live_server, client
):
    use_session_of(page, client, live_server, UserFactory())
    start(page, FormType.MISSING_PERSON)
    answer(page, definition_of(FormType.MISSING_PERSON).steps[0], sample_answers(FormType.MISSING_PERSON)["person"])
    continue_to(page, "What they look like")
    pasted = "Tall, " * 834  # 5,004 characters
    description = page.get_by_label("Describe the person", exact=True)
    description.fill(pasted)
    assert description.input_value() == pasted, "the browser kept every character"
    page.get_by_text("You have 4 characters too many").first.wait_for()
    assert_accessible(page)
    page.get_by_label("What were they wearing when last seen?", exact=True).fill("A black coat")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert page.get_by_role("link", name="Description must be 5,000 characters or fewer").count() == 1
    assert page.get_by_label("Describe the person", exact=True).input_value().strip() == pasted.strip()
    assert_accessible(page)
