"""The PAMIC tool in a real browser: on a record, without one, and the business unit's versions; every page, and
every page's errors, scanned with axe-core; the grid's pages on a 375 px phone."""

from __future__ import annotations

import re

import pytest

from apps.accounts.tests.factories import make_role_user
from apps.core.tests.fixtures import assert_accessible, use_session_of
from apps.earlyhelp.tests.factories import open_family

from ..models import PamicResult
from .factories import family_with_parent, saved_result

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def errors_shown(page) -> int:
    page.wait_for_load_state()
    return page.locator(".govuk-error-summary").count()


def answer(page, *, likelihood: str, severity: str) -> None:
    page.get_by_label("The adult's mental ill health, as described").fill("Depression since the baby was born.")
    page.get_by_role("radio", name=re.compile(f"^{likelihood}:")).check()
    page.get_by_role("radio", name=re.compile(f"^{severity}:")).check()
    page.get_by_role("checkbox", name=re.compile("^Another protective adult")).check()


def test_the_lead_uses_the_tool_on_the_record_through_its_errors_and_saves_the_result(page, live_server, client):
    family = family_with_parent()
    use_session_of(page, client, live_server, family.lead)
    page.goto(f"/early-help/{family.pk}/")
    page.get_by_role("link", name="Use the PAMIC tool").click()
    page.get_by_role("heading", level=1, name="Your answers").wait_for()
    assert_accessible(page, context="PAMIC answers on a record")
    page.get_by_role("button", name="Continue").click()
    assert errors_shown(page) == 1
    assert_accessible(page, context="PAMIC answers with errors")
    page.get_by_role("radio", name=re.compile("^Sam")).check()
    page.get_by_role("radio", name=re.compile("^Jordan")).check()
    answer(page, likelihood="Likely", severity="Significant")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", level=1, name="Your professional judgement").wait_for()
    assert "The result: the answers fall here" in page.content()
    assert_accessible(page, context="PAMIC judgement")
    page.get_by_role("radio", name=re.compile("^Level 2")).check()
    page.get_by_role("button", name="Save the result on the record").click()
    assert errors_shown(page) == 1
    assert page.get_by_role("radio", name=re.compile("^Level 2")).is_checked()
    assert_accessible(page, context="PAMIC judgement with its error")
    page.get_by_label(re.compile("Why does your judgement differ")).fill("The grandmother now lives with them.")
    page.get_by_role("button", name="Save the result on the record").click()
    page.get_by_role("heading", level=1, name="The result: Level 2: moderate impact").wait_for()
    assert "Moved the result down to Level 2" in page.content()
    assert_accessible(page, context="PAMIC saved result")
    page.get_by_role("link", name="The family's PAMIC results").click()
    assert_accessible(page, context="the family's PAMIC results")
    assert PamicResult.objects.get().judgement_reason == "The grandmother now lives with them."


def test_a_practitioner_uses_the_tool_without_a_record_and_is_told_nothing_is_saved(page, live_server, client):
    use_session_of(page, client, live_server, make_role_user("practitioner"))
    page.goto("/practice-tools/pamic/")
    assert_accessible(page, context="PAMIC start")
    page.get_by_role("button", name="Use the tool without a record").click()
    page.get_by_label("The adult", exact=True).fill("Mother")
    page.get_by_label("The child", exact=True).fill("J, 7")
    answer(page, likelihood="Unlikely", severity="Minimal")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", level=1, name="Your professional judgement").wait_for()
    page.get_by_role("button", name="See the result").click()
    page.get_by_role("heading", level=1, name="The result: Level 1: lower impact").wait_for()
    assert "Not saved." in page.content()
    assert_accessible(page, context="PAMIC result without a record")
    assert PamicResult.objects.count() == 0


def test_a_record_without_an_adult_says_to_add_one_first(page, live_server, client):
    family = open_family()
    use_session_of(page, client, live_server, family.lead)
    page.goto(f"/practice-tools/pamic/family/{family.pk}/assess/")
    page.get_by_role("heading", level=1, name="Add the adult and the child first").wait_for()
    assert_accessible(page, context="PAMIC on a record with no adult")


def test_the_business_unit_makes_a_new_version_through_its_errors(page, live_server, client):
    use_session_of(page, client, live_server, make_role_user("business_unit"))
    page.goto("/practice-tools/pamic/versions/")
    assert_accessible(page, context="PAMIC versions")
    page.get_by_role("button", name="Make a new version").click()
    assert_accessible(page, context="new PAMIC version")
    page.get_by_label("Likelihood 1: label").fill("")
    page.get_by_role("button", name="Save as version 2").click()
    assert errors_shown(page) == 1
    assert_accessible(page, context="new PAMIC version with errors")
    page.get_by_label("Likelihood 1: label").fill("Very unlikely")
    page.get_by_label("What has changed in this version?").fill("Clearer first label")
    page.get_by_role("button", name="Save as version 2").click()
    page.get_by_role("heading", level=1, name="PAMIC tool version 2").wait_for()
    assert "1: Very unlikely" in page.content()
    assert_accessible(page, context="PAMIC version 2")


def test_the_grid_s_pages_fit_a_375_pixel_wide_phone(browser, live_server, client):
    result = saved_result(family_with_parent())
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15_000)
    try:
        phone = context.new_page()
        use_session_of(phone, client, live_server, result.family.lead)
        for path in (
            f"/practice-tools/pamic/results/{result.pk}/",
            "/practice-tools/pamic/",
            f"/practice-tools/pamic/family/{result.family.pk}/assess/",
        ):
            phone.goto(path)
            phone.get_by_role("heading", level=1).wait_for()
            assert phone.evaluate("document.documentElement.scrollWidth") <= 375, path
            assert_accessible(phone, context=f"{path} at 375 px")
    finally:
        context.close()
