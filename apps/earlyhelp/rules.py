"""Who may see and change an early help record: need-to-know, nothing wider.

A practitioner sees a family only as its lead or a current member of the team around the family. The
Supporting Families team and system admins see every family; the Targeted Intervention Service sees the
families referred to it. Anyone else, other staff of the lead's own organisation included, is refused,
unless they hold a role that may break the glass and have done so, with a reason, in the last few hours.
"""

from __future__ import annotations

from typing import Any

import rules
from django.utils import timezone

from apps.accounts.permissions import is_organisation_admin, is_practitioner, is_system_admin, roles_of

SUPPORTING_FAMILIES = "supporting-families"
TARGETED_INTERVENTION = "targeted-intervention-service"


@rules.predicate
def is_supporting_families(user) -> bool:
    return SUPPORTING_FAMILIES in roles_of(user).team_slugs


@rules.predicate
def is_targeted_intervention(user) -> bool:
    return TARGETED_INTERVENTION in roles_of(user).team_slugs


def _relations(user: Any, family: Any) -> dict:
    """What ties the user to the family, read once per request and family."""
    cache = getattr(user, "_hub_family_relations", None)
    if cache is None:
        cache = user._hub_family_relations = {}
    if family.pk not in cache:
        from .models import BreakGlass

        cache[family.pk] = {
            "member": family.team.filter(user=user, left_at__isnull=True).exists(),
            "glass": BreakGlass.objects.filter(user=user, family=family, expires_at__gt=timezone.now()).exists(),
        }
    return cache[family.pk]


def forget_relations(user: Any) -> None:
    if hasattr(user, "_hub_family_relations"):
        del user._hub_family_relations


@rules.predicate
def leads_it(user, family) -> bool:
    return family is not None and family.lead_id == user.pk


@rules.predicate
def in_its_team(user, family) -> bool:
    return family is not None and _relations(user, family)["member"]


@rules.predicate
def referred_to_tis(user, family) -> bool:
    return family is not None and family.referred_to_tis


@rules.predicate
def broke_the_glass(user, family) -> bool:
    return family is not None and _relations(user, family)["glass"]


@rules.predicate
def is_open(user, family) -> bool:
    return family is not None and family.is_open


@rules.predicate
def is_receiving_team_member(user) -> bool:
    return bool(roles_of(user).team_ids)


sees_every_family = is_supporting_families | is_system_admin
may_see_family = (
    is_practitioner
    & (leads_it | in_its_team | sees_every_family | (is_targeted_intervention & referred_to_tis) | broke_the_glass)
) | is_system_admin
# Break-glass is for those whose work may need a record urgently: receiving teams and organisation admins.
may_break_glass = is_receiving_team_member | is_organisation_admin

rules.add_perm("earlyhelp.start_assessment", is_practitioner)
rules.add_perm("earlyhelp.see_my_families", is_practitioner)
rules.add_perm("earlyhelp.view_family", may_see_family)
rules.add_perm("earlyhelp.lead_family", is_practitioner & leads_it)
rules.add_perm("earlyhelp.contribute", is_practitioner & (leads_it | in_its_team) & is_open)
# Children's Social Care is not on the hub: its step downs come through the Supporting Families team.
rules.add_perm(
    "earlyhelp.step_down",
    is_practitioner & (leads_it | is_supporting_families | (is_targeted_intervention & referred_to_tis)),
)
rules.add_perm("earlyhelp.break_glass", may_break_glass)
rules.add_perm("earlyhelp.see_central_record", sees_every_family)
rules.add_perm("earlyhelp.review_break_glass", sees_every_family)
rules.add_perm("earlyhelp.see_who_looked", sees_every_family)
rules.add_perm("earlyhelp.subject_access", sees_every_family)
rules.add_perm("earlyhelp.decide_retention", sees_every_family)
