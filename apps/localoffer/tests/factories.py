from __future__ import annotations

from apps.accounts.tests.factories import make_role_user

from .. import services
from ..models import SupportService


def service_data(**overrides) -> dict:
    return {
        "name": "Homefront Tenancy Support",
        "provider": "Riverside Housing Advice",
        "summary": "Help for families at risk of losing their home.",
        "description": "A housing support worker visits the family.",
        "who_for": "Families at risk of eviction.",
        "min_age": None,
        "max_age": None,
        "for_parents": True,
        "area": "City of York",
        "how_to_refer": "Use the online form.",
        "referral_url": "https://homefront.example.org/refer",
        "phone": "01632 960101",
        "email": "referrals@homefront.example.org",
        "website": "",
        "address": "",
        "opening_times": "",
        "eligibility_notes": "",
        **overrides,
    }


def add_service(*, issues=("housing",), by=None, **overrides) -> SupportService:
    by = by or make_role_user("business_unit")
    return services.add_service(data=service_data(**overrides), issues=list(issues), by=by)


def withdrawn_service(**overrides) -> SupportService:
    by = make_role_user("business_unit")
    found = add_service(by=by, **overrides)
    return services.withdraw_service(service=found, reason="The service closed", by=by)
