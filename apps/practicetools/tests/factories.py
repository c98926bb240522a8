from __future__ import annotations

from apps.earlyhelp.models import Family
from apps.earlyhelp.tests.factories import add_child, open_family

from .. import pamic, services
from ..models import PamicResult


def family_with_parent(lead=None) -> Family:
    """An open family (lead, a child Jordan) with a parent, Sam."""
    family = open_family(lead)
    add_child(family, role="parent_carer", first_name="Sam", date_of_birth=None)
    return family


def saved_result(family: Family | None = None, *, likelihood=3, severity=3, final_level=None, reason="") -> PamicResult:
    family = family or family_with_parent()
    version = services.current_version()
    outcome = pamic.weigh(
        version.config, likelihood=likelihood, severity=severity, final_level=final_level, reason=reason
    )
    return services.save_result(
        family=family,
        adult=family.members.get(role="parent_carer"),
        child=family.members.get(role="child"),
        version=version,
        mental_health="Severe depression; in bed most days.",
        outcome=outcome,
        factors=[version.config["protective_factors"][0]],
        notes="Grandmother visits daily.",
        by=family.lead,
    )
