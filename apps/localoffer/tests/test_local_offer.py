"""The local offer as practitioners and the business unit use it."""

from __future__ import annotations

import itertools

import pytest
from django.urls import reverse

from apps.accounts.tests.factories import make_role_user
from apps.audit.models import AuditAction, AuditEntry
from apps.earlyhelp.models import Outcome
from apps.earlyhelp.services import add_plan_outcome
from apps.earlyhelp.tests.factories import open_family

from .. import demo, forms, services
from ..models import FamilyIssue, ServiceStatus, SupportService
from .factories import add_service, service_data

pytestmark = pytest.mark.django_db


def names_on(response) -> list[str]:
    return [service.name for service in response.context["page_obj"].object_list]


def test_keyword_search_finds_services_by_any_word_of_their_description(client):
    add_service(name="Homefront Tenancy Support", description="Help with rent arrears and landlords")
    add_service(name="Money Matters", description="Debt and benefits advice", issues=["financial-challenges"])
    assert names_on(client.get(reverse("localoffer:index"), {"q": "arrears"})) == ["Homefront Tenancy Support"]
    assert names_on(client.get(reverse("localoffer:index"), {"q": "DEBT advice"})) == ["Money Matters"]
    assert names_on(client.get(reverse("localoffer:index"), {"q": "debt landlords"})) == []


def test_the_issue_filter_takes_the_slugs_other_pages_link_with(client):
    add_service(name="Homefront", issues=["housing", "attendance-barriers"])
    add_service(name="Money Matters", issues=["financial-challenges"])
    response = client.get(reverse("localoffer:index"), {"issue": "attendance-barriers"})
    assert names_on(response) == ["Homefront"]
    assert "Services for barriers to school attendance (1)" in response.content.decode()
    assert {issue.value for issue in FamilyIssue} >= {
        "housing",
        "parental-mental-health",
        "financial-challenges",
        "parental-employment",
        "other-family-needs",
    }


def test_the_age_filter_keeps_services_whose_range_includes_the_child(client):
    add_service(name="Under fives", min_age=0, max_age=5)
    add_service(name="Teenagers", min_age=13, max_age=18)
    add_service(name="Anyone")
    assert names_on(client.get(reverse("localoffer:index"), {"age": "5"})) == ["Anyone", "Under fives"]
    assert names_on(client.get(reverse("localoffer:index"), {"age": "14"})) == ["Anyone", "Teenagers"]


def test_a_wrong_filter_says_what_is_wrong_and_keeps_what_was_typed(client):
    add_service()
    response = client.get(reverse("localoffer:index"), {"q": "rent", "age": "nine", "issue": "nonsense"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Child&#x27;s age must be a whole number" in body
    assert "Choose the family issue from the options shown" in body
    assert 'value="rent"' in body and 'value="nine"' in body


def test_a_withdrawn_service_leaves_the_list_and_its_page_but_the_business_unit_still_sees_it(client):
    unit = make_role_user("business_unit")
    found = add_service(by=unit, name="Closing soon")
    services.withdraw_service(service=found, reason="Funding ended", by=unit)
    assert names_on(client.get(reverse("localoffer:index"))) == []
    assert client.get(reverse("localoffer:service", kwargs={"pk": found.pk})).status_code == 404
    client.force_login(unit)
    page = client.get(reverse("localoffer:service", kwargs={"pk": found.pk})).content.decode()
    assert "Withdrawn from the local offer" in page and "Funding ended" in page
    services.relist_service(service=found, by=unit)
    client.logout()
    assert names_on(client.get(reverse("localoffer:index"))) == ["Closing soon"]


def test_the_business_unit_adds_changes_and_withdraws_a_service_and_each_is_audited(client):
    unit = make_role_user("business_unit")
    client.force_login(unit)
    data = {**service_data(name="New service", min_age="3", max_age="11"), "issues": ["housing", "parental-employment"]}
    response = client.post(reverse("localoffer:add"), data)
    found = SupportService.objects.get(name="New service")
    assert response.headers["Location"] == reverse("localoffer:service", kwargs={"pk": found.pk})
    assert found.ages == "3 to 11"
    assert sorted(found.issues.values_list("issue", flat=True)) == ["housing", "parental-employment"]
    client.post(reverse("localoffer:change", kwargs={"pk": found.pk}), {**data, "summary": "Better", "issues": []})
    found.refresh_from_db()
    assert found.summary == "Better" and not found.issues.exists()
    client.post(reverse("localoffer:withdraw", kwargs={"pk": found.pk}), {"reason": "Closed"})
    found.refresh_from_db()
    assert found.status == ServiceStatus.WITHDRAWN
    entries = AuditEntry.objects.filter(object_type="localoffer.supportservice", object_id=str(found.pk))
    assert list(entries.order_by("pk").values_list("action", "detail")) == [
        (AuditAction.CREATE, ""),
        (AuditAction.CHANGE, "changed: summary, issues"),
        (AuditAction.CHANGE, "withdrawn"),
    ]


def test_ages_out_of_order_are_refused_with_nothing_saved_and_nothing_lost(client):
    client.force_login(make_role_user("business_unit"))
    data = {**service_data(name="Backwards", min_age="12", max_age="4"), "issues": ["housing"]}
    response = client.post(reverse("localoffer:add"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "The oldest age must be the same as or higher than the youngest age" in body
    assert 'value="Backwards"' in body
    assert not SupportService.objects.filter(name="Backwards").exists()


def test_someone_outside_the_business_unit_may_not_manage_the_local_offer():
    with pytest.raises(Exception, match=r"localoffer\.manage_services"):
        services.add_service(data=service_data(), issues=[], by=make_role_user("practitioner"))


def test_the_early_help_plan_links_to_the_local_offer_filtered_by_its_needs(client):
    family = open_family()
    add_plan_outcome(family=family, headline=Outcome.HOUSING, description="A safe home", by=family.lead)
    client.force_login(family.lead)
    page = client.get(reverse("earlyhelp:family", kwargs={"pk": family.pk})).content.decode()
    assert f'href="{reverse("localoffer:index")}?issue=housing"' in page
    assert "Find support for housing in the local offer" in page
    assert f'href="{reverse("localoffer:index")}?issue=attendance-barriers"' in page  # the education outcome
    assert "Find support in the local offer" in page


def test_the_demo_local_offer_loads_once_with_drama_numbers_only():
    make_role_user("business_unit", email=demo.BUSINESS_UNIT)
    demo.load()
    demo.load()
    assert 10 <= SupportService.objects.count() <= 15
    assert all(service.phone.startswith("01632 960") for service in SupportService.objects.all())
    assert all(
        "example.org" in value
        for service in SupportService.objects.all()
        for value in (service.email, service.website, service.referral_url)
        if value
    )
    tagged = SupportService.objects.values_list("issues__issue", flat=True)
    assert set(FamilyIssue) == {FamilyIssue(issue) for issue in tagged}


DJANGO_DEFAULTS = [
    "This field is required",
    "Ensure this value",
    "Enter a valid",
    "Select a valid choice",
    "Enter a whole number",
    "Enter a list of values",
]


def test_every_local_offer_form_answers_bad_input_with_messages_naming_the_field():
    shown = []
    for data in (
        {},
        {
            "min_age": "x",
            "max_age": "-3",
            "email": "no",
            "website": "nope",
            "issues": ["zzz"],
            "referral_url": "x",
            "name": "x" * 300,
            "q": "x" * 300,
            "age": "200",
            "issue": "zzz",
            "area": "zzz",
            "reason": "",
        },
    ):
        for form in (forms.ServiceForm(data), forms.WithdrawForm(data), forms.OfferFilterForm(data)):
            form.is_valid()
            shown += [str(message) for message in itertools.chain.from_iterable(form.errors.values())]
    assert [message for message in shown if any(text in message for text in DJANGO_DEFAULTS)] == []
    assert "Enter the email address in the correct format, like name@example.org" in shown
    assert "Youngest age must be a whole number" in shown
    assert len(shown) > 15
