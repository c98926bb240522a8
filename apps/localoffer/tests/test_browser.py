"""The local offer in a real browser: the business unit's journey with its error pages, a practitioner's search,
and the pages on a 375 px phone, each scanned with axe-core."""

from __future__ import annotations

import pytest

from apps.accounts.tests.factories import make_role_user
from apps.core.tests.fixtures import assert_accessible, use_session_of

from ..models import ServiceStatus, SupportService
from .factories import add_service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_business_unit_adds_a_service_and_withdraws_it_through_its_error_pages(page, live_server, client):
    unit = make_role_user("business_unit")
    use_session_of(page, client, live_server, unit)
    page.goto("/local-offer/manage/")
    assert_accessible(page, context="manage, empty")
    page.get_by_role("button", name="Add a service").click()
    page.get_by_role("button", name="Add the service").click()
    assert page.locator(".govuk-error-summary").count() == 1
    assert_accessible(page, context="add, with its errors")
    page.get_by_label("Name of the service").fill("Homefront Tenancy Support")
    page.get_by_label("Who provides it").fill("Riverside Housing Advice")
    page.get_by_label("Summary").fill("Help for families at risk of losing their home.")
    page.get_by_label("What the service does").fill("A housing support worker visits the family.")
    page.get_by_label("Who it is for").fill("Families at risk of eviction.")
    page.get_by_label("Housing").check()
    page.get_by_label("Youngest age (optional)").fill("9")
    page.get_by_label("Oldest age (optional)").fill("4")
    page.get_by_label("Area").fill("City of York")
    page.get_by_label("How to refer").fill("Use the online form.")
    page.get_by_role("button", name="Add the service").click()
    assert "The oldest age must be the same as or higher than the youngest age" in page.content()
    assert page.get_by_label("Name of the service").input_value() == "Homefront Tenancy Support"
    page.get_by_label("Oldest age (optional)").fill("16")
    page.get_by_role("button", name="Add the service").click()
    page.get_by_role("heading", level=1, name="Homefront Tenancy Support").wait_for()
    assert "9 to 16" in page.content()
    assert_accessible(page, context="a service, as the business unit")
    page.get_by_role("link", name="Withdraw the service").click()
    page.get_by_role("button", name="Withdraw the service").click()
    assert page.locator(".govuk-error-summary").count() == 1
    assert_accessible(page, context="withdraw, with its errors")
    page.get_by_label("Why is the service being withdrawn?").fill("Funding ended")
    page.get_by_role("button", name="Withdraw the service").click()
    page.get_by_role("heading", level=1, name="Manage the local offer").wait_for()
    assert SupportService.objects.get().status == ServiceStatus.WITHDRAWN
    assert_accessible(page, context="manage, with a withdrawn service")
    page.get_by_role("link", name="List again Homefront Tenancy Support").click()
    assert_accessible(page, context="list again")
    page.get_by_role("button", name="List it again").click()
    page.get_by_role("heading", level=1, name="Homefront Tenancy Support").wait_for()


def test_a_practitioner_searches_the_local_offer_and_a_wrong_age_is_explained(page, live_server, client):
    add_service(name="Homefront Tenancy Support", issues=["housing", "attendance-barriers"])
    add_service(name="Money Matters", description="Debt advice", issues=["financial-challenges"])
    use_session_of(page, client, live_server, make_role_user("practitioner"))
    page.goto("/local-offer/")
    page.get_by_label("Keywords").fill("debt")
    page.get_by_role("button", name="Apply filters").click()
    assert page.get_by_role("heading", name="Services (1)").is_visible()
    page.get_by_role("link", name="Money Matters").click()
    assert_accessible(page, context="a service")
    page.goto("/local-offer/?issue=attendance-barriers&age=x")
    assert page.locator(".govuk-error-summary").count() == 1
    assert page.get_by_label("Child's age").input_value() == "x"
    assert_accessible(page, context="the list with an error")
    page.goto("/local-offer/?issue=attendance-barriers")
    assert page.get_by_role("heading", name="Services for barriers to school attendance (1)").is_visible()


def test_the_local_offer_fits_a_375_pixel_wide_phone(browser, live_server):
    found = add_service(name="Homefront Tenancy Support", description="A very long description " * 40)
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15_000)
    try:
        phone = context.new_page()
        for path in ("/local-offer/", f"/local-offer/{found.pk}/"):
            phone.goto(path)
            assert phone.evaluate("document.documentElement.scrollWidth") <= 375, path
            assert_accessible(phone, context=f"{path} at 375 px")
    finally:
        context.close()
