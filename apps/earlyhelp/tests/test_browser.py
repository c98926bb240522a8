"""The early help record in a real browser, with axe-core on every page passed: starting and completing an
assessment (with a mistake on the way), then the team around the family, a review, a step up and down, and
closing the record; and a family's page on a phone."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from apps.accounts.models import Sector
from apps.accounts.tests.factories import OrganisationFactory, UserFactory
from apps.core.tests.fixtures import assert_accessible, use_session_of
from apps.earlyhelp import services
from apps.earlyhelp.models import AssessmentStatus, ClosureReason, Family, FamilyStatus, PlanAction, StepDirection
from apps.earlyhelp.tests.factories import open_family
from apps.referrals.models import FormType, Submission
from apps.referrals.tests.factories import receiving_team, route

SCHOOL = "Clifton Green Primary School"


def arrive(page, heading: str | re.Pattern) -> None:
    """The page with this heading has loaded, with no error summary, and passes axe-core."""
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").count() == 0, page.locator(".govuk-error-summary").inner_text()
    page.get_by_role("heading", name=heading, level=1).wait_for()
    assert_accessible(page)


def follow(page, link: str | re.Pattern, heading: str | re.Pattern) -> None:
    page.get_by_role("link", name=link, exact=isinstance(link, str)).first.click()
    arrive(page, heading)


def press(page, button: str, heading: str | re.Pattern) -> None:
    page.get_by_role("button", name=button, exact=True).click()
    arrive(page, heading)


def choose(page, question: str | re.Pattern, answer: str) -> None:
    page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()


def fill_date(page, question: str, day: str, month: str, year: str) -> None:
    date = page.get_by_role("group", name=question)
    for part, value in (("Day", day), ("Month", month), ("Year", year)):
        date.get_by_label(part, exact=True).fill(value)


def today_parts() -> tuple[str, str, str]:
    today = timezone.localdate()
    return str(today.day), str(today.month), str(today.year)


def status_on(page) -> str:
    return page.locator(".govuk-summary-list__row", has_text="Status").first.inner_text()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_start_an_assessment_add_a_child_write_each_section_and_sign_it_off(page, live_server, client):
    lead = UserFactory(
        first_name="Priya", last_name="Shah", organisation=OrganisationFactory(name=SCHOOL, sector=Sector.EDUCATION)
    )
    use_session_of(page, client, live_server, lead)

    page.goto("/early-help/")
    arrive(page, "Early help")
    press(page, "Start an assessment", "Start an Early Help Assessment")  # a start button: a link drawn as one
    page.get_by_label("How is the family known?").fill("The Fictional-Avery family")
    page.get_by_label("The family's postcode").fill("YO30 6AA")
    choose(page, "Has the family given consent to the assessment?", "Yes")
    page.get_by_label("Name of the person who gave consent").fill("Sam Fictional-Avery")
    choose(page, "Who gave consent?", "Parent or carer")
    fill_date(page, "Date consent was given", *today_parts())
    choose(page, "How was consent given?", "Written")
    choose(page, "Which agencies may the assessment be shared with?", SCHOOL)
    press(page, "Start the assessment", "Early Help Assessment")
    family = Family.objects.get(lead=lead)
    assert family.status == FamilyStatus.DRAFT and family.consents.get().given_by_name == "Sam Fictional-Avery"

    # A child, with a date that does not exist and an NHS number that fails its check: both are named in the
    # error summary, and everything typed is still there to correct.
    follow(page, "The people in the family", "Add a person to the family")
    choose(page, "Who are they in the family?", "Child")
    page.get_by_label("First name", exact=True).fill("Jordan")
    page.get_by_label("Last name", exact=True).fill("Fictional-Avery")
    fill_date(page, "Date of birth", "31", "2", "2015")
    page.get_by_label("NHS number (optional)").fill("123 456 7890")
    page.get_by_label("School or early years setting (optional)").fill(SCHOOL)
    page.get_by_role("button", name="Add the person").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "There is a problem" in summary.inner_text()
    assert summary.get_by_role("link", name="Their date of birth must be a real date").count() == 1
    assert summary.get_by_role("link", name=re.compile("Enter a real NHS number")).count() == 1
    assert_accessible(page, context="adding a person, with errors")
    assert page.get_by_label("First name", exact=True).input_value() == "Jordan"
    assert page.get_by_label("Last name", exact=True).input_value() == "Fictional-Avery"
    assert page.get_by_label("NHS number (optional)").input_value() == "123 456 7890"
    assert page.get_by_label("School or early years setting (optional)").input_value() == SCHOOL
    assert page.get_by_role("group", name="Date of birth").get_by_label("Day", exact=True).input_value() == "31"
    assert page.get_by_role("group", name="Who are they in the family?").get_by_label("Child", exact=True).is_checked()
    assert not family.members.exists()

    fill_date(page, "Date of birth", "27", "3", "2014")
    page.get_by_label("NHS number (optional)").fill("943 476 5919")
    press(page, "Add the person", "The Fictional-Avery family")
    (child,) = family.members.all()
    assert (child.first_name, child.nhs_number, child.school) == ("Jordan", "9434765919", SCHOOL)

    # The three sections, each saved and continued back to the task list.
    follow(page, "View the assessment", "Early Help Assessment")
    follow(page, "The family's story and the voice of the child", "The family's story and the voice of the child")
    page.get_by_label("The family's story, in their words").fill("We moved here last year and miss our friends.")
    page.get_by_label("The voice of the child").fill("Jordan says school is too loud.")
    press(page, "Save and continue", "Early Help Assessment")

    follow(page, re.compile("^What is working well"), re.compile("^What is working well"))
    page.get_by_label("What is working well?").fill("Sam takes Jordan to school every day.")
    page.get_by_label("What are we worried about?").fill("Jordan has missed 30 sessions this term.")
    page.get_by_label("What needs to happen?").fill("Jordan goes to school every day and feels safe there.")
    choose(page, re.compile("^On a scale of 0 to 10"), "6")
    press(page, "Save and continue", "Early Help Assessment")

    follow(page, "The family's needs", "The family's needs")
    choose(page, "Which of the family's needs does the assessment show?", "Getting a good education")
    page.get_by_label("Getting a good education: what does the family need? (optional)").fill("Help to get to school")
    press(page, "Save and continue", "Early Help Assessment")
    assert page.locator(".govuk-tag", has_text="Incomplete").count() == 0

    follow(page, "Check and sign off", "Check and sign off the assessment")
    press(page, "Sign off the assessment", "The Fictional-Avery family")
    assert "Open: plan in place" in status_on(page)
    assessment = family.assessments.get()
    assert assessment.status == AssessmentStatus.COMPLETED and assessment.signed_off_by == lead
    assert assessment.scaling == 6 and assessment.needs == {"education": "Help to get to school"}
    family.refresh_from_db()
    assert family.status == FamilyStatus.OPEN and family.next_review_on is not None


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_add_a_team_member_hold_a_review_step_up_and_down_and_close_the_record(page, live_server, client):
    lead = UserFactory(first_name="Priya", last_name="Shah")
    health = OrganisationFactory(name="York and Scarborough Teaching Hospitals NHS Foundation Trust")
    health_visitor = UserFactory(first_name="Hana", last_name="Webb", organisation=health)
    family = open_family(lead)
    (action,) = PlanAction.objects.filter(outcome__family=family)
    council = OrganisationFactory(name="City of York Council")
    route(FormType.TARGETED_INTERVENTION, receiving_team("targeted-intervention-service", organisation=council))
    use_session_of(page, client, live_server, lead)

    page.goto(f"/early-help/{family.pk}/")
    arrive(page, family.name)

    follow(page, "Add someone to the team", "Add someone to the team around the family")
    page.get_by_label("The practitioner's e-mail address").fill(health_visitor.email.upper())
    page.get_by_label("Their role for this family").fill("Health visitor")
    press(page, "Add them to the team", family.name)
    team = page.locator("table", has_text="Hana Webb")
    assert "Health visitor" in team.inner_text() and health.name in team.inner_text()
    assert family.team.filter(user=health_visitor, left_at__isnull=True).exists()

    follow(page, "Review the plan", "Review the plan")
    fill_date(page, "Date of the review", *today_parts())
    choose(page, "On a scale of 0 to 10, where are things now?", "7")
    choose(page, f"How does “{action.what}” stand?", "In progress")
    page.get_by_label(f"Progress on “{action.what}” (optional)").fill("Two meetings so far.")
    page.get_by_label("What changes in the plan? (optional)").fill("Keep going; add a mentor.")
    press(page, "Save the review", family.name)
    assert "scaling 7 out of 10" in page.locator("main").inner_text()
    review = family.reviews.get()
    assert review.progress == {str(action.pk): {"status": "in_progress", "note": "Two meetings so far."}}

    follow(page, "Step up", "Step the family up")
    choose(page, "Where is the family being stepped up to?", "Targeted Intervention Service")
    page.get_by_label("Why?").fill("Attendance has fallen further and there are new worries at home.")
    press(page, "Step up", family.name)
    assert "Stepped up" in status_on(page)
    family.refresh_from_db()
    assert family.status == FamilyStatus.STEPPED_UP and family.referred_to_tis
    step = family.step_changes.get(direction=StepDirection.UP)
    assert step.carried["plan"]
    # The request went to the service's triage queue, filled in from the record.
    assert step.submission == Submission.objects.get(form_type=FormType.TARGETED_INTERVENTION)
    assert step.submission.answers["family"]["child_name"] == "Jordan Lee Fictional-Avery"

    follow(page, "Step down to early help", "Step the family down to early help")
    choose(page, "Which service is the family stepping down from?", "Targeted Intervention Service")
    page.get_by_label("Why?").fill("The Targeted Intervention Service's work is done; early help continues.")
    press(page, "Step down", family.name)
    assert "Open: plan in place" in status_on(page)

    follow(page, "Close the record", "Close the record")
    choose(page, "Why is the record closing?", "Outcomes achieved")
    choose(page, "Getting a good education: was significant and sustained progress made?", "Yes")
    page.get_by_label("Getting a good education: the evidence").fill("Full attendance for the last six weeks.")
    press(page, "Close the record", family.name)
    assert "Closed" in status_on(page)
    assert "significant and sustained progress" in page.locator("main").inner_text()
    family.refresh_from_db()
    assert family.status == FamilyStatus.CLOSED and family.closure_reason == ClosureReason.OUTCOMES_ACHIEVED
    assert family.closure_outcomes.get().significant_progress

    follow(page, "Chronology", "Chronology")
    titles = page.locator(".govuk-summary-card__title").all_inner_texts()
    for kind in ("Joined the team around the family", "Review", "Stepped up", "Stepped down", "Closed"):
        assert any(title.endswith(f": {kind}") for title in titles), (kind, titles)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_family_page_fits_a_375_pixel_wide_phone(browser, live_server, client):
    lead = UserFactory(first_name="Priya", last_name="Shah")
    family = open_family(lead)
    services.add_team_member(
        family=family,
        user=UserFactory(organisation=OrganisationFactory(name="York and Scarborough Teaching Hospitals NHS Trust")),
        role="Health visitor",
        by=lead,
    )
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15_000)
    try:
        phone = context.new_page()
        use_session_of(phone, client, live_server, lead)
        phone.goto(f"/early-help/{family.pk}/")
        arrive(phone, family.name)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        context.close()
