"""Who may use record linkage: the Supporting Families team, and system administrators."""

from __future__ import annotations

import rules

from apps.accounts.permissions import is_system_admin, roles_of

SUPPORTING_FAMILIES = "supporting-families"


@rules.predicate
def is_supporting_families(user) -> bool:
    return SUPPORTING_FAMILIES in roles_of(user).team_slugs


may_use_linkage = is_supporting_families | is_system_admin

rules.add_perm("linkage.use_linkage", may_use_linkage)
rules.add_perm("linkage.review_pairs", may_use_linkage)
rules.add_perm("linkage.import_extracts", may_use_linkage)
